"""Stage 6, audit: the report's claims tested against the estimates."""
