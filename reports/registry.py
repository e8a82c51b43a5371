"""Every report by name, every format, every language: `generate` is what the web page and
`manage.py report` call. Bad input raises ReportError with the valid choices named."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports import annual, hearing_summary, municipality, overview, presentation, selectors
from reports.common import LANGUAGES, ReportError
from reports.document import Document
from samarbeid.common.services import Actor


@dataclass(frozen=True)
class Format:
    extension: str
    content_type: str
    render: Callable[[Document], bytes]


def _html(doc: Document) -> bytes:
    from reports.render.html import render_html

    return render_html(doc).encode("utf-8")


def _pdf(doc: Document) -> bytes:
    from reports.render.pdf import render_pdf

    return render_pdf(doc)


def _docx(doc: Document) -> bytes:
    from reports.render.docx import render_docx

    return render_docx(doc)


def _xlsx(doc: Document) -> bytes:
    from reports.render.xlsx import render_xlsx

    return render_xlsx(doc)


def _csv(doc: Document) -> bytes:
    from reports.render.csv import render_csv

    return render_csv(doc)


FORMATS: dict[str, Format] = {
    "html": Format("html", "text/html; charset=utf-8", _html),
    "pdf": Format("pdf", "application/pdf", _pdf),
    "docx": Format(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _docx,
    ),
    "xlsx": Format(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _xlsx
    ),
    "csv": Format("csv", "text/csv; charset=utf-8", _csv),
}

Builder = Callable[..., Document]
Access = Callable[[Actor, QueryDict], bool]


def _anyone(user: Actor, params: QueryDict) -> bool:
    return True


@dataclass(frozen=True)
class Report:
    name: str
    label: object
    build: Builder
    allowed: Access = _anyone
    """Whether this signed-in user may have the report with these choices (the web; the
    command line is the system's)."""
    on_index: bool = True
    """Offered by a form on the reports page (else from the page it belongs to)."""


REPORTS: dict[str, Report] = {
    "overview": Report("overview", gettext_lazy("Project overview"), overview.build),
    "municipality": Report(
        "municipality", gettext_lazy("A municipality's account"), municipality.build
    ),
    "annual": Report("annual", gettext_lazy("Annual report"), annual.build),
    "presentation": Report("presentation", gettext_lazy("Presentation"), presentation.build),
    "hearing-summary": Report(
        "hearing-summary",
        gettext_lazy("Summary of comments and responses"),
        hearing_summary.build,
        allowed=hearing_summary.allowed,
        on_index=False,
    ),
}


def allowed(name: str, user: Actor, params: QueryDict) -> bool:
    report = REPORTS.get(name)
    return report is None or report.allowed(user, params)


@dataclass
class Output:
    data: bytes
    content_type: str
    filename: str
    document: Document


def _choices(codes, labels: dict[str, str] | None) -> str:
    return ", ".join(str(labels[c]) if labels else c for c in codes)


def check(name: str, fmt: str, lang: str, *, labels: bool = False) -> None:
    """ReportError naming the valid reports, formats or languages: by their codes for the
    command line, by their names in the reader's language for the web (`labels`)."""
    from reports.forms import LANGUAGE_CHOICES

    names = {k: str(r.label) for k, r in REPORTS.items()} if labels else None
    formats = {k: k.upper() for k in FORMATS} if labels else None
    languages = {k: str(v) for k, v in LANGUAGE_CHOICES} if labels else None
    if name not in REPORTS:
        raise ReportError(
            _("Unknown report “%(name)s”; choose one of: %(valid)s.")
            % {"name": name, "valid": _choices(REPORTS, names)}
        )
    if fmt not in FORMATS:
        raise ReportError(
            _("Unknown format “%(format)s”; choose one of: %(valid)s.")
            % {"format": fmt, "valid": _choices(FORMATS, formats)}
        )
    if lang not in LANGUAGES:
        raise ReportError(
            _("Unknown language “%(lang)s”; choose one of: %(valid)s.")
            % {"lang": lang, "valid": _choices(LANGUAGES, languages)}
        )


def build(
    name: str, *, lang: str, params: QueryDict | None = None, today: dt.date | None = None
) -> Document:
    check(name, "html", lang)
    today = today or timezone.localdate()
    with translation.override(lang):
        return REPORTS[name].build(
            coop=selectors.cooperation(), params=params or QueryDict(), lang=lang, today=today
        )


def generate(
    name: str,
    *,
    fmt: str,
    lang: str,
    params: QueryDict | None = None,
    today: dt.date | None = None,
) -> Output:
    check(name, fmt, lang)
    doc = build(name, lang=lang, params=params, today=today)
    spec = FORMATS[fmt]
    return Output(render(doc, fmt), spec.content_type, f"{doc.filename}.{spec.extension}", doc)


def render(doc: Document, fmt: str) -> bytes:
    with translation.override(doc.lang):
        return FORMATS[fmt].render(doc)
