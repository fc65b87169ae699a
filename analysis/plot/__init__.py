"""House chart style and deterministic figure output.

Charts follow the UK Government Analysis Function and ONS guidance: horizontal
bars from zero, direct labels, a title stating the finding, a subtitle with the
measure, population and year, a footer with the base and ``Source: ... from WIG``,
one colour per sector in every figure (never colour alone), and missing values
drawn as "not published", never as zero. :func:`save_figure` writes SVG/PNG (and
PDF) byte-identically across runs, with the plotted numbers beside them as CSV.

Typical use in a notebook::

    from analysis.plot import hbar, save_figure
    fig, plotted = hbar(df, title="...", subtitle="...", base="n=274 (stated)")
    save_figure(fig, FIGURES / "fig01_enablers", plotted)

>>> from analysis.plot import SECTOR_STYLE, hbar, save_figure
>>> SECTOR_STYLE["edu"].label
'Higher education'
"""

from ._bars import UNIT_NOTE, change_bars, grouped_hbar, hbar
from ._compare import (
    VERDICT_STYLE,
    VerdictStyle,
    dumbbell,
    forest,
    power_curve,
    pvalue_curve,
    verdict_styles,
)
from ._save import FORMATS, canonical_floats, get_alt_text, save_figure, set_alt_text
from ._style import (
    AF_CATEGORICAL,
    AF_PALETTE,
    FIG_WIDTH,
    GROUP_ORDER,
    HOUSE_RC,
    OKABE_ITO,
    SECTOR_ORDER,
    SECTOR_STYLE,
    SectorStyle,
    apply_house_style,
    category_colours,
    contrast_ratio,
    house_style,
    relative_luminance,
    sector_style,
)

__all__ = [
    "AF_CATEGORICAL",
    "AF_PALETTE",
    "FIG_WIDTH",
    "FORMATS",
    "GROUP_ORDER",
    "HOUSE_RC",
    "OKABE_ITO",
    "SECTOR_ORDER",
    "SECTOR_STYLE",
    "SectorStyle",
    "UNIT_NOTE",
    "VERDICT_STYLE",
    "VerdictStyle",
    "apply_house_style",
    "canonical_floats",
    "change_bars",
    "dumbbell",
    "forest",
    "power_curve",
    "pvalue_curve",
    "verdict_styles",
    "category_colours",
    "contrast_ratio",
    "get_alt_text",
    "grouped_hbar",
    "hbar",
    "house_style",
    "relative_luminance",
    "save_figure",
    "sector_style",
    "set_alt_text",
]
