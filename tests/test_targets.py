"""analysis.weighting.targets: the targets-file format, its validation and the outside policy.

Every refusal must name the file, the line(s) or respondents, and the column.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.errors import DataValidationError, LowBaseWarning, WeightingError
from analysis.estimates.from_respondents import estimate_wave, weight_wave
from analysis.paths import WEIGHTING_TARGETS
from analysis.weighting.rake import rake
from analysis.weighting.targets import (
    OUTSIDE_LEVEL,
    TARGET_COLUMNS,
    load_targets,
    prepare_weighting,
)

FIX = Path(__file__).parent / "fixtures" / "r_survey"
HEADER = ",".join(TARGET_COLUMNS)


def _write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "targets.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _respondents(sectors) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "respondent_id": [f"R_{i:03d}" for i in range(len(sectors))],
            "wave": 2025,
            "sector": sectors,
            "y__top": [float(i % 2) for i in range(len(sectors))],
        }
    )


SECTORS = ["public"] * 30 + ["private"] * 30 + ["nfp"] * 20 + ["edu"] * 20


def test_project_schemes_load_for_each_wave():
    eq25 = load_targets(WEIGHTING_TARGETS, "equal_sectors", wave=2025)
    assert eq25.wave is None  # no 2025 rows: the default rows apply (so does 2026)
    assert eq25.margins["sector"].to_dict() == {
        "public": 0.25,
        "private": 0.25,
        "nfp": 0.25,
        "edu": 0.25,
    }
    eq24 = load_targets(WEIGHTING_TARGETS, "equal_sectors", wave=2024)
    assert eq24.wave == 2024 and list(eq24.margins["sector"].index) == ["public", "private", "nfp"]
    assert eq24.margins["sector"].to_numpy() == pytest.approx([1 / 3] * 3, abs=0)  # exact 1/3
    ill = load_targets(WEIGHTING_TARGETS, "illustrative_uk_leaders", wave=2024)
    assert ill.margins["sector"]["nfp"] == pytest.approx(0.25)
    for t in (eq25, eq24, ill):
        assert t.kind == "proportion" and t.outside == "exclude"
    assert eq24.lines["sector"] == [6, 7, 8]


def test_sum_of_1_10_is_refused_naming_file_scheme_lines_and_column(tmp_path):
    path = _write(
        tmp_path,
        "s,,sector,public,0.30,proportion,exclude,",
        "s,,sector,private,0.45,proportion,exclude,",
        "s,,sector,nfp,0.25,proportion,exclude,",
        "s,,sector,edu,0.10,proportion,exclude,",
    )
    with pytest.raises(DataValidationError) as exc:
        load_targets(path, "s")
    msg = str(exc.value)
    assert str(path) in msg and "row 2" in msg and "column target" in msg
    assert "scheme 's'" in msg and "'sector'" in msg and "lines 2-5" in msg
    assert "sum to 1.1 " in msg and "kind 'total'" in msg


def test_declared_totals_are_taken_as_totals(tmp_path):
    path = _write(
        tmp_path,
        "pop,,sector,public,300,total,exclude,",
        "pop,,sector,private,450,total,exclude,",
        "pop,,sector,nfp,150,total,exclude,",
        "pop,,sector,edu,100,total,exclude,",
    )
    t = load_targets(path, "pop")
    prep = prepare_weighting(_respondents(SECTORS), t)
    res = rake(prep.data, prep.margins, kind=t.kind)
    assert res.weights.sum() == pytest.approx(1000)
    assert res.weights.groupby(prep.data["sector"]).sum()["private"] == pytest.approx(450)


@pytest.mark.parametrize(
    "rows,match,line,column",
    [
        (["s,,sector,public,abc,proportion,exclude,"], "not a number", 2, "target"),
        (["s,,sector,public,-0.5,proportion,exclude,"], "not a number >= 0", 2, "target"),
        (["s,,sector,public,1,proportions,exclude,"], "kind 'proportions'", 2, "kind"),
        (["s,,sector,public,1,proportion,drop,"], "outside_targets 'drop'", 2, "outside_targets"),
        (["s,2O25,sector,public,1,proportion,exclude,"], "not a year", 2, "wave"),
        (["s,,,public,1,proportion,exclude,"], "variable is blank", 2, "variable"),
        (
            ["s,,sector,a,1/2,proportion,exclude,", "s,,sector,a,1/2,proportion,exclude,"],
            "more than once",
            2,
            "level",
        ),
        (
            ["s,,sector,a,1/2,proportion,exclude,", "s,,sector,b,1/2,proportion,error,"],
            "mixes outside_targets",
            2,
            "outside_targets",
        ),
        (
            ["t,,sector,a,5,total,exclude,", "t,,size,x,6,total,exclude,"],
            "totals differ",
            2,
            "target",
        ),
    ],
)
def test_bad_targets_files_name_file_line_and_column(tmp_path, rows, match, line, column):
    path = _write(tmp_path, *rows)
    with pytest.raises(DataValidationError, match=match) as exc:
        load_targets(path, rows[0].split(",")[0])
    assert exc.value.file == str(path)
    assert exc.value.row == line and exc.value.column == column


def test_wrong_header_unknown_scheme_and_missing_wave_rows(tmp_path):
    bad = tmp_path / "old.csv"
    bad.write_text("scheme,variable,level,target\nx,sector,a,1\n")
    with pytest.raises(DataValidationError, match="expected") as exc:
        load_targets(bad, "x")
    assert exc.value.row == 1
    with pytest.raises(DataValidationError, match="valid|its schemes are"):
        load_targets(WEIGHTING_TARGETS, "nope")
    only_2024 = _write(tmp_path, "s,2024,sector,a,1,proportion,exclude,")
    with pytest.raises(DataValidationError, match="cannot weight wave 2025"):
        load_targets(only_2024, "s", wave=2025)
    with pytest.raises(DataValidationError, match="not found"):
        load_targets(tmp_path / "missing.csv", "s")


# ----------------------------------------------------------------------------- outside policy
OUTSIDE = SECTORS[:-3] + ["other", None, "pns"]


def test_exclude_policy_drops_and_logs_outside_respondents(caplog):
    t = load_targets(WEIGHTING_TARGETS, "equal_sectors", wave=2025)
    with caplog.at_level(logging.INFO, logger="analysis.weighting.targets"):
        prep = prepare_weighting(_respondents(OUTSIDE), t)
    assert len(prep.data) == 97
    step = prep.log.iloc[0]
    assert step["step"] == "weighting_exclude_outside_targets"
    assert (step["rows_in"], step["rows_out"], step["rows_dropped"]) == (100, 97, 3)
    assert "R_097" in step["detail"] and "'(missing)'" in step["detail"]
    assert "'other'" in step["detail"] and "'pns'" in step["detail"]
    assert "weighting_exclude_outside_targets" in caplog.text
    w = rake(prep.data, prep.margins).weights
    shares = w.groupby(prep.data["sector"]).sum() / w.sum()
    np.testing.assert_allclose(shares.to_numpy(), 0.25, atol=1e-12)


def test_sample_share_policy_keeps_them_at_their_share_in_all_but_no_sector():
    t = load_targets(FIX / "synthetic_targets.csv", "sample_share")
    prep = prepare_weighting(_respondents(OUTSIDE), t)
    assert len(prep.data) == 100
    assert prep.margins["sector__cell"][OUTSIDE_LEVEL] == pytest.approx(0.03)
    w = rake(prep.data, prep.margins).weights
    outside = prep.data["sector__cell"] == OUTSIDE_LEVEL
    assert w[outside].sum() / w.sum() == pytest.approx(0.03)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LowBaseWarning)
        est = estimate_wave(_respondents(OUTSIDE), targets=t)
    assert list(est["group_id"]) == ["all", "public", "private", "nfp", "edu"]
    # the 3 outside respondents are an atom of "all" under 10: "all" is suppressed
    assert est.set_index("group_id").loc["all", "status"] == "suppressed"
    assert np.isnan(est.set_index("group_id").loc["all", "n"])  # its base is withheld too


def test_error_policy_names_file_column_values_and_first_ids(tmp_path):
    path = _write(
        tmp_path,
        "strict,,sector,public,1/2,proportion,error,",
        "strict,,sector,private,1/2,proportion,error,",
    )
    data = _respondents(["public"] * 5 + ["private"] * 5 + ["other", None])
    with pytest.raises(DataValidationError) as exc:
        prepare_weighting(data, load_targets(path, "strict"), data_name="export.csv")
    msg = str(exc.value)
    assert str(path) in msg and "column sector" in msg and "export.csv" in msg
    assert "R_010, R_011" in msg and "'other'" in msg and "'(missing)'" in msg


def test_own_target_for_missing_and_other(tmp_path):
    path = _write(
        tmp_path,
        "own,,sector,public,0.4,proportion,error,",
        "own,,sector,private,0.4,proportion,error,",
        "own,,sector,other,0.1,proportion,error,",
        "own,,sector,(missing),0.1,proportion,error,",
    )
    data = _respondents(["public"] * 5 + ["private"] * 5 + ["other", None])
    prep = prepare_weighting(data, load_targets(path, "own"))
    w = rake(prep.data, prep.margins).weights
    assert w[prep.data["sector"].isna()].sum() / w.sum() == pytest.approx(0.1)


def test_a_target_level_nobody_has_is_refused_not_crashed():
    t = load_targets(WEIGHTING_TARGETS, "equal_sectors")  # default rows: four sectors
    data = _respondents(["public"] * 10 + ["private"] * 10 + ["nfp"] * 10)  # 2024-like
    with pytest.raises(
        DataValidationError, match=r"\['edu'\] of 'sector' have no respondents"
    ) as exc:
        prepare_weighting(data, t)
    assert exc.value.row == 5 and exc.value.column == "level"  # edu's line in the file
    # the 2024 rows weight the same respondents
    prepare_weighting(data, load_targets(WEIGHTING_TARGETS, "equal_sectors", wave=2024))


def test_weighting_errors_name_the_targets_file_and_scheme(tmp_path):
    path = _write(
        tmp_path,
        "two,,s,a,1/2,proportion,exclude,",
        "two,,s,b,1/2,proportion,exclude,",
        "two,,t,x,0.8,proportion,exclude,",
        "two,,t,y,0.2,proportion,exclude,",
    )
    data = pd.DataFrame(
        {
            "respondent_id": list("abcd"),
            "wave": 2025,
            "sector": ["p"] * 4,
            "s": ["a", "a", "b", "b"],
            "t": ["x", "x", "y", "y"],
            "y__top": [1.0, 0, 1, 0],
        }
    )
    with pytest.raises(WeightingError) as exc:
        weight_wave(data, targets=load_targets(path, "two"))
    msg = str(exc.value)
    assert str(path) in msg and "scheme 'two'" in msg and "did not converge" in msg
    assert "margins not met" in msg
