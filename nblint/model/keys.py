"""Mapping keys as Kubernetes and Helm read them: text.

Helm reads values files, and kubectl manifests, through ``sigs.k8s.io/yaml``: go-yaml v2 parses
the YAML, then every mapping key becomes a JSON object key, that is a string (its
``convertToJSONableObject``). So ``1:`` and ``"1":`` are one key to Helm (``"1"``), and
KubeSpawner, which gets the values from Helm, looks an option's choice up by that string. A key
``sigs.k8s.io/yaml`` cannot turn into a string (null) makes it refuse the whole file.
"""

from __future__ import annotations

import math
import struct

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The int keys go-yaml v2 gives as an int (int64 on a 64-bit machine); a bigger one it gives
#: as a uint64 (which sigs.k8s.io/yaml refuses as a key) or, past that, as a float.
_INT64 = range(-(2**63), 2**63)
_UINT64 = range(2**63, 2**64)


def json_key(key: Any) -> str | None:
    """The string ``sigs.k8s.io/yaml`` makes of mapping key ``key`` as a YAML loader built it:
    text as it is, an integer in decimal, a boolean as ``true``/``false``, a float as Go's
    shortest 32-bit form (``1.5``, ``1e+06``, ``.inf``); None for a key it refuses (null, an
    unsigned 64-bit integer)."""
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, int):
        if key in _INT64:
            return str(key)
        if key in _UINT64:
            return None
        return _go_float32(float(key))
    if isinstance(key, float):
        return _go_float32(key)
    return None


def _single(value: float) -> float:
    """``value`` rounded to a 32-bit float, as Go's ``float32(value)``."""
    try:
        single: float = struct.unpack("f", struct.pack("f", value))[0]
    except OverflowError:
        return math.copysign(math.inf, value)
    return single


def _go_float32(value: float) -> str:
    """Go's ``strconv.FormatFloat(value, 'g', -1, 32)``, with go-yaml's names for the
    infinities and NaN."""
    if math.isnan(value):
        return ".nan"
    single = _single(value)
    if math.isinf(single):
        return ".inf" if single > 0 else "-.inf"
    if single == 0:
        return "-0" if math.copysign(1.0, single) < 0 else "0"
    # The fewest significant digits that read back as the same 32-bit float.
    for digits in range(1, 10):
        text = f"{single:.{digits - 1}e}"
        if _single(float(text)) == single:
            break
    mantissa, exponent_text = text.split("e")
    sign = "-" if mantissa.startswith("-") else ""
    figures = mantissa.lstrip("-").replace(".", "").rstrip("0") or "0"
    exponent = int(exponent_text)
    # 'g' with the shortest digits: exponent form below 1e-4 and from 1e+06 on.
    if exponent < -4 or exponent >= 6:
        point = f".{figures[1:]}" if len(figures) > 1 else ""
        return f"{sign}{figures[0]}{point}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    if exponent < 0:
        return f"{sign}0.{'0' * (-exponent - 1)}{figures}"
    whole, fraction = figures[: exponent + 1], figures[exponent + 1 :]
    whole += "0" * (exponent + 1 - len(whole))
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"
