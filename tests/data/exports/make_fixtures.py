"""Write the small test exports in this folder (developer command; the files are committed).

Run from the repository root: ``.venv/bin/python tests/data/exports/make_fixtures.py``.
Every file holds the same seven fictional responses (wave 2025) in another platform
shape, encoding or tick-box encoding; ``tests/test_ingest.py`` checks that they all
clean to the same frame (the expected values are typed in the test from the table
below, not computed by the code under test). The SPSS ``.sav`` versions are made at
test time by :func:`write_sav` (``*.sav`` is git-ignored as respondent-level data).

Tick-box question "enablers" (options 1 Shared goals, 2 Strong leadership, 3 Trust and
mutual respect; 9 None of these): each shape writes the ticks another way.
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
OPTIONS = {"1": "Shared goals", "2": "Strong leadership", "3": "Trust and mutual respect"}
NONE = ("9", "None of these")
TRAINING = "I have received formal training in cross-sector collaboration."
SECTOR_Q = "Which sector do you work in?"
OPEN_Q = "What would improve collaboration? (e.g. \u00a35m joint funds)"
TZ = "Europe/London"

# id, key, start offset (s), duration (s), status, channel, finished, progress, sector,
# growth, comm, rating, ticked choice ids ("9" = None of these), training, open text
T0 = datetime(2025, 6, 2, 9, 0, 0)  # local time in Europe/London (BST = UTC+1)
RESPONSES = [
    ("R_001", "M001", 0, 412, "IP Address", "anonymous", "True", "100", "Public sector",
     "Strongly agree", "Disagree", "Average", {"1", "3"}, "No",
     "Ring\u2011fenced \u00a35m funds \u2013 \u201cjoint\u201d teams"),
    ("R_002", "M002", 60, 95, "IP Address", "email", "True", "100", "Private sector",
     "Agree", "Don\u2019t know", "Good", {"2"}, "Yes", ""),
    ("R_003", "M003", 120, 530, "IP Address", "email", "True", "100", "Charity / NFP",
     "Neither agree nor disagree", "Strongly disagree", "Bad", {"3"}, "", "More, shared; data"),
    ("R_004", "M004", 180, 388, "IP Address", "anonymous", "True", "100", "University",
     "AGREE", "Agree", "Excellent", {"9"}, "Prefer not to say", ""),
    ("R_005", "M005", 240, 31, "IP Address", "anonymous", "False", "12", "Third sector",
     "", "", "", set(), "", ""),
    ("R_006", "M002", 3600, 240, "IP Address", "email", "True", "100", "Business",
     "Agree", "Agree", "Average", {"1", "2", "3"}, "Yes", ""),
    ("R_007", "", 7200, 20, "Survey Preview", "preview", "True", "100", "Public sector",
     "Strongly agree", "Strongly agree", "Excellent", {"3"}, "Yes", ""),
]  # fmt: skip


def _times(r):
    start = T0 + timedelta(seconds=r[2])
    return start, start + timedelta(seconds=r[3])


def _ticks_split(r, how: str) -> list[str]:
    """Option columns 1, 2, 3 and None for one response: 'num' 1/blank, 'num0' 1/0 for
    respondents who saw the question (R_005 did not), 'text' option text/blank."""
    answered = bool(r[12])
    out = []
    for choice, text in [*OPTIONS.items(), NONE]:
        ticked = choice in r[12]
        if how == "num":
            out.append("1" if ticked else "")
        elif how == "num0":
            out.append("1" if ticked else "0" if answered else "")
        else:
            out.append(text if ticked else "")
    return out


def _ticks_joined(r, how: str, sep: str = ",") -> str:
    chosen = [c for c in [*OPTIONS, NONE[0]] if c in r[12]]
    if how == "codes":
        return sep.join(chosen)
    names = {**OPTIONS, NONE[0]: NONE[1]}
    return sep.join(names[c] for c in chosen)


META = [
    ("StartDate", "Start Date", '{"ImportId":"startDate","timeZone":"Europe/London"}'),
    ("EndDate", "End Date", '{"ImportId":"endDate","timeZone":"Europe/London"}'),
    ("Status", "Response Type", '{"ImportId":"status"}'),
    ("Progress", "Progress", '{"ImportId":"progress"}'),
    ("Duration (in seconds)", "Duration (in seconds)", '{"ImportId":"duration"}'),
    ("Finished", "Finished", '{"ImportId":"finished"}'),
    ("RecordedDate", "Recorded Date", '{"ImportId":"recordedDate","timeZone":"Europe/London"}'),
    ("ResponseId", "Response ID", '{"ImportId":"_recordId"}'),
    ("ExternalReference", "External Data Reference", '{"ImportId":"externalDataReference"}'),
    ("DistributionChannel", "Distribution Channel", '{"ImportId":"distributionChannel"}'),
    ("UserLanguage", "User Language", '{"ImportId":"userLanguage"}'),
]


def _meta_cells(r, fmt="%Y-%m-%d %H:%M:%S", comma=False) -> list[str]:
    s, e = _times(r)
    duration = f"{r[3]},0" if comma else str(r[3])
    return [s.strftime(fmt), e.strftime(fmt), r[4], r[7], duration, r[6], e.strftime(fmt),
            r[0], r[1], r[5], "EN-GB"]  # fmt: skip


def qualtrics_rows(ticks: str = "num", choice_ids: bool = False, comma=False) -> list[list[str]]:
    """Qualtrics 3-row export; ``ticks``: num, num0, text (split) or joined, codes (unsplit)."""
    split = ticks in ("num", "num0", "text")
    ids = [m[0] for m in META] + ["Q1", "Q2_1", "Q2_2", "Q3"]
    texts = [m[1] for m in META] + [SECTOR_Q, f"{STEM} - {GROWTH}", f"{STEM} - {COMM}", RATING_Q]
    imports = [m[2] for m in META] + [
        '{"ImportId":"QID1"}', '{"ImportId":"QID2_1"}', '{"ImportId":"QID2_2"}',
        '{"ImportId":"QID3"}',
    ]  # fmt: skip
    if split:
        for choice, text in [*OPTIONS.items(), NONE]:
            ids.append(f"Q4_{choice}")
            texts.append(f"{ENABLERS} - Selected Choice - {text}")
            imports.append(
                f'{{"ImportId":"QID4","choiceId":"{choice}"}}'
                if choice_ids
                else f'{{"ImportId":"QID4_{choice}"}}'
            )
    else:
        ids.append("Q4")
        texts.append(f"{ENABLERS} - Selected Choice")
        imports.append('{"ImportId":"QID4"}')
    ids += ["Q5", "Q9_TEXT"]
    texts += [TRAINING, OPEN_Q]
    imports += ['{"ImportId":"QID5"}', '{"ImportId":"QID9_TEXT"}']
    rows = [ids, texts, imports]
    for r in RESPONSES:
        t = _ticks_split(r, ticks) if split else [_ticks_joined(r, ticks)]
        rows.append([*_meta_cells(r, comma=comma), *r[8:12], *t, r[13], r[14]])
    return rows


def legacy_rows() -> list[list[str]]:
    """Qualtrics legacy (2016 and older): V1.. ids, texts joined with '-', ticks 1/blank."""
    ids = ["V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8", "V9", "V10"]
    texts = ["ResponseID", "ResponseSet", "Name", "ExternalDataReference", "EmailAddress",
             "IPAddress", "Status", "StartDate", "EndDate", "Finished"]  # fmt: skip
    ids += ["Q1", "Q2_1", "Q2_2", "Q3", "Q4_1", "Q4_2", "Q4_3", "Q4_9", "Q5", "Q9"]
    texts += [SECTOR_Q, f"{STEM}-{GROWTH}", f"{STEM}-{COMM}", RATING_Q]
    texts += [f"{ENABLERS}-{t}" for t in [*OPTIONS.values(), NONE[1]]] + [TRAINING, OPEN_Q]
    rows = [ids + ["LocationAccuracy", ""], texts + ["LocationAccuracy", ""]]
    for r in RESPONSES:
        s, e = _times(r)
        status = "1" if r[4] == "Survey Preview" else "0"
        rows.append([r[0], "Default Response Set", "Anonymous", r[1], "", "", status,
                     s.strftime("%Y-%m-%d %H:%M:%S"), e.strftime("%Y-%m-%d %H:%M:%S"),
                     "1" if r[6] == "True" else "0", *r[8:12], *_ticks_split(r, "num"),
                     r[13], r[14], "-1", ""])  # fmt: skip
    return rows


def surveymonkey_rows() -> list[list[str]]:
    """SurveyMonkey: question row, sub row; option text under the question; US dates."""
    q = ["Respondent ID", "Collector ID", "Start Date", "End Date", "Custom Data 1", SECTOR_Q,
         STEM, "", RATING_Q, ENABLERS, "", "", "", TRAINING, OPEN_Q]  # fmt: skip
    sub = ["", "", "", "", "", "Response", GROWTH, COMM, "Response", *OPTIONS.values(), NONE[1],
           "Response", "Open-Ended Response"]  # fmt: skip
    rows = [q, sub]
    for r in RESPONSES:
        s, e = _times(r)
        fmt = "%m/%d/%Y %I:%M:%S %p"
        rows.append([r[0], "4321", s.strftime(fmt), e.strftime(fmt), r[1], *r[8:12],
                     *_ticks_split(r, "text"), r[13], r[14]])  # fmt: skip
    return rows


def google_rows() -> list[list[str]]:
    """Google Forms: Timestamp (M/D/YYYY, 24 h), grid 'Stem [Row]', ticks joined ', '."""
    head = ["Timestamp", "Respondent ID", "Member ID", SECTOR_Q, f"{STEM} [{GROWTH}]",
            f"{STEM} [{COMM}]", RATING_Q, ENABLERS, TRAINING, OPEN_Q]  # fmt: skip
    rows = [head]
    for r in RESPONSES:
        s, _ = _times(r)
        stamp = f"{s.month}/{s.day}/{s.year} {s.hour}:{s:%M:%S}"
        rows.append([stamp, r[0], r[1], *r[8:12], _ticks_joined(r, "text", ", "), r[13], r[14]])
    return rows


def plain_rows() -> list[list[str]]:
    """One header row of codebook variable names; the tick-box question as one column."""
    head = ["respondent_id", "respondent_key", "wave", "start", "end", "duration", "status",
            "distribution_channel", "finished", "progress", "sector", "t_growth", "t_comm",
            "t_rating", "enablers", "t_training", "open_text"]  # fmt: skip
    rows = [head]
    for r in RESPONSES:
        s, e = _times(r)
        rows.append([r[0], r[1], "2025", s.isoformat(sep=" "), e.isoformat(sep=" "), str(r[3]),
                     r[4], r[5], r[6], r[7], *r[8:12], _ticks_joined(r, "text", ";"), r[13],
                     r[14]])  # fmt: skip
    return rows


def to_csv(rows: list[list[str]], delimiter: str = ",", terminator: str = "\r\n") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=terminator).writerows(rows)
    return buf.getvalue()


def write_xlsx(path: Path, rows: list[list[str]], datetimes: bool = False) -> None:
    """Rows into the first sheet; with ``datetimes``, first-column timestamps as Excel dates."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for i, row in enumerate(rows):
        cells: list[object] = list(row)
        if datetimes and i > 0:
            cells[0] = datetime.strptime(row[0], "%m/%d/%Y %H:%M:%S")
        sheet.append([c if c != "" else None for c in cells])
    book.properties.created = datetime(2025, 1, 1)
    book.properties.modified = datetime(2025, 1, 1)
    book.save(path)


def write_sav(path: Path, ticks: str = "labels") -> None:
    """SPSS like Qualtrics writes it: value labels; "Don't know" as a user-missing code 8;
    tick boxes one variable per option, ``ticks`` = 'labels' (1 labelled with the option
    text, unticked system-missing) or 'unlabelled' (1/0 numbers, no value labels)."""
    import pandas as pd
    import pyreadstat

    n = len(RESPONSES)
    cols: dict[str, list] = {
        "ResponseId": [r[0] for r in RESPONSES],
        "ExternalReference": [r[1] for r in RESPONSES],
        "StartDate": [_times(r)[0] for r in RESPONSES],
        "EndDate": [_times(r)[1] for r in RESPONSES],
        "Duration": [float(r[3]) for r in RESPONSES],
        "Status": [r[4] for r in RESPONSES],
        "DistributionChannel": [r[5] for r in RESPONSES],
        "Finished": [1.0 if r[6] == "True" else 0.0 for r in RESPONSES],
        "Progress": [float(r[7]) for r in RESPONSES],
    }
    labels = {"Duration": "Duration (in seconds)", "StartDate": "Start Date"}
    value_labels: dict[str, dict[float, str]] = {"Finished": {1.0: "True", 0.0: "False"}}
    missing: dict[str, list] = {}
    agree = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
             "Strongly agree"]  # fmt: skip
    agree_codes = {t.casefold(): float(i + 1) for i, t in enumerate(agree)}
    for name, label, k in [("Q2_1", f"{STEM} - {GROWTH}", 9), ("Q2_2", f"{STEM} - {COMM}", 10)]:
        cols[name] = [
            8.0 if r[k].startswith("Don") else agree_codes[r[k].casefold()] if r[k] else None
            for r in RESPONSES
        ]
        labels[name] = label
        value_labels[name] = {**{v: t for t, v in zip(agree, range(1, 6), strict=True)},
                              8.0: "Don't know"}  # fmt: skip
        missing[name] = [8.0]
    for name, label, k in [("Q1", SECTOR_Q, 8), ("Q3", RATING_Q, 11), ("Q5", TRAINING, 13)]:
        texts = [r[k] for r in RESPONSES]
        codes = {t: float(i + 1) for i, t in enumerate(dict.fromkeys(t for t in texts if t))}
        cols[name] = [codes[t] if t else None for t in texts]
        labels[name] = label
        value_labels[name] = {v: t for t, v in codes.items()}
    for choice, text in [*OPTIONS.items(), NONE]:
        name = f"Q4_{choice}"
        if ticks == "labels":
            cols[name] = [1.0 if choice in r[12] else None for r in RESPONSES]
            value_labels[name] = {1.0: text}
        else:
            cols[name] = [1.0 if choice in r[12] else 0.0 if r[12] else None for r in RESPONSES]
        labels[name] = f"{ENABLERS} - Selected Choice - {text}"
    cols["Q9_TEXT"] = [r[14] for r in RESPONSES]
    df = pd.DataFrame(cols, index=range(n))
    df["StartDate"] = df["StartDate"].astype("datetime64[ns]")
    df["EndDate"] = df["EndDate"].astype("datetime64[ns]")
    pyreadstat.write_sav(
        df,
        str(path),
        column_labels=[labels.get(c, c) for c in df.columns],
        variable_value_labels=value_labels,
        missing_ranges={k: v for k, v in missing.items()},
    )


#: file name -> how it is made (the test reads this table too).
CSV_FIXTURES = {
    "qualtrics_utf8.csv": lambda: to_csv(qualtrics_rows("num")).encode("utf-8"),
    "qualtrics_utf8_bom.csv": lambda: to_csv(qualtrics_rows("num0", choice_ids=True)).encode(
        "utf-8-sig"
    ),
    "qualtrics_cp1252.csv": lambda: (
        to_csv(qualtrics_rows("text")).replace("\u2011", "-").encode("cp1252")
    ),
    "qualtrics_unsplit_text.csv": lambda: to_csv(qualtrics_rows("text_joined")).encode("utf-8"),
    "qualtrics_unsplit_codes.csv": lambda: to_csv(qualtrics_rows("codes")).encode("utf-8"),
    "qualtrics_utf16_tab.csv": lambda: to_csv(qualtrics_rows("num"), "\t").encode("utf-16"),
    "qualtrics_utf16le_nobom.csv": lambda: to_csv(qualtrics_rows("num")).encode("utf-16-le"),
    "qualtrics_semicolon_decimal_comma.csv": lambda: to_csv(
        qualtrics_rows("num", comma=True), ";"
    ).encode("utf-8-sig"),
    "qualtrics_legacy.csv": lambda: to_csv(legacy_rows()).encode("utf-8-sig"),
    "qualtrics_no_import.csv": lambda: to_csv(
        qualtrics_rows("num")[:2] + qualtrics_rows()[3:]
    ).encode("utf-8"),
    "surveymonkey_utf8_bom.csv": lambda: to_csv(surveymonkey_rows()).encode("utf-8-sig"),
    "surveymonkey_cp1252.csv": lambda: (
        to_csv(surveymonkey_rows()).replace("\u2011", "-").encode("cp1252")
    ),
    "google_forms.csv": lambda: to_csv(google_rows()).encode("utf-8"),
    "plain_utf8.csv": lambda: to_csv(plain_rows(), terminator="\n").encode("utf-8"),
}


def main() -> None:
    for name, make in CSV_FIXTURES.items():
        (HERE / name).write_bytes(make())
    write_xlsx(HERE / "qualtrics.xlsx", qualtrics_rows("num"))
    write_xlsx(HERE / "google_forms.xlsx", google_rows(), datetimes=True)


if __name__ == "__main__":
    main()
