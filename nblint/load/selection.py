"""Which files a directory walk lints, as ruff chooses them: ``exclude`` patterns (replacing the
defaults) and ``extend-exclude`` ones, the ``.gitignore`` files of the tree (on by default), and
Helm charts' ``templates/``, which are not YAML until Helm renders them.

Patterns are written as in ``.gitignore`` (``node_modules``, ``deploy/tmp/``, ``*.rendered.yaml``)
and read relative to the directory they come from: the configuration file's for the configured
ones, the working directory for the command line's. A plain name (``node_modules``) matches a
file or directory of that name anywhere, without ``pathspec``; any other pattern, and every
``.gitignore``, is matched by ``pathspec`` (imported only then: it costs more than a small
check).
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: What a walk skips unless ``exclude`` says otherwise (``.*``: hidden directories).
DEFAULT_EXCLUDE = (".*", "node_modules", "venv", "__pycache__")
GITIGNORE = ".gitignore"
CHART = "Chart.yaml"
TEMPLATES = "templates"


class Selection:
    """The rules a walk follows, and what it skipped."""

    def __init__(
        self,
        exclude: list[tuple[str, str]] | None = None,
        respect_gitignore: bool = True,
        force_exclude: bool = False,
        charts: list[str] | None = None,
        excluded: int = 0,
    ) -> None:
        #: ``(directory the pattern is relative to, pattern)``.
        self.exclude: list[tuple[str, str]] = (
            exclude if exclude is not None else [(".", pattern) for pattern in DEFAULT_EXCLUDE]
        )
        self.respect_gitignore = respect_gitignore
        #: Apply ``exclude`` to paths named on the command line too (pre-commit names each
        #: file).
        self.force_exclude = force_exclude
        #: Helm charts whose ``templates/`` were skipped, in the order met.
        self.charts: list[str] = charts if charts is not None else []
        #: How many files and directories the patterns and ``.gitignore`` files left out.
        self.excluded = excluded
        self._specs: list[tuple[str, Any]] | None = None
        self._gitignores: dict[str, Any] = {}
        self._names: set[str] = {p for base, p in self.exclude if _plain_name(p)}

    def __repr__(self) -> str:
        return (
            f"Selection(exclude={self.exclude!r}, respect_gitignore={self.respect_gitignore!r}, "
            f"force_exclude={self.force_exclude!r}, charts={self.charts!r}, "
            f"excluded={self.excluded!r})"
        )

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Selection:
            return NotImplemented
        assert isinstance(other, Selection)
        return (
            self.exclude,
            self.respect_gitignore,
            self.force_exclude,
            self.charts,
            self.excluded,
        ) == (
            other.exclude,
            other.respect_gitignore,
            other.force_exclude,
            other.charts,
            other.excluded,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass was

    # -- patterns ----------------------------------------------------------------------------

    def _pattern_specs(self) -> list[tuple[str, Any]]:
        """The patterns that are not plain names, compiled per base directory."""
        if self._specs is None:
            by_base: dict[str, list[str]] = {}
            for base, pattern in self.exclude:
                if not _plain_name(pattern):
                    by_base.setdefault(os.path.abspath(base), []).append(pattern)
            self._specs = [(base, _spec(lines)) for base, lines in by_base.items()]
        return self._specs

    def excluded_by_pattern(self, path: str, is_dir: bool) -> bool:
        name = os.path.basename(os.path.abspath(path))
        if name in self._names or (is_dir and ".*" in self._names and _hidden(name)):
            return True
        for base, spec in self._pattern_specs():
            relative = _relative(path, base, is_dir)
            if relative is not None and spec.match_file(relative):
                return True
        return False

    def excludes_named(self, path: str) -> bool:
        """Whether ``--force-exclude`` leaves out a file named on the command line: a pattern
        that matches it or any directory it is in."""
        parts = [part for part in os.path.normpath(path).split(os.sep) if part not in ("", "..")]
        directories = parts[:-1]
        if any(part in self._names for part in parts):
            return True
        if ".*" in self._names and any(_hidden(part) for part in directories):
            return True
        return self.excluded_by_pattern(path, False)

    # -- .gitignore --------------------------------------------------------------------------

    def _gitignore(self, directory: str) -> Any:
        """The compiled ``.gitignore`` of ``directory``, or None when it has none."""
        directory = os.path.abspath(directory)
        if directory not in self._gitignores:
            spec = None
            path = os.path.join(directory, GITIGNORE)
            if os.path.isfile(path):
                try:
                    with open(path, encoding="utf-8", errors="replace") as handle:
                        spec = _spec(handle.read().splitlines())
                except OSError:
                    spec = None
            self._gitignores[directory] = spec
        return self._gitignores[directory]

    def ignored_by_git(self, path: str, is_dir: bool, top: str) -> bool:
        """Whether a ``.gitignore`` between ``top`` (the repository root, or where the walk
        began) and ``path`` ignores it; the deepest file that has a say decides, as in git."""
        directory = os.path.dirname(os.path.abspath(path))
        top = os.path.abspath(top)
        while True:
            spec = self._gitignore(directory)
            if spec is not None:
                relative = _relative(path, directory, is_dir)
                if relative is not None:
                    decided = spec.check_file(relative).include
                    if decided is not None:
                        return bool(decided)
            if directory == top or os.path.dirname(directory) == directory:
                return False
            directory = os.path.dirname(directory)

    # -- the walk ----------------------------------------------------------------------------

    def skips(self, path: str, is_dir: bool, top: str) -> bool:
        if self.excluded_by_pattern(path, is_dir) or (
            self.respect_gitignore and self.ignored_by_git(path, is_dir, top)
        ):
            self.excluded += 1
            return True
        return False

    def chart_templates(self, path: str) -> str | None:
        """The chart whose ``templates/`` holds ``path`` (a file or that directory), if any."""
        directory = path if os.path.isdir(path) else os.path.dirname(path)
        directory = os.path.normpath(directory) if directory else "."
        while True:
            if os.path.basename(os.path.abspath(directory)) == TEMPLATES:
                chart = os.path.dirname(directory) or "."
                if os.path.isfile(os.path.join(chart, CHART)):
                    return chart
            parent = os.path.dirname(directory)
            if not parent or parent == directory:
                return None
            directory = parent

    def skip_chart(self, chart: str) -> None:
        if chart not in self.charts:
            self.charts.append(chart)


def top_for(path: str) -> str:
    """The directory whose ``.gitignore`` files count for ``path``: the repository root above
    it (the one holding ``.git``), else ``path`` itself."""
    here = os.path.abspath(path)
    directory = here
    while True:
        if os.path.exists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return here
        directory = parent


def _plain_name(pattern: str) -> bool:
    return pattern == ".*" or not any(char in pattern for char in "/*?[]!\\")


def _hidden(name: str) -> bool:
    return name.startswith(".") and name not in (".", "..")


def _relative(path: str, base: str, is_dir: bool) -> str | None:
    relative = os.path.relpath(os.path.abspath(path), base)
    if relative == os.curdir or relative.startswith(os.pardir):
        return None
    relative = relative.replace(os.sep, "/")
    return relative + "/" if is_dir else relative


def _spec(lines: list[str]) -> Any:
    import pathspec  # only for patterns that are not plain names, and .gitignore files

    return pathspec.GitIgnoreSpec.from_lines(lines)
