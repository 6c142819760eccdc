"""What a plain (unquoted) YAML scalar means to the cluster: go-yaml v2's reading, then JSON's.

kubectl, the API server's YAML decoder and Helm all read YAML through ``sigs.k8s.io/yaml``, which
unmarshals it with go-yaml v2 (YAML 1.1 as go-yaml implements it) and converts the result to
JSON. PyYAML, which composes nblint's nodes, resolves plain scalars differently: ``y``/``n`` are
text to it but booleans to go-yaml, ``0o17`` is text to it but 15 to go-yaml, ``1e3`` is text to
it but a number to go-yaml, and ``1:20`` is 80 to it but text to go-yaml. nblint must check what
the cluster gets, so the loader asks this module, never PyYAML, what a plain scalar is.

The rules (go-yaml v2, ``resolve.go`` ``resolve()``; Go's ``strconv``):

- a table of words: ``y Y yes Yes YES true True TRUE on On ON`` → true, ``n N no No NO false
  False FALSE off Off OFF`` → false, ``"" ~ null Null NULL`` → null, ``.inf``/``.nan`` forms;
- text starting with a digit or a sign: ``strconv.ParseInt(t, 0, 64)`` of the text with every
  ``_`` removed (Go base prefixes ``0x``, ``0o``, ``0b``, and a leading ``0`` for octal), then
  ``ParseUint`` (up to 2**64-1), then a float if the text matches go-yaml's ``yamlStyleFloat``
  and does not overflow, then a binary int spelled ``0b…``/``-0b…`` that Go's prefix parsing
  refused (``0b-101``);
- text starting with ``.``: ``strconv.ParseFloat`` of the text as written (``.5``);
- anything else, a sexagesimal ``1:20`` or a date among it, is text (go-yaml gives a date that
  is decoded into ``interface{}`` as its text, and so does JSON).

Then ``sigs.k8s.io/yaml`` hands the value to ``encoding/json``, which writes a float with no
fraction below 1e21 as an integer (``1e3`` → ``1000``): the API server, and Helm's schema and
templates, see an integer. A float of that kind is therefore given as a Python ``int``.
"""

from __future__ import annotations

import re
from functools import cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

NULL_TAG = "tag:yaml.org,2002:null"
BOOL_TAG = "tag:yaml.org,2002:bool"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
STR_TAG = "tag:yaml.org,2002:str"
MERGE_TAG = "tag:yaml.org,2002:merge"

_INF = float("inf")
_NAN = float("nan")  # one object for every .nan, so that two .nan keys are one key
_WORDS: dict[str, tuple[str, Any]] = {
    **dict.fromkeys(("y", "Y", "yes", "Yes", "YES"), (BOOL_TAG, True)),
    **dict.fromkeys(("true", "True", "TRUE", "on", "On", "ON"), (BOOL_TAG, True)),
    **dict.fromkeys(("n", "N", "no", "No", "NO"), (BOOL_TAG, False)),
    **dict.fromkeys(("false", "False", "FALSE", "off", "Off", "OFF"), (BOOL_TAG, False)),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), (NULL_TAG, None)),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), (FLOAT_TAG, _NAN)),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), (FLOAT_TAG, _INF)),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), (FLOAT_TAG, -_INF)),
    # go-yaml's decoder takes a plain `<<` key as a merge (decode.go isMerge), as PyYAML does.
    "<<": (MERGE_TAG, "<<"),
}
TEXT: tuple[str, Any] = (STR_TAG, None)
_SIGNED_START = frozenset("+-0123456789")

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1
_UINT64_MAX = 2**64 - 1
#: Go's json writes a float64 in exponent form from this magnitude on (encoding/json floatEncoder).
_JSON_EXPONENT_FROM = 1e21


@cache
def _go_int() -> re.Pattern[str]:
    """``strconv.ParseUint(s, 0, 64)``'s syntax after an optional sign (atoi.go: a ``0b``,
    ``0o`` or ``0x`` prefix needs a digit or more, another leading ``0`` is octal, ``0`` is 0)."""
    return re.compile(
        r"([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]*)|([1-9][0-9]*))"
    )


@cache
def _yaml_style_float() -> re.Pattern[str]:
    """go-yaml v2's ``yamlStyleFloat`` (resolve.go), matched against the whole text."""
    return re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")


@cache
def _go_float_after_dot() -> re.Pattern[str]:
    """``strconv.ParseFloat``'s syntax for text that starts with ``.``: digits, then an optional
    exponent; an ``_`` only between two digits (atof.go readFloat, atoi.go underscoreOK)."""
    return re.compile(r"\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?")


def plain_scalar(text: str) -> tuple[str, Any]:
    """The tag and value go-yaml v2 (then JSON) gives the plain scalar ``text``; text is
    :data:`TEXT` (the caller has the text itself)."""
    word = _WORDS.get(text)
    if word is not None:
        return word
    first = text[0]  # ("" is in the table)
    if first in _SIGNED_START:
        return _signed(text)
    if first == "." and _go_float_after_dot().fullmatch(text):
        value = float(text.replace("_", ""))
        if value != _INF:  # ParseFloat's range error: go-yaml keeps the text
            return FLOAT_TAG, _as_json_number(value)
    return TEXT


def _signed(text: str) -> tuple[str, Any]:
    """A text that starts with a digit or a sign (resolve.go, hint 'D'/'S')."""
    plain = text.replace("_", "")
    number = _parse_int(plain)
    if number is not None:
        return INT_TAG, number
    whole, _, fraction = plain.partition(".")
    # (`0.5`, the usual float, is told without compiling the regex)
    if (
        whole.isdigit() and fraction.isdigit() and plain.isascii()
    ) or _yaml_style_float().fullmatch(plain):
        value = float(plain)
        if value not in (_INF, -_INF):  # ParseFloat's range error: not a float
            return FLOAT_TAG, _as_json_number(value)
    # A binary int whose digits ParseInt(…, 2, 64) reads, sign included, where the base-0 parse
    # above refused it (`0b-101`).
    if plain.startswith("0b"):
        number = _parse_base2(plain[2:], unsigned_too=True)
    elif plain.startswith("-0b"):
        number = _parse_base2("-" + plain[3:], unsigned_too=False)
    if number is not None:
        return INT_TAG, number
    return TEXT


def _parse_int(plain: str) -> int | None:
    """``strconv.ParseInt(plain, 0, 64)``, else ``strconv.ParseUint(plain, 0, 64)``."""
    if (
        plain.isascii()
        and plain.isdigit()
        and len(plain) < 19
        and (plain[0] != "0" or plain == "0")
    ):
        return int(plain)  # most numbers: decimal, within int64, read without the regex
    found = _go_int().fullmatch(plain)
    if found is None:
        return None
    sign, hexa, octal, binary, zero_octal, decimal = found.groups()
    if decimal is not None:
        if len(decimal) > 20:  # above 2**64 (and Python's int() refuses texts this long)
            return None
        number = int(decimal)
    elif hexa is not None:
        number = int(hexa, 16)
    elif octal is not None or zero_octal is not None:
        number = int(octal or zero_octal or "0", 8)
    else:
        number = int(binary, 2)
    return _in_go_range(-number if sign == "-" else number, sign)


def _parse_base2(digits: str, unsigned_too: bool) -> int | None:
    """``strconv.ParseInt(digits, 2, 64)`` (a sign allowed), else with ``unsigned_too``
    ``strconv.ParseUint(digits, 2, 64)`` (no sign)."""
    sign = digits[:1] if digits[:1] in ("+", "-") else ""
    body = digits[len(sign) :]
    if not body or body.strip("01"):
        return None
    number = int(body, 2)
    if sign == "-":
        number = -number
    if _INT64_MIN <= number <= _INT64_MAX:
        return number
    if unsigned_too and not sign and number <= _UINT64_MAX:
        return number
    return None


def _in_go_range(number: int, sign: str) -> int | None:
    if _INT64_MIN <= number <= _INT64_MAX:
        return number  # ParseInt
    if not sign and number <= _UINT64_MAX:
        return number  # ParseUint (it takes no sign)
    return None


def _as_json_number(value: float) -> Any:
    """``value`` as the API server reads it back from Go's JSON: a whole number below 1e21 is
    written without a fraction (``1000``), so it is an integer."""
    if value.is_integer() and -_JSON_EXPONENT_FROM < value < _JSON_EXPONENT_FROM:
        return int(value)
    return value
