"""House chart style: palettes, sector styles and matplotlib rcParams.

Follows the UK Government Analysis Function colour guidance: the four-colour
categorical palette in its given order, a neutral dark grey and a light purple
as the fifth and sixth colours, Okabe-Ito when more than four categories must
be told apart, and never colour alone (every sector also has a marker, a hatch
and a line style, and charts label values directly).

>>> SECTOR_STYLE["public"].colour
'#12436D'
>>> [SECTOR_STYLE[g].label for g in SECTOR_ORDER]
['All leaders', 'Public', 'Private', 'Not-for-profit', 'Higher education']
>>> round(contrast_ratio("#12436D", "#28A197"), 2)
3.24
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import NamedTuple

import matplotlib as mpl
from matplotlib.colors import to_rgb

#: UK Government Analysis Function categorical palette, in its prescribed order.
AF_PALETTE: tuple[str, ...] = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
#: The first four Analysis Function colours: at most four colours in one chart.
AF_CATEGORICAL: tuple[str, ...] = AF_PALETTE[:4]
#: Okabe-Ito colour-blind-safe palette (black last), for more than four categories.
OKABE_ITO: tuple[str, ...] = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
)
#: Text and neutral colours.
TEXT_COLOUR = "#0B0C0C"
MUTED_COLOUR = "#505A5F"
GRID_COLOUR = "#D9D9D9"
MISSING_COLOUR = "#6F777B"


class SectorStyle(NamedTuple):
    """How one respondent group looks in every figure.

    Attributes
    ----------
    colour : str
        Fill and line colour (hex).
    marker : str
        Matplotlib marker for dot, dumbbell and line charts.
    hatch : str
        Bar hatch (``""`` for none); drawn in white over the fill.
    linestyle : str or tuple
        Line style for lines and outlines.
    label : str
        Display label.
    """

    colour: str
    marker: str
    hatch: str
    linestyle: str | tuple[float, tuple[float, ...]]
    label: str


#: Respondent group -> style; the same in every figure. Sector colours follow the
#: Analysis Function order (dark/light alternate, so neighbours differ in greyscale);
#: ``all`` is the neutral dark grey; ``nfp_edu`` (the combined 2024 group) the sixth
#: colour; ``industry`` (the 2024 action plan's name for the private sector) shares the
#: private sector's colour, marker and hatch, as it is the same sector. Colours of equal
#: luminance (dark: all, public, nfp; light: private, edu, nfp_edu) differ in marker,
#: hatch and line style, so figures stay readable in greyscale.
SECTOR_STYLE: dict[str, SectorStyle] = {
    "all": SectorStyle("#3D3D3D", "D", "---", (0, (6, 1.5, 1.5, 1.5, 1.5, 1.5)), "All leaders"),
    "public": SectorStyle("#12436D", "o", "", "-", "Public"),
    "private": SectorStyle("#28A197", "s", "///", "--", "Private"),
    "nfp": SectorStyle("#801650", "^", "...", ":", "Not-for-profit"),
    "edu": SectorStyle("#F46A25", "v", "xxx", "-.", "Higher education"),
    "nfp_edu": SectorStyle("#A285D1", "P", "\\\\\\", (0, (1, 1)), "Not-for-profit and HE"),
    "industry": SectorStyle("#28A197", "s", "///", "--", "Industry"),
    #: Respondents kept in "all" but in no weighting cell (``outside_targets = sample_share``:
    #: blank, "Other", "Prefer not to say"), drawn in one neutral style.
    "outside": SectorStyle("#8C8C8C", "X", "", ":", "Outside the targets"),
}
#: Canonical display order of groups (total first, then the four sectors).
SECTOR_ORDER: tuple[str, ...] = ("all", "public", "private", "nfp", "edu")
#: Display order including the 2024-only groups.
GROUP_ORDER: tuple[str, ...] = ("all", "public", "private", "industry", "nfp", "edu", "nfp_edu")

#: Figure width in inches (about 700 px at report width); heights scale with rows.
FIG_WIDTH = 7.5
FONT_SIZE = 10.0
TITLE_SIZE = 13.0
SUBTITLE_SIZE = 10.5
FOOTER_SIZE = 8.5
LABEL_SIZE = 9.5

#: rcParams of the house style (fonts bundled with matplotlib, so identical everywhere).
HOUSE_RC: dict[str, object] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": FONT_SIZE,
    "axes.titlesize": FONT_SIZE,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": FONT_SIZE,
    "axes.labelcolor": TEXT_COLOUR,
    "axes.edgecolor": MUTED_COLOUR,
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "x",
    "axes.axisbelow": True,
    "axes.unicode_minus": False,
    "axes.prop_cycle": mpl.cycler(color=list(AF_CATEGORICAL)),
    "grid.color": GRID_COLOUR,
    "grid.linewidth": 0.6,
    "grid.linestyle": "-",
    "xtick.labelsize": LABEL_SIZE,
    "ytick.labelsize": LABEL_SIZE,
    "xtick.color": MUTED_COLOUR,
    "ytick.color": MUTED_COLOUR,
    "xtick.labelcolor": TEXT_COLOUR,
    "ytick.labelcolor": TEXT_COLOUR,
    "legend.frameon": False,
    "legend.fontsize": LABEL_SIZE,
    "text.color": TEXT_COLOUR,
    "figure.facecolor": "white",
    "figure.dpi": 100,
    "savefig.facecolor": "white",
    "hatch.color": "white",
    "hatch.linewidth": 0.8,
    "svg.fonttype": "path",
    "svg.hashsalt": "wig-collaboration-survey",
    "svg.id": "wig-figure",
    "pdf.fonttype": 42,
    "pdf.compression": 6,
    "path.simplify": True,
}


def apply_house_style() -> None:
    """Set the house style globally (``matplotlib.rcParams``).

    Chart functions in :mod:`analysis.plot` apply the style themselves; call this
    in a notebook before drawing other charts by hand.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> apply_house_style()
    >>> mpl.rcParams["axes.spines.top"], mpl.rcParams["font.sans-serif"][0]
    (False, 'DejaVu Sans')
    """
    mpl.rcParams.update(HOUSE_RC)


@contextlib.contextmanager
def house_style() -> Iterator[None]:
    """Context manager applying the house style temporarily.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> with house_style():
    ...     mpl.rcParams["svg.hashsalt"]
    'wig-collaboration-survey'
    """
    with mpl.rc_context(HOUSE_RC):
        yield


def sector_style(group_id: str) -> SectorStyle:
    """Return the style of ``group_id``, raising ``ValueError`` for unknown groups.

    Examples
    --------
    >>> sector_style("nfp").label
    'Not-for-profit'
    """
    try:
        return SECTOR_STYLE[group_id]
    except KeyError:
        raise ValueError(
            f"group_id={group_id!r} has no house style; valid: {sorted(SECTOR_STYLE)}"
        ) from None


def category_colours(n: int) -> tuple[str, ...]:
    """Colours for ``n`` non-sector categories: Analysis Function up to four, else Okabe-Ito.

    Examples
    --------
    >>> category_colours(2)
    ('#12436D', '#28A197')
    >>> category_colours(5)[0]
    '#E69F00'
    """
    if n < 1 or n > len(OKABE_ITO):
        raise ValueError(f"n={n!r} categories; valid: 1 to {len(OKABE_ITO)}")
    return AF_CATEGORICAL[:n] if n <= len(AF_CATEGORICAL) else OKABE_ITO[:n]


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a colour (0 = black, 1 = white).

    Examples
    --------
    >>> relative_luminance("#FFFFFF"), relative_luminance("#000000")
    (1.0, 0.0)
    """
    channels = []
    for c in to_rgb(colour):
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio ``(L1 + 0.05) / (L2 + 0.05)`` between two colours (1 to 21).

    Examples
    --------
    >>> round(contrast_ratio("#FFFFFF", "#000000"), 1)
    21.0
    """
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ordered_groups(groups: Sequence[str]) -> list[str]:
    """Unique groups in house order (known groups first, unknown ones in data order).

    Examples
    --------
    >>> ordered_groups(["edu", "public", "all", "public"])
    ['all', 'public', 'edu']
    """
    seen = list(dict.fromkeys(groups))
    known = [g for g in GROUP_ORDER if g in seen]
    return known + [g for g in seen if g not in GROUP_ORDER]
