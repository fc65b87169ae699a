"""Write the small test exports in this folder (developer command; the files are committed).

Run from the repository root: ``.venv/bin/python tests/data/exports/make_fixtures.py``.
Every file holds the same seven fictional responses (wave 2025) in a different export
shape or encoding; ``tests/test_ingest.py`` checks they all ingest to the same frame.
The SPSS ``.sav`` version is made at test time by :func:`write_sav` (``*.sav`` is
git-ignored).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent

STEM = "To what extent do you agree or disagree with the following statements?"
GROWTH = "Cross-sector collaboration can support economic growth and positive policy outcomes."
COMM = "Communication and dialogue between the sectors is sufficient."
RATING_Q = "How would you rate the current state of collaboration between the sectors?"
ENABLERS = "Which of the following enable effective cross-sector collaboration?"
TRUST = "Trust and mutual respect"
TRAINING = "I have received formal training in cross-sector collaboration."
SECTOR_Q = "Which sector do you work in?"
OPEN_Q = "What would improve collaboration? (e.g. \u00a35m joint funds)"

# id, key, start, seconds, status, channel, finished, progress, sector, growth, comm, rating,
# trust, training, open text
T0 = datetime(2025, 6, 2, 9, 0, 0)
RESPONSES = [
    (
        "R_001",
        "M001",
        0,
        412,
        "IP Address",
        "anonymous",
        "True",
        "100",
        "Public sector",
        "Strongly agree",
        "Disagree",
        "Average",
        "1",
        "No",
        "Ring\u2011fenced \u00a35m funds \u2013 \u201cjoint\u201d teams",
    ),
    (
        "R_002",
        "M002",
        60,
        95,
        "IP Address",
        "email",
        "True",
        "100",
        "Private sector",
        "Agree",
        "Don\u2019t know",
        "Good",
        "0",
        "Yes",
        "",
    ),
    (
        "R_003",
        "M003",
        120,
        530,
        "IP Address",
        "email",
        "True",
        "100",
        "Charity / NFP",
        "Neither agree nor disagree",
        "Strongly disagree",
        "Bad",
        "1",
        "",
        "It\u2019s trust",
    ),
    (
        "R_004",
        "M004",
        180,
        388,
        "IP Address",
        "anonymous",
        "True",
        "100",
        "University",
        "AGREE",
        "Agree",
        "Excellent",
        "0",
        "Prefer not to say",
        "",
    ),
    (
        "R_005",
        "M005",
        240,
        31,
        "IP Address",
        "anonymous",
        "False",
        "12",
        "Third sector",
        "",
        "",
        "",
        "",
        "",
        "",
    ),
    (
        "R_006",
        "M002",
        3600,
        240,
        "IP Address",
        "email",
        "True",
        "100",
        "Business",
        "Agree",
        "Agree",
        "Average",
        "1",
        "Yes",
        "",
    ),
    (
        "R_007",
        "",
        7200,
        20,
        "Survey Preview",
        "preview",
        "True",
        "100",
        "Public sector",
        "Strongly agree",
        "Strongly agree",
        "Excellent",
        "1",
        "Yes",
        "test",
    ),
]


def _times(r):
    start = T0 + timedelta(seconds=r[2])
    return start, start + timedelta(seconds=r[3])


def qualtrics_text() -> str:
    ids = [
        "StartDate",
        "EndDate",
        "Status",
        "Progress",
        "Duration (in seconds)",
        "Finished",
        "RecordedDate",
        "ResponseId",
        "ExternalReference",
        "DistributionChannel",
        "UserLanguage",
        "Q1",
        "Q2_1",
        "Q2_2",
        "Q3",
        "Q4_3",
        "Q5",
        "Q9_TEXT",
    ]
    texts = [
        "Start Date",
        "End Date",
        "Response Type",
        "Progress",
        "Duration (in seconds)",
        "Finished",
        "Recorded Date",
        "Response ID",
        "External Data Reference",
        "Distribution Channel",
        "User Language",
        SECTOR_Q,
        f"{STEM} - {GROWTH}",
        f"{STEM} - {COMM}",
        RATING_Q,
        f"{ENABLERS} - Selected Choice - {TRUST}",
        TRAINING,
        OPEN_Q,
    ]
    imports = [
        '{"ImportId":"startDate","timeZone":"Europe/London"}',
        '{"ImportId":"endDate","timeZone":"Europe/London"}',
        '{"ImportId":"status"}',
        '{"ImportId":"progress"}',
        '{"ImportId":"duration"}',
        '{"ImportId":"finished"}',
        '{"ImportId":"recordedDate","timeZone":"Europe/London"}',
        '{"ImportId":"_recordId"}',
        '{"ImportId":"externalDataReference"}',
        '{"ImportId":"distributionChannel"}',
        '{"ImportId":"userLanguage"}',
        '{"ImportId":"QID1"}',
        '{"ImportId":"QID2_1"}',
        '{"ImportId":"QID2_2"}',
        '{"ImportId":"QID3"}',
        '{"ImportId":"QID4_3"}',
        '{"ImportId":"QID5"}',
        '{"ImportId":"QID9_TEXT"}',
    ]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerows([ids, texts, imports])
    for r in RESPONSES:
        s, e = _times(r)
        w.writerow(
            [
                s.strftime("%Y-%m-%d %H:%M:%S"),
                e.strftime("%Y-%m-%d %H:%M:%S"),
                r[4],
                r[7],
                r[3],
                r[6],
                e.strftime("%Y-%m-%d %H:%M:%S"),
                r[0],
                r[1],
                r[5],
                "EN-GB",
                *r[8:],
            ]
        )
    return buf.getvalue()


def surveymonkey_text() -> str:
    q = [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "Custom Data 1",
        SECTOR_Q,
        STEM,
        "",
        RATING_Q,
        ENABLERS,
        TRAINING,
        OPEN_Q,
    ]
    sub = [
        "",
        "",
        "",
        "",
        "",
        "Response",
        GROWTH,
        COMM,
        "Response",
        TRUST,
        "Response",
        "Open-Ended Response",
    ]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerows([q, sub])
    for r in RESPONSES:
        s, e = _times(r)
        w.writerow(
            [
                r[0],
                "4321",
                s.strftime("%m/%d/%Y %I:%M:%S %p"),
                e.strftime("%m/%d/%Y %I:%M:%S %p"),
                r[1],
                *r[8:],
            ]
        )
    return buf.getvalue()


def plain_text() -> str:
    head = [
        "respondent_id",
        "respondent_key",
        "wave",
        "start",
        "end",
        "duration",
        "status",
        "distribution_channel",
        "finished",
        "progress",
        "sector",
        "t_growth",
        "t_comm",
        "t_rating",
        "t_trust",
        "t_training",
        "open_text",
    ]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(head)
    for r in RESPONSES:
        s, e = _times(r)
        w.writerow(
            [
                r[0],
                r[1],
                2025,
                s.isoformat(sep=" "),
                e.isoformat(sep=" "),
                r[3],
                r[4],
                r[5],
                r[6],
                r[7],
                *r[8:],
            ]
        )
    return buf.getvalue()


def write_sav(path: Path) -> None:
    import pandas as pd
    import pyreadstat

    cols = {
        "ResponseId": [r[0] for r in RESPONSES],
        "ExternalReference": [r[1] for r in RESPONSES],
        "wave": [2025.0] * len(RESPONSES),
        "StartDate": [_times(r)[0] for r in RESPONSES],
        "EndDate": [_times(r)[1] for r in RESPONSES],
        "Duration": [float(r[3]) for r in RESPONSES],
        "Status": [r[4] for r in RESPONSES],
        "DistributionChannel": [r[5] for r in RESPONSES],
        "Finished": [1.0 if r[6] == "True" else 0.0 for r in RESPONSES],
        "Progress": [float(r[7]) for r in RESPONSES],
    }
    labels, value_labels = {"Duration": "Duration (in seconds)"}, {}
    answer_cols = [
        ("Q1", SECTOR_Q, 8),
        ("Q2_1", f"{STEM} - {GROWTH}", 9),
        ("Q2_2", f"{STEM} - {COMM}", 10),
        ("Q3", RATING_Q, 11),
        ("Q4_3", TRUST, 12),
        ("Q5", TRAINING, 13),
    ]
    for name, label, k in answer_cols:
        texts = [r[k] for r in RESPONSES]
        codes = {t: float(i + 1) for i, t in enumerate(dict.fromkeys(t for t in texts if t))}
        cols[name] = [codes[t] if t else float("nan") for t in texts]
        labels[name] = label
        value_labels[name] = {v: t for t, v in codes.items()}
    cols["Q9_TEXT"] = [r[14] for r in RESPONSES]
    df = pd.DataFrame(cols)
    df["StartDate"] = df["StartDate"].astype("datetime64[ns]")
    df["EndDate"] = df["EndDate"].astype("datetime64[ns]")
    pyreadstat.write_sav(
        df,
        str(path),
        column_labels=[labels.get(c, c) for c in df.columns],
        variable_value_labels=value_labels,
    )


def main() -> None:
    q = qualtrics_text()
    (HERE / "qualtrics_utf8.csv").write_bytes(q.encode("utf-8"))
    (HERE / "qualtrics_utf8_bom.csv").write_bytes(q.encode("utf-8-sig"))
    (HERE / "qualtrics_cp1252.csv").write_bytes(q.replace("\u2011", "-").encode("cp1252"))
    sm = surveymonkey_text()
    (HERE / "surveymonkey_utf8_bom.csv").write_bytes(sm.encode("utf-8-sig"))
    (HERE / "surveymonkey_cp1252.csv").write_bytes(sm.replace("\u2011", "-").encode("cp1252"))
    (HERE / "plain_utf8.csv").write_bytes(plain_text().encode("utf-8"))
    # The SPSS fixture is written by the tests into a temporary folder (write_sav):
    # *.sav is git-ignored as respondent-level data.


if __name__ == "__main__":
    main()
