"""scripts/check-docs: openapi.yaml compared with Respan's published reference pages."""
