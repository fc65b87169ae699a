"""Every path the project uses, anchored at the repository root.

Notebooks and scripts import these instead of writing ``../data`` strings, so
they run unchanged from any working directory.

>>> (ROOT / "pyproject.toml").is_file()
True
>>> DATA_RAW.relative_to(ROOT).as_posix()
'data/raw'
"""

from __future__ import annotations

import os
from pathlib import Path

#: Repository root: the folder holding ``pyproject.toml`` (override with ``WIG_ROOT``).
ROOT: Path = Path(os.environ.get("WIG_ROOT", Path(__file__).resolve().parent.parent))

DATA: Path = ROOT / "data"
#: Transcribed published statistics and other hand-made inputs; never written by the build.
DATA_RAW: Path = DATA / "raw"
#: Weighting target schemes (read only through ``analysis.weighting.targets.load_targets``).
WEIGHTING_TARGETS: Path = DATA_RAW / "weighting_targets.csv"
#: The committed SYNTHETIC respondent-level exports (made by ``tools.synthetic``).
SYNTHETIC: Path = DATA_RAW / "synthetic"
#: Tidy outputs of the build that notebooks read (committed, checksummed).
DATA_PROCESSED: Path = DATA / "processed"
#: Committed figures (SVG, PNG, CSV of plotted numbers) and their manifest.
FIGURES: Path = ROOT / "figures"
#: Jupytext (percent-format) notebook sources.
NOTEBOOKS: Path = ROOT / "notebooks"
#: Everything the build makes that is not committed (executed notebooks, report, caches).
BUILD: Path = ROOT / "build"
TESTS: Path = ROOT / "tests"
