"""The sync clients, written by scripts/unasync from _async/; do not edit."""
