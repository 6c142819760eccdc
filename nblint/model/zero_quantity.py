"""Whether a resource quantity is zero, read without :mod:`fractions` (a plain check never
imports :mod:`nblint.model.quantity`).

A container with ``limits: {nvidia.com/gpu: 0}`` asks for no GPU: the scheduler fits it on any
node and the device plugin hands it nothing. Zero times any suffix or exponent is zero, so the
number alone decides.
"""

from __future__ import annotations

import re
from functools import cache

#: Longer texts are not quantities a person wrote (as in :mod:`nblint.model.quantity`).
_MAX_TEXT = 64


@cache
def _zero() -> re.Pattern[str]:
    # The API server's quantity grammar (see nblint.model.quantity), with a number of zeros only.
    return re.compile(r"[+-]?(?:0+(?:\.0*)?|\.0+)(?:[KMGTPE]i|[eE][+-]?[0-9]+|[numkMGTPE])?")


def is_zero_quantity(value: object) -> bool:
    """True when ``value`` is a quantity of nothing (``0``, ``"0"``, ``0.0``, ``"0Gi"``); False
    for any other value, a quantity or not (a template nobody can read is not known to be 0)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return value == 0
    if not isinstance(value, str) or len(value) > _MAX_TEXT:
        return False
    return _zero().fullmatch(value.strip()) is not None
