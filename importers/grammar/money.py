"""The grammar of money phrases in a comment, and of who paid.

    amount   := approx? currency? number scale? currency? (",-")?
    approx   := "ca" "."? | "cirka" | "om lag" | "omkring" | "rundt" | "anslagsvis"
    currency := "kr" "."? | "kroner" | "NOK"
    number   := "½" | group (sep3 group3)+ | digits ([.,] digits)?
                (groups of three, by a space or a full stop: "250 000", "1.500.000")
    scale    := "mill" "."? | "million(er)" | "MNOK" | "mrd" | "milliard(er)" | "tusen"

A number is an amount only with a currency, a scale or thousand groups, so years, dates,
"53 foredrag" and "7 kommunehus" never are.

    funder   := grant_verb gap? ("av" | "fra") name       "støttet av Helsedirektoratet"
              | name ("har")? grant_verb                  "HØYKOM bevilget 600 000 kr"
              | ("fra" | "av") name                       after a grant's amount
    to       := amount "til" name                         "1 mill til Tbg": who got it
    name     := name_word (("i" | "for" | "og") name_word)* ("AS" | "ASA" | "IKS" | "SF")?

A name word starts with a capital letter (and is not a sentence's "Prosjektet", "Det", ...).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from importers.grammar.core import NUM, WORD, Token, alt, dot, lit, seq, tokenize

approx = alt(dot(lit("ca")), lit("cirka", "om lag", "omkring", "rundt", "anslagsvis"))
currency = alt(dot(lit("kr")), lit("kroner", "nok"))
SCALES = {
    "mill": Decimal(1_000_000),
    "millioner": Decimal(1_000_000),
    "million": Decimal(1_000_000),
    "mnok": Decimal(1_000_000),
    "mrd": Decimal(1_000_000_000),
    "milliard": Decimal(1_000_000_000),
    "milliarder": Decimal(1_000_000_000),
    "tusen": Decimal(1_000),
}
scale = dot(lit(*SCALES))
dash_suffix = seq(lit(","), alt(lit("-"), lit("–")))


@dataclass(frozen=True)
class AmountMatch:
    start: int
    end: int
    value: Decimal
    approximate: bool
    currency: bool
    scaled: bool
    grouped: bool

    @property
    def is_money(self) -> bool:
        return self.currency or self.scaled or self.grouped


def _adjacent(text: str, a: Token, b: Token, gap: str) -> bool:
    return text[a.end : b.start] == gap


def _date_like(text: str, tokens: Sequence[Token], j: int) -> bool:
    """Token j is followed by ".<digits>" (01.06.05 is a date, not 1.06)."""
    return (
        j + 2 < len(tokens)
        and tokens[j + 1].text in ".,"
        and tokens[j + 2].kind == NUM
        and _adjacent(text, tokens[j], tokens[j + 1], "")
        and _adjacent(text, tokens[j + 1], tokens[j + 2], "")
    )


def _grouped(text: str, tokens: Sequence[Token], i: int) -> tuple[Decimal, int] | None:
    """ "250 000", "1 500 000", "1.500.000": the value and the next index."""
    if len(tokens[i].text) > 3:
        return None
    for gap in (" ", "\u00a0"):
        j = i
        digits = tokens[i].text
        while (
            j + 1 < len(tokens)
            and tokens[j + 1].kind == NUM
            and len(tokens[j + 1].text) == 3
            and _adjacent(text, tokens[j], tokens[j + 1], gap)
        ):
            digits += tokens[j + 1].text
            j += 1
        if j > i:
            return Decimal(digits), j + 1
    j = i
    digits = tokens[i].text
    while (
        _date_like(text, tokens, j) and tokens[j + 1].text == "." and len(tokens[j + 2].text) == 3
    ):
        digits += tokens[j + 2].text
        j += 2
    if j > i and not _date_like(text, tokens, j):
        return Decimal(digits), j + 1
    return None


def _number(text: str, tokens: Sequence[Token], i: int) -> tuple[Decimal, bool, int] | None:
    """(value, written with thousand groups, next index)."""
    if i >= len(tokens):
        return None
    t = tokens[i]
    if t.kind == WORD and t.text == "½":
        return Decimal("0.5"), False, i + 1
    if t.kind != NUM:
        return None
    grouped = _grouped(text, tokens, i)
    if grouped is not None:
        return grouped[0], True, grouped[1]
    if _date_like(text, tokens, i):
        if _date_like(text, tokens, i + 2):
            return None  # 01.06.05
        return Decimal(f"{t.text}.{tokens[i + 2].text}"), False, i + 3
    return Decimal(t.text), False, i + 1


def _amount_at(text: str, tokens: Sequence[Token], i: int) -> tuple[AmountMatch, int] | None:
    start = i
    r = approx(tokens, i)
    is_approx = r is not None
    if r:
        i = r[1]
    r = currency(tokens, i)
    has_currency = r is not None
    if r:
        i = r[1]
    n = _number(text, tokens, i)
    if n is None:
        return None
    value, grouped, i = n
    r = scale(tokens, i)
    scaled = r is not None
    if r:
        value *= SCALES[r[0]]
        has_currency = has_currency or r[0] == "mnok"
        i = r[1]
    r = currency(tokens, i)
    if r:
        has_currency = True
        i = r[1]
    r = dash_suffix(tokens, i)
    if r and has_currency:
        i = r[1]
    if i < len(tokens) and tokens[i].text == "%":
        return None
    if value == Decimal("0.5") and tokens[i - 1].text == "½" and not scaled:
        return None
    match = AmountMatch(
        start=tokens[start].start,
        end=tokens[i - 1].end,
        value=value,
        approximate=is_approx,
        currency=has_currency,
        scaled=scaled,
        grouped=grouped,
    )
    return match, i


def find_amounts(text: str) -> list[AmountMatch]:
    """Every amount of money in the text, left to right."""
    tokens = tokenize(text)
    found: list[AmountMatch] = []
    i = 0
    while i < len(tokens):
        prev = tokens[i - 1] if i else None
        if prev is not None and prev.text in "./," and prev.end == tokens[i].start:
            i += 1  # inside 1.200 or 01.06.05
            continue
        r = _amount_at(text, tokens, i)
        if r is not None and r[0].is_money:
            found.append(r[0])
            i = r[1]
        else:
            i += 1
    return found


# --- funders ---------------------------------------------------------------------------

GRANT_VERBS = (
    "støttet",
    "støtter",
    "støtte",
    "prosjektstøtte",
    "finansiert",
    "fullfinansiert",
    "delfinansiert",
    "finansierer",
    "tilskudd",
    "bevilget",
    "bevilger",
    "innvilget",
    "bidrag",
    "bidro",
    "midler",
    "prosjektmidler",
    "skjønnsmidler",
    "fått",
    "gitt",
    "gir",
)
grant_verb = lit(*GRANT_VERBS)
NOT_NAMES = {
    "prosjektet",
    "prosjektene",
    "det",
    "dette",
    "den",
    "tiltaket",
    "arbeidet",
    "kommunen",
    "kommunene",
    "vi",
    "som",
    "men",
    "og",
    "i",
    "har",
    "med",
    "statlig",
    "staten",
    "tilskudd",
    "støtte",
}
SUFFIXES = {"as", "asa", "iks", "sf", "kf", "hf"}
LINKS = {"i", "for", "og"}
# A lower-case word that still belongs to the name before it.
INSTITUTION_ENDINGS = (
    "råd",
    "rådet",
    "vesen",
    "vesenet",
    "fond",
    "fondet",
    "direktorat",
    "direktoratet",
    "departement",
    "departementet",
    "forbund",
    "bank",
    "banken",
    "verk",
    "verket",
)


def _name_word(t: Token) -> bool:
    return (
        t.kind == WORD
        and t.text[:1].isupper()
        and t.low not in NOT_NAMES
        and t.text not in {"Kr", "NOK"}
    )


def name_at(tokens: Sequence[Token], i: int) -> tuple[str, int, int] | None:
    """A capitalised name starting at i: (name, start offset, next index)."""
    if i >= len(tokens) or not _name_word(tokens[i]):
        return None
    j = i + 1
    while j < len(tokens):
        t = tokens[j]
        if _name_word(t) or (t.low in SUFFIXES and t.kind == WORD):
            j += 1
        elif t.kind == WORD and t.low.endswith(INSTITUTION_ENDINGS):
            j += 1  # "Norsk kulturråd", "Statens vegvesen"
        elif (
            (t.low in LINKS or t.text == "-") and j + 1 < len(tokens) and _name_word(tokens[j + 1])
        ):
            j += 2
        else:
            break
    return " ".join(x.text for x in tokens[i:j]).replace(" - ", "-"), tokens[i].start, j


def beneficiary(text: str) -> str:
    """Who the money went to, in the words after an amount: "... på 1 mill til Tbg" → "Tbg".
    A lower-case word ("til kabling av ...") names nobody."""
    tokens = tokenize(text)
    for i, t in enumerate(tokens[:4]):
        if t.low == "til":
            named = name_at(tokens, i + 1)
            return named[0] if named else ""
    return ""


@dataclass(frozen=True)
class FunderMatch:
    name: str
    start: int
    strong: bool  # named with a grant verb ("støttet av X", "X bevilget")


def find_funders(text: str) -> list[FunderMatch]:
    tokens = tokenize(text)
    found: list[FunderMatch] = []
    for i in range(len(tokens)):
        if tokens[i].low in {"av", "fra"}:
            named = name_at(tokens, i + 1)
            if named is not None:
                strong = any(grant_verb(tokens, k) for k in range(max(0, i - 4), i))
                found.append(FunderMatch(named[0], named[1], strong))
            continue
        named = name_at(tokens, i)
        if named is None or (i and _name_word(tokens[i - 1])):
            continue
        j = named[2]
        if j < len(tokens) and tokens[j].low == "har":
            j += 1
        if grant_verb(tokens, j):
            found.append(FunderMatch(named[0], named[1], True))
    return found
