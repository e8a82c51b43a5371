"""Charts for the reports, drawn by the portfolio's own matplotlib charts (projects.charts)
and saved as plain SVG (vector, with its size, for WeasyPrint and DOCX's svgBlip) and PNG
(the DOCX fallback)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import matplotlib
from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from projects import charts
from projects.analytics import Matrix, MoneyByYear, Timeline
from reports.document import Chart

MATRIX_ROWS = 60
ROLE_COLOURS = {
    "host": charts.BRAND,
    "owner": "#a64d79",
    "participant": "#6aa84f",
    "partner": "#e69138",
    "funder": "#bf9000",
    "observer": "#8e7cc3",
}


def _svg(fig: Figure, title: str) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context(charts.STYLE):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Title": title})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    return re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)


def chart(
    figure: Callable[[], Figure], *, title: str, description: str, width_cm: float = 16.0
) -> Chart:
    """A chart drawn (SVG and PNG of one figure) only when a format asks for it."""

    def draw() -> tuple[str, bytes]:
        fig = figure()
        return _svg(fig, title), charts.render_png(fig, dpi=150)

    return Chart(title=title, description=description, draw=draw, width_cm=width_cm)


def timeline_chart(timeline: Timeline, *, title: str) -> Chart:
    return chart(
        lambda: charts.timeline_figure(timeline, title=title, width=10.0),
        title=title,
        description=_("One bar per project from start to end, coloured by category."),
    )


def money_chart(data: MoneyByYear, *, title: str) -> Chart:
    keys = [s.key for s in data.series if s.kind != "cost"]
    return chart(
        lambda: charts.money_by_year_figure(data, title=title, keys=keys, size=(10.0, 3.4)),
        title=title,
        description=_("Grants and benefits per year; the table beside it has the numbers."),
    )


def _matrix_figure(matrix: Matrix, title: str) -> Figure:
    rows = matrix.rows[:MATRIX_ROWS]
    columns = matrix.columns
    points: dict[str, tuple[list[int], list[int]]] = {}
    for y, row in enumerate(rows):
        for x, cell in enumerate(row.cells):
            if cell.role:
                xs, ys = points.setdefault(cell.role, ([], []))
                xs.append(x)
                ys.append(y)
    height = 1.4 + 0.2 * max(len(rows), 3)
    with matplotlib.rc_context(charts.STYLE):
        fig = Figure(figsize=(10.0, height), layout="constrained")
        ax = fig.add_subplot()
        for role, (xs, ys) in points.items():  # one collection per role, not per cell
            ax.scatter(xs, ys, s=28, marker="s", color=ROLE_COLOURS.get(role, charts.MUTED))
        ax.set_xticks(range(len(columns)), [c.label for c in columns], rotation=60, ha="right")
        ax.set_yticks(
            range(len(rows)), [charts._short(r.project.name, 40) for r in rows], fontsize=7
        )
        ax.set_xlim(-0.6, len(columns) - 0.4)
        ax.set_ylim(len(rows) - 0.4, -0.6)
        ax.grid(True)
        ax.set_title(title)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    return fig


def matrix_chart(matrix: Matrix, *, title: str) -> Chart:
    description = _("Which municipality took part in which project.")
    if len(matrix.rows) > MATRIX_ROWS:
        description += " " + _("The first %(n)s projects are shown.") % {"n": MATRIX_ROWS}
    return chart(lambda: _matrix_figure(matrix, title), title=title, description=description)
