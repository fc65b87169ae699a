"""Stage 2, respondents: the questionnaire codebook, export readers and logged cleaning."""
