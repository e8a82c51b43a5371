"""The neutral shape of a report: a title page, sections of headings, paragraphs, tables and
charts. Every report builds one `Document` in its language (reports.builders); every format
renders any `Document` (reports.render), so a column or a footer is decided once."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Kind = Literal["text", "int", "money", "date", "year"]
Cell = str | int | Decimal | dt.date | None


@dataclass
class Column:
    label: str
    kind: Kind = "text"
    widest: bool = False
    """The column that takes the spare width (the comment column of the overview)."""


@dataclass
class Table:
    columns: list[Column]
    rows: list[list[Cell]]
    caption: str = ""
    sheet: str = ""
    """Name of the spreadsheet sheet (XLSX) this table fills."""
    total: list[Cell] | None = None
    wide: bool = False
    """Many columns with long text: set in landscape (PDF and DOCX)."""


@dataclass
class Paragraph:
    text: str
    style: Literal["body", "lead", "muted"] = "body"


@dataclass
class Bullets:
    items: list[str]


@dataclass
class Facts:
    """Label–value pairs (a small two-column list)."""

    pairs: list[tuple[str, str]]


@dataclass
class Chart:
    """A chart drawn only when a format shows it (PDF, DOCX, HTML; never XLSX or CSV)."""

    title: str
    description: str
    draw: Callable[[], tuple[str, bytes]]
    """Returns (SVG text, PNG bytes) of the same figure."""
    width_cm: float = 16.0

    @functools.cached_property
    def _drawn(self) -> tuple[str, bytes]:
        return self.draw()

    @property
    def svg(self) -> str:
        return self._drawn[0]

    @property
    def png(self) -> bytes:
        return self._drawn[1]


Block = Paragraph | Bullets | Facts | Table | Chart


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    level: int = 1
    wide: bool = False

    def add(self, block: Block) -> Block:
        self.blocks.append(block)
        return block


@dataclass
class Document:
    name: str
    """The report's name in the registry (overview, municipality, annual, presentation)."""
    lang: str
    title: str
    subtitle: str = ""
    organisation: str = ""
    footer: list[str] = field(default_factory=list)
    """The cooperation's postal and visiting address (and phone), as in 000."""
    title_page: list[tuple[str, str]] = field(default_factory=list)
    """What the document covers (period, filters, date made), on the title page."""
    intro: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    empty: str = ""
    """Set when there is nothing to show: the document says so instead of its sections."""
    filename: str = "report"
    data: Table | None = None
    """One flat table of the report's rows, typed (XLSX, CSV); else every table in turn."""

    def add(self, title: str, *, level: int = 1, wide: bool = False) -> Section:
        section = Section(title=title, level=level, wide=wide)
        self.sections.append(section)
        return section

    def tables(self) -> list[Table]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]
