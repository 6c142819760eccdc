"""The whole run: load → recognise → normalise → check, for every input path.

Each stage lives in its own package; this module only wires them together and keeps going when
one input fails, so that a bad file never hides the findings of the others.

All inputs are loaded and recognised before any is normalised, because some dialects need to see
other documents of the run (Kubeflow PodDefaults apply to the Notebooks of their namespace).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from nblint import recognise as recognition
from nblint import suppress
from nblint.check import tables
from nblint.check.engine import Plan, check_pod
from nblint.check.rules import (
    Implementation,
    PsaPolicy,
    Rule,
    active_rules,
    load_rules,
    table_dirs,
)
from nblint.load import files
from nblint.load.yaml_tree import Document, LoadProblem
from nblint.model import EffectivePod, Finding
from nblint.suppress import Suppression

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
    #: Dialect settings (``chart_version``, ``values_root``, …), read by the normalisers.
    dialect: dict[str, Any] = field(default_factory=dict)
    #: Processes for a large tree (``--jobs``; 0 = one per CPU); see :mod:`nblint.parallel`.
    jobs: int = 1


@dataclass
class Result:
    """Everything a run found, for the reports."""

    findings: list[Finding] = field(default_factory=list)
    pods: list[EffectivePod] = field(default_factory=list)
    files: int = 0
    documents: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    #: Text of every input, for code frames and suppressions.
    texts: dict[str, str] = field(default_factory=dict)
    #: Findings silenced by ``# nblint: disable=…`` comments, with the comment that did it.
    suppressed: list[tuple[Finding, Suppression]] = field(default_factory=list)


@dataclass
class Recognised:
    """A document a dialect claimed, waiting to be normalised."""

    dialect: str
    file: str
    root: Any
    index: int
    #: For a z2jh release given with ``-f/--values``: every ``(file, document)`` layer, in order.
    layers: list[tuple[str, Any]] = field(default_factory=list)


@dataclass
class RunContext:
    """What normalisers may read besides their own document."""

    options: Options
    #: Every recognised document of the run, in input order.
    documents: list[Recognised]
    runner: Runner
    #: Run-wide memo of the dialects, by dialect (e.g. the PodDefaults Kubeflow collected once).
    cache: dict[str, Any] = field(default_factory=dict)


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
            self._plan = Plan(self.active)
        return self._plan

    def run(self, paths: Iterable[str]) -> Result:
        if self.options.jobs != 1 and not self.options.dialect.get("values"):
            from nblint import parallel

            paths, jobs = list(paths), parallel.jobs_for(self.options.jobs)
            if parallel.should_split(paths, jobs):
                return parallel.run(self, paths, jobs)
        result = Result()
        recognised: list[Recognised] = []
        for path in paths:
            self.load_file(path, result, recognised)
        if self.options.dialect.get("values"):
            self.load_release(self.options.dialect["values"], result, recognised)
        context = RunContext(self.options, recognised, self)
        for document in recognised:
            try:
                self.normalise_and_check(document, context, result)
            except Exception as err:  # a normaliser bug must not hide the other documents
                self._internal_error(result, document, err)
        suppress.apply(result, self)
        result.findings.sort(key=Finding.sort_key)
        return result

    def load_file(self, path: str, result: Result, recognised: list[Recognised]) -> None:
        for document in self._load(path, result):
            self.recognise(path, document.root, document.index, result, recognised)

    def load_release(self, paths: list[str], result: Result, recognised: list[Recognised]) -> None:
        """Files given with ``-f/--values``: one z2jh release, layered in order (later wins)."""
        layers: list[tuple[str, Any]] = []
        for path in paths:
            for document in self._load(path, result):
                if isinstance(document.root, dict):
                    layers.append((path, document.root))
        if layers:
            first_file, first_root = layers[0]
            recognised.append(Recognised(recognition.Z2JH, first_file, first_root, 0, layers))

    def recognise(
        self, path: str, root: Any, index: int, result: Result, recognised: list[Recognised]
    ) -> None:
        try:
            dialect = recognition.recognise(root, self.options)
        except Exception as err:  # a recogniser bug must not stop the run
            self._internal_error(result, Recognised("unknown", path, root, index), err)
            return
        if dialect == recognition.LIST:
            for item in root["items"]:
                self.recognise(path, item, index, result, recognised)
        elif dialect is None:
            result.skipped[recognition.skip_label(root)] += 1
        else:
            recognised.append(Recognised(dialect, path, root, index))

    def normalise_and_check(
        self, document: Recognised, context: RunContext, result: Result
    ) -> None:
        normaliser = recognition.NORMALISERS[document.dialect]
        normalised = normaliser(document, context)
        for finding in normalised.findings:
            if finding.rule in self.active_ids:
                result.findings.append(finding)
        # One input may yield several pods (profiles): a finding about the input as a whole
        # (e.g. z2jh `cull` settings) comes out of each of them identically; report it once.
        seen: set[tuple[Any, ...]] = set()
        for pod in normalised.pods:
            result.pods.append(pod)
            for finding in check_pod(pod, self.plan, self.options.policy):
                key = finding.identity()
                if key not in seen:
                    seen.add(key)
                    result.findings.append(finding)

    def pipeline_finding(
        self, rule_id: str, message: str, file: str, line: int, column: int, **extra: Any
    ) -> Finding | None:
        """A finding the pipeline itself reports, or None when its rule is not selected."""
        if rule_id not in self.active_ids:
            return None
        rule = self.rules[rule_id]
        extra.setdefault("fix", rule.fix.get("any"))
        if extra["fix"] is not None and len(extra["fix"]) > MAX_MESSAGE:
            extra["fix"] = _bounded(extra["fix"])
        return Finding(
            rule=rule.id,
            group=rule.group,
            severity=rule.severity,
            message=_bounded(message),
            file=file,
            line=line,
            column=column,
            **extra,
        )

    def _internal_error(self, result: Result, document: Recognised, err: Exception) -> None:
        line, column = getattr(document.root, "pos", (1, 1))
        finding = self.pipeline_finding(
            "internal-error",
            f"nblint failed on this {document.dialect} document ({type(err).__name__}: {err}); "
            "it was not fully checked — please report this",
            document.file,
            line,
            column,
        )
        if finding is not None:
            result.findings.append(finding)

    def _load(self, path: str, result: Result) -> list[Document]:
        """Read one input, count it, and report what stopped any of it from being read."""
        loaded = files.load(path)
        result.files += 1
        result.texts[path] = loaded.text
        for problem in loaded.problems:
            self._problem(result, path, problem)
        for document in loaded.documents:
            result.documents += 1
            for problem in document.problems:
                self._problem(result, path, problem)
        return loaded.documents

    def _problem(self, result: Result, path: str, problem: LoadProblem) -> None:
        finding = self.pipeline_finding(
            LOAD_PROBLEM_RULES[problem.kind], problem.message, path, problem.line, problem.column
        )
        if finding is not None:
            result.findings.append(finding)
