"""Section 11 (respondent level): the year-on-year chart when disclosure control withholds."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from analysis import text
from analysis.figures import respondent_level
from analysis.vocab import Verdict

SPEC = {
    "figure_id": "resp-2025-11-03-year-on-year-changes",
    "title": "{n_changed} of {n_compared} statements changed beyond sampling noise",
    "subtitle": "Change, {wave} minus {previous_wave}",
    "alt": "Forest plot: {values_text}.",
}


@pytest.fixture
def data(respondent_section_data):
    return respondent_section_data()


def _withheld(data, share: float):
    comp = data.comparisons.copy()
    yoy = comp.index[(comp["kind"] == "year_on_year") & (comp["group_a"] == "all")]
    hide = yoy[: int(round(share * len(yoy)))]
    cols = ["estimate_a", "estimate_b", "diff", "se", "ci_low", "ci_high", "p_value", "n_a", "n_b"]
    comp.loc[hide, cols] = np.nan
    comp.loc[hide, "verdict"] = Verdict.UNTESTABLE.value
    return dataclasses.replace(data, comparisons=comp), len(yoy), len(hide)


def test_every_comparison_withheld_draws_withheld_rows_not_an_error(data):
    hidden, n_all, n_hidden = _withheld(data, 1.0)
    out, findings = respondent_level._changes_figure(hidden, SPEC)
    assert findings == {"n_compared": 0, "n_changed": 0, "n_withheld": n_all} and n_hidden == n_all
    assert out.title == (
        f"No change from 2024 to 2025 can be shown: all {n_all} comparisons of all leaders "
        "are withheld"
    )
    assert set(out.plotted["display_text"]) == {text.WITHHELD}


def test_some_withheld_are_listed_after_the_tested_ones(data):
    hidden, n_all, n_hidden = _withheld(data, 0.5)
    out, findings = respondent_level._changes_figure(hidden, SPEC)
    assert findings["n_compared"] == n_all - n_hidden and findings["n_withheld"] == n_hidden
    shown = out.plotted.sort_values("order")["display_text"].tolist()
    assert shown[-n_hidden:] == [text.WITHHELD] * n_hidden
    assert text.WITHHELD not in shown[: n_all - n_hidden]
    assert out.title.startswith(f"{findings['n_changed']} of {n_all - n_hidden} statements")
