"""Stage 5, estimates: the one table between data and figures, from either producer."""
