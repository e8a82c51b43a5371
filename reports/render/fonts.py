"""The font of every report: Liberation Sans (metric-compatible with Arial), from the files
installed on the machine (Debian's fonts-liberation2; DejaVu Sans when it is missing). The
PDF embeds these files; the DOCX names Arial, which Word has and LibreOffice maps to
Liberation Sans with the same widths, so the column widths measured here hold in both."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
)
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
DOCX_FONT = "Arial"


@dataclass(frozen=True)
class FontFiles:
    family: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path


@functools.cache
def font_files() -> FontFiles:
    for directory in FONT_DIRS:
        regular = directory / "LiberationSans-Regular.ttf"
        if regular.exists():
            return FontFiles(
                "Liberation Sans",
                regular,
                directory / "LiberationSans-Bold.ttf",
                directory / "LiberationSans-Italic.ttf",
                directory / "LiberationSans-BoldItalic.ttf",
            )
    if (DEJAVU / "DejaVuSans.ttf").exists():
        return FontFiles(
            "DejaVu Sans",
            DEJAVU / "DejaVuSans.ttf",
            DEJAVU / "DejaVuSans-Bold.ttf",
            DEJAVU / "DejaVuSans-Oblique.ttf",
            DEJAVU / "DejaVuSans-BoldOblique.ttf",
        )
    from matplotlib import font_manager

    path = Path(font_manager.findfont("DejaVu Sans"))  # matplotlib ships DejaVu Sans
    return FontFiles("DejaVu Sans", path, path, path, path)


@functools.cache
def _face(path: Path):
    from matplotlib.ft2font import FT2Font

    return FT2Font(str(path))


_ADVANCES: dict[tuple[str, bool], float] = {}


def _advance(char: str, bold: bool) -> float:
    """The advance width of one character in em (cached: a report has few distinct ones)."""
    key = (char, bold)
    found = _ADVANCES.get(key)
    if found is None:
        files = font_files()
        face = _face(files.bold if bold else files.regular)
        face.set_size(100.0, 72)
        glyph = face.load_char(ord(char))
        found = _ADVANCES[key] = glyph.linearHoriAdvance / 65536.0 / 100.0
    return found


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width of `text` on one line in points at `size` points: the sum of the characters'
    advances (kerning left out: a fraction of a point per pair, within the cell margins)."""
    if not text:
        return 0.0
    return sum(_advance(c, bold) for c in text) * size
