"""Text normalisation shared by look-ups, search and importers.

Norwegian letters æ, ø and å are letters of their own, not accented a/o: they are kept
intact, while other accents (é, ü, á ...) fold to their base letter.
"""

import re
import unicodedata

_KEEP = {"æ", "ø", "å"}
_SPACE = re.compile(r"\s+")


def collapse_whitespace(value: str) -> str:
    return _SPACE.sub(" ", value or "").strip()


def normalize_name(value: str) -> str:
    """Key for matching names: case-insensitive, whitespace-insensitive, æøå intact."""
    return collapse_whitespace(unicodedata.normalize("NFC", value or "")).casefold()


def fold_for_search(value: str) -> str:
    """Lower-case, strip accents other than æøå, collapse whitespace."""
    out = []
    for ch in unicodedata.normalize("NFC", (value or "").casefold()):
        if ch in _KEEP:
            out.append(ch)
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return collapse_whitespace("".join(out))
