"""The grammar of a period cell.

    period   := prefix? point (sep tail?)?
    prefix   := "fra" | "f.o.m." | "fom" | "fra og med" | "siden" | "oppstart"
    point    := day "." month "." year | month ("." | "/") year4 | season year | monthname year
              | year4
    sep      := dash | "til" | "t.o.m." | "/"
    tail     := point | year2 | "d.d." | "dd" | "i dag" | "pågår" | "no"

"2003–05", "fra høsten 2004", "vår 2006 - 2007", "01.03.2004 – 30.06.2005", "mars 2004 –",
"2004 til d.d." all parse; "fra X" without an end is open-ended. A season or a month gives
month precision: spring (vår) is January–June, summer June–August, autumn (høst)
August–December, winter January–March.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from importers.grammar.core import (
    DASH,
    NUM,
    Token,
    alt,
    dot,
    fmap,
    full,
    lit,
    opt,
    seq,
    token,
    tokenize,
)

YEAR = "year"
MONTH = "month"
DAY = "day"

SEASONS = {
    "vår": (1, 6),
    "våren": (1, 6),
    "sommer": (6, 8),
    "sommeren": (6, 8),
    "høst": (8, 12),
    "høsten": (8, 12),
    "vinter": (1, 3),
    "vinteren": (1, 3),
}
MONTH_NAMES = {
    "januar": 1,
    "februar": 2,
    "mars": 3,
    "april": 4,
    "mai": 5,
    "juni": 6,
    "juli": 7,
    "august": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "desember": 12,
}
_MONTH_SHORT = {name[:3]: n for name, n in MONTH_NAMES.items()}


@dataclass(frozen=True)
class Point:
    """A point of a period as the first and last day it may stand for."""

    first: dt.date
    last: dt.date
    precision: str


def _year4(t: Token) -> bool:
    return len(t.text) == 4 and 1800 <= int(t.text) <= 2200


def _last_of_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _year_point(v) -> Point:
    y = int(v.text)
    return Point(dt.date(y, 1, 1), dt.date(y, 12, 31), YEAR)


def _month_point(year: int, first: int, last: int | None = None) -> Point:
    return Point(dt.date(year, first, 1), _last_of_month(year, last or first), MONTH)


def _day_point(v) -> Point | None:
    d, _, m, _, y = v
    year = int(y.text) if len(y.text) == 4 else 2000 + int(y.text)
    try:
        day = dt.date(year, int(m.text), int(d.text))
    except ValueError:
        return None
    return Point(day, day, DAY)


def _month_of(t: Token) -> int | None:
    low = t.low
    return MONTH_NAMES.get(low) or (_MONTH_SHORT.get(low[:3]) if len(low) >= 3 else None)


year4 = token(NUM, _year4)
year2 = token(NUM, lambda t: len(t.text) == 2)
small = token(NUM, lambda t: len(t.text) <= 2 and int(t.text) >= 1)
season = fmap(lit(*SEASONS), lambda w: SEASONS[w])
month_name = fmap(dot(token("word", lambda t: _month_of(t) is not None)), lambda t: _month_of(t))
day_point = fmap(seq(small, lit("."), small, lit("."), alt(year4, year2)), _day_point)
month_point = fmap(
    seq(small, lit(".", "/"), year4),
    lambda v: _month_point(int(v[2].text), int(v[0].text)) if int(v[0].text) <= 12 else None,
)
season_point = fmap(seq(season, year4), lambda v: _month_point(int(v[1].text), *v[0]))
named_month_point = fmap(seq(month_name, year4), lambda v: _month_point(int(v[1].text), v[0]))
point = alt(day_point, month_point, season_point, named_month_point, fmap(year4, _year_point))

prefix = lit("fra og med", "f.o.m.", "f.o.m", "fom", "fra", "siden", "oppstart", "start")
sep = alt(token(DASH), lit("til", "t.o.m.", "t.o.m", "tom", "/"))
OPEN = "open"
open_tail = fmap(lit("d.d.", "d.d", "dd", "i dag", "pågår", "no", "→"), lambda _: OPEN)
short_year = fmap(year2, lambda t: t)
tail = alt(open_tail, point, short_year)

period = seq(opt(prefix), point, opt(seq(sep, opt(tail, OPEN))))


@dataclass(frozen=True)
class ParsedPeriod:
    start: Point
    end: Point | None  # None: open-ended
    text: str


def parse(text: str) -> ParsedPeriod | None:
    """The period a cell states, or None when the grammar does not read it all."""
    value = full(period, tokenize(text.strip().rstrip(".")))
    if value is None:
        return None
    lead, start, rest = value
    if start is None:
        return None
    if rest is None:
        # "fra høsten 2004" runs on; "høsten 2004" is that autumn
        return ParsedPeriod(start, None if lead else start, text)
    _sep, last = rest
    if last == OPEN:
        return ParsedPeriod(start, None, text)
    if isinstance(last, Token):  # "2003–05"
        year = (start.first.year // 100) * 100 + int(last.text)
        last = Point(dt.date(year, 1, 1), dt.date(year, 12, 31), YEAR)
    if last is None:
        return None
    return ParsedPeriod(start, last, text)
