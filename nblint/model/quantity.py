"""Kubernetes resource quantities (``500m``, ``2Gi``, ``1e3``), read exactly.

LimitRange and ResourceQuota compare and add quantities, so they are kept as fractions: ``0.1 +
0.2`` must be ``300m``, not a float that is a hair off. The grammar is the API server's: an
optional sign, a decimal number, then a binary suffix (``Ki`` … ``Ei``), a decimal suffix (``n``,
``u``, ``m``, ``k``, ``M`` … ``E``) or a decimal exponent (``e3``, ``E-2``). A YAML number (a
z2jh ``cpu: 0.5``, a byte count KubeSpawner wrote) is read as the number it is.
"""

from __future__ import annotations

import re
from fractions import Fraction

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {
    "n": Fraction(1, 10**9),
    "u": Fraction(1, 10**6),
    "m": Fraction(1, 10**3),
    "": Fraction(1),
    "k": Fraction(10**3),
    "M": Fraction(10**6),
    "G": Fraction(10**9),
    "T": Fraction(10**12),
    "P": Fraction(10**15),
    "E": Fraction(10**18),
}
_QUANTITY = re.compile(
    r"(?P<number>[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))"
    r"(?:(?P<binary>[KMGTPE]i)|(?P<exponent>[eE][+-]?[0-9]+)|(?P<decimal>[numkMGTPE]?))"
)
#: Longer texts are not quantities a person wrote (and would be slow to read exactly).
_MAX_TEXT = 64


def parse_quantity(value: object) -> Fraction | None:
    """The amount ``value`` stands for, or None when it is not a quantity."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return Fraction(repr(value))
    if not isinstance(value, str) or len(value) > _MAX_TEXT:
        return None
    match = _QUANTITY.fullmatch(value.strip())
    if match is None:
        return None
    number = Fraction(match["number"])
    if match["binary"]:
        return number * _BINARY[match["binary"]]
    if match["exponent"]:
        exponent = int(match["exponent"][1:])
        if abs(exponent) > 30:
            return None
        return number * Fraction(10) ** exponent
    return number * _DECIMAL[match["decimal"] or ""]


def format_quantity(amount: Fraction, resource: str = "") -> str:
    """``amount`` as a person reads it: ``500m`` and ``2`` for CPU, ``2Gi`` or ``1500M`` for
    bytes, a plain number otherwise."""
    if amount.denominator == 1:
        whole = amount.numerator
        if _is_bytes(resource) and whole:
            for suffix in ("Ei", "Pi", "Ti", "Gi", "Mi", "Ki"):
                if whole % _BINARY[suffix] == 0:
                    return f"{whole // _BINARY[suffix]}{suffix}"
            for suffix in ("E", "P", "T", "G", "M", "k"):
                if whole % _DECIMAL[suffix] == 0:
                    return f"{whole // int(_DECIMAL[suffix])}{suffix}"
            if whole >= _BINARY["Mi"]:
                # A byte count KubeSpawner wrote (4G of z2jh is 4294967296): say it readably too.
                unit = "Gi" if whole >= _BINARY["Gi"] else "Mi"
                return f"{whole} (~{whole / _BINARY[unit]:.1f}{unit})"
        return str(whole)
    milli = amount * 1000
    if milli.denominator == 1:
        return f"{milli.numerator}m"
    return f"{float(amount):g}"


def _is_bytes(resource: str) -> bool:
    name = (
        resource.rpartition(".")[2] if resource.startswith(("requests.", "limits.")) else resource
    )
    return name in ("memory", "storage", "ephemeral-storage") or name.startswith("hugepages-")
