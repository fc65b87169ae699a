"""Stage 4, statistics: proportions from printed numbers, design-based estimation (calibrated
variance, dependent comparisons), banners, disclosure control."""
