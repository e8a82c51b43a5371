"""How a cell reads in a document (PDF, DOCX, HTML): numbers with spaces between thousands,
dates as dd.mm.yyyy; typed formats (XLSX) keep the value itself."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reports.document import Cell, Kind


def display(value: Cell, kind: Kind) -> str:
    if value is None or value == "":
        return ""
    if kind in ("int", "money") and isinstance(value, int | Decimal | float):
        whole = int(Decimal(value).quantize(Decimal(1)))
        return f"{whole:,}".replace(",", "\u00a0")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def numeric(kind: Kind) -> bool:
    return kind in ("int", "money", "year")
