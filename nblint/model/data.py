"""Where nblint's data lives: ``rules/`` and ``schemas/``."""

from __future__ import annotations

import os
from functools import cache


@cache
def data_dir(name: str) -> str:
    """``rules/`` or ``schemas/``: inside the installed package, or at the top of a checkout."""
    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))  # nblint/
    installed = os.path.join(package, name)
    return installed if os.path.isdir(installed) else os.path.join(os.path.dirname(package), name)
