"""The async clients, written by hand; scripts/unasync writes the sync ones (`_sync/`)."""
