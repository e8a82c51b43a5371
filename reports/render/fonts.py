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


@functools.lru_cache(maxsize=20000)
def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width of `text` on one line in points at `size` points."""
    if not text:
        return 0.0
    files = font_files()
    face = _face(files.bold if bold else files.regular)
    # Measured at 100 pt and scaled: hinting at small sizes would round every glyph.
    face.set_size(100.0, 72)
    face.set_text(text, 0.0)
    width, _height = face.get_width_height()
    return width / 64.0 * size / 100.0
