"""The whole run: load → recognise → normalise → check, for every input path.

Each stage lives in its own package; this module only wires them together and keeps going when
one input fails, so that a bad file never hides the findings of the others. In two phases:

1. **Read and index.** Every input is read (not yet parsed). A file that holds a dialect's index
   marker (``PodDefault``: it may change the Notebooks of other files), every context file
   (``--poddefaults``) and every layer of a ``-f`` release are parsed now, their documents
   recognised, and what they contribute goes into the run-wide :class:`RunIndex`.
2. **Normalise and check.** Each document, in input order, is normalised with the finished index
   and its pods are checked. Documents of the other files are parsed only now, one at a time,
   and dropped once checked: a file of thousands of manifests never has more than one of them in
   memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from nblint.check import tables
from nblint.check.engine import Plan, check_pod
from nblint.check.rules import load_rules, table_dirs
from nblint.dialects.base import Dialect
from nblint.dialects.registry import BY_NAME, DIALECTS, TEMPLATE_HINT_KEY
from nblint.dialects.registry import recognise as recognise_dialect
from nblint.load import files
from nblint.load.yaml_tree import LoadProblem
from nblint.model.document import Recognised, RunIndex
from nblint.model.edit import DISPLAY_ONLY
from nblint.model.finding import Finding, Reported, chosen_fix
from nblint.model.pod import Origin
from nblint.model.result import RunResult
from nblint.model.rule import Implementation, PsaPolicy, Rule, active_rules

#: Which ``nblint``-group rule reports each kind of load problem.
LOAD_PROBLEM_RULES = {
    "parse-error": "parse-error",
    "recursive-alias": "parse-error",
    "duplicate-key": "duplicate-key",
    "unsafe-tag": "unsafe-yaml-tag",
    "too-large": "input-too-large",
    "unreadable": "unreadable-file",
    "empty-file": "empty-file",
    "not-a-mapping": "document-not-a-mapping",
    "helm-template": "helm-template",
    "sops-encrypted": "sops-encrypted",
}

#: The longest message (or fix) the pipeline reports; the input it quotes may be megabytes long.
MAX_MESSAGE = 1500


def _bounded(text: str) -> str:
    """``text`` cut in the middle when too long, keeping both ends: what it quotes (a key, a
    value) is usually in the middle, and the explanation at the end."""
    if len(text) <= MAX_MESSAGE:
        return text
    return text[: MAX_MESSAGE * 2 // 3] + " … " + text[-MAX_MESSAGE // 3 :]


@dataclass
class Options:
    """What a run checks: the PSA policy, rule selection, rule directories, dialect settings."""

    policy: PsaPolicy = field(default_factory=lambda: PsaPolicy("restricted", (1, 37)))
    select: set[str] | None = None
    ignore: set[str] | None = None
    rules_dirs: tuple[str, ...] = ()
    #: Settings the dialects read (``chart_version``, ``values_root``, ``values``: the ``-f``
    #: layers of one z2jh release, ``kubeflow_add_fsgroup``, …).
    dialect: dict[str, Any] = field(default_factory=dict)
    #: Context files: what is already in the cluster (``--poddefaults``), as ``(option, path)``.
    #: Their documents are indexed and checked for their own problems; they yield no pod.
    context: tuple[tuple[str, str], ...] = ()
    #: Processes for a large tree (``--jobs``; 0 = one per CPU); see :mod:`nblint.run.parallel`.
    jobs: int = 1
    #: Keep every effective pod in the result (``nblint render``); a check only counts them.
    keep_pods: bool = False
    #: Text to read instead of a file's, by path (``nblint fix`` checks its edits unwritten).
    texts: dict[str, str] = field(default_factory=dict)
    #: The name stdin (``-``) is reported under (``--stdin-filename``).
    stdin_filename: str | None = None


@dataclass
class _Input:
    """One file of the run, read but not necessarily parsed."""

    path: str
    loaded: files.LoadedFile
    #: The option that named it, for a context file (``--poddefaults``); None for an input.
    context: str | None = None
    #: Its documents, when they were parsed in the first phase.
    recognised: list[Recognised] | None = None


class Runner:
    def __init__(self, options: Options, rules: dict[str, Rule] | None = None) -> None:
        self.options = options
        self.rules = rules if rules is not None else load_rules(options.rules_dirs)
        tables.set_search_path(table_dirs(options.rules_dirs))
        self.active: list[tuple[Rule, Implementation]] = active_rules(
            self.rules, options.policy, options.select, options.ignore
        )
        self.active_ids = {rule.id for rule, _ in self.active}
        self._plan: Plan | None = None

    @property
    def plan(self) -> Plan:
        """The active rules prepared for :func:`check_pod`, once per run (on first use)."""
        if self._plan is None:
            self._plan = Plan(self.active, TEMPLATE_HINT_KEY)
        return self._plan

    @property
    def settings(self) -> dict[str, Any]:
        return self.options.dialect

    # -- the run ----------------------------------------------------------------------------

    def run(self, paths: Iterable[str]) -> RunResult:
        if self.options.jobs != 1 and not self._layered():
            from nblint.run import parallel

            paths, jobs = list(paths), parallel.jobs_for(self.options.jobs)
            if parallel.should_split(paths, jobs):
                return parallel.run(self, paths, jobs)
        result = RunResult()
        inputs = [self._read(path, result) for path in paths]
        release = self._release(result)
        context = [self._read(path, result, option) for option, path in self.options.context]
        index = self._index(inputs, context, release, result)
        seen: set[str] = set()
        for item in [*inputs, *context]:
            documents = (
                item.recognised if item.recognised is not None else self._stream(item, result)
            )
            for document in documents:
                self._normalise_and_check(document, index, result, seen)
        if release is not None:
            self._normalise_and_check(release, index, result, seen)
        from nblint.run import suppress

        suppress.apply(result, self)
        result.findings.sort(key=Finding.sort_key)
        return result

    def _index(
        self,
        inputs: list[_Input],
        context: list[_Input],
        release: Recognised | None,
        result: RunResult,
    ) -> RunIndex:
        """Phase 1: parse what may contribute to the index, and index it."""
        markers = [(d, d.index_markers) for d in DIALECTS if d.index_markers]
        entries: dict[str, list[Any]] = {}
        for item in [*inputs, *context]:
            text = item.loaded.text
            if item.context is None and not any(m in text for _, ms in markers for m in ms):
                continue
            item.recognised = list(self._stream(item, result))
            for document in item.recognised:
                for key, entry in BY_NAME[document.dialect].index(document, self.settings):
                    entries.setdefault(key, []).append(entry)
        if release is not None:
            for key, entry in BY_NAME[release.dialect].index(release, self.settings):
                entries.setdefault(key, []).append(entry)
        return RunIndex(entries)

    def _read(self, path: str, result: RunResult, context: str | None = None) -> _Input:
        given = self.options.texts.get(path)
        loaded = files.read(path) if given is None else files.LoadedFile(path, given)
        if path == files.STDIN and self.options.stdin_filename:
            path = loaded.path = self.options.stdin_filename
        if context is None:
            result.inputs.append(path)
        result.texts[path] = loaded.text
        for problem in loaded.problems:
            self._problem(result, path, problem, context)
        return _Input(path, loaded, context)

    def _stream(self, item: _Input, result: RunResult) -> Iterator[Recognised]:
        """The recognised documents of one file, parsed one at a time, problems reported."""
        for entry in files.documents(item.loaded):
            if isinstance(entry, LoadProblem):
                self._problem(result, item.path, entry, item.context)
                continue
            if item.context is None:
                result.documents += 1
            for problem in entry.problems:
                self._problem(result, item.path, problem, item.context)
            yield from self._recognise(item, entry.root, entry.index, result)

    def _recognise(
        self, item: _Input, root: Any, index: int, result: RunResult, at: tuple[Any, ...] = ()
    ) -> Iterator[Recognised]:
        if isinstance(root, dict) and root.get("kind") == "List":
            items = root.get("items")
            if isinstance(items, list):
                for position, entry in enumerate(items):
                    yield from self._recognise(item, entry, index, result, (*at, "items", position))
                return
        try:
            dialect = recognise_dialect(root, self.settings)
        except Exception as err:  # a recogniser bug must not stop the run
            self._internal_error(result, Recognised("unknown", item.path, root, index), err)
            return
        if item.context is not None:
            # A context file stands for the cluster: only what other documents read from it.
            if dialect is not None and dialect.indexer is not None:
                yield Recognised(dialect.name, item.path, root, index, context=True, path=at)
        elif dialect is None:
            result.skipped[skip_label(root)] += 1
        else:
            yield Recognised(dialect.name, item.path, root, index, path=at)

    def _layered(self) -> tuple[Dialect, list[str]] | None:
        """The dialect whose layered setting names files (``-f``), and the files."""
        for dialect in DIALECTS:
            if dialect.layered is not None and self.settings.get(dialect.layered):
                return dialect, list(self.settings[dialect.layered])
        return None

    def _release(self, result: RunResult) -> Recognised | None:
        """Files given with ``-f/--values``: one document (a z2jh release), layered in order
        (the later file wins)."""
        layered = self._layered()
        if layered is None:
            return None
        dialect, paths = layered
        layers: list[tuple[str, Any]] = []
        positions: list[int] = []
        for path in paths:
            item = self._read(path, result)
            for entry in files.documents(item.loaded):
                if isinstance(entry, LoadProblem):
                    self._problem(result, path, entry)
                    continue
                result.documents += 1
                for problem in entry.problems:
                    self._problem(result, path, problem)
                if isinstance(entry.root, dict):
                    layers.append((path, entry.root))
                    positions.append(entry.index)
        if not layers:
            return None
        first_file, first_root = layers[0]
        return Recognised(
            dialect.name, first_file, first_root, positions[0], layers, layer_documents=positions
        )

    def _normalise_and_check(
        self, document: Recognised, index: RunIndex, result: RunResult, seen: set[str]
    ) -> None:
        try:
            dialect = BY_NAME[document.dialect]
            if dialect.once is not None and dialect.name not in seen:
                seen.add(dialect.name)
                for reported in dialect.once_per_run(document, index, self.settings):
                    self._add(result, reported)
            normalised = dialect.normalise(document, index, self.settings)
            for reported in normalised.reported:
                self._add(result, reported)
            # One input may yield several pods (profiles): a finding about the input as a whole
            # (e.g. z2jh `cull` settings) comes out of each of them identically; report it once.
            unique: set[tuple[Any, ...]] = set()
            for pod in normalised.pods:
                result.pod_count += 1
                if self.options.keep_pods:
                    result.pods.append(pod)
                for finding in check_pod(pod, self.plan, self.options.policy):
                    key = finding.identity()
                    if key not in unique:
                        unique.add(key)
                        result.findings.append(finding)
        except Exception as err:  # a normaliser bug must not hide the other documents
            self._internal_error(result, document, err)

    # -- findings the pipeline itself reports -------------------------------------------------

    def finding(self, reported: Reported) -> Finding | None:
        """``reported`` as a finding of its rule, or None when the rule is not selected."""
        if reported.rule not in self.active_ids:
            return None
        rule = self.rules[reported.rule]
        chosen = chosen_fix(rule.fix, reported.fix_keys)
        fix = reported.fix or (chosen[1] if chosen else None)
        applicability = None
        if fix:
            safety = rule.safety_of(chosen[0] if chosen and not reported.fix else None)
            applicable = reported.edit is not None and safety != DISPLAY_ONLY
            applicability = safety if applicable else DISPLAY_ONLY
        origin = reported.origin
        return Finding(
            rule=rule.id,
            group=rule.group,
            severity=rule.severity,
            message=_bounded(reported.message),
            file=origin.file,
            line=origin.line,
            column=origin.column,
            object=reported.object,
            fix=_bounded(fix.rstrip()) if fix else None,
            note=origin.note,
            applicability=applicability,
            edit=reported.edit if applicability not in (None, DISPLAY_ONLY) else None,
        )

    def _add(self, result: RunResult, reported: Reported) -> None:
        finding = self.finding(reported)
        if finding is not None:
            result.findings.append(finding)

    def _internal_error(self, result: RunResult, document: Recognised, err: Exception) -> None:
        line, column = getattr(document.root, "pos", (1, 1))
        self._add(
            result,
            Reported(
                "internal-error",
                f"nblint failed on this {document.dialect} document ({type(err).__name__}: "
                f"{err}); it was not fully checked — please report this",
                Origin(document.file, line, column),
            ),
        )

    def _problem(
        self, result: RunResult, path: str, problem: LoadProblem, context: str | None = None
    ) -> None:
        message = f"{context}: {problem.message}" if context else problem.message
        self._add(
            result,
            Reported(
                LOAD_PROBLEM_RULES[problem.kind],
                message,
                Origin(path, problem.line, problem.column),
            ),
        )


def context_files(option: str, paths: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """``(option, file)`` for every YAML file under ``paths`` (files or directories): the
    context files of :attr:`Options.context`. A path that does not exist is kept, to be
    reported as unreadable by the run."""
    found: list[tuple[str, str]] = []
    for path in map(str, paths):
        try:
            found.extend((option, file) for file in files.discover([path]))
        except files.InputError:
            found.append((option, path))
    return tuple(found)


def skip_label(root: Any) -> str:
    """How a skipped document is counted in the summary."""
    if isinstance(root, dict) and isinstance(root.get("kind"), str):
        return root["kind"]
    if root is None:
        return "(empty document)"
    if isinstance(root, dict):
        return "(no kind)"
    return f"({type(root).__name__} document)"
