"""Text normalisation shared by look-ups, search and importers.

Names (`normalize_name`) keep æ, ø and å: they are letters of their own and tell names
apart. Search (`fold_for_search`) folds them so people can type on any keyboard: see
`fold_for_search` for the one rule applied to both the stored text and the query.
"""

import re
import unicodedata

_KEEP = {"æ", "ø", "å"}
_SPACE = re.compile(r"\s+")
_NORWEGIAN = str.maketrans({"æ": "a", "ø": "o", "å": "a"})
_DIGRAPH = re.compile(r"aa|ae|oe")
_DIGRAPH_FOLD = {"aa": "a", "ae": "a", "oe": "o"}


def collapse_whitespace(value: str) -> str:
    return _SPACE.sub(" ", value or "").strip()


def normalize_name(value: str) -> str:
    """Key for matching names: case-insensitive, whitespace-insensitive, æøå intact."""
    return collapse_whitespace(unicodedata.normalize("NFC", value or "")).casefold()


def fold_for_search(value: str) -> str:
    """The search key: one canonical folding for the stored text and the query alike.

    1. lower-case (casefold), strip accents (é → e, ü → u), collapse whitespace;
    2. æ → a, ø → o, å → a;
    3. the ASCII spellings aa → a, ae → a, oe → o, repeated until none is left.

    So “bredbånd”, “Bredband” and “bredbaand” all fold to “bredband”, “næringsarealer” and
    “naeringsarealer” to “naringsarealer”, “Tønsberg”, “Tonsberg” and “Toensberg” to
    “tonsberg”. The folding is idempotent: folding folded text changes nothing.
    """
    out = []
    for ch in unicodedata.normalize("NFC", (value or "").casefold()):
        if ch in _KEEP:
            out.append(ch)
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    text = collapse_whitespace("".join(out)).translate(_NORWEGIAN)
    while True:
        folded = _DIGRAPH.sub(lambda m: _DIGRAPH_FOLD[m.group()], text)
        if folded == text:
            return text
        text = folded
