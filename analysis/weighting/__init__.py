"""Stage 3, weighting: target schemes (read, validated, outside-targets policy), raking,
post-stratification and trimming, with diagnostics."""
