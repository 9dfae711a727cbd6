"""The letterhead of confirmation letters: the authority's name, address, logo, signatory and contact line.

A small TOML file documented in `letterhead.demo.toml` (the demo borough's invented one, shipped). An
authority points `G2G_LETTERHEAD_FILE` at its own copy. A wrong key or value is refused with a
`LetterheadError` that names the file and the key.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

DEMO_LETTERHEAD = Path(__file__).parent / "letterhead.demo.toml"
MAX_LOGO_BYTES = 5 * 1024 * 1024


class LetterheadError(ValueError):
    """A letterhead file that cannot be used; the message names the file and the key."""


class Letterhead(BaseModel):
    """What every letter carries about the authority that sends it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    authority: str = Field(min_length=1, max_length=120)
    department: str = Field(min_length=1, max_length=160)
    address: tuple[str, ...] = Field(min_length=1, max_length=8)
    logo: Path | None = None
    contact: str = Field(min_length=1, max_length=200)
    signatory: str = Field(min_length=1, max_length=120)
    signatory_title: str = Field(min_length=1, max_length=160)
    colour: str = Field("#243447", pattern=r"^#[0-9A-Fa-f]{6}$")

    def logo_bytes(self) -> bytes | None:
        """The logo's bytes, or None when there is no logo."""
        return self.logo.read_bytes() if self.logo else None

    @property
    def rgb(self) -> tuple[int, int, int]:
        """The accent colour as (r, g, b)."""
        h = self.colour.lstrip("#")
        return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def letterhead_setting() -> Path | None:
    """The letterhead file chosen by the setting `G2G_LETTERHEAD_FILE` (None: the demo borough's)."""
    from g2g_core.settings import settings

    return settings().letterhead_file


def load_letterhead(path: str | Path | None = None) -> Letterhead:
    """Load and check a letterhead file (default: the setting, else the shipped demo letterhead)."""
    file = Path(path or letterhead_setting() or DEMO_LETTERHEAD)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LetterheadError(f"letterhead file {file}: not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LetterheadError(f"letterhead file {file}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise LetterheadError(f"letterhead file {file}: not valid TOML ({exc})") from None
    logo = data.get("logo")
    if logo:
        logo_path = Path(logo) if Path(logo).is_absolute() else file.parent / logo
        if not logo_path.is_file():
            raise LetterheadError(f"letterhead file {file}: key logo: {logo!r} is not a file")
        if logo_path.stat().st_size > MAX_LOGO_BYTES:
            raise LetterheadError(f"letterhead file {file}: key logo: {logo!r} is larger than 5 MB")
        head = logo_path.read_bytes()[:8]
        if not (head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8")):
            raise LetterheadError(f"letterhead file {file}: key logo: {logo!r} is not a PNG or JPEG image")
        data["logo"] = logo_path
    try:
        return Letterhead.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            key = ".".join(str(p) for p in err["loc"]) or "(top level)"
            what = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
            lines.append(f"key {key}: {what}")
        raise LetterheadError(f"letterhead file {file}: " + "; ".join(lines)) from None
