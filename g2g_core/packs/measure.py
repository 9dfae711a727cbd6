"""How many lines a text takes when wrapped, measured with the shipped DejaVu Sans.

DejaVu Sans is about 12 % wider than Arial, the deck's font, so a layout measured with it leaves a margin in
PowerPoint and LibreOffice alike; the PDF is set in DejaVu Sans itself.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

FONT_DIR = Path(__file__).parent / "fonts"
REGULAR = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
_SIZE = 100  # measure at 100 pt and scale


@lru_cache(maxsize=2)
def _font(bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(BOLD if bold else REGULAR), _SIZE)


@lru_cache(maxsize=4096)
def _word(word: str, bold: bool) -> float:
    return _font(bold).getlength(word) / _SIZE


def wrapped_lines(text: str, size_pt: float, width_pt: float, bold: bool = False) -> int:
    """The lines a text takes when wrapped at spaces in a width (explicit newlines start new lines)."""
    space = _word(" ", bold) * size_pt
    lines = 0
    for part in text.split("\n"):
        n, used = 1, 0.0
        for word in part.split(" "):
            w = _word(word, bold) * size_pt
            if used == 0.0:
                used = w
            elif used + space + w <= width_pt:
                used += space + w
            else:
                n, used = n + 1, w
            while used > width_pt:  # a word longer than the line is broken
                n, used = n + 1, used - width_pt
        lines += n
    return lines
