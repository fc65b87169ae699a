"""Developer tools that are not part of the analysis package (the synthetic-export generator)."""
