"""Tokenizer and parser combinators shared by the cell grammars.

A parser is a function `(tokens, i) -> (value, j) | None`: it reads tokens from index i
and returns its value and the index after what it read, or None when it does not match.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

WORD = "word"
NUM = "num"
DASH = "dash"
PUNCT = "punct"
MARK = "mark"  # ⟦i⟧: a bracketed note taken out by the participants parser

_TOKEN = re.compile(
    r"(?P<mark>⟦\d+⟧)|(?P<num>\d+)|(?P<word>[^\W\d_]+)|(?P<dash>[-–—‐‑])|(?P<punct>[^\w\s])"
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.casefold()


def tokenize(text: str) -> list[Token]:
    return [
        Token(m.lastgroup or PUNCT, m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)
    ]


Result = tuple[Any, int] | None
Parser = Callable[[Sequence[Token], int], Result]


def lit(*phrases: str) -> Parser:
    """One of the phrases, each a run of tokens ("bortsett fra", "f.o.m"); case-insensitive.
    The value is the phrase as given (the first spelling of it)."""
    options = sorted(
        ((phrase, [t.low for t in tokenize(phrase)]) for phrase in phrases),
        key=lambda item: -len(item[1]),
    )

    def parse(tokens: Sequence[Token], i: int) -> Result:
        for phrase, words in options:
            if len(tokens) - i >= len(words) and all(
                tokens[i + k].low == w for k, w in enumerate(words)
            ):
                return phrase, i + len(words)
        return None

    return parse


def token(kind: str, test: Callable[[Token], bool] = lambda t: True) -> Parser:
    def parse(tokens: Sequence[Token], i: int) -> Result:
        if i < len(tokens) and tokens[i].kind == kind and test(tokens[i]):
            return tokens[i], i + 1
        return None

    return parse


def seq(*parsers: Parser) -> Parser:
    def parse(tokens: Sequence[Token], i: int) -> Result:
        values = []
        for p in parsers:
            r = p(tokens, i)
            if r is None:
                return None
            value, i = r
            values.append(value)
        return tuple(values), i

    return parse


def alt(*parsers: Parser) -> Parser:
    def parse(tokens: Sequence[Token], i: int) -> Result:
        for p in parsers:
            r = p(tokens, i)
            if r is not None:
                return r
        return None

    return parse


def opt(p: Parser, default: Any = None) -> Parser:
    def parse(tokens: Sequence[Token], i: int) -> Result:
        r = p(tokens, i)
        return r if r is not None else (default, i)

    return parse


def many(p: Parser) -> Parser:
    def parse(tokens: Sequence[Token], i: int) -> Result:
        values = []
        while True:
            r = p(tokens, i)
            if r is None or r[1] == i:
                return values, i
            value, i = r
            values.append(value)

    return parse


def fmap(p: Parser, f: Callable[[Any], Any]) -> Parser:
    def parse(tokens: Sequence[Token], i: int) -> Result:
        r = p(tokens, i)
        return None if r is None else (f(r[0]), r[1])

    return parse


def end(tokens: Sequence[Token], i: int) -> Result:
    return (None, i) if i == len(tokens) else None


def full(p: Parser, tokens: Sequence[Token]) -> Any:
    """The value of p over all tokens, or None when it does not read them all."""
    r = seq(p, end)(tokens, 0)
    return None if r is None else r[0][0]


def dot(p: Parser) -> Parser:
    """p followed by an optional full stop ("ekskl." / "ekskl")."""
    return fmap(seq(p, opt(lit("."))), lambda v: v[0])
