"""Pure parsers for the cells of the legacy project overview (no database access).

Each parser either returns a result (with whatever it could not interpret kept verbatim in
`unresolved`) or raises its own documented error class, a subclass of `ParseError`. Nothing
else escapes them (the Hypothesis tests in tests/importers check this for any text).
Resolution of names against the member and organisation registry happens later, in
`importers.resolve`, so that these functions stay pure and fast to test.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from importers.grammar import handover as handover_grammar
from importers.grammar import money as money_grammar
from importers.grammar import participants as participants_grammar
from importers.grammar import period as period_grammar
from samarbeid.common.text import collapse_whitespace


class ParseError(ValueError):
    """Base class: a cell text that cannot be interpreted at all."""

    def __init__(self, text: str, message: str):
        self.text = text
        super().__init__(message)


class PeriodError(ParseError):
    """Raised by `parse_period` for text that is not a year or a span of years."""


class ParticipantsError(ParseError):
    """Raised by `parse_participants` (only for text far too long to be a cell)."""


class AmountError(ParseError):
    """Raised by `parse_amounts` (only for text far too long to be a cell)."""


class CommentError(ParseError):
    """Raised by `parse_comment` (only for text far too long to be a cell)."""


class StatusError(ParseError):
    """Raised by `parse_result`, `parse_status` and `parse_working_form` (too long text)."""


MAX_CELL = 20_000

YEAR = "year"
MONTH = "month"
DAY = "day"

_DASH = "-–—‐‑"
_LINEBREAK_HYPHEN = re.compile(r"(?<=[^\W\d_])-\s+(?!(?:og|eller|and|or)\b)(?=[a-zæøå])")


def dehyphenate(text: str) -> str:
    """Join words split by a line-break hyphen ("behand- ling" → "behandling").

    A hyphen followed by "og"/"eller" is a real one ("prosjekt- og styringsgruppe").
    """
    return _LINEBREAK_HYPHEN.sub("", collapse_whitespace(text or ""))


def _compact(text: str) -> str:
    """Lower-case text with spaces and hyphens removed, for matching broken words."""
    return re.sub(r"[\s\-‐‑]+", "", (text or "").casefold())


def _check_length(text: str, error: type[ParseError]) -> str:
    if not isinstance(text, str):
        raise error(repr(text), "Expected text.")
    if len(text) > MAX_CELL:
        raise error(text[:80], f"The cell is longer than {MAX_CELL} characters.")
    return text


# --- periods ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: dt.date | None = None
    start_precision: str = YEAR
    end: dt.date | None = None
    end_precision: str = YEAR
    open_ended: bool = False
    text: str = ""

    def label(self) -> str:
        return format_period(self)


_PERIOD = re.compile(rf"^(\d{{4}})\s*(?:([{_DASH}])\s*(\d{{4}}|\d{{2}})?)?$")


def parse_period(text: str) -> Period:
    """ "1999", "2000 – 2002", "2001 –", "1999- 2000" → a Period with year precision.

    A year span ends on 31 December of its last year; "2001 –" is open-ended. An empty
    cell gives an empty Period. Raises PeriodError for anything else.
    """
    text = _check_length(text, PeriodError)
    clean = collapse_whitespace(text)
    if not clean:
        return Period(text=text)
    m = _PERIOD.match(clean)
    if not m:
        return _period_by_grammar(text, clean)
    first = int(m.group(1))
    if not 1800 <= first <= 2200:
        raise PeriodError(text, f"{first} is not a plausible year.")
    start = dt.date(first, 1, 1)
    if not m.group(2):
        return Period(start=start, end=dt.date(first, 12, 31), text=text)
    if not m.group(3):
        return Period(start=start, open_ended=True, text=text)
    last_raw = m.group(3)
    last = int(last_raw) if len(last_raw) == 4 else (first // 100) * 100 + int(last_raw)
    if last < first:
        raise PeriodError(text, f"The period “{clean}” ends before it starts.")
    return Period(start=start, end=dt.date(last, 12, 31), text=text)


def _period_by_grammar(text: str, clean: str) -> Period:
    """Periods written otherwise ("fra høsten 2004", "vår 2006 - 2007", "01.03.2004 –"),
    by the grammar in importers.grammar.period."""
    parsed = period_grammar.parse(clean)
    if parsed is None:
        raise PeriodError(text, f"“{clean}” is not a year or a span of years.")
    start = parsed.start
    if not 1800 <= start.first.year <= 2200:
        raise PeriodError(text, f"{start.first.year} is not a plausible year.")
    if parsed.end is None:
        return Period(
            start=start.first, start_precision=start.precision, open_ended=True, text=text
        )
    if parsed.end.last < start.first:
        raise PeriodError(text, f"The period “{clean}” ends before it starts.")
    return Period(
        start=start.first,
        start_precision=start.precision,
        end=parsed.end.last,
        end_precision=parsed.end.precision,
        text=text,
    )


def format_period(period: Period) -> str:
    if period.start is None:
        return ""
    if period.open_ended:
        return f"{period.start.year} –"
    if period.end is None or period.end.year == period.start.year:
        return str(period.start.year)
    return f"{period.start.year} – {period.end.year}"


# --- participants ----------------------------------------------------------------------

PARTICIPANT = "participant"
OWNER = "owner"


@dataclass
class Mention:
    """One party named in a participants cell, before resolution."""

    name: str
    role: str = PARTICIPANT
    note: str = ""
    place: bool = False  # a school or place: `name` is the place, resolved via a table
    cooperation: bool = False  # "9k" itself
    count_only: bool = False  # "7 kommuner", "Fiberkommunene": cannot be resolved


@dataclass
class ParsedParticipants:
    text: str = ""
    all_members: bool = False
    stated_count: int | None = None
    excluded: list[Mention] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)


_SCHOOL = re.compile(
    r"^(?P<place>.+?)\s+(?P<kind>skole|u-skole|ungdomsskole|barneskole|b-skole)$", re.I
)
_COUNT_ONLY = re.compile(r"^(?P<n>\d+)\s+kommune(?:r|ne|n)?$", re.I)
_NOTE_MARK = re.compile(r"⟦(\d+)⟧")


# Abbreviations a full stop does not end a sentence after ("alle ekskl. Stokke").
_ABBREVIATIONS = {"ekskl", "eks", "inkl", "ca", "kr", "bl.a", "f.o.m", "t.o.m", "jf", "evt", "pga"}


def _split_sentences(text: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-ZÆØÅ0-9\"«])", text):
        words = text[start : m.start()].rstrip(".!?").split()
        if words and words[-1].casefold() in _ABBREVIATIONS:
            continue
        parts.append(text[start : m.start()])
        start = m.end()
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def parse_participants(text: str) -> ParsedParticipants:
    """Interpret a participants cell into "all members", exclusions, named parties and notes.

    Raises ParticipantsError only for text far too long to be a cell.
    """
    text = _check_length(text, ParticipantsError)
    result = ParsedParticipants(text=text)
    clean = dehyphenate(text)
    if not clean:
        return result
    for sentence in _split_sentences(clean):
        _parse_clause(sentence, result)
    return result


def _parse_clause(sentence: str, result: ParsedParticipants) -> None:
    s, role, mention_note = _clause_head(sentence.strip().rstrip(".").strip())
    s = _clause_tail(s, result)
    if not s:
        return
    if re.search(r"(?i)fiberkommune", s):
        result.unresolved.append(s)
        m = re.search(r"\((\d+)\s*stk\.?\)", s)
        if m:
            result.stated_count = int(m.group(1))
        return
    s, notes = _bracketed(s, result)
    clause = participants_grammar.parse(s)
    if clause.all_members:
        result.all_members = True
        if clause.stated_count is not None:
            result.stated_count = clause.stated_count
    for item in clause.included:
        _add_item(item, result, exclude=False, role=role, notes=notes, note=mention_note)
    for item in clause.excluded:
        _add_item(item, result, exclude=True, role=role, notes=notes, note=mention_note)


def _clause_head(s: str) -> tuple[str, str, str]:
    """The clause without its lead-in, the role it gives ("Prosjekteier:", "ledes av")
    and a note for its mentions ("Oppstart:")."""
    role = PARTICIPANT
    m = re.match(r"(?i)^prosjekteier\s*:\s*(.+)$", s)
    if m:
        role, s = OWNER, m.group(1)
    m = re.match(r"(?i)^(?:prosjektet\s+)?ledes\s+av\s+(.+)$", s)
    if m:
        role, s = OWNER, m.group(1)
    s = re.sub(r"(?i)^(?:deltakere|deltagere|participants)\s*:\s*", "", s)
    mention_note = ""
    m = re.match(r"(?i)^oppstart\s*:\s*(.+)$", s)
    if m:
        s = m.group(1)
        mention_note = "oppstart"
    return s, role, mention_note


def _clause_tail(s: str, result: ParsedParticipants) -> str:
    """The clause without its closing remarks; the remarks become shared notes."""
    for remark in (
        r"(?i),?\s*(frafall\s+underveis)\s*$",
        r"(?i)\s*(kommunene\s+deltar\s+som\s+gruppe)\s*$",
    ):
        m = re.search(remark, s)
        if m:
            result.notes.append(m.group(1))
            s = s[: m.start()]
    return re.sub(r"(?i)\s+(?:deltar|deltok)\s*$", "", s).strip()


def _bracketed(s: str, result: ParsedParticipants) -> tuple[str, list[str]]:
    """Brackets replaced: "(minus X)" by an exclusion, "(7 stk)" by the stated count, any
    other by a mark ⟦i⟧ for the note notes[i] of the item it follows."""
    notes: list[str] = []

    def paren(m: re.Match) -> str:
        inner = m.group(1).strip()
        excluded = participants_grammar.excluded_in_brackets(inner)
        if excluded:
            return f" minus {excluded} ; "
        cnt = re.match(r"(?i)^(\d+)\s*stk\.?$", inner)
        if cnt:
            result.stated_count = int(cnt.group(1))
            return " "
        notes.append(inner)
        return f" ⟦{len(notes) - 1}⟧ "

    return re.sub(r"\(([^()]*)\)", paren, s), notes


def _add_item(
    token: str,
    result: ParsedParticipants,
    *,
    exclude: bool,
    role: str,
    notes: list[str],
    note: str,
) -> None:
    item_notes = [notes[int(i)] for i in _NOTE_MARK.findall(token)]
    name = collapse_whitespace(_NOTE_MARK.sub(" ", token)).strip(" .:-–")
    if not name:
        if item_notes:
            result.notes.extend(item_notes)
        return
    if exclude:
        result.excluded.append(Mention(name=name, role=role, note="; ".join(item_notes)))
        return
    name = re.sub(r"(?i)^samlinger\s+med\s+", "", name)
    if name != collapse_whitespace(_NOTE_MARK.sub(" ", token)).strip(" .:-–"):
        item_notes.insert(0, "samlinger med")
    if note:
        item_notes.insert(0, note)
    text_note = "; ".join(item_notes)
    if re.fullmatch(r"(?i)9\s?k", name):
        result.mentions.append(Mention(name=name, role=role, note=text_note, cooperation=True))
        return
    count = _COUNT_ONLY.match(name)
    if count:
        result.stated_count = int(count.group("n"))
        result.unresolved.append(name)
        return
    school = _SCHOOL.match(name)
    if school:
        result.mentions.append(
            Mention(
                name=school.group("place"),
                role=role,
                note="; ".join(filter(None, [name, text_note])),
                place=True,
            )
        )
        return
    result.mentions.append(Mention(name=name, role=role, note=text_note))


# --- result, status, working form ------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    value: str = ""
    text: str = ""
    unresolved: str = ""
    continues_in: str = ""  # "Avsluttet (videreføres i 2)" → "2"
    consultant: str = ""  # "Innleid konsulent (ECON)" → "ECON"


def parse_result(text: str) -> Choice:
    """ "Gjennomført" → completed; "Pågår", "Pågår fort- løpende" → ongoing."""
    text = _check_length(text, StatusError)
    key = _compact(text)
    if not key:
        return Choice(text=text)
    if key.rstrip(".").startswith(("gjennomført", "ferdig", "fullført", "utført")) or key in {
        "completed",
        "done",
    }:
        return Choice(value="completed", text=text)
    if key.startswith(("pågår", "pågående", "underarbeid", "igang", "ongoing")):
        return Choice(value="ongoing", text=text)
    return Choice(text=text, unresolved=text)


def parse_status(text: str) -> Choice:
    """ "Avsluttet" → closed, "I drift" → in_operation, "Til behand- ling i kom- munene" →
    under_treatment; "Avsluttet (viderefør es i 2)" → closed, continues in part 2."""
    text = _check_length(text, StatusError)
    key = _compact(text)
    if not key:
        return Choice(text=text)
    m = re.fullmatch(r"avsluttet\(videreføres?i(\d+)\)\.?", key)
    if m:
        return Choice(value="closed", text=text, continues_in=m.group(1))
    if key.rstrip(".") in {"avsluttet", "closed"}:
        return Choice(value="closed", text=text)
    if key.rstrip(".") in {"idrift", "inoperation"}:
        return Choice(value="in_operation", text=text)
    if key.startswith("tilbehandling") or key.startswith("undertreatment"):
        return Choice(value="under_treatment", text=text)
    return Choice(text=text, unresolved=text)


_WORKING_FORMS = [
    (r"nettverks-?\s?gruppe|nettverk\b|-nettverk|faglig forum|network", "network_group"),
    (r"ekstern konsulent|innleid konsulent|konsulent|consultant", "external_consultant"),
    (r"prosjektleder|project leader", "project_leader"),
    (r"prosjektgruppe|prosjekt- og styringsgruppe|styringsgruppe|project group", "project_group"),
    (
        r"arbeidsgrupper?|arb\.\s?gruppe|faggruppe|prosessgruppe|gruppe|working group",
        "working_group",
    ),
]


def parse_working_form(text: str) -> Choice:
    """The first working-form keyword in the cell decides; "(ECON)" names the consultant."""
    text = _check_length(text, StatusError)
    clean = dehyphenate(text).casefold()
    if not clean:
        return Choice(text=text)
    best: tuple[int, str] | None = None
    for pattern, value in _WORKING_FORMS:
        m = re.search(pattern, clean)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), value)
    consultant = ""
    m = re.search(r"konsulent\s*\(([^()]+)\)", dehyphenate(text), re.I)
    if m:
        consultant = m.group(1).strip()
    if best is None:
        return Choice(text=text, unresolved=text, consultant=consultant)
    return Choice(value=best[1], text=text, consultant=consultant)


# --- amounts, host municipalities, spin-offs, due dates --------------------------------

GRANT = "grant"
COST = "cost"
BENEFIT = "benefit"


@dataclass(frozen=True)
class Amount:
    amount_nok: Decimal
    kind: str  # grant / cost / benefit, "" if unknown
    approximate: bool = False
    funder: str = ""
    year_from: int | None = None
    year_to: int | None = None
    text: str = ""  # the sentence it came from
    estimated: bool = False  # "beregnet", "anslått", "forventet": not a realised figure
    beneficiary: str = ""  # "... 1 mill til Tbg": the party the money went to, as written

    @property
    def benefit_category(self) -> str:
        return "budget_saving" if self.kind == BENEFIT else ""


_KIND_WORDS = [
    (r"tilskudd|støtte|støttet|bevilget|fullfinansiert|finansiert|innvilget|fått", GRANT),
    (r"besparelse|spart|innsparing|gevinst", BENEFIT),
    (r"kostnad|drift i", COST),
]
_FUNDERS = re.compile(
    r"(HØYKOM|Høykom|\bKRD\b|\bFM\b|\bSHD\b|Uninett ABC|Uninett|\bKS\b|Husbanken"
    r"|[Ff]ylkes-?\s?kommunen?\b|[Ff]ylkesmannen?\b)"
)
_YEAR_SPAN = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*[-–]\s*(\d{2}|\d{4})(?![\d.])")
_ESTIMATE = re.compile(r"(?i)\b(?:beregnet|anslått|anslag|forventet|estimert|antatt)\b")
_YEAR_IN = re.compile(r"(?i)\bi\s+((?:19|20)\d{2})\b")


def _clean_funder(raw: str) -> str:
    return re.sub(r"-\s*", "", raw)


def parse_amounts(text: str) -> list[Amount]:
    """All money amounts in a comment, each with its kind, funder and year(s) if stated.

    The amounts are found by the grammar in importers.grammar.money: a number counts only
    with a currency ("kr", "NOK"), a scale ("mill", "MNOK") or thousand groups ("350 000"),
    so years, dates, percentages and "53 foredrag" are never amounts.
    """
    text = _check_length(text, AmountError)
    clean = dehyphenate(text)
    sentences = _split_sentences(clean)
    found: list[Amount] = []
    for index, sentence in enumerate(sentences):
        matches = money_grammar.find_amounts(sentence)
        for i, m in enumerate(matches):
            seg_start = matches[i - 1].end if i else 0
            seg_end = matches[i + 1].start if i + 1 < len(matches) else len(sentence)
            before = sentence[seg_start : m.start]
            segment = sentence[seg_start:seg_end]
            kind = _kind_of(before) or _kind_of(segment)
            funder = ""
            if kind in (GRANT, ""):
                funder = _named_funder(segment, m.start - seg_start, grant=kind == GRANT)
            if not funder and kind in (GRANT, ""):
                funder = _funder_in(segment, m.start - seg_start)
            if not funder and kind in (GRANT, ""):
                funder = _funder_in(sentence, m.start)
                if not funder and index:
                    previous = sentences[index - 1]
                    funder = _named_funder(previous, len(previous), grant=True) or _funder_in(
                        previous, len(previous)
                    )
            if not kind and funder:
                kind = GRANT
            year_from, year_to = _years_in(segment)
            found.append(
                Amount(
                    amount_nok=m.value,
                    kind=kind,
                    approximate=m.approximate,
                    funder=funder,
                    year_from=year_from,
                    year_to=year_to,
                    text=sentence,
                    estimated=bool(_ESTIMATE.search(before)) or m.approximate,
                    beneficiary=money_grammar.beneficiary(sentence[m.end : seg_end]),
                )
            )
    return found


def _years_in(segment: str) -> tuple[int | None, int | None]:
    span = _YEAR_SPAN.search(segment)
    if span:
        year_from = int(span.group(1))
        last = span.group(2)
        year_to = int(last) if len(last) == 4 else (year_from // 100) * 100 + int(last)
        return year_from, max(year_to, year_from)
    single = _YEAR_IN.search(segment)
    if single:
        return int(single.group(1)), int(single.group(1))
    return None, None


def _named_funder(segment: str, anchor: int, *, grant: bool) -> str:
    """The funder the money grammar names nearest the amount: "støttet av X", "X
    bevilget"; a bare "fra X"/"av X" counts only for an amount already known as a grant."""
    pool = [f for f in money_grammar.find_funders(segment) if f.strong or grant]
    if not pool:
        return ""
    return min(pool, key=lambda f: abs(f.start - anchor)).name


def _kind_of(segment: str) -> str:
    best: tuple[int, str] | None = None
    low = segment.casefold()
    for pattern, kind in _KIND_WORDS:
        for m in re.finditer(pattern, low):
            if best is None or m.start() > best[0]:
                best = (m.start(), kind)
    return best[1] if best else ""


def _funder_in(segment: str, anchor: int) -> str:
    candidates = list(_FUNDERS.finditer(segment))
    if not candidates:
        return ""
    after_from = [
        c for c in candidates if re.search(r"(?i)\b(fra|av)\s+$", segment[: c.start()][-8:])
    ]
    pool = after_from or candidates
    best = min(pool, key=lambda c: abs(c.start() - anchor))
    return _clean_funder(best.group(1))


@dataclass(frozen=True)
class SpinOffFact:
    name: str
    kind: str  # limited_company / host_municipality / other
    year: int | None = None
    host: str = ""
    text: str = ""


@dataclass(frozen=True)
class DueFact:
    title: str
    kind: str  # report / proposal
    date: dt.date | None
    precision: str
    delivered: bool = False
    text: str = ""


@dataclass
class CommentFacts:
    text: str = ""
    amounts: list[Amount] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)
    spin_offs: list[SpinOffFact] = field(default_factory=list)
    due: list[DueFact] = field(default_factory=list)
    stopped: bool = False


_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "mai": 5,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "okt": 10,
    "oct": 10,
    "nov": 11,
    "des": 12,
    "dec": 12,
}
_DATE = r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4}|\d{2})"
_MONTH_YEAR = r"(?:i\s+)?(?P<month>[a-zæøå]{3,9})\.?\s+(?P<year>(?:19|20)\d{2})"
_DUE = re.compile(
    rf"(?i)^(?P<title>.*?)\s*(?:\bleveres\b|\bskal\s+levere(?:\s+(?P<obj>\w+))?)\s+"
    rf"(?:{_DATE}|{_MONTH_YEAR})"
)
_DELIVERED = re.compile(rf"(?i)(?P<title>\w*rapport)\s+levert\s+{_MONTH_YEAR}")
_HOST_ONE = re.compile(r"\b([A-ZÆØÅ][\wæøå]+)\s+(?:er\s+)?vertskommune\b")
_HOST_MANY = re.compile(
    r"\bi\s+([A-ZÆØÅ][\wæøå]+(?:\s*(?:,|og)\s*[A-ZÆØÅ][\wæøå]+)*)\s*\(vertskommuner\)"
)


def _year(raw: str) -> int:
    value = int(raw)
    if len(raw) == 2:
        value += 2000 if value < 50 else 1900
    return value


def _month(raw: str) -> int | None:
    return _MONTHS.get(raw.casefold()[:3])


def _due_date(m: re.Match) -> tuple[dt.date | None, str]:
    if m.groupdict().get("d"):
        try:
            return dt.date(_year(m.group("y")), int(m.group("m")), int(m.group("d"))), DAY
        except ValueError:
            return None, DAY
    month = _month(m.group("month"))
    if month is None:
        return None, MONTH
    return dt.date(int(m.group("year")), month, 1), MONTH


def parse_comment(text: str) -> CommentFacts:
    """Money, host municipalities, spin-offs and due/delivered reports in a comment cell."""
    text = _check_length(text, CommentError)
    try:
        amounts = parse_amounts(text)
    except AmountError as exc:  # pragma: no cover - same length limit
        raise CommentError(text[:80], str(exc)) from exc
    facts = CommentFacts(text=text, amounts=amounts)
    clean = dehyphenate(text)
    for sentence in _split_sentences(clean):
        for m in _HOST_ONE.finditer(sentence):
            facts.hosts.append(m.group(1))
        for m in _HOST_MANY.finditer(sentence):
            facts.hosts.extend(p for p in re.split(r"\s*(?:,|\bog\b)\s*", m.group(1)) if p)
        m = re.search(
            r"[Oo]pprettet\s+(aksjeselskapet|selskapet)\s+([A-ZÆØÅ][\wæøå]*(?:\s+AS)?)", sentence
        )
        if m:
            kind = (
                "limited_company"
                if m.group(1).lower() == "aksjeselskapet" or m.group(2).endswith(" AS")
                else "other"
            )
            facts.spin_offs.append(SpinOffFact(name=m.group(2), kind=kind, text=sentence))
        known = {f.name for f in facts.spin_offs}
        for handover in handover_grammar.find(sentence):
            if handover.name in known:
                continue
            kind = "other"
            if handover.company:
                kind = "limited_company"
            elif handover.intermunicipal:
                kind = "intermunicipal_company"
            facts.spin_offs.append(
                SpinOffFact(name=handover.name, kind=kind, year=handover.year, text=sentence)
            )
        m = re.search(
            r"(?i)\betablert\s+(felles\s+[\wæøå]+)\b.*?\bi\s+([A-ZÆØÅ][\wæøå]+)\.?$", sentence
        )
        if m and m.group(2)[0].isupper():
            facts.spin_offs.append(
                SpinOffFact(
                    name=m.group(1), kind="host_municipality", host=m.group(2), text=sentence
                )
            )
        m = _DUE.search(sentence)
        if m:
            date, precision = _due_date(m)
            title = collapse_whitespace(m.group("title"))
            obj = m.group("obj") or ""
            if not title or re.search(r"(?i)gruppe$", title):
                title = obj.capitalize() if obj else "Rapport"
            kind = "proposal" if "forslag" in (title + obj).casefold() else "report"
            facts.due.append(
                DueFact(title=title, kind=kind, date=date, precision=precision, text=sentence)
            )
        m = _DELIVERED.search(sentence)
        if m:
            date, precision = _due_date(m)
            facts.due.append(
                DueFact(
                    title=m.group("title").capitalize(),
                    kind="report",
                    date=date,
                    precision=precision,
                    delivered=True,
                    text=sentence,
                )
            )
        if re.search(r"(?i)\bstoppet\b|\bikke igangsatt\b", sentence):
            facts.stopped = True
    return facts


def last_day(date: dt.date, precision: str) -> dt.date:
    """The last day a date of the given precision stands for."""
    if precision == YEAR:
        return dt.date(date.year, 12, 31)
    if precision == MONTH:
        return dt.date(date.year, date.month, calendar.monthrange(date.year, date.month)[1])
    return date
