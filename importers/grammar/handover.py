"""The grammar of operation handed to a body (a spin-off) in a comment.

    handover := subject? verb name when?
    subject  := "drift" | "driften" | "driftsansvaret" | "tjenesten" | "fiberen" | ...
    verb     := "overført til" | "overtatt av" | "driftes av" | "drives av" | "drives nå av"
              | "videreført i" | "videreføres i" | "videreført av" | "lagt inn i"
              | "skilt ut i" | "skilt ut som" | "organisert i" | "etablert som"
    name     := a capitalised name (importers.grammar.money.name_at): "GigaFib AS",
                "Vestfold IKT IKS"
    when     := ("i" | "fra" | "f.o.m." | "fom" | "fra og med") year | "(" year ")"

"videreføres i 2" is a continuation (a number is not a name), not a spin-off. A year that
is not next to the name but elsewhere in the sentence ("I 2006 ble driften overført til X")
is the year too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from importers.grammar.core import NUM, alt, dot, lit, seq, token, tokenize
from importers.grammar.money import name_at

VERBS = (
    "overført til",
    "overførtes til",
    "overføres til",
    "overtatt av",
    "overtas av",
    "driftes av",
    "driftes nå av",
    "drives av",
    "drives nå av",
    "videreført i",
    "videreføres i",
    "videreført av",
    "videreføres av",
    "lagt inn i",
    "lagt inn under",
    "skilt ut i",
    "skilt ut som",
    "organisert i",
    "etablert som",
)
verb = lit(*VERBS)
year = token(NUM, lambda t: len(t.text) == 4 and 1900 <= int(t.text) <= 2100)
when = alt(
    seq(alt(lit("fra og med", "i", "fra", "fom"), dot(lit("f.o.m"))), year),
    seq(lit("("), year),
)
COMPANY_SUFFIXES = ("AS", "ASA")
_ANY_YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")


@dataclass(frozen=True)
class Handover:
    name: str
    year: int | None
    verb: str

    @property
    def company(self) -> bool:
        return self.name.split()[-1].upper() in COMPANY_SUFFIXES

    @property
    def intermunicipal(self) -> bool:
        return self.name.split()[-1].upper() == "IKS"


def find(sentence: str) -> list[Handover]:
    tokens = tokenize(sentence)
    found = []
    for i in range(len(tokens)):
        r = verb(tokens, i)
        if r is None:
            continue
        named = name_at(tokens, r[1])
        if named is None:
            continue
        name, _start, j = named
        w = when(tokens, j)
        if w is not None:
            found_year: int | None = int(w[0][1].text)
        else:
            rest = _ANY_YEAR.findall(sentence)
            found_year = int(rest[0]) if len(rest) == 1 else None
        found.append(Handover(name=name, year=found_year, verb=r[0]))
    return found
