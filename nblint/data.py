"""Where nblint's data lives: ``rules/`` and ``schemas/``."""

from __future__ import annotations

from pathlib import Path as FsPath


def data_dir(name: str) -> FsPath:
    """``rules/`` or ``schemas/``: inside the installed package, or at the top of a checkout."""
    here = FsPath(__file__).resolve().parent
    installed = here / name
    return installed if installed.is_dir() else here.parent / name
