"""The grammar of one clause of a participants cell.

    clause     := all_head? part*
    all_head   := "alle" ","? ("de")? count? coop? members? ("kommunene")?
    count      := number not followed by "k"           ("Alle 7 kommunene")
    coop       := number "-"? "k" ("-kommunene")?       ("Alle 12k", "alle 9k-kommunene")
    part       := operator? item
    operator   := exclude | include | separator
    exclude    := "minus" | "unntatt" | "untatt" | "utenom" | "bortsett fra" | "ekskl."
                | "eksklusive" | "med unntak av" | "uten" | "unntak"
    include    := "pluss" | "samt" | "+" | ";" | "&" | "i tillegg" | "inkl." | "inkludert"
    separator  := "," | "og" | "/"
    item       := any run of tokens up to the next operator

An exclusion holds until an inclusion ("Alle, minus Andebu og Stokke, pluss Svelvik"):
a separator continues the list the last operator started. Items come back as the text
they were written with (notes marked ⟦i⟧ stay in them), to be named by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from importers.grammar.core import (
    DASH,
    NUM,
    alt,
    dot,
    fmap,
    lit,
    opt,
    seq,
    token,
    tokenize,
)

EXCLUDE_WORDS = (
    "minus",
    "unntatt",
    "untatt",
    "utenom",
    "bortsett fra",
    "med unntak av",
    "unntak av",
    "eksklusive",
    "uten",
)
INCLUDE_WORDS = (
    "pluss",
    "samt",
    "i tillegg til",
    "i tillegg",
    "inklusive",
    "inkludert",
    "+",
    "&",
    ";",
)
SEPARATORS = (",", "og", "/")

exclude = alt(lit(*EXCLUDE_WORDS), fmap(dot(lit("ekskl", "eks", "ekskl")), lambda _: "ekskl."))
include = alt(lit(*INCLUDE_WORDS), fmap(dot(lit("inkl")), lambda _: "inkl."))
separator = lit(*SEPARATORS)

members_word = lit(
    "medlemskommunene",
    "medlemskommuner",
    "kommunene",
    "kommuner",
    "kommunen",
    "kommune",
    "medlemmene",
)
number = token(NUM, lambda t: len(t.text) <= 3)
coop = fmap(
    seq(number, opt(token(DASH)), lit("k"), opt(seq(token(DASH), members_word))),
    lambda v: f"{v[0].text}k",
)
count = fmap(seq(number, members_word), lambda v: int(v[0].text))
count_alone = fmap(number, lambda t: int(t.text))
all_head = seq(
    lit("alle"),
    opt(lit(",")),
    opt(lit("de")),
    opt(coop),
    opt(alt(count, count_alone)),
    opt(coop),
    opt(members_word),
)
EXCLUDE = "exclude"
INCLUDE = "include"


@dataclass
class Clause:
    all_members: bool = False
    stated_count: int | None = None
    cooperation: str = ""  # "12k" in "Alle 12k"
    included: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)


def parse(text: str) -> Clause:
    """Read one clause; never fails (an item is whatever lies between operators)."""
    tokens = tokenize(text)
    clause = Clause()
    i = 0
    head = all_head(tokens, i)
    if head is not None:
        (_alle, _comma, _de, coop1, stated, coop2, _members), i = head
        clause.all_members = True
        clause.cooperation = coop1 or coop2 or ""
        clause.stated_count = stated
    mode = INCLUDE
    item_start: int | None = None
    item_end = 0

    def close() -> None:
        nonlocal item_start
        if item_start is not None:
            piece = text[item_start:item_end]
            (clause.excluded if mode == EXCLUDE else clause.included).append(piece)
        item_start = None

    while i < len(tokens):
        for parser, new_mode in ((exclude, EXCLUDE), (include, INCLUDE), (separator, None)):
            r = parser(tokens, i)
            if r is not None:
                close()
                mode = new_mode or mode
                i = r[1]
                break
        else:
            if item_start is None:
                item_start = tokens[i].start
            item_end = tokens[i].end
            i += 1
    close()
    return clause


bracket_exclusion = alt(exclude, lit("ikke"), token(DASH))


def excluded_in_brackets(inner: str) -> str | None:
    """ "-Tønsberg", "minus Stokke", "unntatt Re og Hof" in brackets: the names excluded."""
    tokens = tokenize(inner)
    r = bracket_exclusion(tokens, 0)
    if r is None or r[1] >= len(tokens):
        return None
    return inner[tokens[r[1]].start :].strip()
