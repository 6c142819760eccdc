"""The click command group: ``nblint check``, ``fix``, ``render``, ``rules``, ``explain`` and
``docs`` with their ``--help``, and every command line :mod:`nblint.cli.argv` leaves to click.

``check`` is built here from its declarations (:mod:`nblint.cli.options`); its work is
:func:`nblint.cli.check.run_check`, which a plain command line reaches without click.
"""

from __future__ import annotations

from typing import Any

import click

from nblint import __version__
from nblint.cli.check import EXIT_CODES, run_check
from nblint.cli.common import given_on_command_line
from nblint.cli.options import CHECK_OPTIONS, with_options

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


@main.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1)
@with_options(CHECK_OPTIONS)
def check(paths: tuple[str, ...], **params: Any) -> None:
    """Check PATHs (files, directories, or - for stdin) and report every finding.

    z2jh values files given with -f/--values are layered into one release; PATHs are each
    checked on their own.
    """
    run_check(paths, params, given_on_command_line())
