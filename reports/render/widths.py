"""Column widths that fit their content, for PDF and DOCX alike.

Like a browser's automatic table layout: no column is narrower than its longest word (so
no word is split across lines), and the width left over goes to the columns in proportion
to how much longer their text is on one line; the column marked `widest` (the overview's
comment) gets the most. Widths are measured in the report font (reports.render.fonts).
"""

from __future__ import annotations

from reports.document import Table
from reports.render.fonts import text_width

BODY_PT = 8.5
PADDING_PT = 14.0  # cell margins left and right (Word and LibreOffice: 2 x 5.4 pt), with slack
NATURAL_CAP_PT = 900.0


def _text(value) -> str:
    return "" if value is None else str(value)


def _longest_word(texts: list[str], size: float, bold: bool) -> float:
    words = {w for t in texts for w in t.split()}
    return max((text_width(w, size, bold=bold) for w in words), default=0.0)


def column_widths(table: Table, available: float, *, size: float = BODY_PT) -> list[float]:
    """Widths in points that add up to `available`."""
    columns = table.columns
    n = len(columns)
    if n == 0:
        return []
    minimum: list[float] = []
    natural: list[float] = []
    for i, column in enumerate(columns):
        texts = [_text(row[i]) for row in table.rows if i < len(row)]
        if table.total and i < len(table.total):
            texts.append(_text(table.total[i]))
        low = max(_longest_word(texts, size, False), _longest_word([column.label], size, True))
        lines = [line for t in texts for line in t.splitlines()] or [""]
        high = max(
            max(text_width(line, size) for line in lines), text_width(column.label, size, bold=True)
        )
        high = min(max(high, low), NATURAL_CAP_PT)
        if column.widest:
            high *= 2.5
        minimum.append(low + PADDING_PT)
        natural.append(high + PADDING_PT)
    spare = available - sum(minimum)
    if spare <= 0:  # the words alone do not fit: share the width by the longest words
        total = sum(minimum)
        return [available * w / total for w in minimum]
    if sum(natural) <= available:
        widths = list(natural)
        leftover = available - sum(widths)
        target = next((i for i, c in enumerate(columns) if c.widest), None)
        if target is None:
            return [w + leftover / n for w in widths]
        widths[target] += leftover
        return widths
    want = [natural[i] - minimum[i] for i in range(n)]
    total_want = sum(want) or 1.0
    return [minimum[i] + spare * want[i] / total_want for i in range(n)]


def needs_landscape(table: Table, portrait: float) -> bool:
    """A table goes landscape when it is marked wide or its words do not fit upright."""
    if table.wide:
        return True
    widths = column_widths(table, portrait)
    return any(w < 40 for w in widths) and len(table.columns) > 4
