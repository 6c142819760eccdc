"""What Kubeflow normalisers share across one run: the PodDefaults, and once-per-run findings.

PodDefaults come from the checked inputs (recognised like any document) and from the files given
with ``--poddefaults``; the latter are read here, once, and whatever is wrong with them is
reported with the first Kubeflow document normalised.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from nblint.load import files
from nblint.model import Finding, Origin, format_path
from nblint.normalise.kubeflow import crd
from nblint.normalise.kubeflow.kinds import POD_DEFAULT_DIALECT, is_poddefault
from nblint.normalise.kubeflow.poddefaults import PodDefault
from nblint.provenance import tree_position

if TYPE_CHECKING:
    from nblint.pipeline import RunContext


@dataclass
class RunState:
    poddefaults: list[PodDefault] = field(default_factory=list)
    #: Findings about ``--poddefaults`` files, handed to the first normaliser that asks.
    pending: list[Finding] = field(default_factory=list)
    culling_reported: bool = False

    def take_pending(self) -> list[Finding]:
        taken, self.pending = self.pending, []
        return taken


def run_state(context: RunContext) -> RunState:
    state = context.cache.get("kubeflow")
    if not isinstance(state, RunState):
        state = context.cache["kubeflow"] = _collect(context)
    return state


def finding(
    context: RunContext,
    rule_id: str,
    message: str,
    origin: Origin,
    object_name: str | None,
    dialect: str = "kubeflow",
) -> Finding | None:
    """A finding a Kubeflow normaliser reports, with the rule's fix for ``dialect`` (a Notebook's
    by default, ``kubeflow-poddefault`` for one about a PodDefault itself)."""
    rule = context.runner.rules.get(rule_id)
    fix = (rule.fix.get(dialect) or rule.fix.get("any")) if rule else None
    return context.runner.pipeline_finding(
        rule_id,
        message,
        origin.file,
        origin.line,
        origin.column,
        object=object_name,
        fix=fix.rstrip() if fix else None,
        note=origin.note,
    )


def pruned_findings(context: RunContext, pd: PodDefault) -> Iterator[Finding]:
    for path in pd.dropped:
        rule = (
            "kubeflow-pruned-security-field"
            if crd.is_security_relevant(path)
            else "kubeflow-pruned-field"
        )
        line, column = tree_position(pd.root, path)
        found = finding(
            context,
            rule,
            f"{format_path(path)} is dropped by the PodDefault CRD: the webhook never applies it",
            Origin(pd.file, line, column),
            f"PodDefault/{pd.name}",
        )
        if found is not None:
            yield found


def refusal_findings(context: RunContext, pd: PodDefault) -> Iterator[Finding]:
    for path, reason in pd.refused:
        line, column = tree_position(pd.root, path)
        found = finding(
            context,
            "kubeflow-invalid-object",
            f"{pd.label}: {reason}: the API server refuses the PodDefault, so it changes no pod",
            Origin(pd.file, line, column),
            f"PodDefault/{pd.name}",
            POD_DEFAULT_DIALECT,
        )
        if found is not None:
            yield found


def _collect(context: RunContext) -> RunState:
    state = RunState()
    by_key: dict[tuple[Any, ...], PodDefault] = {}

    def keep(pd: PodDefault) -> None:
        if pd.refused:
            return  # never stored: it reaches no pod (reported where it is normalised)
        # One PodDefault per name and namespace, as in a cluster: the last one applied wins.
        by_key[(pd.namespace, pd.name, pd.file if pd.namespace is None else "")] = pd

    for document in context.documents:
        if document.dialect == POD_DEFAULT_DIALECT:
            keep(PodDefault.read(document.root, document.file))
    for path in _option_files(context, state):
        for pd in _read_option_file(context, state, path):
            keep(pd)
            state.pending.extend(pruned_findings(context, pd))
            state.pending.extend(refusal_findings(context, pd))
    state.poddefaults = list(by_key.values())
    return state


def _option_files(context: RunContext, state: RunState) -> list[str]:
    paths = [str(p) for p in context.options.dialect.get("poddefaults") or ()]
    found: list[str] = []
    for path in paths:
        try:
            found.extend(files.discover([path]))
        except files.InputError as err:
            _report_load_problem(context, state, path, "unreadable", str(err), 1, 1)
    return found


def _read_option_file(context: RunContext, state: RunState, path: str) -> Iterator[PodDefault]:
    loaded = files.load(path)
    for problem in loaded.problems:
        _report_load_problem(
            context, state, path, problem.kind, problem.message, problem.line, problem.column
        )
    for document in loaded.documents:
        for problem in document.problems:
            _report_load_problem(
                context, state, path, problem.kind, problem.message, problem.line, problem.column
            )
        root = document.root
        items = root.get("items") if isinstance(root, dict) and root.get("kind") == "List" else None
        for candidate in items if isinstance(items, list) else [root]:
            if is_poddefault(candidate):
                yield PodDefault.read(candidate, path, from_option=True)


def _report_load_problem(
    context: RunContext, state: RunState, path: str, kind: str, message: str, line: int, col: int
) -> None:
    from nblint.pipeline import LOAD_PROBLEM_RULES

    found = context.runner.pipeline_finding(
        LOAD_PROBLEM_RULES[kind], f"--poddefaults: {message}", path, line, col
    )
    if found is not None:
        state.pending.append(found)
