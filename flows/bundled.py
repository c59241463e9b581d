"""Where the bundled fixture sites live: `fixtures/` beside a checkout, or inside an installed wheel.

The demo (and the replica it crawls) serves these pages, so `regionews demo` works from a
`pip install` as well as from a clone: the wheel carries a copy as `flows/fixtures/`.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
SEEDS_FOLDER = "seeds"  # test material (text renderings), not pages to serve or load


def fixtures_dir() -> Path:
    """The bundled fixtures: the checkout's own folder first, else the wheel's copy."""
    for candidate in (_PACKAGE.parent / "fixtures", _PACKAGE / "fixtures"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        "the bundled fixture pages are missing: reinstall regionews, or run the demo from a checkout"
    )


def page_folders(root: Path | None = None) -> list[Path]:
    """The folders of saved pages (one per parser), without the seed texts."""
    root = root or fixtures_dir()
    return sorted(p for p in root.iterdir() if p.is_dir() and p.name != SEEDS_FOLDER)
