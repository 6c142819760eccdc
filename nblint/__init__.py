"""nblint: lint the notebook pods a platform will really create.

Start-up: a pre-commit hook pays every import of a plain ``nblint check`` on every commit, so the
modules on that path import no standard module that only the type checker needs, or that the run
can do without (tests/test_cli.py keeps the list):

* ``typing`` (~16 M instructions, a twentieth of a cold check): its names are imported under a
  module-local ``TYPE_CHECKING = False`` guard, which mypy and ruff read as true, and so are the
  Protocols and type aliases that need them; a ``NamedTuple`` is declared there for the checker
  and made with ``collections.namedtuple`` (what ``typing.NamedTuple`` calls) for the run;
* ``string``, ``contextlib`` and ``importlib`` (with ``warnings``): ``_string.formatter_parser``,
  ``try``/``except`` and ``__import__`` plus ``sys.modules`` do their work.
"""

__version__ = "0.1.0"

#: Where nblint is published; each rule's documentation is ``docs/rules/<id>.md`` there.
HOMEPAGE = "https://github.com/nblint/nblint"
#: A rule's documentation page, ``{rule}`` standing for its id (SARIF ``helpUri``, ``explain``).
RULE_DOCS_URL = HOMEPAGE + "/blob/main/docs/rules/{rule}.md"
