"""Tests of the house chart style and deterministic figure output (analysis.plot)."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
import textwrap

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.text import Text
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from analysis.paths import ROOT
from analysis.plot import (
    AF_PALETTE,
    FIG_WIDTH,
    OKABE_ITO,
    SECTOR_ORDER,
    SECTOR_STYLE,
    UNIT_NOTE,
    VERDICT_STYLE,
    apply_house_style,
    category_colours,
    change_bars,
    contrast_ratio,
    dumbbell,
    forest,
    get_alt_text,
    grouped_hbar,
    hbar,
    power_curve,
    pvalue_curve,
    relative_luminance,
    save_figure,
    verdict_styles,
)

SOURCE = "The Leaders' Views 2025"
TEXT = {"title": "Shared goals remain the top enabler", "subtitle": "% of leaders, UK, 2025"}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _fig_text(fig, gid: str) -> str:
    return "\n".join(t.get_text() for t in fig.texts if t.get_gid() == gid)


def _bars(ax) -> list:
    return [p for p in ax.patches if (p.get_gid() or "").startswith("bar-")]


def _placeholders(ax) -> list:
    return [t for t in ax.texts if t.get_gid() == "not-published"]


def _centre_y(patch) -> float:
    return patch.get_y() + patch.get_height() / 2


def _assert_all_text_inside(fig) -> None:
    """No text is cut off at the figure edges (titles, labels, ticks, footer)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    texts = list(fig.texts)
    for ax in fig.axes:
        lo, hi = sorted(ax.get_xlim())
        ticks = [
            lab
            for loc, lab in zip(ax.get_xticks(), ax.get_xticklabels(), strict=True)
            if lo - 1e-9 <= loc <= hi + 1e-9  # labels of ticks outside the view are not drawn
        ]
        texts += list(ax.texts) + ax.get_yticklabels() + ticks
        texts += [c for c in ax.get_children() if isinstance(c, Text)]  # titles
        texts += [ax.xaxis.label]
    for t in texts:
        if not t.get_visible() or not t.get_text():
            continue
        ext = t.get_window_extent(renderer)
        assert ext.x0 >= box.x0 - 0.5 and ext.x1 <= box.x1 + 0.5, t.get_text()
        assert ext.y0 >= box.y0 - 0.5 and ext.y1 <= box.y1 + 0.5, t.get_text()


def _assert_labels_clear_of_whiskers(fig, ax) -> None:
    """No value label's rendered box meets a whisker segment (line or cap) of the axes."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_gid() != "not-published"]
    assert boxes
    for c in ax.collections:
        for seg in getattr(c, "get_segments", list)():
            (x0, y0), (x1, y1) = ax.transData.transform(seg[:2])
            for box in boxes:
                xs = sorted((x0, x1))
                ys = sorted((y0, y1))
                overlap_x = (
                    xs[0] < box.x1
                    and box.x0 < xs[1]
                    or xs[0] == xs[1]
                    and (box.x0 <= xs[0] <= box.x1)
                )
                overlap_y = ys[0] <= box.y1 and box.y0 <= ys[1]
                assert not (overlap_x and overlap_y), ("label meets a whisker", box, seg)


@pytest.fixture
def enablers() -> pd.DataFrame:
    # 2025 report (seed 000): shared goals 71%, strong leadership 61%, trust 58.6%;
    # regulation's 2025 level was lost in extraction (not published).
    return pd.DataFrame(
        {
            "label": ["Trust and mutual respect", "Shared goals", "Regulation", "Leadership"],
            "value": [58.6, 71.0, np.nan, 61.0],
            "value_text": ["58.6%", "71%", None, "61%"],
            "status": ["published", "published", "not_published", "published"],
        }
    )


@pytest.fixture
def sectors() -> pd.DataFrame:
    # 2025 report (seed 000) table: growth 25/19/29/25, dialogue 14/12/21/25 (public,
    # private, nfp, edu); the edu dialogue cell is dropped here to test "not published".
    return pd.DataFrame(
        {
            "label": ["Growth"] * 4 + ["Dialogue"] * 3,
            "group_id": ["public", "private", "nfp", "edu", "public", "private", "nfp"],
            "value": [25, 19, 29, 25, 14, 12, 21],
        }
    )


# --------------------------------------------------------------------------- palette
def test_palette_is_the_analysis_function_palette():
    # UK Government Analysis Function colour guidance, categorical palette
    assert AF_PALETTE == ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
    assert [SECTOR_STYLE[g].colour for g in SECTOR_ORDER[1:]] == list(AF_PALETTE[:4])
    groups = ["all", "public", "private", "nfp", "edu", "nfp_edu"]
    assert len({SECTOR_STYLE[g].colour for g in groups}) == len(groups)  # one colour per group
    assert SECTOR_STYLE["industry"].colour == SECTOR_STYLE["private"].colour  # same sector
    assert category_colours(4) == AF_PALETTE[:4]
    assert category_colours(6) == OKABE_ITO[:6]  # Okabe-Ito beyond four categories
    with pytest.raises(ValueError, match="valid: 1 to 8"):
        category_colours(9)


def test_luminance_matches_wcag_reference_values():
    # WebAIM contrast checker (WCAG 2.x formula): #767676 on white 4.54:1, #777777 4.47:1
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.005)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert relative_luminance("#FFFFFF") == 1.0 and relative_luminance("#000000") == 0.0


def test_sector_colours_are_readable_in_greyscale():
    sectors = list(SECTOR_ORDER[1:])  # public, private, nfp, edu: the grouped-bar order
    for a, b in itertools.pairwise(sectors):  # neighbours differ in lightness (WCAG >= 3:1)
        assert contrast_ratio(SECTOR_STYLE[a].colour, SECTOR_STYLE[b].colour) >= 3.0, (a, b)
    groups = ["all", "public", "private", "nfp", "edu", "nfp_edu"]
    for g in groups:  # WCAG 1.4.11 non-text contrast against the white background
        assert contrast_ratio(SECTOR_STYLE[g].colour, "#FFFFFF") >= 3.0, g
    for a, b in itertools.combinations(groups, 2):
        sa, sb = SECTOR_STYLE[a], SECTOR_STYLE[b]
        if contrast_ratio(sa.colour, sb.colour) < 3.0:  # same grey: never colour alone
            assert sa.marker != sb.marker and sa.hatch != sb.hatch, (a, b)
            assert sa.linestyle != sb.linestyle, (a, b)


def test_apply_house_style_sets_rcparams():
    with mpl.rc_context():
        apply_house_style()
        assert mpl.rcParams["font.sans-serif"][0] == "DejaVu Sans"
        assert not mpl.rcParams["axes.spines.top"] and not mpl.rcParams["axes.spines.right"]
        assert mpl.rcParams["axes.grid"] and mpl.rcParams["axes.grid.axis"] == "x"
        assert mpl.rcParams["svg.hashsalt"] == "wig-collaboration-survey"


# --------------------------------------------------------------------------- hbar
def test_hbar_bars_have_value_widths_sorted_and_labelled(enablers):
    fig, plotted = hbar(enablers, **TEXT, source=SOURCE, base="n=274 (stated)")
    ax = fig.axes[0]
    bars = sorted(_bars(ax), key=_centre_y)
    assert [b.get_width() for b in bars] == [71.0, 61.0, 58.6]  # largest first, from 0
    assert all(b.get_x() == 0 for b in bars)
    assert plotted["label"].tolist() == [
        "Shared goals",
        "Leadership",
        "Trust and mutual respect",
        "Regulation",
    ]
    assert plotted["order"].tolist() == [1, 2, 3, 4]
    assert plotted["display_text"].tolist() == ["71%", "61%", "58.6%", "not published"]
    labels = {t.get_text() for t in ax.texts}
    assert {"71%", "61%", "58.6%"} <= labels
    assert [to_hex(b.get_facecolor()).upper() for b in bars] == [SECTOR_STYLE["all"].colour] * 3
    assert fig.get_figwidth() == FIG_WIDTH
    _assert_all_text_inside(fig)


def test_hbar_missing_value_is_placeholder_not_zero_bar(enablers):
    fig, plotted = hbar(enablers, **TEXT)
    ax = fig.axes[0]
    row = int(plotted.index[plotted["label"] == "Regulation"][0])
    assert plotted.loc[row, "status"] == "not_published" and np.isnan(plotted.loc[row, "value"])
    assert len(_bars(ax)) == 3  # no bar (not even of width 0) for the missing value
    assert all(abs(_centre_y(b) - row) > 0.3 for b in _bars(ax))
    (ph,) = _placeholders(ax)
    assert ph.get_text() == "not published" and ph.xy == (0.0, row)
    assert ph.get_bbox_patch().get_linestyle() != "-" and ph.get_bbox_patch().get_fill()


def test_hbar_footer_has_source_base_note_and_taller_with_more_rows(enablers):
    fig, _ = hbar(enablers, **TEXT, source=SOURCE, base="n=274 (stated)", note="A note")
    footer = _fig_text(fig, "footer")
    assert footer.splitlines() == [
        "A note",
        "Base: n=274 (stated)",
        "Source: The Leaders' Views 2025 from WIG",
    ]
    assert _fig_text(fig, "title") == TEXT["title"]
    fig2, _ = hbar(enablers.iloc[:2], **TEXT)
    assert "Base not published" in _fig_text(fig2, "footer")  # never an invented base
    assert fig2.get_figheight() < fig.get_figheight()
    df = enablers.assign(base_text="base not published; intervals assume n=68 per sector")
    fig3, _ = hbar(df, **TEXT)
    assert "Base not published; intervals assume n=68 per sector" in _fig_text(fig3, "footer")


def test_hbar_whiskers_are_wilson_intervals(enablers):
    df = enablers.dropna(subset=["value"]).copy()
    lo, hi = proportion_confint(np.round(df["value"] / 100 * 274), 274, method="wilson")
    df["ci_low"], df["ci_high"] = lo * 100, hi * 100  # statsmodels Wilson 95% CI, n=274
    fig, plotted = hbar(df, **TEXT, order="given")
    ax = fig.axes[0]
    segs = [s for c in ax.collections for s in getattr(c, "get_segments", list)()]
    spans = sorted((round(s[0][0], 6), round(s[1][0], 6)) for s in segs if len(s) == 2)
    expected = sorted((round(a, 6), round(b, 6)) for a, b in zip(lo * 100, hi * 100, strict=True))
    assert [sp for sp in spans if sp[0] != sp[1]] == expected
    # labels sit at the end of the bar (the value), not at the end of the whisker...
    for t in ax.texts:
        row = plotted[plotted["display_text"] == t.get_text()].iloc[0]
        assert t.xy[0] == pytest.approx(row["value"])
        assert t.xy[0] < row["ci_high"]
    # ...and clear of it: no label's box meets a whisker line or its caps
    _assert_labels_clear_of_whiskers(fig, ax)
    with pytest.raises(ValueError, match="contain the value"):
        hbar(df.assign(ci_low=df["value"] + 1), **TEXT)


def test_hbar_given_order_and_other_last():
    df = pd.DataFrame({"label": ["Other", "B", "A"], "value": [90, 10, 20]})
    assert hbar(df, **TEXT)[1]["label"].tolist() == ["A", "B", "Other"]
    assert hbar(df, **TEXT, order="given")[1]["label"].tolist() == ["Other", "B", "A"]
    assert hbar(df, **TEXT, order=["B", "A", "Other"])[1]["label"].tolist() == ["B", "A", "Other"]
    with pytest.raises(ValueError, match="each label exactly once"):
        hbar(df, **TEXT, order=["A"])


def test_input_validation_names_the_problem(enablers):
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['value'\]"):
        hbar(enablers.drop(columns="value"), **TEXT)
    with pytest.raises(ValueError, match="group_id='nhs' has no house style; valid"):
        hbar(enablers.assign(group_id="nhs"), **TEXT)
    with pytest.raises(ValueError, match="non-numeric value"):
        hbar(enablers.assign(value=["71%", "1", "2", "3"]), **TEXT)
    with pytest.raises(ValueError, match="title must state the finding"):
        hbar(enablers, title=" ", subtitle="x")


# --------------------------------------------------------------------------- grouped
def test_grouped_hbar_sector_colours_and_missing_cell(sectors):
    fig, plotted = grouped_hbar(sectors, **TEXT, source=SOURCE)
    ax = fig.axes[0]
    assert plotted["label"].tolist() == ["Growth"] * 4 + ["Dialogue"] * 4
    assert plotted["group_id"].tolist() == ["public", "private", "nfp", "edu"] * 2
    bars = _bars(ax)
    assert len(bars) == 7  # the missing (Dialogue, edu) cell gets no bar
    for b in bars:
        g = b.get_gid().removeprefix("bar-")
        assert to_hex(b.get_facecolor()).upper() == SECTOR_STYLE[g].colour
        assert b.get_hatch() == (SECTOR_STYLE[g].hatch or None)
        v = plotted.loc[(plotted["group_id"] == g) & (plotted["order"] == round(_centre_y(b)) + 1)]
        assert b.get_width() == v["value"].item()
    assert [t.get_text() for t in _placeholders(ax)] == ["not published"]
    legend = fig.legends[0]
    assert [t.get_text() for t in legend.get_texts()] == [
        "Public",
        "Private",
        "Not-for-profit",
        "Higher education",
    ]
    _assert_all_text_inside(fig)


def test_grouped_hbar_labels_at_bar_end_clear_of_whiskers(sectors):
    # Wilson 95% intervals at an assumed n=68 per sector (statsmodels)
    df = sectors.copy()
    lo, hi = proportion_confint(np.round(df["value"] / 100 * 68), 68, method="wilson")
    df["ci_low"], df["ci_high"] = lo * 100, hi * 100
    fig, plotted = grouped_hbar(df, **TEXT)
    ax = fig.axes[0]
    labels = [t for t in ax.texts if t.get_gid() == "bar-label"]
    assert len(labels) == 7
    for t in labels:
        bar = next(
            b for b in _bars(ax) if abs(_centre_y(b) - t.xy[1]) < 1e-9
        )  # the label's own bar
        assert t.xy[0] == pytest.approx(bar.get_width())
    _assert_labels_clear_of_whiskers(fig, ax)
    _assert_all_text_inside(fig)
    # without intervals the label is centred on the bar, as before
    fig2, _ = grouped_hbar(sectors, **TEXT)
    assert all(t.get_va() == "center" for t in fig2.axes[0].texts)


def test_labels_have_one_precision_per_chart_and_no_spaced_percent():
    df = pd.DataFrame({"label": ["a", "b", "c"], "value": [25.0, 9.4, 50.0]})
    _, plotted = hbar(df, **TEXT, order="given")
    assert plotted["display_text"].tolist() == ["25.0%", "9.4%", "50.0%"]
    _, plotted = hbar(df.assign(value=[25.0, 9.0, 50.0]), **TEXT, order="given")
    assert plotted["display_text"].tolist() == ["25%", "9%", "50%"]
    # a printed "92 %" is labelled "92%" (the figure never spaces a percentage)
    _, plotted = hbar(df.assign(value_text=["25%", "9.4%", "50 %"]), **TEXT, order="given")
    assert plotted["display_text"].tolist() == ["25%", "9.4%", "50%"]


def test_grouped_hbar_panels_share_one_scale(sectors):
    fig, plotted = grouped_hbar(sectors, **TEXT, layout="panels")
    assert len(fig.axes) == 4
    assert len({ax.get_xlim() for ax in fig.axes}) == 1
    assert [ax.get_title(loc="left").replace("-\n", "-") for ax in fig.axes] == [
        "Public",
        "Private",
        "Not-for-profit",
        "Higher education",
    ]
    assert [len(_placeholders(ax)) for ax in fig.axes] == [0, 0, 0, 1]
    _assert_all_text_inside(fig)


# --------------------------------------------------------------------------- dumbbell
@pytest.fixture
def optimism() -> pd.DataFrame:
    # 2025 report (seed 000): private optimism 50% (2024) to 37% (2025); nfp 64% in 2025;
    # HE new in 2025 (50%), so its 2024 value does not exist.
    return pd.DataFrame(
        {
            "label": "Optimistic",
            "group_id": ["private", "private", "nfp", "nfp", "edu"],
            "wave": [2024, 2025, 2024, 2025, 2025],
            "value": [50, 37, 62, 64, 50],
        }
    )


def test_dumbbell_markers_labels_and_missing_endpoint(optimism):
    fig, plotted = dumbbell(optimism, **TEXT)
    ax = fig.axes[0]
    assert plotted["label"].unique().tolist() == ["Not-for-profit", "Higher education", "Private"]
    private = plotted[plotted["group_id"] == "private"]
    assert private["diff"].tolist() == [-13.0, -13.0]
    assert plotted.loc[plotted["group_id"] == "edu", "diff"].isna().all()
    markers = [c for c in ax.collections if (c.get_gid() or "").startswith("marker-")]
    assert len(markers) == 5  # the missing 2024 HE endpoint has no marker
    for c in markers:
        ((x, y),) = c.get_offsets()
        row = plotted[(plotted["order"] == y + 1) & (plotted["value"] == x)].iloc[0]
        colour = SECTOR_STYLE[row["group_id"]].colour
        assert to_hex(c.get_edgecolor()[0]).upper() == colour  # same colour as bars
        filled = to_hex(c.get_facecolor()[0]).upper() == colour
        assert filled == (c.get_gid() == "marker-later") == (row["wave"] == 2025)
    assert [t.get_text() for t in _placeholders(ax)] == ["2024 not published"]
    texts = {t.get_text() for t in ax.texts}
    assert {"50%", "37%", "62%", "64%"} <= texts
    _assert_all_text_inside(fig)


def _marker_boxes(fig, ax) -> dict:
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    out = {}
    for c in ax.collections:
        gid = c.get_gid() or ""
        if gid.startswith("marker-"):
            ((x, y),) = c.get_offsets()
            out[(round(y), gid)] = (x, y, c.get_window_extent(renderer))
    return out


def test_dumbbell_coinciding_markers_both_visible_and_labelled():
    # 2025 report: belief 92% in 2024 and 2025 (same value); rating 11% to 12% (markers
    # touch); regulation 30% to 25% (apart).
    df = pd.DataFrame(
        {
            "label": ["Belief"] * 2 + ["Rating"] * 2 + ["Regulation"] * 2,
            "wave": [2024, 2025] * 3,
            "value": [92.0, 92.0, 11.0, 12.0, 30.0, 25.0],
            "ci_low": [88.0, 88.0, 7.7, 8.6, 24.6, 20.2],
            "ci_high": [94.7, 94.7, 15.4, 16.6, 35.8, 30.9],
        }
    )
    fig, plotted = dumbbell(df, **TEXT, order="given")
    ax = fig.axes[0]
    boxes = _marker_boxes(fig, ax)
    for row in (0, 1):  # both markers drawn at their true x, apart vertically
        x0, y0, b0 = boxes[(row, "marker-earlier")]
        x1, y1, b1 = boxes[(row, "marker-later")]
        assert (x0, x1) == tuple(df["value"].iloc[2 * row : 2 * row + 2])
        assert y0 < row < y1  # earlier above the row's centre, later below
        assert b0.y1 < b1.y0 or b1.y1 < b0.y0  # the boxes do not overlap
    x0, y0, _ = boxes[(2, "marker-earlier")]
    assert y0 == 2  # markers far apart stay on the row's centre line
    texts = [t.get_text() for t in ax.texts]
    assert "92% in 2024 and 2025" in texts and texts.count("92%") == 0
    assert {"11%", "12%"} <= set(texts)
    # each wave's label moves with its own marker (11% beside 2024's, 12% beside 2025's)
    by_text = {t.get_text(): t for t in ax.texts}
    assert by_text["11%"].xy == (11.0, boxes[(1, "marker-earlier")][1])
    assert by_text["12%"].xy == (12.0, boxes[(1, "marker-later")][1])
    assert by_text["92% in 2024 and 2025"].xy[1] == 0  # one label for both stays centred
    # interval lines move out with the markers: none crosses a marker
    for row in (0, 1):
        for line in ax.lines:
            ys = set(line.get_ydata())
            if len(ys) == 1 and abs(next(iter(ys)) - row) < 0.5:
                y = next(iter(ys))
                assert abs(y - row) > abs(boxes[(row, "marker-earlier")][1] - row)
    assert "Belief: 92% in both 2024 and 2025" in get_alt_text(fig)
    assert plotted["display_text"].tolist()[:2] == ["92%", "92%"]
    _assert_all_text_inside(fig)


def test_dumbbell_bound_is_shown_as_printed_without_marker():
    # 2025 report (seed 000): tangible outcomes 26% in 2024, "less than 3 in 10" in 2025
    df = pd.DataFrame(
        {
            "label": "Tangible outcomes",
            "wave": [2024, 2025],
            "value": [26, np.nan],
            "value_text": ["26%", "less than 3 in 10"],
            "status": ["published", "bound: less than 3 in 10"],
        }
    )
    fig, plotted = dumbbell(df, **TEXT)
    ax = fig.axes[0]
    assert [t.get_text() for t in _placeholders(ax)] == ["2025: less than 3 in 10"]
    assert plotted["status"].tolist() == ["published", "bound: less than 3 in 10"]
    assert len([c for c in ax.collections if (c.get_gid() or "").startswith("marker-")]) == 1


# --------------------------------------------------------------------------- change bars
def test_change_bars_diverge_from_zero_with_printed_labels():
    # 2025 report (seed 000): economic security -14%, infrastructure -12%, skills -6%,
    # trust barrier "up by 6%"
    df = pd.DataFrame(
        {
            "label": ["Economic security", "Infrastructure", "Trust barrier", "Regulation"],
            "value": [-14, -12, 6, np.nan],
            "value_text": ["-14%", "-12%", "up by 6%", None],
        }
    )
    fig, plotted = change_bars(df, **TEXT, source=SOURCE)
    ax = fig.axes[0]
    assert sorted(b.get_width() for b in _bars(ax)) == [-14, -12, 6]
    assert all(b.get_x() == 0 for b in _bars(ax))
    assert plotted["display_text"].tolist() == ["-14%", "-12%", "up by 6%", "not published"]
    assert "points or per cent: not stated" in _fig_text(fig, "footer")
    assert UNIT_NOTE in _fig_text(fig, "footer")
    assert ax.get_xlim()[0] < -14 and ax.get_xlim()[1] > 6
    _assert_all_text_inside(fig)


# --------------------------------------------------------------------------- forest
def test_forest_colours_and_shapes_by_verdict():
    df = pd.DataFrame(
        {
            "label": ["Optimism fell", "Trust fell", "Regulation fell"],
            "diff": [-0.13, -0.167, -0.05],
            "ci_low": [-0.29, -0.24, -0.12],
            "ci_high": [0.035, -0.09, 0.02],
            "verdict": ["not_distinguishable", "supported", "not_distinguishable"],
        }
    )
    fig, plotted = forest(df, **TEXT)
    ax = fig.axes[0]
    assert plotted["estimate"].tolist() == pytest.approx([-13.0, -16.7, -5.0])
    assert plotted["display_text"].tolist() == [
        "-13.0 [-29.0, 3.5]",
        "-16.7 [-24.0, -9.0]",
        "-5.0 [-12.0, 2.0]",
    ]
    points = {c.get_gid(): c for c in ax.collections if (c.get_gid() or "").startswith("verd")}
    assert set(points) == {"verdict-not_distinguishable", "verdict-supported"}
    colours = {to_hex(c.get_facecolor()[0]) for c in points.values()}
    assert len(colours) == 2
    assert (
        points["verdict-supported"].get_paths()[0]
        != points["verdict-not_distinguishable"].get_paths()[0]
    )
    zero = [ln for ln in ax.lines if list(ln.get_xdata()) == [0, 0]]
    assert len(zero) == 1
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "Not distinguishable",
        "Supported",
    ]
    _assert_all_text_inside(fig)
    with pytest.raises(ValueError, match="contain the estimate"):
        forest(df.assign(ci_low=0.5), **TEXT)


def test_forest_takes_verdict_values_and_legend_words_from_the_caller():
    # verdicts are analysis.vocab.Verdict values; the legend words come from analysis.text
    from analysis.text import verdict_label
    from analysis.vocab import Verdict

    verdicts = [Verdict.SUPPORTED, Verdict.NOT_DISTINGUISHABLE, Verdict.CONTRADICTED]
    df = pd.DataFrame(
        {
            "label": ["a", "b", "c"],
            "diff": [0.1, 0.0, -0.1],
            "ci_low": [0.05, -0.05, -0.15],
            "ci_high": [0.15, 0.05, -0.05],
            "verdict": [v.value for v in verdicts],
        }
    )
    words = {v.value: verdict_label(v, alpha=0.01) for v in Verdict}
    fig, _ = forest(df, **TEXT, verdict_labels=words)
    styles = verdict_styles(df["verdict"], words)
    assert [styles[v.value].marker for v in verdicts] == [
        VERDICT_STYLE[v.value].marker for v in verdicts
    ]
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "Supported at 1%",
        "Not distinguishable from noise",
        "Contradicted at 1%",
    ]
    assert len({s.colour for s in styles.values()}) == 3
    # free-text wordings are not verdicts: an error naming the valid values
    with pytest.raises(ValueError, match="not one of"):
        forest(df.assign(verdict="supported at alpha = 0.05"), **TEXT)


# --------------------------------------------------------------------------- p-value curve
def test_pvalue_curve_marks_alpha_and_crossing():
    # two-proportion z-test, 50% vs 37% with n per wave (scipy normal tail); the base at
    # which p = 0.05 solves n = 2 p(1-p) (z_0.975 / d)^2 with p the pooled proportion.
    p1, p2, ns = 0.50, 0.37, np.arange(20, 1001, 5)
    pbar = (p1 + p2) / 2
    pv = 2 * stats.norm.sf(abs(p1 - p2) / np.sqrt(2 * pbar * (1 - pbar) / ns))
    df = pd.DataFrame({"label": "Private optimism", "n": ns, "p_value": pv})
    fig, plotted = pvalue_curve(df, **TEXT, marks={"stated n=274": 274})
    n_alpha = 2 * pbar * (1 - pbar) * (stats.norm.ppf(0.975) / (p1 - p2)) ** 2
    assert plotted["n_alpha"].iloc[0] == pytest.approx(n_alpha, rel=0.002)
    ax = fig.axes[0]
    (alpha_line,) = [ln for ln in ax.lines if ln.get_gid() == "level"]
    assert list(alpha_line.get_ydata()) == [0.05, 0.05]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert any(t.get_text() == "stated n=274" for t in ax.texts)
    _assert_all_text_inside(fig)


def test_pvalue_curve_reads_base_sensitivity_grids_and_keeps_columns():
    # base_sensitivity-style grid: bases in n_a/n_b, extra columns carried through
    df = pd.DataFrame(
        {"n_a": [100, 50, 200], "n_b": [100, 50, 200], "p_value": [0.06, 0.2, 0.01], "stat_id": "s"}
    )
    _, plotted = pvalue_curve(df, **TEXT)
    assert plotted.columns[:4].tolist() == ["label", "n", "p_value", "n_alpha"]
    assert plotted["n"].tolist() == [50, 100, 200] and set(plotted["stat_id"]) == {"s"}
    with pytest.raises(ValueError, match="several rows per"):
        pvalue_curve(pd.concat([df, df]), **TEXT)


def test_power_curve_matches_statsmodels_required_n():
    # statsmodels NormalIndPower (Cohen's h) power by n, and solve_power for 80% power
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize

    h = proportion_effectsize(0.50, 0.37)
    ns = np.arange(20, 401)
    pw = NormalIndPower().power(effect_size=h, nobs1=ns, alpha=0.05, ratio=1.0)
    df = pd.DataFrame({"n_a": ns, "power": pw, "label": "Drop from 50% to 37%"})
    fig, plotted = power_curve(df, **TEXT, target=0.8, marks={"n=68": 68})
    expected = NormalIndPower().solve_power(effect_size=h, power=0.8, alpha=0.05, ratio=1.0)
    assert plotted["n_target"].iloc[0] == pytest.approx(expected, rel=0.001)
    ax = fig.axes[0]
    (target,) = [ln for ln in ax.lines if ln.get_gid() == "level"]
    assert list(target.get_ydata()) == [0.8, 0.8]
    assert ax.get_ylim() == (0.0, 1.0)
    assert any(t.get_text() == "80% power" for t in ax.texts)
    _assert_all_text_inside(fig)


def test_curves_take_their_groups_house_colour():
    # private-sector curves are drawn in the private sector's colour, never the public's
    ns = np.arange(20, 401, 20)
    grid = pd.DataFrame(
        {"n": ns, "p_value": np.linspace(0.3, 0.001, ns.size), "label": "Private optimism"}
    )
    fig, _ = pvalue_curve(grid.assign(group_id="private"), **TEXT)
    (line,) = [ln for ln in fig.axes[0].lines if (ln.get_gid() or "").startswith("curve-")]
    assert line.get_color().upper() == SECTOR_STYLE["private"].colour
    assert line.get_color().upper() != SECTOR_STYLE["public"].colour
    power = pd.DataFrame({"n_a": ns, "power": np.linspace(0.1, 0.9, ns.size), "label": "Drop"})
    fig, _ = power_curve(power.assign(group_id="private"), **TEXT)
    (line,) = [ln for ln in fig.axes[0].lines if (ln.get_gid() or "").startswith("curve-")]
    assert line.get_color().upper() == SECTOR_STYLE["private"].colour
    (cross,) = [c for c in fig.axes[0].collections if c.get_gid() == "crossing-0"]
    assert to_hex(cross.get_edgecolor()[0]).upper() == SECTOR_STYLE["private"].colour
    # two curves of one group: the group's colour, told apart by line style
    two = pd.concat([grid.assign(label="a"), grid.assign(label="b")]).assign(group_id="nfp")
    fig, _ = pvalue_curve(two, **TEXT)
    lines = [ln for ln in fig.axes[0].lines if (ln.get_gid() or "").startswith("curve-")]
    assert {ln.get_color().upper() for ln in lines} == {SECTOR_STYLE["nfp"].colour}
    assert lines[0].get_linestyle() != lines[1].get_linestyle()
    # without a group column: the neutral categorical palette, as before
    fig, _ = pvalue_curve(grid, **TEXT)
    (line,) = [ln for ln in fig.axes[0].lines if (ln.get_gid() or "").startswith("curve-")]
    assert line.get_color().upper() == AF_PALETTE[0]
    with pytest.raises(ValueError, match="no house style"):
        pvalue_curve(grid.assign(group_id="nhs"), **TEXT)


# --------------------------------------------------------------------------- saving
_SAVE_SCRIPT = textwrap.dedent(
    """
    import sys
    import pandas as pd
    from analysis.plot import hbar, save_figure
    df = pd.DataFrame({"label": ["Shared goals", "Trust", "Regulation"],
                       "value": [71, 58.6, None]})
    fig, plotted = hbar(df, title="Shared goals lead", subtitle="% of leaders, 2025",
                        source="The Leaders' Views 2025", base="n=274 (stated)")
    save_figure(fig, sys.argv[1], plotted, formats=sys.argv[2].split(","))
    """
)


def _save_sample(stem) -> dict:
    script = _SAVE_SCRIPT.replace("sys.argv[1]", "STEM").replace("sys.argv[2]", "FORMATS")
    exec(script, {"STEM": stem, "FORMATS": "svg,png,pdf,txt"})
    return {
        fmt: (stem.parent / f"{stem.name}.{fmt}").read_bytes()
        for fmt in ("svg", "png", "pdf", "txt", "csv")
    }


def test_save_figure_is_byte_identical_across_saves_and_processes(tmp_path):
    first = _save_sample(tmp_path / "a")
    second = _save_sample(tmp_path / "b")
    for fmt in first:
        assert first[fmt] == second[fmt], fmt
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONHASHSEED": "12345"}
    subprocess.run(
        [sys.executable, "-c", _SAVE_SCRIPT, str(tmp_path / "c"), "svg,png,txt"],
        check=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    for fmt in ("svg", "png", "txt", "csv"):  # pdf: in-process only (font subsetting is slow)
        assert (tmp_path / f"c.{fmt}").read_bytes() == first[fmt], fmt
    # atomic writes leave no temporary files behind
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_saved_files_have_no_date_or_version(tmp_path):
    files = _save_sample(tmp_path / "fig")
    version = re.escape(mpl.__version__).encode()
    for fmt, data in files.items():
        assert not re.search(version, data), fmt
        assert not re.search(rb"(19|20)\d\d-\d\d-\d\d|D:20\d\d", data), fmt  # ISO or PDF date
        for key in (b"CreationDate", b"Producer", b"<dc:date>", b"Software", b"Creator"):
            assert key not in data, (fmt, key)
    assert files["png"][:8] == b"\x89PNG\r\n\x1a\n" and files["pdf"][:5] == b"%PDF-"
    assert b"Shared goals lead" in files["svg"]  # text alternative embedded as <desc>
    assert files["txt"].decode().startswith("Horizontal bar chart. Shared goals lead.")


def test_csv_beside_figure_holds_the_plotted_numbers(tmp_path, enablers):
    fig, plotted = hbar(enablers, **TEXT)
    out = save_figure(fig, tmp_path / "enablers", plotted)
    assert sorted(out) == ["csv", "png", "svg"]
    back = pd.read_csv(out["csv"])
    assert back["label"].tolist() == plotted["label"].tolist()
    np.testing.assert_array_equal(back["value"].to_numpy(), [71.0, 61.0, 58.6, np.nan])
    assert back["status"].iloc[-1] == "not_published"
    assert get_alt_text(fig).startswith("Horizontal bar chart. " + TEXT["title"])


def test_csv_floats_are_written_at_the_projects_precision(tmp_path):
    # 100 * 0.29 is 28.999999999999996 in binary; the CSV says 29.0 on every CPU
    df = pd.DataFrame({"label": ["a", "b"], "value": [100 * 0.29, 100 * 0.07],
                       "ci_low": [100 * 0.236066, 4.0], "ci_high": [34.6891, 10.745]})  # fmt: skip
    fig, plotted = hbar(df, **TEXT, order="given")
    assert plotted["value"].iloc[0] != 29.0
    out = save_figure(fig, tmp_path / "x", plotted)
    back = pd.read_csv(out["csv"])
    assert back["value"].tolist() == [29.0, 7.0]
    assert "28.99999" not in out["csv"].read_text() and "23.6066" in out["csv"].read_text()


def test_save_figure_rejects_bad_arguments(tmp_path, enablers):
    fig, plotted = hbar(enablers, **TEXT)
    with pytest.raises(ValueError, match=r"unknown \['jpg'\]; valid"):
        save_figure(fig, tmp_path / "x", plotted, formats=("jpg",))
    with pytest.raises(ValueError, match="DataFrame"):
        save_figure(fig, tmp_path / "x", plotted.to_dict())
    bare = plt.figure()
    with pytest.raises(ValueError, match="no alt_text"):
        save_figure(bare, tmp_path / "y", plotted, formats=("txt",))
    assert not list(tmp_path.iterdir())


def test_charts_accept_filtered_frames_with_arbitrary_index():
    """Regression: a filtered frame (index 3, 7, 9) must plot the same as a fresh one."""
    from analysis.plot import forest, hbar

    df = pd.DataFrame(
        {
            "label": ["a", "b", "c"],
            "diff": [0.1, 0.2, np.nan],
            "ci_low": [0.0, 0.1, np.nan],
            "ci_high": [0.2, 0.3, np.nan],
            "verdict": ["supported", "not_distinguishable", "supported"],
        },
        index=[3, 7, 9],
    )
    _, plotted = forest(df, title="t", subtitle="s")
    assert plotted.set_index("label")["status"].to_dict() == {
        "a": "estimated",
        "b": "estimated",
        "c": "not_published",
    }
    bars = pd.DataFrame({"label": ["x", "y"], "value": [40.0, np.nan]}, index=[5, 2])
    _, plotted = hbar(bars, title="t", subtitle="s")
    assert plotted.set_index("label")["value"].iloc[0] == 40.0
    assert plotted.set_index("label").loc["y", "status"] != "published"


def test_stat_ids_are_carried_to_the_plotted_numbers():
    """The CSV beside a figure names the published rows it draws (the report quotes them)."""
    from analysis.plot import dumbbell, grouped_hbar, hbar

    rows = pd.DataFrame(
        {
            "label": ["a", "a", "b"],
            "wave": [2024, 2025, 2025],
            "value": [10.0, 20.0, np.nan],
            "group_id": ["all", "all", "all"],
            "stat_id": ["s1", "s2", "s3"],
            "status": ["published", "published", "lost_in_extraction"],
        },
        index=[4, 8, 2],
    )
    _, plotted = dumbbell(rows, title="t", subtitle="s")
    got = plotted.set_index(["label", "wave"])["stat_id"]
    assert got[("a", 2024)] == "s1" and got[("a", 2025)] == "s2" and got[("b", 2025)] == "s3"
    assert pd.isna(got[("b", 2024)])  # a combination with no published row has no id
    _, plotted = hbar(rows[rows.wave == 2025], title="t", subtitle="s")
    assert plotted.set_index("label")["stat_id"].to_dict() == {"a": "s2", "b": "s3"}
    _, plotted = grouped_hbar(rows[rows.wave == 2025], title="t", subtitle="s")
    assert plotted.set_index("label")["stat_id"].to_dict() == {"a": "s2", "b": "s3"}


def test_charts_do_not_depend_on_the_callers_global_style(tmp_path):
    """Same bytes whatever rcParams a notebook set before drawing (house style inside)."""
    rows = pd.DataFrame(
        {
            "label": ["a", "a", "b", "b"],
            "wave": [2024, 2025] * 2,
            "value": [92.0, 92.0, 30.0, 25.0],
            "ci_low": [88.0, 88.0, 25.0, 20.0],
            "ci_high": [95.0, 95.0, 35.0, 30.0],
        }
    )

    def draw(stem) -> dict[str, bytes]:
        out = {}
        for name, (fig, plotted) in {
            "dumbbell": dumbbell(rows, **TEXT),
            "hbar": hbar(rows[rows["wave"] == 2025], **TEXT),
            "grouped": grouped_hbar(rows.assign(group_id=["public", "nfp"] * 2), **TEXT),
            "curve": pvalue_curve(
                pd.DataFrame({"n": [50, 100, 200], "p_value": [0.3, 0.05, 0.01]}), **TEXT
            ),
            "power": power_curve(
                pd.DataFrame({"n": [50, 100, 200], "power": [0.3, 0.6, 0.9], "group_id": "nfp"}),
                **TEXT,
            ),
            "forest": forest(
                pd.DataFrame(
                    {
                        "label": ["x", "y"],
                        "diff": [0.05, -0.1],
                        "ci_low": [0.0, -0.2],
                        "ci_high": [0.1, 0.0],
                        "verdict": ["supported", "untestable"],
                    }
                ),
                **TEXT,
            ),
            "change": change_bars(
                pd.DataFrame({"label": ["x", "y"], "value": [-6.0, 3.0]}), **TEXT
            ),
        }.items():
            # SVG holds every colour, size and position drawn (the PNG rasterises the same)
            paths = save_figure(fig, tmp_path / f"{stem}-{name}", plotted, formats=("svg",))
            out |= {f"{name}.{k}": p.read_bytes() for k, p in paths.items()}
        return out

    with mpl.rc_context():
        mpl.rcdefaults()
        plain = draw("plain")
    with mpl.rc_context():
        apply_house_style()
        house = draw("house")
    with mpl.rc_context({"text.color": "red", "font.size": 20, "axes.edgecolor": "green",
                         "xtick.labelsize": 3, "lines.linewidth": 9}):  # fmt: skip
        odd = draw("odd")
    for key in plain:
        assert plain[key] == house[key] == odd[key], key


def test_long_footer_and_title_lines_are_wrapped_to_the_figure_width():
    # a source line of wide characters (capitals, digits) that 118 characters do not fit
    source = (
        "State of Cross-Sector Collaboration survey, SYNTHETIC export (RESPONSES_2024.CSV, "
        "RESPONSES_2025.CSV)"
    )
    title = "WWWW MMMM " * 7
    fig, _ = hbar(pd.DataFrame({"label": ["a"], "value": [10.0]}), title=title,
                  subtitle="% of leaders", source=source)  # fmt: skip
    assert len(_fig_text(fig, "footer").splitlines()) >= 3
    _assert_all_text_inside(fig)
