"""Kubernetes resource quantities (``500m``, ``2Gi``, ``1e3``), read exactly.

LimitRange and ResourceQuota compare and add quantities, so they are kept as fractions: ``0.1 +
0.2`` must be ``300m``, not a float that is a hair off. The grammar is the API server's: an
optional sign, a decimal number, then a binary suffix (``Ki`` … ``Ei``), a decimal suffix (``n``,
``u``, ``m``, ``k``, ``M`` … ``E``) or a decimal exponent (``e3``, ``E-2``). A YAML number (a
z2jh ``cpu: 0.5``, a byte count KubeSpawner wrote) is read as the number it is.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from fractions import Fraction

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
#: The power of ten of each decimal suffix.
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_QUANTITY = re.compile(
    r"(?P<number>[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))"
    r"(?:(?P<binary>[KMGTPE]i)|(?P<exponent>[eE][+-]?[0-9]+)|(?P<decimal>[numkMGTPE]?))"
)


@cache
def _float() -> re.Pattern[str]:
    """A float, as ``repr`` writes it: read as the decimal it shows (0.1 is 1/10). Compiled
    on the first float: quantities are mostly text."""
    return re.compile(r"(?P<number>[+-]?[0-9]+(?:\.[0-9]*)?)(?:e(?P<exponent>[+-]?[0-9]+))?")


#: Longer texts are not quantities a person wrote (and would be slow to read exactly).
_MAX_TEXT = 64


def parse_quantity(value: object) -> Fraction | None:
    """The amount ``value`` stands for, or None when it is not a quantity."""
    exact = quantity_ratio(value)
    if exact is None:
        return None
    from fractions import Fraction  # only where amounts are added or shown, not compared

    return Fraction(*exact)


def quantity_ratio(value: object) -> tuple[int, int] | None:
    """The amount ``value`` stands for as ``(numerator, denominator)``, the denominator
    positive, or None when it is not a quantity (see :func:`_ratio`)."""
    if isinstance(value, (str, int, float)):
        return _cached_ratio(value)
    return None


# Every pod's quantities are compared, and a few texts (`500m`, `1Gi`) make up most of them.
# Typed: True and 1 are equal keys, but only 1 is a quantity.
@lru_cache(maxsize=4096, typed=True)
def _cached_ratio(value: str | int | float) -> tuple[int, int] | None:
    return _ratio(value)


def _ratio(value: object) -> tuple[int, int] | None:
    """The amount ``value`` stands for as ``(numerator, denominator)``, the denominator
    positive, or None when it is not a quantity: exact, and cheap enough to compare the
    quantities of every pod (``fractions`` is imported only by :func:`parse_quantity`)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value, 1
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        written = _float().fullmatch(repr(value))
        if written is None:  # pragma: no cover - repr of a finite float always matches
            return None
        return _scaled(_decimal(written["number"]), int(written["exponent"] or 0))
    if not isinstance(value, str) or len(value) > _MAX_TEXT:
        return None
    match = _QUANTITY.fullmatch(value.strip())
    if match is None:
        return None
    number = _decimal(match["number"])
    if match["binary"]:
        return number[0] * _BINARY[match["binary"]], number[1]
    if match["exponent"]:
        exponent = int(match["exponent"][1:])
        if abs(exponent) > 30:
            return None
        return _scaled(number, exponent)
    return _scaled(number, _DECIMAL[match["decimal"] or ""])


def is_zero_quantity(value: object) -> bool:
    """True when ``value`` is a quantity of nothing (``0``, ``"0"``, ``0.0``, ``"0Gi"``): a
    container with ``limits: {nvidia.com/gpu: 0}`` asks for no GPU. False for any other value,
    a quantity or not (a template nobody can read is not known to be 0)."""
    ratio = quantity_ratio(value)
    return ratio is not None and ratio[0] == 0


def compare_quantities(one: object, other: object) -> int | None:
    """-1, 0 or 1 as quantity ``one`` is less than, equal to or more than ``other``; None when
    either is not a quantity."""
    first, second = quantity_ratio(one), quantity_ratio(other)
    if first is None or second is None:
        return None
    left, right = first[0] * second[1], second[0] * first[1]
    return (left > right) - (left < right)


def _decimal(text: str) -> tuple[int, int]:
    """``"-1.25"`` → ``(-125, 100)``; ``".5"`` → ``(5, 10)``."""
    sign = -1 if text.startswith("-") else 1
    whole, _, fraction = text.lstrip("+-").partition(".")
    return sign * int((whole or "0") + fraction), 10 ** len(fraction)


def _scaled(number: tuple[int, int], exponent: int) -> tuple[int, int]:
    if exponent >= 0:
        return number[0] * 10**exponent, number[1]
    return number[0], number[1] * 10**-exponent


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
                if whole % 10 ** _DECIMAL[suffix] == 0:
                    return f"{whole // 10 ** _DECIMAL[suffix]}{suffix}"
            if whole >= _BINARY["Mi"]:
                # A byte count KubeSpawner wrote (4G of z2jh is 4294967296): say it readably too.
                unit = "Gi" if whole >= _BINARY["Gi"] else "Mi"
                return f"{whole} (~{whole / _BINARY[unit]:.1f}{unit})"
        return str(whole)
    if _is_bytes(resource) and amount >= 1:
        # A fraction of a byte: 1.2Gi (a JWA limit factor of 1.2 on 1Gi) is 1288490188.8 bytes,
        # which the API server keeps; written in the unit it was likely written in, not millibytes.
        for suffix, unit in [*((s, _BINARY[s]) for s in ("Ei", "Pi", "Ti", "Gi", "Mi", "Ki"))] + [
            (s, 10 ** _DECIMAL[s]) for s in ("E", "P", "T", "G", "M", "k")
        ]:
            scaled = amount / unit
            if scaled >= 1 and (scaled * 1000).denominator == 1:
                return f"{_short_decimal(scaled)}{suffix}"
    milli = amount * 1000
    if milli.denominator == 1:
        if _is_bytes(resource) and amount >= _BINARY["Mi"]:
            unit = "Gi" if amount >= _BINARY["Gi"] else "Mi"
            return f"{milli.numerator}m (~{float(amount / _BINARY[unit]):.1f}{unit})"
        return f"{milli.numerator}m"
    return f"{float(amount):g}"


def _short_decimal(amount: Fraction) -> str:
    """A fraction with at most three decimals, written without trailing zeros (``1.2``)."""
    whole, rest = divmod(amount * 1000, 1000)
    assert rest.denominator == 1
    text = str(whole)
    if rest:
        text += "." + f"{int(rest):03d}".rstrip("0")
    return text


def _is_bytes(resource: str) -> bool:
    # A storage class's quota key (``fast.storageclass.storage.k8s.io/requests.storage``) is
    # a ``requests.storage`` key after its class's prefix.
    key = resource.rpartition(".storageclass.storage.k8s.io/")[2]
    name = key.rpartition(".")[2] if key.startswith(("requests.", "limits.")) else key
    return name in ("memory", "storage", "ephemeral-storage") or name.startswith("hugepages-")
