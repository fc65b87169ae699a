"""Stage 4, statistics: proportions from printed numbers, design-based estimation, banners."""
