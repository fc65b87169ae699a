"""Stage 3, weighting: raking, post-stratification and trimming, with diagnostics."""
