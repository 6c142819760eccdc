"""Read a plain ``nblint check`` command line without click.

A check on every commit is mostly start-up, and importing click is the largest part of it, so
the installed command reads the common command line itself, from the same declarations click
builds the command from (:mod:`nblint.cli.options`). It vouches only for what it reads exactly
as click would; anything else — ``--help``, an unknown or misspelt option, a value click would
refuse, ``--``, short options run together — is left to click (``None``), which reads it and
says what is wrong. ``tests/test_argv.py`` holds the two readers to the same parameters.
"""

from __future__ import annotations

import os
import stat

from nblint.cli.options import CHECK_OPTIONS, CHOICE, COUNT, FLAG, PATH, Option

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    #: A command line as ``check`` receives it: its paths, every parameter, and the names of the
    #: parameters the command line gave (a configuration file fills the others).
    Parsed = tuple[tuple[str, ...], dict[str, Any], set[str]]

_DECLINE = object()


def _flags(options: tuple[Option, ...]) -> dict[str, tuple[Option, bool]]:
    """Each flag → its option, and the value a flag option takes when it is given."""
    flags: dict[str, tuple[Option, bool]] = {}
    for option in options:
        for flag in option.flags:
            flags[flag] = (option, True)
        if option.off is not None:
            flags[option.off] = (option, False)
    return flags


def read_check(args: list[str]) -> Parsed | None:
    """``check``'s parameters from ``args`` (the words after ``check``), or None when click
    must read them."""
    flags = _flags(CHECK_OPTIONS)
    params = {option.dest: option.initial() for option in CHECK_OPTIONS}
    given: set[str] = set()
    paths: list[str] = []
    words = iter(args)
    for word in words:
        if word == "-" or not word.startswith("-"):
            paths.append(word)
            continue
        flag, equals, attached = word.partition("=") if word.startswith("--") else (word, "", "")
        if flag not in flags:
            return None  # help, --, -qj2, a misspelling: click's to read or refuse
        option, on = flags[flag]
        if option.kind == FLAG:
            if equals:
                return None
            value: Any = on
        else:
            raw = attached if equals else next(words, None)
            if raw is None:
                return None
            value = _convert(option, raw)
            if value is _DECLINE:
                return None
        params[option.dest] = (*params[option.dest], value) if option.multiple else value
        given.add(option.dest)
    for option in CHECK_OPTIONS:
        if option.check is not None and params[option.dest] is not None:
            try:
                params[option.dest] = option.check(params[option.dest])
            except ValueError:
                return None
    return tuple(paths), params, given


def _convert(option: Option, raw: str) -> Any:
    """The value click makes of ``raw``, or ``_DECLINE`` when click would refuse it."""
    if option.kind == CHOICE:
        return raw if raw in option.choices else _DECLINE
    if option.kind == COUNT:
        try:
            number = int(raw)
        except ValueError:
            return _DECLINE
        return number if number >= 0 else _DECLINE
    if option.kind == PATH and option.path is not None:
        return raw if _path_fits(raw, option) else _DECLINE
    return raw


def _path_fits(path: str, option: Option) -> bool:
    """What ``click.Path`` accepts: anything that does not exist; an existing path of a kind
    the option takes, readable, and writable when the option writes it."""
    kind = option.path
    assert kind is not None
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return True
    except ValueError:  # a NUL in the path (never in a real argv): click's to refuse
        return False
    if not kind.file_okay and stat.S_ISREG(mode):
        return False
    if not kind.dir_okay and stat.S_ISDIR(mode):
        return False
    if not os.access(path, os.R_OK):
        return False
    return not (kind.writable and not os.access(path, os.W_OK))
