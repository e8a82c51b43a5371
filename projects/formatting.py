"""Display helpers for periods and amounts, shared by pages and exports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from projects.models import Precision


def format_point(value: dt.date | None, precision: str) -> str:
    """A date as precise as it is known: "1999", "03.1999" or "15.03.1999"."""
    if value is None:
        return ""
    if precision == Precision.YEAR:
        return str(value.year)
    if precision == Precision.MONTH:
        return f"{value.month:02d}.{value.year}"
    return value.strftime("%d.%m.%Y")


def format_period(
    start: dt.date | None,
    start_precision: str,
    end: dt.date | None,
    end_precision: str,
    open_ended: bool,
) -> str:
    """ "1999", "2000 – 2002", "2001 –"; empty when nothing is known."""
    first = format_point(start, start_precision)
    last = format_point(end, end_precision)
    if open_ended:
        return f"{first} –" if first else ""
    if not first and not last:
        return ""
    if not last or first == last:
        return first
    if not first:
        return f"– {last}"
    return f"{first} – {last}"


def project_period(project) -> str:
    return format_period(
        project.start_date,
        project.start_precision,
        project.end_date,
        project.end_precision,
        project.open_ended,
    )


def format_nok(amount: Decimal | int | None) -> str:
    """1234567.00 → "1 234 567" (no-break spaces), the way Norwegian reports write sums."""
    if amount is None:
        return ""
    value = Decimal(amount).quantize(Decimal(1)) if Decimal(amount) % 1 == 0 else Decimal(amount)
    whole = f"{int(value):,}".replace(",", "\u00a0")
    if value != int(value):
        cents = f"{abs(value) % 1:.2f}"[1:].replace(".", ",")
        return whole + cents
    return whole
