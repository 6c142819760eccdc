"""The whole run: load → recognise → normalise → check, for every input path.

Each stage lives in its own package; this module only wires them together and keeps going when
one input fails, so that a bad file never hides the findings of the others. In two phases:

1. **Read and index.** Every input is read (not yet parsed). A file that holds a dialect's index
   marker (``PodDefault``: it may change the Notebooks of other files; ``kind: Notebook``: another
   file may write the same Notebook again), every context file (``--poddefaults``) and every
   layer of a ``-f`` release are parsed now, their documents recognised, and what they
   contribute goes into the run-wide :class:`RunIndex`. The documents of such a file are kept
   for the second phase while the files kept so far hold at most :data:`KEEP_BUDGET` characters;
   a file beyond it is parsed again there, one document at a time, so that memory stays bounded.
   A dialect that reads files beside an input (``Dialect.neighbours``: an umbrella chart's
   ``Chart.yaml``) gets them parsed on each :class:`Recognised`, read once per directory.
2. **Normalise and check.** Each document, in input order, is normalised with the finished index
   and its pods are checked. Documents of the other files are parsed only now, one at a time,
   and dropped once checked: a file of thousands of manifests never has more than one of them in
   memory.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from functools import cache

from nblint.check import tables
from nblint.check.engine import Plan, check_pod
from nblint.check.podview import holds_no_placeholder, may_hold_placeholder
from nblint.check.rules import load_rules, table_dirs
from nblint.dialects.base import Dialect
from nblint.dialects.registry import (
    BY_NAME,
    DIALECTS,
    NEIGHBOUR_NAMES,
    TEMPLATE_HINT_KEY,
    neighbours_for,
)
from nblint.dialects.registry import recognise as recognise_dialect
from nblint.load import files
from nblint.load.provenance import path_at, tree_position
from nblint.load.yaml_tree import Document, LoadProblem
from nblint.model.document import (
    BINDINGS_INDEX,
    CLUSTER_INDEX,
    EXPOSURE_INDEX,
    INPUT_SUFFIX,
    RUNTIME_CLASS_INDEX,
    STORAGE_INDEX,
    TEMPLATE_OBJECTS,
    Neighbour,
    Recognised,
    RunIndex,
)
from nblint.model.edit import DISPLAY_ONLY, SAFE, UNSAFE, Edit
from nblint.model.finding import KUSTOMIZE_IMAGES, Finding, Reported, chosen_fix
from nblint.model.pod import USER_NAMESPACE_FACT, EffectivePod, Origin
from nblint.model.record import Record
from nblint.model.result import RunResult
from nblint.model.rule import Implementation, PsaPolicy, Rule, active_rules
from nblint.model.unknowable import PARAMETER_DEFAULTS_FACT, PARAMETERS_FACT
from nblint.run.kustomize import (
    ImageEntry,
    ImageRewrites,
    Kustomizations,
    PatchedBy,
    SetNamespace,
    build_command,
    fleet_bundle,
    renamed_namespace,
    set_images,
    set_namespace,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The load problem a dialect may judge (see ``Dialect.templates``).
HELM_TEMPLATE = "helm-template"
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
    HELM_TEMPLATE: "helm-template",
    "helmfile-template": "helmfile-template",
    "sops-encrypted": "sops-encrypted",
    files.GIT_CRYPT: "git-crypt-encrypted",
    "sops-partly-encrypted": "sops-partly-encrypted",
}

#: The rule group of the notebook checklist: what a workload that is not a notebook is not
#: checked against (see :mod:`nblint.check.workload`).
NOTEBOOK_GROUP = "notebook"

#: The rule that says an input is a kustomize patch, not checked (info).
KUSTOMIZE_PATCH = "kustomize-patch"
KUSTOMIZE_RESOURCE_UNCHECKED = "kustomize-resource-unchecked"
KUSTOMIZE_NOT_APPLIED = "kustomize-not-applied"
#: The rule that says an OpenShift Template's objects write parameters nblint cannot know (info).
TEMPLATE_PARAMETERS = "openshift-template-parameters"
#: The context option that names the API server's admission configuration.
ADMISSION_CONFIG = "--admission-config"

#: The characters of text whose parsed documents the first phase may keep for the second (a
#: parsed tree is some 17 times its text): a file read in the first phase is parsed once when it
#: fits, again in the second phase when it does not.
KEEP_BUDGET = 2**20

#: The longest message (or fix) the pipeline reports; the input it quotes may be megabytes long.
MAX_MESSAGE = 1500


def _bounded(text: str) -> str:
    """``text`` cut in the middle when too long, keeping both ends: what it quotes (a key, a
    value) is usually in the middle, and the explanation at the end."""
    if len(text) <= MAX_MESSAGE:
        return text
    return text[: MAX_MESSAGE * 2 // 3] + " … " + text[-MAX_MESSAGE // 3 :]


#: :class:`Options`' fields in the order its ``__init__`` takes them (its repr shows them so).
_OPTIONS_ORDER = (
    "policy",
    "select",
    "ignore",
    "rules_dirs",
    "dialect",
    "context",
    "jobs",
    "shared_inputs",
    "run_inputs",
    "keep_pods",
    "texts",
    "stdin_filename",
)


class Options:
    """What a run checks: the PSA policy, rule selection, rule directories, dialect settings.

    A plain class, not a dataclass (see :mod:`nblint.model.record`): :meth:`replace` is
    ``dataclasses.replace``.
    """

    __slots__ = (
        "context",
        "dialect",
        "ignore",
        "jobs",
        "keep_pods",
        "policy",
        "rules_dirs",
        "run_inputs",
        "select",
        "shared_inputs",
        "stdin_filename",
        "texts",
    )

    def __init__(
        self,
        policy: PsaPolicy | None = None,
        select: set[str] | None = None,
        ignore: set[str] | None = None,
        rules_dirs: tuple[str, ...] = (),
        dialect: dict[str, Any] | None = None,
        context: tuple[tuple[str, str], ...] = (),
        jobs: int = 1,
        shared_inputs: tuple[str, ...] = (),
        run_inputs: tuple[str, ...] = (),
        keep_pods: bool = False,
        texts: dict[str, str] | None = None,
        stdin_filename: str | None = None,
    ) -> None:
        self.policy: PsaPolicy = policy if policy is not None else PsaPolicy("restricted", (1, 37))
        self.select = select
        self.ignore = ignore
        self.rules_dirs = rules_dirs
        #: Settings the dialects read (``chart_version``, ``values_root``, ``values``: the
        #: ``-f`` layers of one z2jh release, ``kubeflow_add_fsgroup``, …).
        self.dialect: dict[str, Any] = dialect if dialect is not None else {}
        #: Context files: what is already in the cluster (``--poddefaults``), as
        #: ``(option, path)``. Their documents are indexed and checked for their own problems;
        #: they yield no pod.
        self.context = context
        #: Processes for a large tree (``--jobs``; 0 = one per CPU); see
        #: :mod:`nblint.run.parallel`.
        self.jobs = jobs
        #: Inputs another process checks whose documents this run's pods depend on (a
        #: namespace's LimitRange, with ``--jobs``): indexed only, their findings are the other
        #: process's.
        self.shared_inputs = shared_inputs
        #: Every input of the run, when this process checks a part of them (``--jobs``): what a
        #: kustomization among this part deploys may be in another.
        self.run_inputs = run_inputs
        #: Keep every effective pod in the result (``nblint render``); a check only counts them.
        self.keep_pods = keep_pods
        #: Text to read instead of a file's, by path (``nblint fix`` checks its edits unwritten).
        self.texts: dict[str, str] = texts if texts is not None else {}
        #: The name stdin (``-``) is reported under (``--stdin-filename``).
        self.stdin_filename = stdin_filename

    def replace(self, **changes: Any) -> Options:
        """A copy with ``changes`` (field names) made, like ``dataclasses.replace``."""
        fields = {name: getattr(self, name) for name in self.__slots__}
        unknown = set(changes) - set(fields)
        if unknown:
            raise TypeError(f"Options has no field {sorted(unknown)[0]!r}")
        fields.update(changes)
        return Options(**fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Options:
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass was

    def __repr__(self) -> str:
        order = _OPTIONS_ORDER
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in order)
        return f"Options({shown})"


class _Input(Record):
    """One file of the run, read but not necessarily parsed."""

    __slots__ = (
        "also",
        "context",
        "images",
        "loaded",
        "namespace",
        "patch",
        "path",
        "recognised",
        "rest",
    )

    def __init__(
        self,
        path: str,
        loaded: files.LoadedFile,
        context: str | None = None,
        recognised: list[Recognised] | None = None,
        rest: bool = False,
        patch: PatchedBy | None = None,
        namespace: SetNamespace | None = None,
        images: ImageRewrites | None = None,
    ) -> None:
        self.path = path
        self.loaded = loaded
        #: The option that named it, for a context file (``--poddefaults``); None for an input.
        self.context = context
        #: Its documents, when it was parsed in the first phase and kept (see ``KEEP_BUDGET``).
        self.recognised = recognised
        #: Whether it was parsed in the first phase but not kept: the second phase parses it again
        #: rather than keeping every document of a large file in memory.
        self.rest = rest
        #: The kustomization that patches this file in: a patch, not objects (not checked).
        self.patch = patch
        #: The namespace the kustomizations that build this file set on its objects.
        self.namespace = namespace
        #: How the kustomizations that build this file rewrite its images (``images:``).
        self.images = images
        #: The namespaces its builds put it in when they differ (overlays of one base): a
        #: Namespace of it is also each of them, renamed (its objects keep their own).
        self.also: list[SetNamespace] = []

    def built_in(self) -> _Input:
        """This input as one build reads it: without the other builds' namespaces."""
        return _Input(self.path, self.loaded, self.context, patch=self.patch, images=self.images)


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
        #: Plans of other PSA policies (a namespace's levels), by policy, PSA-only-ness and
        #: whether the notebook checklist is in.
        self._plans: dict[tuple[PsaPolicy, bool, bool, bool], Plan] = {}
        #: The namespaces the inputs describe (set once the index is built), else None.
        self.cluster: Any = None
        #: The PersistentVolumes and claims of the inputs (:mod:`nblint.model.storage`), if any.
        self.storage: Any = None
        #: The ServiceAccounts the inputs' RoleBindings and ClusterRoleBindings give a role
        #: (:class:`nblint.model.rbac.AccountBinding`, set once the index is built).
        self.bindings: tuple[Any, ...] = ()
        #: The Services, Ingresses and Routes of the inputs
        #: (:class:`nblint.model.exposure.Exposure`, set once the index is built).
        self.exposures: tuple[Any, ...] = ()
        #: Whether no file of the run holds placeholder text (set once the files are read).
        self.placeholder_free = False
        #: The RuntimeClasses among the inputs (:mod:`nblint.model.runtime_class`), if any.
        self.runtime_classes: tuple[Any, ...] = ()
        #: Directory → the files beside its inputs that dialects read (see :meth:`_neighbours`).
        self._beside: dict[str, tuple[Neighbour, ...]] = {}
        #: Their texts, by path: the code frame of a finding on one needs it.
        self._beside_texts: dict[str, str] = {}
        #: The kustomizations near the inputs, which may name an input as a patch.
        self._kustomizations = Kustomizations()
        #: By file: the images kustomizations' ``images:`` build there, each with its entry.
        self._kustomized_images: dict[str, dict[str, ImageEntry]] = {}
        #: The inputs by real path, so that a file a document names is named as the input it is.
        self._input_files: dict[str, str] | None = None
        self._input_paths: list[str] = []
        #: Every input of the run as its path components, for a name that asks for the input
        #: whose path ends with it (``INPUT_SUFFIX``): worked out only when a document does.
        self._input_parts: list[tuple[str, tuple[str, ...]]] | None = None

    @property
    def plan(self) -> Plan:
        """The active rules prepared for :func:`check_pod`, once per run (on first use)."""
        if self._plan is None:
            self._plan = Plan(self.active, TEMPLATE_HINT_KEY)
        return self._plan

    def plan_for(
        self,
        policy: PsaPolicy,
        psa_only: bool = False,
        notebook: bool = True,
        release_only: bool = False,
    ) -> Plan:
        """The plan of the rules active at ``policy`` (a namespace's PSA level and version),
        prepared once per run; ``psa_only``: only its PSA checks (a warn or audit level);
        ``notebook`` False: without the notebook checklist (the rules of group
        :data:`NOTEBOOK_GROUP`), for a workload that is not a notebook; ``release_only``: only
        the rules that judge the release's settings (``scope: release``), for a pod the
        platform refuses."""
        if policy == self.options.policy and not psa_only and notebook and not release_only:
            return self.plan
        key = (policy, psa_only, notebook, release_only)
        found = self._plans.get(key)
        if found is None:
            active = active_rules(self.rules, policy, self.options.select, self.options.ignore)
            if psa_only:
                active = [(rule, impl) for rule, impl in active if rule.psa]
            if not notebook:
                active = [(rule, impl) for rule, impl in active if rule.group != NOTEBOOK_GROUP]
            if release_only:
                active = [(rule, impl) for rule, impl in active if rule.release_scope]
            found = self._plans[key] = Plan(active, TEMPLATE_HINT_KEY)
        return found

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
        paths = list(paths)
        kustomizations = self._kustomizations.read_inputs(paths)
        self._kustomizations.read_inputs(list(self.options.shared_inputs))
        paths.extend(self._generator_files(kustomizations, paths))
        inputs = [self._read(path, result) for path in paths]
        # Real path → the input's name, for a file a document names (`_referenced`): worked out
        # only when one does (a real path costs system calls per input).
        self._input_files = None
        self._input_parts = None
        self._input_paths = [item.path for item in inputs if item.path != files.STDIN]
        self._unchecked_resources(kustomizations, paths, result)
        release = self._release(result)
        context = [self._read(path, result, option) for option, path in self.options.context]
        shared = self._shared()
        self._flux_namespaces(inputs, shared)
        index = self._index(inputs, context, release, result, shared)
        # No text of the run's files holds what every placeholder holds: no pod does, and the
        # fix guards that ask it of every finding need not walk each pod to know.
        self.placeholder_free = not any(
            may_hold_placeholder(item.loaded.text) for item in [*inputs, *context, *shared]
        )
        self.cluster = _cluster(index)
        self.storage = _storage(index)
        self.bindings = index.get(BINDINGS_INDEX)
        self.exposures = index.get(EXPOSURE_INDEX)
        self.runtime_classes = index.get(RUNTIME_CLASS_INDEX)
        self._check_admission_config(result)
        seen: set[str] = set()
        for item in [*inputs, *context]:
            if item.patch is not None:
                self._add(result, _patch_reported(item.path, item.patch, item.context))
                if item.context is None and item.patch.merged:
                    self._added_containers(item, result)
                continue
            if item.recognised is None:
                documents: Iterable[Recognised] = self._stream(item, result)
            elif item.rest:
                documents = self._again(item)
            else:
                documents = item.recognised
            for document in documents:
                self._normalise_and_check(document, index, result, seen)
        if release is not None:
            self._normalise_and_check(release, index, result, seen)
        self._cite_neighbours(result)
        _keep_signed_files_unedited(result)
        _shared_edits_least_safe(result.findings)
        result.findings = _once_each(result.findings)
        from nblint.run import suppress

        suppress.apply(result, self)
        result.findings.sort(key=Finding.sort_key)
        return result

    def _generator_files(
        self, kustomizations: list[tuple[str, Any]], paths: list[str]
    ) -> list[str]:
        """The Helm generator files that the kustomizations among the inputs name under
        ``generators`` and nblint reads as z2jh releases, which are not inputs themselves: read
        with them, as the values files a ``helmCharts`` entry names are (their findings are in
        the generator file, each once)."""
        if not kustomizations:
            return []
        given = {os.path.realpath(path) for path in self.options.run_inputs or paths}
        added: list[str] = []
        for path, kustomization in kustomizations:
            for generator in kustomization.generators:
                if generator.real in given:
                    continue
                given.add(generator.real)
                added.append(
                    os.path.normpath(os.path.join(os.path.dirname(path), generator.written))
                )
        return added

    def _unchecked_resources(
        self, kustomizations: list[tuple[str, Any]], paths: list[str], result: RunResult
    ) -> None:
        """A kustomization among the inputs that deploys files from outside its directory (an
        overlay's ``../../base``) which are not among the inputs: what it deploys from there is
        not checked, which a clean result must not hide."""
        if not kustomizations:
            return
        given = {os.path.realpath(path) for path in self.options.run_inputs or paths}
        for path, kustomization in kustomizations:
            self._not_applied(path, kustomization, result)
            build = build_command(
                os.path.dirname(path), self._kustomizations.inflates_helm(kustomization)
            )
            here = os.path.dirname(os.path.realpath(path))
            for resource in kustomization.resources:
                real = resource.real
                if real == here or real.startswith(here + os.sep) or not os.path.exists(real):
                    continue  # its own files (listed with it, or not) and what kustomize refuses
                if real in given or any(p.startswith(real + os.sep) for p in given):
                    continue
                self._add(
                    result,
                    Reported(
                        KUSTOMIZE_RESOURCE_UNCHECKED,
                        f"`{resource.written}` is deployed by this kustomization but is not among "
                        "the inputs: nblint checked none of it; give it too, or lint what "
                        "kustomize builds",
                        Origin(path, *resource.pos),
                        fix=build,
                    ),
                )

    def _added_containers(self, item: _Input, result: RunResult) -> None:
        """A strategic merge patch's container that matches none of its target's: kustomize
        adds it as a new container, with no image (see ``Kustomizations.added_containers``)."""
        assert item.patch is not None
        roots = [
            entry.root
            for entry in files.documents(item.loaded)
            if isinstance(entry, Document) and isinstance(entry.root, dict)
        ]
        for added in self._kustomizations.added_containers(item.patch, roots):
            kind = added.target_object["kind"]
            name = added.target_object["metadata"]["name"]
            init = added.field == "initContainers"
            what = "init container" if init else "container"
            # Named like one of the other list's: strategic merge matches each list apart.
            other = "containers" if init else "initContainers"
            apart = (
                f"; {added.name} is its {'container' if init else 'init container'}, and "
                f"strategic merge matches {added.field} only against {added.field}"
                if added.other
                else ""
            )
            fix = (
                f"{other}:\n  - name: {added.name}   # under {other}, where the {kind} has it"
                if added.other
                else f"- name: {(added.existing or ['CONTAINER'])[0]}   # the {kind}'s "
                f"{what} this patch means (it has: {', '.join(added.existing) or 'none'})"
            )
            # Named as the input is (relative or absolute).
            here = os.path.dirname(item.path)
            target = os.path.relpath(added.target, os.path.dirname(os.path.realpath(item.path)))
            target = os.path.normpath(os.path.join(here, target)) if here else target
            self._add(
                result,
                Reported(
                    "container-image-missing",
                    f"this patch's {what} {added.name} matches no {what} of {kind}/{name} "
                    f"({target}{apart}): strategic merge adds it as a new {what}, which has no "
                    f"image: the API server refuses the {kind} (and what the patch sets never "
                    "reaches the container it meant)",
                    Origin(item.path, added.line, added.column),
                    f"{kind}/{name}",
                    fix=fix,
                ),
            )

    def _not_applied(self, path: str, kustomization: Any, result: RunResult) -> None:
        """Once per kustomization among the inputs: what it changes in the objects it builds
        that nblint does not apply (patches, name prefixes, images, labels, …)."""
        if not kustomization.unapplied:
            return
        fields = [field for field, _ in kustomization.unapplied]
        shown = ", ".join(f"`{field}`" for field in fields)
        message = (
            f"this kustomization's {shown} change{'s' if len(fields) == 1 else ''} the "
            f"objects it builds; nblint does not apply {'it' if len(fields) == 1 else 'them'}"
            " and checks the files as written: lint what kustomize builds"
        )
        directory = os.path.dirname(path)
        fix = build_command(directory, self._kustomizations.inflates_helm(kustomization))
        bundle = fleet_bundle(directory)
        if bundle is not None and bundle[1]:
            # The `kustomize.dir` of a Fleet bundle that installs a chart: Fleet runs it over
            # the chart's output, which `kustomize build` of the directory alone never has.
            fleet, _ = bundle
            message = (
                f"this kustomization is the `kustomize.dir` of the Fleet bundle {fleet}: Fleet "
                f"runs it over the objects the bundle's Helm chart renders, and its {shown} "
                f"change{'s' if len(fields) == 1 else ''} them; nblint does not apply "
                f"{'it' if len(fields) == 1 else 'them'} (the bundle's values are linted at "
                f"{fleet}), and `kustomize build` of this directory alone builds none of the chart"
            )
            fix = (
                "Lint what the bundle deploys: render its chart with its values (`helm template` "
                f"with the `helm` options of {fleet}), build this kustomization over that output "
                "(listed in its `resources`), as Fleet does, and pipe the result to "
                "`nblint check -`"
            )
        self._add(
            result,
            Reported(
                KUSTOMIZE_NOT_APPLIED,
                message,
                Origin(path, *kustomization.unapplied[0][1]),
                fix=fix,
            ),
        )

    def _flux_namespaces(self, inputs: list[_Input], shared: list[_Input]) -> None:
        """Put the inputs a Flux Kustomization of the run applies (its ``spec.path``) in its
        ``spec.targetNamespace``, over any namespace a kustomization sets (Flux's is the
        outermost build). Most runs hold none: two substring tests per file."""
        from nblint.run.kustomize import flux_namespace_of, flux_targets

        targets = flux_targets([item.loaded for item in [*inputs, *shared]])
        if not targets:
            return
        for item in inputs:
            if item.patch is not None or item.context is not None:
                continue
            found = flux_namespace_of(item.path, targets)
            if found is not None:
                item.namespace = found
                item.also = []

    def _shared(self) -> list[_Input]:
        """The inputs of other processes this one indexes (see ``Options.shared_inputs``)."""
        scratch = RunResult()  # their problems are reported by the process that checks them
        return [self._read(path, scratch, "shared") for path in self.options.shared_inputs]

    def _index(
        self,
        inputs: list[_Input],
        context: list[_Input],
        release: Recognised | None,
        result: RunResult,
        shared: list[_Input] | None = None,
    ) -> RunIndex:
        """Phase 1: parse what may contribute to the index, and index it."""
        may_index = _index_prefilter()
        entries: dict[str, list[Any]] = {}
        scratch = RunResult()
        others = {id(item) for item in shared or ()}
        budget = KEEP_BUDGET
        for item in [*inputs, *context, *(shared or ())]:
            text = item.loaded.text
            if item.context is None and not may_index(text):
                continue
            if item.patch is not None:
                continue
            mine = id(item) not in others
            keep = mine and len(text) <= budget
            if keep:
                budget -= len(text)
            item.recognised = []
            item.rest = mine and not keep
            for document in self._stream(item, result if mine else scratch):
                if keep:
                    document.kept = True
                    item.recognised.append(document)
                if BY_NAME[document.dialect].indexer is not None:
                    self._index_one(document, entries, result)
        if release is not None:
            self._index_one(release, entries, result)
        return RunIndex(entries)

    def _index_one(
        self, document: Recognised, entries: dict[str, list[Any]], result: RunResult
    ) -> None:
        try:
            found = BY_NAME[document.dialect].index(document, self.settings)
        except Exception as err:  # an indexer bug must not stop the run
            self._internal_error(result, document, err)
            return
        for key, entry in found:
            entries.setdefault(key, []).append(entry)

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
        # A patch is no whole object in a context directory either: read as one, a Namespace
        # patch that adds a label would be a Namespace with that label alone.
        patch = self._kustomizations.patched_by(path)
        namespace = images = None
        if patch is None and context is None:
            namespace = self._kustomizations.namespace_of(path)
            images = self._kustomizations.images_of(path)
        read = _Input(path, loaded, context, patch=patch, namespace=namespace, images=images)
        if (
            namespace is None
            and patch is None
            and context is None
            and self._kustomizations.builds_any()
            and "Namespace" in loaded.text
        ):
            read.also = self._kustomizations.namespaces_of(path)
        return read

    def _stream(self, item: _Input, result: RunResult) -> Iterator[Recognised]:
        """The recognised documents of one file, parsed one at a time, problems reported."""
        for entry in files.documents(item.loaded):
            if isinstance(entry, LoadProblem):
                self._problem(result, item.path, entry, item.context)
                continue
            if item.context is None:
                result.documents += 1
            templates = []
            for problem in entry.problems:
                if problem.kind == HELM_TEMPLATE:
                    templates.append(problem)
                else:
                    self._problem(result, item.path, problem, item.context)
            if not templates:
                yield from self._recognise(item, entry.root, entry.index, result)
                continue
            recognised = list(self._recognise(item, entry.root, entry.index, result))
            judge = recognised[0] if len(recognised) == 1 and not recognised[0].path else None
            for problem in templates:
                if judge is None or self._keeps_template(judge, entry.root, problem):
                    self._problem(result, item.path, problem, item.context)
            yield from recognised

    def _keeps_template(self, document: Recognised, root: Any, problem: LoadProblem) -> bool:
        """Whether the dialect of ``document`` counts a Helm template the loader found in
        ``root`` (the document, or one of its layers) as a problem."""
        path = path_at(root, problem.line, problem.column)
        return BY_NAME[document.dialect].keeps_template(document, self.settings, path)

    def _again(self, item: _Input) -> Iterator[Recognised]:
        """The documents of a file read in the first phase but not kept, parsed again one at a
        time (their problems were reported the first time)."""
        return self._stream(item, RunResult())

    def _recognise(
        self, item: _Input, root: Any, index: int, result: RunResult, at: tuple[Any, ...] = ()
    ) -> Iterator[Recognised]:
        kind = root.get("kind") if isinstance(root, dict) else None
        if isinstance(kind, str) and kind in _CONTAINERS:
            key = _CONTAINERS[kind]
            items = root.get(key)
            if isinstance(items, list) and (key == "items" or _openshift_template(root)):
                if key != TEMPLATE_OBJECTS or item.context is not None:
                    for position, entry in enumerate(items):
                        yield from self._recognise(item, entry, index, result, (*at, key, position))
                    return
                # A Template: its info says which of its objects nblint reads.
                skipped_before = Counter(result.skipped)
                objects: list[Recognised] = []
                for position, entry in enumerate(items):
                    found = self._recognise(item, entry, index, result, (*at, key, position))
                    objects.extend(found)
                skipped = result.skipped - skipped_before
                parameters = _template_parameters(root, item.path, len(items), skipped)
                if parameters is not None:
                    self._add(result, parameters)
                    defaults = _parameter_defaults(root)
                    for recognised in objects:
                        recognised.parameter_defaults = defaults
                yield from objects
                return
        if item.namespace is not None:
            set_namespace(root, item.namespace.namespace)
        if item.images is not None:
            built = set_images(root, item.images)
            if built:
                self._kustomized_images.setdefault(item.path, {}).update(built)
        for other in item.also:
            # Overlays that build this Namespace in other namespaces: each build's is one too.
            renamed = renamed_namespace(root, other.namespace)
            if renamed is not None:
                yield from self._recognise(item.built_in(), renamed, index, result, at)
        beside = self._neighbours(item.path) if item.context is None else ()
        try:
            dialect = recognise_dialect(root, self.settings, beside)
        except Exception as err:  # a recogniser bug must not stop the run
            self._internal_error(result, Recognised("unknown", item.path, root, index), err)
            return
        if item.context is not None:
            # A context file stands for the cluster: only what other documents read from it.
            if dialect is not None and dialect.indexer is not None and dialect.in_context:
                read: tuple[Neighbour, ...] = ()
                if item.context == "shared" and dialect.references is not None:
                    # Another process's input: indexed with the files it names, as there (the
                    # values files a kustomization's generators pack).
                    read = self._referenced(dialect, item.path, root)
                yield Recognised(
                    dialect.name, item.path, root, index, context=True, path=at, neighbours=read
                )
        elif dialect is None:
            result.skipped[skip_label(root)] += 1
        elif (refusal := self._refused(root, item, dialect)) is not None:
            # Written with an API version the API server no longer serves: it creates nothing,
            # so no pod of it is checked, only the refusal said. An object others read (a
            # binding, which tells the token check the API is used) is still indexed: it says
            # what the inputs mean, which its hint's apiVersion makes true, and advice that
            # turns the token off meanwhile would break the pod then.
            self._add(result, refusal)
            if dialect.indexer is not None:
                neighbours = neighbours_for(dialect, beside)
                yield Recognised(
                    dialect.name, item.path, root, index, path=at, neighbours=neighbours
                )
        else:
            neighbours = neighbours_for(dialect, beside)
            if dialect.references is not None:
                neighbours = (*neighbours, *self._referenced(dialect, item.path, root))
            yield Recognised(dialect.name, item.path, root, index, path=at, neighbours=neighbours)

    def _referenced(self, dialect: Dialect, path: str, root: Any) -> tuple[Neighbour, ...]:
        """The files that ``root`` names for the run to read (``Dialect.references``: the values
        files of a kustomization's chart), relative to ``path``: those that exist, parsed, each
        named as the input that is the same file (so that a finding there is that input's)."""
        if path == files.STDIN:
            return ()
        try:
            named = dialect.referenced(root)
        except Exception:  # a reader bug: the document is linted without them
            return ()
        read: list[Neighbour] = []
        for written in named:
            if written.startswith(INPUT_SUFFIX):
                found = self._input_ending(written, path)
                if found is not None:
                    read.append(found)
                continue
            beside = os.path.normpath(os.path.join(os.path.dirname(path), written))
            if self._input_files is None:
                self._input_files = {os.path.realpath(p): p for p in self._input_paths}
            real = os.path.realpath(beside)
            shown = self._input_files.get(real, beside)
            given = self.options.texts.get(shown)
            if given is None and not os.path.isfile(beside):
                continue
            neighbour, self._beside_texts[shown] = _read_neighbour(written, shown, given)
            neighbour.given = real in self._input_files
            read.append(neighbour)
        return tuple(read)

    def _input_ending(self, written: str, path: str) -> Neighbour | None:
        """The input of the run (of every process with ``--jobs``) whose path ends with
        ``written`` after its ``INPUT_SUFFIX``, read; when several do, a neighbour that names them
        and reads none; None when none does (nor ``path``, the document that names it)."""
        wanted = tuple(p for p in written[len(INPUT_SUFFIX) :].split("/") if p not in ("", "."))
        if not wanted or ".." in wanted:
            return None
        if self._input_parts is None:
            self._input_parts = [
                (p, tuple(os.path.abspath(p).split(os.sep)))
                for p in self.options.run_inputs or self._input_paths
                if p != files.STDIN
            ]
        size = len(wanted)
        found = [
            p
            for p, parts in self._input_parts
            if len(parts) > size and parts[-size:] == wanted and p != path
        ]
        if len(found) > 1:
            return Neighbour(written, "", None, candidates=tuple(sorted(found)))
        if not found:
            return None
        shown = found[0]
        neighbour, self._beside_texts[shown] = _read_neighbour(
            written, shown, self.options.texts.get(shown)
        )
        neighbour.given = True
        return neighbour

    def _refused(self, root: Any, item: _Input, dialect: Dialect) -> Reported | None:
        if not isinstance(root, dict):
            return None
        if root.get("apiVersion") is None:
            # A workload with no apiVersion is refused (``api-version-missing``), unless it may
            # be a patch (a kustomization near it, or one of the run's that names it from
            # elsewhere) or a Helm template (its apiVersion may come from a template).
            # Files a kustomization names as patches never come here (``kustomize-patch``).
            if (
                not dialect.requires_api_version
                or "{{" in item.loaded.text
                or self._kustomizations.may_patch(item.path)
            ):
                return None
            from nblint.check.api_versions import missing

            return missing(root, item.path)
        from nblint.check.api_versions import refused

        return refused(root, item.path, self.options.policy.version)

    def _neighbours(self, path: str) -> tuple[Neighbour, ...]:
        """The files beside ``path`` that some dialect reads (``Dialect.neighbours``), parsed;
        each directory is looked at once."""
        if not NEIGHBOUR_NAMES or path == files.STDIN:
            return ()
        directory = os.path.dirname(path)
        found = self._beside.get(directory)
        if found is None:
            read = []
            for name in NEIGHBOUR_NAMES:
                beside = os.path.join(directory, name)
                if name.startswith(".."):  # a file up the tree (chartpress.yaml), named plainly
                    beside = os.path.normpath(beside)
                if os.path.isfile(beside):
                    neighbour, self._beside_texts[beside] = _read_neighbour(name, beside)
                    read.append(neighbour)
            found = self._beside[directory] = tuple(read)
        return found

    def _cite_neighbours(self, result: RunResult) -> None:
        """Keep the text of a neighbour a finding points at, for its code frame."""
        for finding in result.findings:
            if finding.file in self._beside_texts and finding.file not in result.texts:
                result.texts[finding.file] = self._beside_texts[finding.file]

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
        templates: list[tuple[str, Any, LoadProblem, Recognised | None]] = []
        # The layers whose directory may hold the chart, in order: the layers kept, and an empty
        # (comment-only) one, an umbrella chart's own values.yaml with no values of its own.
        anchors: list[str] = []
        unread: list[str] = []
        for path in paths:
            item = self._read(path, result)
            if any(p.kind == files.GIT_CRYPT for p in item.loaded.problems):
                unread.append(path)  # a layer all the same, whose values are all unknown
            # Whether any document of it holds anything, and whether one is a layer.
            content = anchored = False
            # A layer sops encrypted whole is layered too: its keys are plaintext, its values
            # unknown text (as a partly encrypted file's); its sops-encrypted problem is said.
            for entry in files.documents(item.loaded, layer=True):
                if isinstance(entry, LoadProblem):
                    self._problem(result, path, entry)
                    continue
                result.documents += 1
                root = entry.root
                content = content or root is not None
                # An object in a layer file (a HelmRelease beside its HelmRepository) is a layer
                # only when the dialect reads it (its values); the others are skipped, as in any
                # input. An object is judged on its own for templates (its values are its own).
                kept = isinstance(root, dict)
                judge = None
                if kept and _is_object(root):
                    try:
                        kept = dialect.claim(root, self.settings)
                    except Exception:  # a recogniser bug: the document stays a layer
                        kept = True
                    judge = Recognised(dialect.name, path, root, entry.index) if kept else None
                for problem in entry.problems:
                    if problem.kind == HELM_TEMPLATE and kept:
                        templates.append((path, root, problem, judge))
                    else:
                        self._problem(result, path, problem)
                if kept:
                    anchored = True
                    layers.append((path, root))
                    positions.append(entry.index)
                elif isinstance(root, dict) or _foreign(root):
                    result.skipped[skip_label(root)] += 1
            if anchored or (item.loaded.readable and not content):
                anchors.append(path)
        if not layers:
            return None
        first_file, first_root = layers[0]
        result.layers_of.update((path, first_file) for path, _ in layers)
        # The neighbours of the first layer that has any (an umbrella chart's own values.yaml
        # usually comes first, the deployment's files after it; it anchors the chart even when
        # it holds only comments: field test 20a D2).
        beside = next((found for path in anchors if (found := _beside(self._neighbours(path)))), ())
        release = Recognised(
            dialect.name,
            first_file,
            first_root,
            positions[0],
            layers,
            layer_documents=positions,
            neighbours=neighbours_for(dialect, beside),
            unread_layers=unread,
        )
        for path, root, problem, judge in templates:
            if self._keeps_template(judge or release, root, problem):
                self._problem(result, path, problem)
        return release

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
            for root in normalised.declined:
                result.skipped[skip_label(root)] += 1
            for reported in normalised.reported:
                self._add(result, reported)
            # One input may yield several pods (profiles): a finding about the input as a whole
            # (e.g. z2jh `cull` settings) comes out of each of them identically; report it once.
            unique: set[tuple[Any, ...]] = set()
            parameters = TEMPLATE_OBJECTS in document.path
            kustomized = (
                self._kustomized_images.get(document.file) if self._kustomized_images else None
            )
            for pod in normalised.pods:
                result.pod_count += 1
                if kustomized:
                    note_kustomized_images(pod, kustomized)
                if parameters:
                    # An OpenShift Template's object: `oc process` fills in `${NAME}` anywhere.
                    pod.facts[PARAMETERS_FACT] = True
                    if document.parameter_defaults:
                        pod.facts[PARAMETER_DEFAULTS_FACT] = document.parameter_defaults
                if self.options.keep_pods:
                    result.pods.append(pod)
                for finding in self._check(pod):
                    key = finding.identity()
                    if key not in unique:
                        unique.add(key)
                        result.findings.append(finding)
            if normalised.refused:
                # Never created (its refusal is reported), but spawned by a release whose own
                # settings hold all the same: only the rules that judge those.
                plan = self.plan_for(self.options.policy, release_only=True)
                for pod in normalised.refused:
                    for finding in check_pod(pod, plan, self.options.policy):
                        key = finding.identity()
                        if key not in unique:
                            unique.add(key)
                            result.findings.append(finding)
        except Exception as err:  # a normaliser bug must not hide the other documents
            self._internal_error(result, document, err)

    def _check_admission_config(self, result: RunResult) -> None:
        """An ``--admission-config`` that holds no PodSecurity configuration is said, not
        silently replaced by the built-in defaults."""
        given = [path for option, path in self.options.context if option == ADMISSION_CONFIG]
        if not given or (self.cluster is not None and self.cluster.admission is not None):
            return
        self._add(
            result,
            Reported(
                "admission-config-invalid",
                f"{ADMISSION_CONFIG} {given[0]}: no AdmissionConfiguration with a PodSecurity "
                "entry and no PodSecurityConfiguration: the built-in defaults apply (privileged, "
                "no exemption)",
                Origin(given[0], 1, 1),
            ),
        )

    def _check(self, pod: EffectivePod) -> list[Finding]:
        # A raw workload (the manifest dialect's) may be the hub or a database rather than a
        # notebook: then it gets every PSA check but not the notebook checklist, and one
        # finding that says so.
        outside: Reported | None = None
        refused: Reported | None = None
        if self.runtime_classes and pod.spec.get("runtimeClassName"):
            refused = _apply_runtime_class(pod, self.runtime_classes)
        if self.bindings:
            _note_binding(pod, self.bindings, self.settings)
        _note_token_masked(pod)
        if self.placeholder_free:
            holds_no_placeholder(pod)
        if self.exposures and "workload" in pod.facts:
            _note_exposure(pod, self.exposures, self.settings)
        if "workload" in pod.facts:
            from nblint.check.workload import not_a_notebook

            outside = not_a_notebook(pod)
        notebook = outside is None
        if not notebook:
            # For the checks that leave a truth to a notebook rule this pod's plan lacks
            # (request-not-limit: a GPU requested without a limit, notebook-gpu-limit's there).
            pod.facts["not_a_notebook"] = True
        if self.storage is not None:
            namespace = pod.namespace or self.settings.get("namespace") or None
            pod.claims = self.storage.in_namespace(namespace)
        if self.cluster is None and USER_NAMESPACE_FACT not in pod.facts:
            plan = self.plan if notebook else self.plan_for(self.options.policy, notebook=False)
            found = check_pod(pod, plan, self.options.policy)
        else:
            from nblint.model.namespace import ClusterContext
            from nblint.run import namespaces

            # (A namespace KubeSpawner creates with the values' labels needs no other input.)
            cluster = self.cluster if self.cluster is not None else ClusterContext.build([])
            found = namespaces.judge(self, pod, cluster, notebook)
        for reported in (outside, refused):
            if reported is not None:
                finding = self.finding(reported)
                if finding is not None:
                    found.append(finding)
        return found

    # -- findings the pipeline itself reports -------------------------------------------------

    def finding(self, reported: Reported) -> Finding | None:
        """``reported`` as a finding of its rule, or None when the rule is not selected."""
        if reported.rule not in self.active_ids:
            return None
        rule = self.rules[reported.rule]
        chosen = chosen_fix(rule.fix, reported.fix_keys)
        # (An empty fix is NO_FIX: none, not the rule's hint.)
        fix = reported.fix if reported.fix is not None else (chosen[1] if chosen else None)
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
            profile=reported.profile,
            fix=_bounded(fix.rstrip()) if fix else None,
            note=origin.note,
            applicability=applicability,
            edit=reported.edit if applicability not in (None, DISPLAY_ONLY) else None,
            cause=reported.cause,
            assumption=reported.assumption,
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
                fix_keys=(problem.fix_key,) if problem.fix_key else (),
            ),
        )


def _once_each(findings: list[Finding]) -> list[Finding]:
    """``findings`` with each problem once: one file can yield the same load problem twice (a
    template's two read failures are both placed at its first template expression) and a
    finding about a file as a whole can come out of each of its documents; the report folds
    them, but ``nblint fix`` counted and listed every copy."""
    seen: set[tuple[Any, ...]] = set()
    kept = []
    for finding in findings:
        key = finding.identity()
        if key not in seen:
            seen.add(key)
            kept.append(finding)
    return kept


def note_kustomized_images(pod: EffectivePod, built: dict[str, ImageEntry]) -> None:
    """Place each image of ``pod`` that a kustomization's ``images:`` entry sets at that entry
    (where its tag or digest is edited), name the entry for hints (``kustomize_images``: built
    image → the entry's ``name``), and put the kustomize hints first."""
    spec = pod.pod.get("spec")
    inject = getattr(pod.provenance, "inject", None)
    if not isinstance(spec, dict) or inject is None:
        return
    names: dict[str, str] = {}
    for field in ("containers", "initContainers"):
        containers = spec.get(field)
        for position, container in enumerate(containers if isinstance(containers, list) else ()):
            image = container.get("image") if isinstance(container, dict) else None
            entry = built.get(image) if isinstance(image, str) else None
            if entry is None or not isinstance(image, str):
                continue
            file, line, column = entry.origin
            # Named as the input is (relative or absolute), as a patch's kustomization is.
            here = os.path.dirname(pod.file)
            beside = os.path.relpath(file, os.path.dirname(os.path.realpath(pod.file)))
            file = os.path.normpath(os.path.join(here, beside)) if here else beside
            inject(
                ("spec", field, position, "image"),
                Origin(
                    file, line, column, f"set by this kustomization's `images:` entry {entry.name}"
                ),
            )
            names[image] = entry.name
    if names:
        pod.facts["kustomize_images"] = names
        pod.fix_keys = (KUSTOMIZE_IMAGES, *pod.hint_keys())


def _patch_reported(path: str, patch: PatchedBy, context: str | None = None) -> Reported:
    build = build_command(os.path.dirname(patch.kustomization), patch.helm)
    if context is not None:
        # A context file is read, not checked: what it would say about the cluster is unknown.
        return Reported(
            KUSTOMIZE_PATCH,
            f"{context}: a kustomize patch ({patch.kustomization}:{patch.line} patches it in), "
            "not whole objects: nblint read none of it, so the objects it changes are judged "
            "without it; give what kustomize builds",
            Origin(path, 1, 1),
            fix=build.replace("| nblint check -", "> built.yaml")
            + f" && nblint check ... {context} built.yaml",
        )
    return Reported(
        KUSTOMIZE_PATCH,
        f"a kustomize patch ({patch.kustomization}:{patch.line} patches it in), not whole "
        "objects: nblint checked none of it; lint what kustomize builds",
        Origin(path, 1, 1),
        fix=build,
    )


def _note_binding(pod: EffectivePod, bindings: tuple[Any, ...], settings: dict[str, Any]) -> None:
    """Give ``pod`` the fact that a binding among the inputs gives its ServiceAccount a role: it
    uses the API with its token, which a fix must then not take away (see
    :mod:`nblint.model.rbac`)."""
    from nblint.model.rbac import FACT, binding_of

    namespace = pod.namespace or settings.get("namespace")
    found = binding_of(
        pod.spec, namespace if isinstance(namespace, str) else None, bindings, pod.file
    )
    if found is not None:
        pod.facts[FACT] = found.text()


def _note_exposure(pod: EffectivePod, exposures: tuple[Any, ...], settings: dict[str, Any]) -> None:
    """Give ``pod`` (a raw manifest's) the fact that objects among the inputs expose it outside
    the cluster (see :mod:`nblint.model.exposure`)."""
    from nblint.model.exposure import FACT, exposed_by, worth_asking

    if not worth_asking(pod.spec):
        return
    namespace = pod.namespace or settings.get("namespace")
    metadata = pod.pod.get("metadata")
    labels = metadata.get("labels") if isinstance(metadata, dict) else None
    found = exposed_by(
        labels, namespace if isinstance(namespace, str) else None, pod.file, exposures
    )
    if found:
        pod.facts[FACT] = found


def _apply_runtime_class(pod: EffectivePod, classes: tuple[Any, ...]) -> Reported | None:
    """Apply the RuntimeClass of the inputs that ``pod`` names, as the RuntimeClass admission
    plugin does (its nodeSelector merged, its tolerations appended, its overhead set: see
    :mod:`nblint.model.runtime_class`); the finding that admission refuses the pod when they
    conflict with the pod's own (the pod is then checked as written)."""
    from nblint.model.runtime_class import apply, named

    runtime_class = named(classes, pod.spec.get("runtimeClassName"))
    if runtime_class is None or not runtime_class.changes_pods():
        return None
    why = apply(pod, runtime_class)
    if why is None:
        return None
    from nblint.model.finding import Cause

    origin = pod.provenance.locate(("spec", "runtimeClassName"))
    written = runtime_class.origin
    outcome = "it is not created" if pod.kind == "Pod" else f"its {pod.kind} cannot create it"
    return Reported(
        "runtime-class-conflict",
        f"the RuntimeClass admission plugin refuses the pod of {pod.object}: {why}; {outcome}",
        origin,
        pod.object,
        profile=pod.profile,
        fix_keys=pod.fix_keys,
        cause=Cause(runtime_class.label, "scheduling", written.file, written.line, written.column),
    )


def _note_token_masked(pod: EffectivePod) -> None:
    """Give ``pod`` the fact that the ServiceAccount admission plugin mounts its API token in
    no container: each already mounts a volume at the token path (see
    :mod:`nblint.model.service_account`)."""
    from nblint.model.service_account import FACT, token_masked

    if token_masked(pod.spec):
        pod.facts[FACT] = True


def _cluster(index: RunIndex) -> Any:
    """The namespaces the run's inputs and context files describe, or None (then every pod is
    checked at --psa-level, as when no namespace object is given)."""
    if not index.get(CLUSTER_INDEX):
        return None  # a plain check of pods imports nothing of the namespace model
    from nblint.model.namespace import ClusterContext

    return index.view(CLUSTER_INDEX, ClusterContext.build)


def _storage(index: RunIndex) -> Any:
    """The PersistentVolumes and claims of the inputs, or None when they hold none."""
    if not index.get(STORAGE_INDEX):
        return None
    from nblint.model.storage import Storage

    return index.view(STORAGE_INDEX, Storage.build)


def _beside(found: tuple[Neighbour, ...]) -> tuple[Neighbour, ...]:
    """``found`` when one of them is beside the file (not up the tree, as a chartpress.yaml):
    what anchors a ``-f`` release's chart files."""
    return found if any(not n.name.startswith("..") for n in found) else ()


def _read_neighbour(name: str, path: str, text: str | None = None) -> tuple[Neighbour, str]:
    """The first document of the file ``name`` at ``path`` (or why it could not be read), and
    the file's text (``text``: the text to read instead of the file's, as ``fix`` checks it)."""
    loaded = files.read(path) if text is None else files.LoadedFile(path, text)
    # A values file sops encrypted whole is a layer all the same (see `Runner._release`).
    for entry in files.documents(loaded, layer=True):
        if isinstance(entry, LoadProblem):
            where = f"line {entry.line}: {entry.message}"
            return Neighbour(name, path, None, where), loaded.text
        return Neighbour(name, path, entry.root), loaded.text
    problem = loaded.problems[0].message if loaded.problems else "no YAML content"
    return Neighbour(name, path, None, problem), loaded.text


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
    # An AdmissionConfiguration may keep the PodSecurity configuration in a file of its own
    # (`path:`, relative to it): that file is read as context too.
    found.extend((option, named) for _, file in list(found) for named in _pod_security_files(file))
    return tuple(found)


def _pod_security_files(path: str) -> list[str]:
    """The files an AdmissionConfiguration at ``path`` names with the PodSecurity plugin's
    ``path`` (relative to its directory, as the API server reads it). Other plugins' files
    (EventRateLimit, ImagePolicyWebhook: paths on the API server's host) are no input of
    PodSecurity, and not read."""
    loaded = files.read(path)
    if "AdmissionConfiguration" not in loaded.text:
        return []
    named = []
    for entry in files.documents(loaded):
        root = getattr(entry, "root", None)
        if not isinstance(root, dict) or root.get("kind") != "AdmissionConfiguration":
            continue
        plugins = root.get("plugins")
        for plugin in plugins if isinstance(plugins, list) else []:
            if not isinstance(plugin, dict) or plugin.get("name") != "PodSecurity":
                continue
            if isinstance(plugin.get("path"), str):
                named.append(os.path.join(os.path.dirname(path), plugin["path"]))
    return named


def _is_object(root: dict[str, Any]) -> bool:
    """A Kubernetes object (``apiVersion`` and ``kind``), not a values file."""
    return isinstance(root.get("kind"), str) and isinstance(root.get("apiVersion"), str)


#: Kinds that hold other objects, read as those objects (each at its place in the document):
#: a ``kind: List``'s ``items``, an OpenShift ``Template``'s ``objects``.
_CONTAINERS = {"List": "items", "Template": TEMPLATE_OBJECTS}


def _openshift_template(root: Any) -> bool:
    """An OpenShift ``Template`` (``template.openshift.io/v1``, or the legacy ``v1``), not
    another API's kind of that name."""
    api = root.get("apiVersion")
    return api == "v1" or (isinstance(api, str) and api.startswith("template.openshift.io/"))


def _template_parameters(
    root: Any, file: str, count: int = 0, skipped: Counter[str] | None = None
) -> Reported | None:
    """``openshift-template-parameters`` for a Template whose objects write a parameter
    (``${NAME}``, ``${{NAME}}``), which ``oc process`` fills in: nblint checks their objects
    with those values unknown (a ``value:`` default in ``parameters`` may be replaced with
    ``-p``). None when they write none. ``count`` objects, of which ``skipped`` (by kind) no
    dialect reads: the info says which it checks."""
    names: list[str] = []
    stack: list[Any] = [root.get(TEMPLATE_OBJECTS)]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if "${" in node:
                for name in _parameter_pattern().findall(node):
                    if name not in names:
                        names.append(name)
        elif isinstance(node, dict):
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    if not names:
        return None
    metadata = root.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    label = f"Template/{name}" if isinstance(name, str) and name else "Template"
    shown = ", ".join(f"${{{n}}}" for n in names[:4]) + (
        f", … ({len(names)} in all)" if len(names) > 4 else ""
    )
    line, column = tree_position(root, (TEMPLATE_OBJECTS,))
    given = "FILE" if file == files.STDIN else file
    return Reported(
        TEMPLATE_PARAMETERS,
        f"{label}: {_checked(count, skipped)}, but the parameters they use ({shown}) are filled in "
        "by `oc process`, so nblint cannot know their values (a default under `parameters` may "
        "be replaced with -p) and says nothing about a value written with one",
        Origin(file, line, column),
        object=label,
        fix=f"oc process -f {given} --local -o yaml -p NAME=VALUE ... | nblint check -",
    )


def _parameter_defaults(root: Any) -> dict[str, str]:
    """Each parameter of Template ``root`` with a text ``value:`` default: what ``oc process``
    fills in unless told otherwise."""
    found: dict[str, str] = {}
    parameters = root.get("parameters")
    for entry in parameters if isinstance(parameters, list) else ():
        if not isinstance(entry, dict):
            continue
        name, value = entry.get("name"), entry.get("value")
        if isinstance(name, str) and isinstance(value, str) and value:
            found[name] = value
    return found


def _checked(count: int, skipped: Counter[str] | None) -> str:
    """Which of a Template's ``count`` objects nblint reads, when it skips some (``skipped``, by
    kind: objects no dialect reads, a BuildConfig, an ImageStream)."""
    left = sum(skipped.values()) if skipped else 0
    if not skipped or not left:
        return "its objects are checked"
    kinds = ", ".join(f"{n} {kind}" if n > 1 else kind for kind, n in sorted(skipped.items()))
    read = count - left
    if read <= 0:
        return f"nblint reads none of its {count} objects (it skips {kinds})"
    return f"nblint reads {read} of its {count} objects (it skips {kinds})"


@cache
def _parameter_pattern() -> re.Pattern[str]:
    return re.compile(r"\$\{\{?([A-Za-z0-9_]+)\}?\}")


def _foreign(root: Any) -> bool:
    """A document that is no mapping and clearly not Kubernetes (an Ansible playbook): skipped
    and counted, as the loader leaves it without a problem."""
    if not isinstance(root, list):
        return False
    from nblint.load.foreign import foreign_label

    return foreign_label(root) is not None


def skip_label(root: Any) -> str:
    """How a skipped document is counted in the summary."""
    if isinstance(root, dict) and isinstance(root.get("kind"), str):
        return root["kind"]
    if root is None:
        return "(empty document)"
    if isinstance(root, dict):
        return "(no kind)"
    from nblint.load.foreign import foreign_label  # for the rare document that is no mapping

    return foreign_label(root) or f"({type(root).__name__} document)"


def _keep_signed_files_unedited(result: RunResult) -> None:
    """Fixes for a file sops signed are shown, never applied: its MAC covers the plaintext values
    too (unless ``mac_only_encrypted``), so after any edit ``sops -d`` refuses the file."""
    signed = {path for path, text in result.texts.items() if _sops_signed(text)}
    if not signed:
        return
    for finding in result.findings:
        if finding.edit is not None and finding.edit.file in signed:
            # (The run's own findings, not yet folded or shared: changed in place.)
            finding.fix_file = finding.edit.file
            finding.edit = None
            finding.applicability = DISPLAY_ONLY


def _shared_edits_least_safe(findings: list[Finding]) -> None:
    """One edit that several pods share (a hub-wide ``hub.config.KubeSpawner`` trait reaches every
    profile that does not override it) is as safe as it is for the pod it is least safe for: a
    capabilities drop that is safe for a non-root profile and unsafe for a root one is one edit,
    and ``nblint fix`` must not write it without ``--unsafe-fixes``. The findings it was safe for
    take the unsafe one's hint, which says why."""
    unsafe: dict[Edit, Finding] = {}
    for finding in findings:
        if finding.edit is not None and finding.applicability == UNSAFE:
            unsafe.setdefault(finding.edit, finding)
    if not unsafe:
        return
    for finding in findings:
        if finding.edit is None or finding.applicability != SAFE:
            continue
        worst = unsafe.get(finding.edit)
        if worst is not None:
            # (The run's own findings, not yet folded or shared: changed in place.)
            finding.applicability = UNSAFE
            finding.fix = worst.fix


def _sops_signed(text: str) -> bool:
    """Whether ``text`` carries the sops metadata (``sops:`` with a ``mac``) that signs every
    value."""
    if "sops:" not in text or "mac:" not in text:
        return False
    import re

    return bool(
        re.search(r"(?m)^sops:[ \t]*\r?$", text)
        and re.search(r"(?m)^[ \t]+mac:[ \t]", text)
        and not re.search(r"(?m)^[ \t]+mac_only_encrypted:[ \t]*true\b", text)
    )


@cache
def _index_prefilter() -> Callable[[str], bool]:
    """Whether a text holds one of the dialects' index markers (``Dialect.index_markers``),
    asked of every input: the markers that share a word (``kind: Notebook``, ``"Notebook"``)
    are looked for only where that word is, so a file with none is scanned once per word, not
    once per marker."""
    markers = [m for d in DIALECTS for m in d.index_markers]
    by_word: dict[str, list[str]] = {}
    for marker in sorted(markers, key=len):
        word = marker.removeprefix("kind:").strip().strip("'\"")
        host = next((w for w in by_word if w in word), word)
        by_word.setdefault(host, []).append(marker)
    # (A word that is itself a marker needs no second look.)
    plan = [(word, None if word in found else tuple(found)) for word, found in by_word.items()]

    def may_index(text: str) -> bool:
        return any(
            word in text and (found is None or any(m in text for m in found))
            for word, found in plan
        )

    return may_index
