"""The command line: ``nblint check``, ``render``, ``rules`` and ``explain``.

Option names are a public contract (scripts and CI gates call them). Exit codes: 0 nothing at or
above ``--fail-on``, 1 findings at or above it, 2 a usage or configuration problem. Each command
lives in its own module; this one holds the group and the installed entry point.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from typing import Any, NoReturn

import click

from nblint import __version__
from nblint.cli.check import check
from nblint.cli.common import EXIT_USAGE

#: The commands other than ``check``, imported when named (a check never loads them): name →
#: (module, attribute).
_LATER = {
    "explain": ("nblint.cli.rules", "explain"),
    "fix": ("nblint.cli.fix", "fix"),
    "render": ("nblint.cli.render", "render"),
    "rules": ("nblint.cli.rules", "list_rules"),
}


class _Commands(click.Group):
    """The group, its commands other than ``check`` added when first asked for."""

    def _load(self, name: str) -> None:
        import importlib

        module, attribute = _LATER[name]
        self.add_command(getattr(importlib.import_module(module), attribute))

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *_LATER})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            # An unknown name loads them all: click suggests the near ones.
            for name in [cmd_name] if cmd_name in _LATER else list(_LATER):
                if name not in self.commands:
                    self._load(name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nblint")
def main() -> None:
    """Lint the notebook pods your platform will really create."""


main.add_command(check)


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
        main()
    except KeyboardInterrupt:
        click.echo("nblint: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:  # the reader left (`nblint check … | head`): nobody to tell
        sys.exit(EXIT_USAGE)
    except OSError as err:  # writing failed (a full disk); inputs are read, and fail, apart
        where = f"{err.filename}: " if err.filename else ""
        click.echo(f"nblint: error: {where}{err.strerror or err}", err=True)
        sys.exit(EXIT_USAGE)
    except Exception as err:
        click.echo(f"nblint: internal error: {type(err).__name__}: {err} (please report)", err=True)
        sys.exit(EXIT_USAGE)
    finally:
        if collecting:
            gc.enable()


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
            with contextlib.suppress(OSError, ValueError):
                sys.stderr.write(f"nblint: error: {err.strerror or err}\n")
                sys.stderr.flush()
            code = EXIT_USAGE
    os._exit(code or 0)
