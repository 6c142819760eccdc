"""The command line: ``nblint check``, ``render``, ``rules`` and ``explain``.

Option names are a public contract (scripts and CI gates call them). Exit codes: 0 nothing at or
above ``--fail-on``, 1 findings at or above it, 2 a usage or configuration problem. Each command
lives in its own module and the click group in :mod:`nblint.cli.group`; this one holds the
installed entry point, which runs a plain ``nblint check`` without importing click.
"""

from __future__ import annotations

import gc
import os
import sys

from nblint.cli.common import EXIT_USAGE, say

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn


def __getattr__(name: str) -> Any:
    """``main``, the click group, built when first asked for (a plain check never is)."""
    if name == "main":
        from nblint.cli.group import main

        return main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def entry() -> None:
    """The ``nblint`` command: :func:`main`, with any bug reported in one line, never a traceback.

    Per-document failures are already findings (``internal-error``); this catches what escapes
    them. Exit 2, like other problems that are not findings.
    """
    # A run builds large trees that live until it ends and hold no reference cycles, so the
    # cycle collector only rescans them, again and again as they grow: a third of the time on
    # an 8 MB input. Reference counting still frees what a run drops.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _run(sys.argv[1:])
    except KeyboardInterrupt:
        say("nblint: interrupted")
        sys.exit(130)
    except BrokenPipeError:  # the reader left (`nblint check … | head`): nobody to tell
        sys.exit(EXIT_USAGE)
    except OSError as err:  # writing failed (a full disk); inputs are read, and fail, apart
        where = f"{err.filename}: " if err.filename else ""
        say(f"nblint: error: {where}{err.strerror or err}")
        sys.exit(EXIT_USAGE)
    except Exception as err:
        say(f"nblint: internal error: {type(err).__name__}: {err} (please report)")
        sys.exit(EXIT_USAGE)
    finally:
        if collecting:
            gc.enable()


def _run(args: list[str]) -> None:
    """A plain ``nblint check`` runs without click; click reads every other command line."""
    from nblint.cli.argv import read_check

    parsed = read_check(args[1:]) if args[:1] == ["check"] else None
    if parsed is not None:
        from nblint.cli.check import run_check

        run_check(*parsed)
    from nblint.cli.group import main

    main()


def console() -> NoReturn:
    """The installed ``nblint`` command: :func:`entry`, then leave without tearing down.

    Freeing a finished run's objects one by one costs more than a small check does (≈10 ms of a
    ≈95 ms pre-commit run; seconds after a large input), and nothing needs it: the report is
    written, output files are closed and worker processes joined. mypy leaves the same way.
    """
    code: Any = 0
    try:
        entry()
    except SystemExit as leaving:
        code = leaving.code
    if isinstance(code, str):  # sys.exit("message"): say it and fail, as Python would
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # the reader left (`nblint … | head`), or closed
            pass
        except OSError as err:  # a full disk: the report is cut short, so the run fails
            try:
                sys.stderr.write(f"nblint: error: {err.strerror or err}\n")
                sys.stderr.flush()
            except (OSError, ValueError):
                pass
            code = EXIT_USAGE
    os._exit(code or 0)
