"""Stage 7, figures: one builder per report section, from estimates to figure and findings.

Builders take the estimates (and comparisons) tables of :mod:`analysis.vocab` and return
the figure, the plotted table with provenance, and findings as structured values; the words
come from :mod:`analysis.text`.
"""
