"""Stage 1, source data: the transcription of the published reports, validated and pinned."""
