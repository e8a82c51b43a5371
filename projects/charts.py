"""Charts of the portfolio, drawn with matplotlib (Agg, no display needed).

Every chart comes in two forms: an accessible SVG string to put inline in a page (with a
<title>, a <desc> and role="img"; pages also show the numbers as a table beneath it) and
PNG bytes for reports (PDF/DOCX). The style is the site's: brand blue #0b5394 first,
DejaVu Sans, light grid, no frame, no chart junk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import re
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")

from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from matplotlib import dates as mdates
from matplotlib import ticker
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from projects.analytics import MoneyByYear, Timeline

BRAND = "#0b5394"
INK = "#1d2733"
MUTED = "#5b6675"
GRID = "#d8dee6"
PALETTE = (
    BRAND,
    "#e69138",
    "#6aa84f",
    "#a64d79",
    "#45818e",
    "#cc4125",
    "#8e7cc3",
    "#bf9000",
)
CATEGORY_COLOURS = {
    "operations": BRAND,
    "planning": "#6aa84f",
    "network": "#e69138",
    "other": "#a64d79",
}
SERIES_COLOURS = {
    "grant": BRAND,
    "cost": "#cc4125",
    "benefit:budget_saving": "#6aa84f",
    "benefit:freed_capacity": "#45818e",
    "benefit:public_sector": "#e69138",
    "benefit:non_monetary": "#8e7cc3",
}

STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    # Names and titles are plain text: "$", "\\" and "_" never start mathtext or TeX
    # ("REL $x^$ test" would otherwise fail to draw and break the page for everyone).
    "text.parse_math": False,
    "text.usetex": False,
    "text.color": INK,
    "axes.labelcolor": MUTED,
    "axes.edgecolor": GRID,
    "axes.linewidth": 0.8,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlecolor": INK,
    "xtick.color": MUTED,
    "ytick.color": INK,
    "xtick.labelcolor": MUTED,
    "grid.color": GRID,
    "grid.linewidth": 0.7,
    "legend.frameon": False,
    "legend.fontsize": 8.5,
    "svg.fonttype": "none",
    "svg.hashsalt": "samarbeid",
    "figure.dpi": 100,
}

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _figure(width: float, height: float, *, constrained: bool = True) -> Figure:
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(width, height), layout="constrained" if constrained else None)
        fig.patch.set_facecolor("white")
    return fig


def _uid(prefix: str, title: str) -> str:
    digest = hashlib.sha1(title.encode()).hexdigest()[:6]
    return re.sub(r"[^a-z0-9-]", "-", f"{prefix}-{digest}".lower())


def render_svg(fig: Figure, *, title: str, description: str = "", prefix: str = "chart") -> str:
    """The figure as inline SVG: ids made unique, <title>/<desc>, scales to its container."""
    buf = io.StringIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    uid = _uid(prefix, title)
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{uid}-{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{uid}-{m.group(1)})", svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{uid}-{m.group(1)}"', svg)
    head_end = svg.index(">") + 1
    head = svg[:head_end]
    head = re.sub(r'\swidth="[^"]*"', ' width="100%"', head, count=1)
    head = re.sub(r'\sheight="[^"]*"', "", head, count=1)
    head = head[:-1] + f' role="img" aria-labelledby="{uid}-title {uid}-desc">'
    accessible = f'<title id="{uid}-title">{html.escape(title)}</title>'
    accessible += f'<desc id="{uid}-desc">{html.escape(description or title)}</desc>'
    return head + accessible + svg[head_end:]


def render_png(fig: Figure, *, dpi: int = 200) -> bytes:
    buf = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def _safe_svg(fig: Figure, *, title: str, description: str, prefix: str) -> SafeString:
    svg = render_svg(fig, title=title, description=description, prefix=prefix)
    return mark_safe(svg)


def _style_axes(ax) -> None:
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)
    ax.set_axisbelow(True)


def _amount_scale(maximum: float) -> tuple[float, str]:
    if maximum >= 1_000_000:
        return 1_000_000, _("NOK million")
    if maximum >= 10_000:
        return 1_000, _("NOK thousand")
    return 1, _("NOK")


def _number(value: float, decimals: int = 0) -> str:
    return formats.number_format(
        round(value, decimals), decimals, use_l10n=True, force_grouping=True
    )


# ---------------------------------------------------------------- money per year


def money_by_year_figure(
    data: MoneyByYear,
    *,
    title: str,
    keys: Sequence[str] | None = None,
    stacked: bool = True,
    size: tuple[float, float] = (11.0, 3.4),
    phone: bool = False,
) -> Figure:
    """Bars per year, one colour per series (grant, cost, benefit category).

    `phone` draws it for a narrow screen: the title wrapped, fewer year ticks and the legend
    in one column (the figure grows by its lines, so the bars keep their height)."""
    series = [s for s in data.series if keys is None or s.key in keys]
    values = data.series_values()
    years = data.years
    if phone:
        title = "\n".join(textwrap.wrap(title, 32)) or title
        size = (PHONE_WIDTH, 2.6 + 0.2 * title.count("\n") + 0.2 * len(series))
    fig = _figure(*size)
    with matplotlib.rc_context(STYLE):
        ax = fig.add_subplot()
        _style_axes(ax)
        ax.set_title(title, pad=12, fontsize=10.5 if phone else None)
        maximum = 0.0
        if stacked:
            tops = [sum(values[s.key][i] for s in series) for i in range(len(years))]
            maximum = max(tops, default=0.0)
        else:
            maximum = max((v for s in series for v in values[s.key]), default=0.0)
        scale, unit = _amount_scale(maximum)
        bottoms = [0.0] * len(years)
        width = 0.7 if stacked else 0.8 / max(len(series), 1)
        for i, s in enumerate(series):
            heights = [v / scale for v in values[s.key]]
            colour = SERIES_COLOURS.get(s.key, PALETTE[i % len(PALETTE)])
            if stacked:
                ax.bar(years, heights, width, bottom=bottoms, color=colour, label=capfirst(s.label))
                bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
            else:
                offset = (i - (len(series) - 1) / 2) * width
                ax.bar(
                    [y + offset for y in years],
                    heights,
                    width,
                    color=colour,
                    label=capfirst(s.label),
                )
        ax.set_ylabel(unit)
        ax.yaxis.grid(True)
        ax.yaxis.set_major_formatter(
            ticker.FuncFormatter(lambda v, _pos: _number(v, 1 if scale > 1 and v % 1 else 0))
        )
        span = (years[-1] - years[0]) if years else 0
        if phone:
            ax.xaxis.set_major_locator(ticker.MultipleLocator(_year_step(span, phone=True)))
        else:
            ax.xaxis.set_major_locator(
                ticker.MultipleLocator(1)
                if span <= 16
                else ticker.MaxNLocator(integer=True, nbins=12)
            )
        ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _pos: f"{int(v)}"))
        if years:
            ax.set_xlim(years[0] - 0.6, years[-1] + 0.6)
        else:
            ax.text(
                0.5,
                0.5,
                _("No amounts recorded"),
                transform=ax.transAxes,
                ha="center",
                va="center",
                color=MUTED,
            )
            ax.set_yticks([])
            ax.set_xticks([])
        if series:
            fig.legend(
                loc="outside lower left",
                ncols=1 if phone else min(len(series), 4),
                handlelength=1.0,
                columnspacing=1.6,
            )
    return fig


def money_by_year_svg(
    data: MoneyByYear,
    *,
    title: str,
    keys: Sequence[str] | None = None,
    stacked: bool = True,
    size: tuple[float, float] = (11.0, 3.4),
    prefix: str = "money",
    phone: bool = False,
) -> SafeString:
    """Inline SVG of `money_by_year_figure`, with a <desc> pointing to the data table."""
    fig = money_by_year_figure(
        data, title=title, keys=keys, stacked=stacked, size=size, phone=phone
    )
    years = data.years
    if years:
        description = _(
            "Amounts per year from %(first)s to %(last)s; the table below has the numbers."
        ) % {
            "first": years[0],
            "last": years[-1],
        }
    else:
        description = _("No amounts recorded.")
    return _safe_svg(fig, title=title, description=description, prefix=prefix)


def money_by_year_png(
    data: MoneyByYear,
    *,
    title: str,
    keys: Sequence[str] | None = None,
    stacked: bool = True,
    size: tuple[float, float] = (11.0, 3.4),
) -> bytes:
    """PNG bytes of `money_by_year_figure`, for reports."""
    return render_png(
        money_by_year_figure(data, title=title, keys=keys, stacked=stacked, size=size)
    )


# ---------------------------------------------------------------- timeline


def _tint(colour: str, amount: float) -> str:
    """The colour mixed with white (amount 0: unchanged, 1: white)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    r, g, b = (round(c + (255 - c) * amount) for c in (r, g, b))
    return f"#{r:02x}{g:02x}{b:02x}"


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def timeline_figure(
    timeline: Timeline, *, title: str, width: float = 11.0, phone: bool = False
) -> Figure:
    """A Gantt chart: one bar per project, coloured by category; open-ended bars hatched.

    `phone` draws it for a narrow screen: each project's name above its bar (the bars get
    the whole width), fewer year ticks and the legend in one column."""
    rows = timeline.rows
    limit = 44 if phone else 48
    labels = [_short(r.project.short_name or r.project.name, limit) for r in rows]
    legend = _timeline_legend(rows)
    if phone:
        width = PHONE_WIDTH
        top, bottom, pitch = 0.62, 0.45 + 0.19 * len(legend), 0.44
        left, right = 0.08, 0.2
    else:
        top, bottom, pitch = 0.7, 0.75, 0.24
        left = 0.25 + 0.066 * max((len(label) for label in labels), default=10)
        right = 0.25
    # Fixed margins instead of a constrained layout: measuring hundreds of labels is slow.
    height = top + bottom + pitch * max(len(rows), 2)
    fig = _figure(width, height, constrained=False)
    fig.subplots_adjust(
        left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height
    )
    with matplotlib.rc_context(STYLE):
        ax = fig.add_subplot()
        _style_axes(ax)
        ax.spines["bottom"].set_visible(False)
        fig.text(
            (0.08 if phone else 0.25) / width,
            1 - 0.12 / height,
            title,
            ha="left",
            va="top",
            fontsize=10.5 if phone else 11,
            fontweight="bold",
            color=INK,
        )
        _timeline_bars(ax, rows, bar=0.36 if phone else 0.62)
        if phone:
            ax.set_yticks([])
            for y, label in enumerate(labels):
                ax.text(
                    0,
                    y - 0.24,
                    label,
                    transform=ax.get_yaxis_transform(),
                    va="bottom",
                    fontsize=8.5,
                )
            ax.set_ylim(len(rows) - 0.5, -0.8)
        else:
            ax.set_yticks(range(len(rows)))
            ax.set_yticklabels(labels)
            ax.set_ylim(len(rows) - 0.4, -0.6)
        _timeline_years(ax, rows, today=mdates.date2num(timeline.today), phone=phone)
        if legend:
            fig.legend(
                handles=legend,
                loc="lower left" if phone else "lower center",
                bbox_to_anchor=(0.04 / width if phone else 0.5, 0.05 / height),
                ncols=1 if phone else min(len(legend), 3),
                handlelength=1.2,
                columnspacing=1.5,
            )
    return fig


# The width of a chart drawn for a phone (inches at 100 dpi; scaled to the screen's width,
# so its 9 pt text shows at about 12 px on a 390 px screen).
PHONE_WIDTH = 3.4


def _timeline_bars(ax, rows, *, bar: float) -> None:
    groups: dict[tuple[str, bool], list[tuple[int, float, float]]] = {}
    unknown: list[tuple[int, float, float, str]] = []
    for y, row in enumerate(rows):
        start = mdates.date2num(row.start)
        end = mdates.date2num(row.end + dt.timedelta(days=1))
        if row.unknown_after is not None:
            known_end = mdates.date2num(row.unknown_after + dt.timedelta(days=1))
            groups.setdefault((row.project.category, False), []).append((y, start, known_end))
            unknown.append((y, known_end, end, row.project.category))
            continue
        groups.setdefault((row.project.category, row.is_open), []).append((y, start, end))
    _draw_unknown(ax, unknown, bar=bar)
    for (category, is_open), bars in groups.items():
        colour = CATEGORY_COLOURS.get(category, PALETTE[4])
        ys = [b[0] for b in bars]
        lefts = [b[1] for b in bars]
        widths = [b[2] - b[1] for b in bars]
        if is_open:
            ax.barh(
                ys,
                widths,
                left=lefts,
                height=bar,
                facecolor=_tint(colour, 0.8),
                edgecolor=colour,
                linewidth=0.7,
                hatch="////",
            )
            ax.scatter([b[2] for b in bars], ys, marker=">", color=colour, s=14, zorder=3)
        else:
            ax.barh(ys, widths, left=lefts, height=bar, color=colour)


def _year_step(span: int, phone: bool) -> int:
    """Years between ticks: every year or every other on a desk, at most six on a phone."""
    if not phone:
        return 1 if span <= 16 else 2
    return next(step for step in (1, 2, 5, 10, 20, 50, 100) if span / step <= 6 or step == 100)


def _timeline_years(ax, rows, *, today: float, phone: bool) -> None:
    if not rows:
        ax.text(
            0.5,
            0.5,
            _("No projects with a period"),
            transform=ax.transAxes,
            ha="center",
            va="center",
            color=MUTED,
        )
        ax.set_xticks([])
        return
    first = dt.date(min(r.start.year for r in rows), 1, 1)
    last = dt.date(max(r.end.year for r in rows) + 1, 1, 1)
    ax.set_xlim(mdates.date2num(first), mdates.date2num(last))
    ax.xaxis.set_major_locator(mdates.YearLocator(_year_step(last.year - first.year, phone)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.xaxis.grid(True)
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", labeltop=True, labelbottom=True)
    if mdates.date2num(first) <= today <= mdates.date2num(last):
        ax.axvline(today, color=INK, linewidth=0.9, linestyle=(0, (3, 3)))


def _timeline_legend(rows) -> list[Patch]:
    used = []
    for value, label in _category_choices():
        if any(r.project.category == value for r in rows):
            used.append(Patch(color=CATEGORY_COLOURS.get(value, PALETTE[4]), label=label))
    if any(r.unknown_after is not None for r in rows):
        used.append(
            Patch(
                facecolor=_tint(MUTED, 0.75),
                edgecolor=_tint(MUTED, 0.3),
                linestyle=(0, (2, 2)),
                label=_("unknown after the last record"),
            )
        )
    if any(r.is_open and r.unknown_after is None for r in rows):
        used.append(
            Patch(
                facecolor="#ffffff",
                edgecolor=MUTED,
                hatch="////",
                label=_("open-ended, drawn to today"),
            )
        )
    return used


def _draw_unknown(ax, bars: list[tuple[int, float, float, str]], *, bar: float = 0.62) -> None:
    """After the last record of an open-ended project: a faded, dashed bar (not a running
    one), with a tick where the record is."""
    if not bars:
        return
    ax.barh(
        [b[0] for b in bars],
        [b[2] - b[1] for b in bars],
        left=[b[1] for b in bars],
        height=bar,
        facecolor=_tint(MUTED, 0.75),
        edgecolor=_tint(MUTED, 0.3),
        linewidth=0.6,
        linestyle=(0, (2, 2)),
    )
    ax.scatter(
        [b[1] for b in bars],
        [b[0] for b in bars],
        marker="|",
        s=60,
        color=[CATEGORY_COLOURS.get(b[3], PALETTE[4]) for b in bars],
        zorder=3,
    )


def _category_choices():
    from projects.models import Project

    return Project.Category.choices


def timeline_svg(
    timeline: Timeline, *, title: str, prefix: str = "timeline", phone: bool = False
) -> SafeString:
    """Inline SVG of `timeline_figure`, with a <desc> pointing to the data table."""
    fig = timeline_figure(timeline, title=title, phone=phone)
    if timeline.rows:
        description = _(
            "%(count)s projects from %(first)s to %(last)s, coloured by category; "
            "the table below lists them."
        ) % {"count": len(timeline.rows), "first": timeline.first_year, "last": timeline.last_year}
    else:
        description = _("No projects with a period.")
    return _safe_svg(fig, title=title, description=description, prefix=prefix)


def timeline_png(timeline: Timeline, *, title: str) -> bytes:
    return render_png(timeline_figure(timeline, title=title))


# ---------------------------------------------------------------- both screens


def for_screens(draw: Callable[..., SafeString], /, *, prefix: str, **kwargs: Any) -> SafeString:
    """The chart drawn twice, for a desk and for a phone; the site's CSS shows the one that
    fits the screen (`.chart-desk`, `.chart-phone`), so a phone gets a legible chart instead
    of a wide one scaled down or clipped. `draw` is `timeline_svg` or `money_by_year_svg`;
    the phone's copy gets its own id prefix (ids stay unique in the page)."""
    desk = draw(prefix=prefix, **kwargs)
    phone = draw(prefix=f"{prefix}-phone", phone=True, **kwargs)
    return format_html(
        '<div class="chart-desk">{}</div><div class="chart-phone">{}</div>', desk, phone
    )
