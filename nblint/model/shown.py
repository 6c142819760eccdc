"""Input values as a message quotes them: YAML, as the user wrote them, on one line.

A message names what the user wrote, so it spells it the way they wrote it: ``{require: true}``,
``[a, b]``, ``null``, never Python's ``{'require': True}``. Text is quoted (``'4Gi'``) unless the
caller asks for it plain where it reads plainly; inside a list or a mapping it is plain where
YAML reads it back as the same text.
"""

from __future__ import annotations

import re
from functools import cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


@cache
def _plain() -> re.Pattern[str]:
    """Text YAML reads back as that text when written plain inside a flow collection."""
    return re.compile(r"[\w/.$(][\w./$()~+=-]*(?: [\w./$()~+=-]+)*")


@cache
def _other_type() -> re.Pattern[str]:
    """Plain text that YAML (1.1 or 1.2) would read as a boolean, null or a number instead."""
    return re.compile(
        r"(?i:y|n|yes|no|on|off|true|false|null|~|\.inf|[-+]\.inf|\.nan)"
        r"|[-+]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][-+]?\d+)?"
        r"|[-+]?0[xob][\dA-Fa-f_]+|[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.\d*)?"
    )


def reads_plainly(text: str) -> bool:
    """Whether ``text`` written plain is read back as this very text."""
    return bool(_plain().fullmatch(text)) and not _other_type().fullmatch(text)


def quoted(text: str) -> str:
    """``text`` as a YAML quoted scalar: single-quoted, or double-quoted with escapes when it
    holds a line break or another character that is not printable."""
    if text.isprintable():
        return "'" + text.replace("'", "''") + "'"
    import json  # only for text with a control character

    return json.dumps(text, ensure_ascii=False)


def _inline(value: Any, plain_text: bool) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return value if plain_text and reads_plainly(value) else quoted(value)
    if isinstance(value, float):
        if value != value:
            return ".nan"
        if value in (float("inf"), float("-inf")):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        entries = (f"{_inline(k, True)}: {_inline(v, True)}" for k, v in value.items())
        return "{" + ", ".join(entries) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_inline(item, True) for item in value) + "]"
    return quoted(str(value))  # (a date, or another value the loader made)


def shown(value: Any, limit: int = 80, plain_text: bool = False) -> str:
    """``value`` as YAML on one line, clipped to ``limit`` characters (input may be megabytes
    long, and a message is read on one line). ``plain_text``: text unquoted where it reads
    plainly (a word or a name), as a list of options shows them."""
    text = _inline(value, plain_text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
