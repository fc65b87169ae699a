"""Export timestamps: explicit formats, day/month order decided from the whole column, UTC.

Accepted forms (each value of a column must take the same one):

* ISO ``2025-06-02 09:00:05`` (Qualtrics; ``T`` separator, fractional seconds and a ``Z``
  or ``+01:00`` offset allowed) and year-first ``2025/06/02 09:00:05``;
* slashed ``a/b/yyyy [h:mm[:ss]] [AM|PM]`` (SurveyMonkey, Google Forms, Excel), where
  ``a/b`` is day/month or month/day. The order is decided from the **whole column**: a
  first number above 12 anywhere means day-first, a second number above 12 means
  month-first; both in one column is an error; neither (every value ambiguous) takes the
  platform's documented order (SurveyMonkey: month-first) or the caller's
  ``date_order``, and is refused otherwise. A ``date_order`` the data contradict is an
  error. Two-digit years are read as 20yy.

Naive timestamps are local times in ``timezone`` (Qualtrics writes it in the ImportId
row: ``{"ImportId":"startDate","timeZone":"America/Denver"}``); they are stored as UTC.
Without a time zone they are taken as UTC (the caller logs it).

>>> s = parse_datetimes(pd.Series(["2/26/2023 14:12:52", "12/1/2023 9:05:00"]))
>>> [str(x) for x in s]
['2023-02-26 14:12:52+00:00', '2023-12-01 09:05:00+00:00']
>>> s = parse_datetimes(pd.Series(["2025-06-02 09:00:00"]), timezone="Europe/London")
>>> str(s.iloc[0])
'2025-06-02 08:00:00+00:00'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import pandas as pd

from analysis.errors import DataValidationError

DATE_ORDERS = ("dmy", "mdy")
_ISO = re.compile(
    r"^(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})"
    r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?)?"
    r"\s*(?P<tz>Z|UTC|[+-]\d{2}:?\d{2})?$"
)
_SLASH = re.compile(
    r"^(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>\d{4}|\d{2})"
    r"(?:[ T,]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?)?$"
)


def _hour(h: str | None, ampm: str | None) -> int:
    hour = int(h or 0)
    if ampm:
        pm = ampm.lower().startswith("p")
        if not 1 <= hour <= 12:
            raise ValueError(f"hour {hour} with {ampm}")
        hour = hour % 12 + (12 if pm else 0)
    return hour


def _fail(msg: str, file: str, column: str, line: int | None) -> DataValidationError:
    return DataValidationError(msg, file=file, row=line, column=column)


def parse_datetimes(
    values: pd.Series,
    *,
    column: str = "start",
    file: str = "<export>",
    lines: Sequence[int] | None = None,
    timezone: str | None = None,
    date_order: str | None = None,
    platform_order: str | None = None,
) -> pd.Series:
    """Parse a column of timestamps (text) to ``datetime64[ns, UTC]``.

    Parameters
    ----------
    values : pandas.Series
        Text cells (``None`` = missing).
    column, file, lines
        For error messages: the column's name, the file, the editor line of each row.
    timezone : str, optional
        IANA zone of naive timestamps (``"Z"``/``"UTC"`` accepted); default UTC.
    date_order : {"dmy", "mdy"}, optional
        Order of slashed dates when the column does not decide it.
    platform_order : {"dmy", "mdy"}, optional
        The platform's documented order (used only when the column does not decide it).

    Raises
    ------
    DataValidationError
        An unknown form, mixed forms, contradictory or undecidable day/month order, an
        impossible date, or an unknown time zone (naming file, line and column).

    Examples
    --------
    >>> parse_datetimes(pd.Series(["03/04/2025"]), date_order="dmy").iloc[0].month
    4
    >>> parse_datetimes(pd.Series(["03/04/25 1:05 PM", "13/04/25 1:05 PM"])).iloc[0].hour
    13
    """
    if date_order is not None and date_order not in DATE_ORDERS:
        raise ValueError(f"date_order={date_order!r} is not one of {list(DATE_ORDERS)}")
    lines = list(lines) if lines is not None else list(range(1, len(values) + 1))
    line_of = dict(zip(values.index, lines, strict=True))
    present = [(i, str(v).strip()) for i, v in values.items() if v is not None and not pd.isna(v)]
    present = [(i, v) for i, v in present if v]
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns, UTC]")
    if not present:
        return out
    iso = {i: _ISO.match(v) for i, v in present}
    slash = {i: _SLASH.match(v) for i, v in present}
    kinds = {i: "iso" if iso[i] else "slash" if slash[i] else None for i, _ in present}
    for i, v in present:
        if kinds[i] is None:
            raise _fail(
                f"cannot read timestamp {v!r}: expected YYYY-MM-DD hh:mm:ss or a slashed date "
                "(dd/mm/yyyy or mm/dd/yyyy, optional time and AM/PM)",
                file,
                column,
                line_of[i],
            )
    if len(set(kinds.values())) > 1:
        i_iso = next(i for i in kinds if kinds[i] == "iso")
        i_sl = next(i for i in kinds if kinds[i] == "slash")
        raise _fail(
            f"mixed timestamp forms in one column: line {line_of[i_iso]} is ISO, line "
            f"{line_of[i_sl]} is slashed; re-export with one date format",
            file,
            column,
            line_of[i_sl],
        )
    order = None
    if kinds[present[0][0]] == "slash":
        day_first = [i for i, _ in present if int(slash[i]["a"]) > 12]
        month_first = [i for i, _ in present if int(slash[i]["b"]) > 12]
        if day_first and month_first:
            raise _fail(
                f"dates disagree on day/month order: line {line_of[day_first[0]]} can only be "
                f"day-first, line {line_of[month_first[0]]} only month-first",
                file,
                column,
                line_of[month_first[0]],
            )
        decided = "dmy" if day_first else "mdy" if month_first else None
        if decided and date_order and decided != date_order:
            witness = (day_first or month_first)[0]
            raise _fail(
                f"date_order={date_order!r} contradicts the data: line {line_of[witness]} can "
                f"only be {decided}",
                file,
                column,
                line_of[witness],
            )
        order = decided or date_order or platform_order
        if order is None:
            raise _fail(
                f"dates are ambiguous: every value could be day/month or month/day (e.g. "
                f"{present[0][1]!r}); pass the date order (--date-order dmy or mdy)",
                file,
                column,
                line_of[present[0][0]],
            )
    tz = None if timezone in (None, "", "Z", "UTC", "GMT") else timezone
    naive: dict = {}
    aware: dict = {}
    for i, v in present:
        try:
            if kinds[i] == "iso":
                m = iso[i]
                stamp = dt.datetime(
                    int(m["y"]),
                    int(m["m"]),
                    int(m["d"]),
                    _hour(m["H"], m["ampm"]),
                    int(m["M"] or 0),
                    int(m["S"] or 0),
                )
                offset = m["tz"]
                if offset and offset not in ("Z", "UTC"):
                    sign = 1 if offset[0] == "+" else -1
                    hh, mm = int(offset[1:3]), int(offset[-2:])
                    stamp = stamp - sign * dt.timedelta(hours=hh, minutes=mm)
                if offset:
                    aware[i] = stamp
                    continue
            else:
                m = slash[i]
                a, b = int(m["a"]), int(m["b"])
                day, month = (a, b) if order == "dmy" else (b, a)
                year = int(m["y"]) + (2000 if len(m["y"]) == 2 else 0)
                stamp = dt.datetime(
                    year, month, day, _hour(m["H"], m["ampm"]), int(m["M"] or 0), int(m["S"] or 0)
                )
        except ValueError as err:
            raise _fail(f"impossible timestamp {v!r} ({err})", file, column, line_of[i]) from None
        naive[i] = stamp
    if naive:
        local = pd.Series(pd.to_datetime(list(naive.values())), index=list(naive))
        try:
            utc = local.dt.tz_localize(tz or "UTC", ambiguous="raise", nonexistent="raise")
        except Exception as err:  # unknown zone, DST gap or repeated hour
            first = next(iter(naive))
            raise _fail(
                f"cannot place the timestamps in time zone {timezone!r} ({type(err).__name__}: "
                f"{err})",
                file,
                column,
                line_of[first],
            ) from None
        out.loc[utc.index] = utc.dt.tz_convert("UTC")
    if aware:
        out.loc[list(aware)] = pd.to_datetime(list(aware.values())).tz_localize("UTC")
    return out
