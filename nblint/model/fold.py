"""Folding: one problem at one place, however many pods it is found in.

A values file with eight profiles yields dozens of pods, and a key the chart sets for all of
them is one edit however many pods show it. The run reports one :class:`Finding` per pod;
:func:`fold` turns those into :class:`Folded` problems: the same rule, the same line and column,
the same message → one problem that lists every pod it affects. Every report format writes
folded problems unless asked for one per pod (``--no-fold``).
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping
from operator import attrgetter

from nblint.model.finding import Finding, PsaRef
from nblint.model.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


#: ``ns-unknown-namespace`` for a namespace no manifest describes: its fix (giving that
#: namespace's one Namespace manifest) is one edit for every workload in it, wherever they are.
_UNKNOWN_NAMESPACE = "ns-unknown-namespace"
_NO_MANIFEST_FIX = ("Give namespace ", "(as an input or with --cluster-context).")


def fold_key(finding: Finding) -> tuple[str, str, int, int]:
    """What makes two findings one problem: the rule and the place to edit. One edit there
    clears them all, whichever pods, containers or values they name (their messages are joined,
    see :func:`joined_messages`). A namespace that has no Namespace manifest is one problem
    for all the workloads in it, in whichever files (the edit is to give that one manifest):
    said once, at the first of them (:attr:`Folded.message` names the others' places)."""
    fix = finding.fix
    if (
        finding.rule == _UNKNOWN_NAMESPACE
        and fix is not None
        and fix.startswith(_NO_MANIFEST_FIX[0])
        and fix.endswith(_NO_MANIFEST_FIX[1])
    ):
        return (finding.rule, fix, 0, 0)
    return (finding.rule, finding.file, finding.line, finding.column)


class _Answers(Record):
    """A :class:`Folded`'s message, kept once worked out (sorting asks for it again and again;
    fixes and notes are not kept: on a large file they would hold a list per problem). Not
    among its fields: equality, hash and repr are the findings' alone (:class:`Record` reads
    the subclass's ``__slots__``)."""

    __slots__ = ("_message",)


class Folded(_Answers):
    """One problem at one place, and the per-pod findings it stands for (at least one, in
    report order; the first speaks for the problem). Its findings are not changed once
    folded."""

    __slots__ = ("findings",)

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        self._message: str | None = None

    @property
    def first(self) -> Finding:
        return self.findings[0]

    @property
    def rule(self) -> str:
        return self.findings[0].rule

    @property
    def group(self) -> str:
        return self.findings[0].group

    @property
    def severity(self) -> str:
        return self.findings[0].severity

    @property
    def message(self) -> str:
        """The findings' messages, joined where they differ (two containers, two resources)."""
        message = self._message
        if message is None:
            findings = self.findings
            message = (
                findings[0].message
                if len(findings) == 1
                else joined_messages([finding.message for finding in findings])
            )
            first = findings[0]
            others = {
                (f.file, f.line): f.object
                for f in findings
                if (f.file, f.line) != (first.file, first.line)
            }
            if others:
                # One problem for workloads in several places (``fold_key``): say where.
                places = [f"{obj} at {file}:{line}" for (file, line), obj in others.items()]
                shown = ", ".join(places[:3]) + (
                    f", and {len(places) - 3} more" if len(places) > 3 else ""
                )
                message += f" (said once for every workload in it; {len(places)} more: {shown})"
            self._message = message
        return message

    @property
    def file(self) -> str:
        return self.findings[0].file

    @property
    def line(self) -> int:
        return self.findings[0].line

    @property
    def column(self) -> int:
        return self.findings[0].column

    @property
    def psa(self) -> PsaRef | None:
        return self.findings[0].psa

    def fixes(self) -> list[tuple[str | None, list[Finding]]]:
        """Each distinct fix and the findings it is for, most pods first: the same key may need
        a different snippet in two profiles (``/home/jovyan`` or ``/home/rstudio``)."""
        return _by(self.findings, _FIX)

    def notes(self) -> list[tuple[str, list[Finding]]]:
        """Each distinct note and the findings it is for, most pods first."""
        return _by(self.findings, _NOTE)

    def labelled(
        self, label: str, part: str, name: Callable[[str], str] = str
    ) -> list[tuple[str, str]]:
        """``(label, text)`` for each distinct note or fix (``part``): the bare ``label`` when
        every pod has the same, else ``label (image=torch, 2 pods)``; a fix written into
        another file than the problem's says which (``label in notebook.yaml``, each file as
        ``name`` gives it)."""
        groups = self.notes() if part == "note" else self.fixes()
        labelled = []
        for text, findings in groups:
            if not text:
                continue
            head = (
                label if len(groups) == 1 else f"{label} ({subset_label(findings, self.findings)})"
            )
            if part == "fix":
                head += fix_files_label(findings, name)
            labelled.append((head, text))
        return labelled

    @property
    def fix(self) -> str | None:
        """The fix for most of the pods (all of them, usually)."""
        findings = self.findings
        # Most problems are in one pod: its fix, without grouping.
        return findings[0].fix if len(findings) == 1 else self.fixes()[0][0]

    @property
    def note(self) -> str:
        findings = self.findings
        return findings[0].note if len(findings) == 1 else self.notes()[0][0]

    def sort_key(self) -> tuple[Any, ...]:
        first = self.findings[0]
        return (first.file, first.line, first.column, first.rule, self.message)


_FIX = attrgetter("fix")
_NOTE = attrgetter("note")


def edits_elsewhere(findings: list[Finding]) -> list[str]:
    """The files the fixes of ``findings`` are written into (their edits', or where a fix that
    is only shown was placed), when one of them is not the file its finding is in (a LimitRange
    default's finding fixed in the workload, a chart default's in the last ``-f`` layer, a
    HelmRelease's values over a values file): the place a report shows does not say where such
    a fix goes. Empty when every fix is for its finding's file."""
    targets = [(f.edit.file if f.edit is not None else f.fix_file, f.file) for f in findings]
    if not any(target is not None and target != file for target, file in targets):
        return []
    return list(dict.fromkeys(target for target, _ in targets if target is not None))


def fix_files_label(findings: list[Finding], name: Callable[[str], str] = str) -> str:
    """`` in notebook.yaml`` for a fix label whose edits go into another file than the
    finding's (see :func:`edits_elsewhere`), else ""."""
    files = edits_elsewhere(findings)
    return f" in {', '.join(name(file) for file in files)}" if files else ""


def _by(findings: list[Finding], part: Any) -> list[tuple[Any, list[Finding]]]:
    if len(findings) == 1:  # most problems are in one pod: one group
        return [(part(findings[0]), list(findings))]
    groups: dict[Any, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(part(finding), []).append(finding)
    return sorted(groups.items(), key=lambda item: -len(item[1]))


def fold(findings: Iterable[Finding]) -> list[Folded]:
    """The findings folded to one :class:`Folded` per :func:`fold_key`, in place order."""
    groups: dict[tuple[str, str, int, int], list[Finding]] = {}
    for finding in findings:
        groups.setdefault(fold_key(finding), []).append(finding)
    return sorted(
        (
            Folded(sorted(group, key=Finding.sort_key) if key[2:] == (0, 0) else group)
            for key, group in groups.items()
        ),
        key=Folded.sort_key,
    )


def fix_applicability(findings: Iterable[Finding]) -> str | None:
    """What ``nblint fix`` does about one problem (the findings of one :class:`Folded`):
    ``"safe"`` when its safe fixes clear it, ``"unsafe"`` when one of its pods needs
    ``--unsafe-fixes``, None when it has no fix that is applied. ``check``'s summary and
    ``fix``'s count problems by it, so that both say the same number for the same file."""
    kinds = {f.applicability for f in findings if f.edit is not None}
    if "unsafe" in kinds:
        return "unsafe"
    return "safe" if "safe" in kinds else None


def fixable_counts(
    problems: Iterable[Folded], editable: Container[str] | None = None
) -> tuple[int, int, int]:
    """``(safe, unsafe, elsewhere)``: how many ``problems`` ``nblint fix`` would fix, how many
    more with ``--unsafe-fixes``, and how many it leaves because their fixes go only into files
    it does not edit (``editable``: those it does, asked ``file in editable``; None: any)."""
    safe = unsafe = elsewhere = 0
    for problem in problems:
        findings = problem.findings
        if editable is not None:
            findings = [f for f in findings if f.edit is None or f.edit.file in editable]
        kind = fix_applicability(findings)
        safe += kind == "safe"
        unsafe += kind == "unsafe"
        elsewhere += kind is None and fix_applicability(problem.findings) is not None
    return safe, unsafe, elsewhere


#: The most differing parts a joined message names before it says how many more there are.
MAX_JOINED = 6


def joined_messages(messages: list[str]) -> str:
    """One message for several at one place: the words they share said once, what differs
    listed — ``notebook container notebook sets no resources.limits.cpu, resources.limits.memory``
    — or, when they share nothing, each in full."""
    distinct = list(dict.fromkeys(messages))
    if len(distinct) == 1:
        return distinct[0]
    words = [message.split(" ") for message in distinct]
    shortest = min(len(w) for w in words)
    prefix = 0
    while prefix < shortest and all(w[prefix] == words[0][prefix] for w in words):
        prefix += 1
    suffix = 0
    while suffix < shortest - prefix and all(
        w[-1 - suffix] == words[0][-1 - suffix] for w in words
    ):
        suffix += 1
    middles = [" ".join(w[prefix : len(w) - suffix]) for w in words]
    if not (prefix or suffix) or not all(middles):
        return "; ".join(_capped(distinct, MAX_JOINED, "problem"))
    # The punctuation that ends every differing part (`container a: …`, `init container b: …`)
    # ends the list once: `container a, init container b: …`, not `container a:, init …`.
    mark = middles[0][-1]
    closing = mark if mark in ":;,." and all(m[-1] == mark and len(m) > 1 for m in middles) else ""
    if closing:
        middles = [m[:-1] for m in middles]
    separator = "; " if any("," in m or ";" in m for m in middles) else ", "
    if len(middles) > MAX_JOINED:
        middles = [*middles[: MAX_JOINED - 1], f"{len(middles) - MAX_JOINED + 1} more"]
    parts = [
        *words[0][:prefix],
        separator.join(middles) + closing,
        *words[0][len(words[0]) - suffix :],
    ]
    return " ".join(parts)


def unfolded(findings: Iterable[Finding]) -> list[Folded]:
    """One :class:`Folded` per finding (``--no-fold``: today's one-per-pod view)."""
    return [Folded([finding]) for finding in findings]


def pod_label(finding: Finding) -> str:
    """The pod a finding is in, as one line: ``values  profile: GPU  image=torch``."""
    parts = [finding.object or ""]
    if finding.profile:
        parts.append(f"profile: {finding.profile}")
    if finding.options:
        parts.append(", ".join(f"{k}={v}" for k, v in finding.options.items()))
    return "  ".join(part for part in parts if part)


def pods_summary(findings: list[Finding], limit: int = 6) -> str:
    """Which pods a folded problem is in, short enough for one wrapped line: per object, its
    profiles with their option choices (at most ``limit`` of each, then how many more). How
    many pods is :func:`pods_text`."""
    objects: dict[str, dict[str, list[dict[str, str]]]] = {}
    for finding in findings:
        profiles = objects.setdefault(finding.object or "", {})
        choices = profiles.setdefault(finding.profile or "", [])
        if finding.options and finding.options not in choices:
            choices.append(finding.options)
    parts = []
    for name, profiles in objects.items():
        named = [_profile_text(profile, choices, limit) for profile, choices in profiles.items()]
        named = [text for text in named if text]
        text = name
        if named:
            text += (": " if text else "") + "; ".join(_capped(named, limit, "profile"))
        if text:
            parts.append(text)
    return "; ".join(parts)


def pod_key(finding: Finding) -> tuple[Any, ...]:
    """Which pod a finding is in (two containers of one pod are one pod)."""
    options = tuple(sorted((finding.options or {}).items()))
    return (finding.object, finding.profile, options)


def pod_count(findings: Iterable[Finding], layers_of: Mapping[str, str] | None = None) -> int:
    """How many pods ``findings`` are found in: two containers, or two fields, of one pod are
    one pod; a pod is told apart by the file it is found in too (two values files' pods are
    both ``values``), or, for a file that is a layer of a release (``layers_of``: each layer
    file's release, by its first file, :attr:`RunResult.layers_of`), by its release: a pod whose
    findings lie in two layers is one pod."""
    if not layers_of:
        return len({(finding.file, *pod_key(finding)) for finding in findings})
    return len({(layers_of.get(f.file, f.file), *pod_key(f)) for f in findings})


def pods_text(findings: list[Finding]) -> str:
    """``5 pods`` (or ``1 pod``): the pods, not the findings (one per container)."""
    count = pod_count(findings)
    return f"{count} pod{'s' * (count != 1)}"


def subset_label(findings: list[Finding], whole: list[Finding] | None = None) -> str:
    """Some of a problem's findings, named by what they share: their containers when the
    problem (``whole``) spans several, and their pods' choices (``image=rocker-geospatial,
    5 pods``)."""
    parts = []
    if whole is not None and len({f.container for f in whole}) > 1:
        containers = list(dict.fromkeys(f.container for f in findings if f.container))
        if containers:
            parts.append(", ".join(containers))
    if whole is None or pod_count(findings) != pod_count(whole):
        where = shared_choices(findings)
        parts.append(f"{where}, {pods_text(findings)}" if where else pods_text(findings))
    return ", ".join(parts) or pods_text(findings)


def shared_choices(findings: list[Finding]) -> str:
    """What the pods of ``findings`` have in common: ``profile "GPU" image=torch`` (the part of
    a pod label every one of them shares), or ""."""
    profiles = {finding.profile for finding in findings}
    common = dict(findings[0].options or {})
    for finding in findings[1:]:
        options = finding.options or {}
        common = {key: value for key, value in common.items() if options.get(key) == value}
    parts = (
        [f'profile "{next(iter(profiles))}"'] if len(profiles) == 1 and None not in profiles else []
    )
    parts += [f"{key}={value}" for key, value in common.items()]
    return " ".join(parts)


def _profile_text(profile: str, choices: list[dict[str, str]], limit: int) -> str:
    if not profile and not choices:
        return ""
    text = f'profile "{profile}"' if profile else ""
    if choices:
        keys = {key for choice in choices for key in choice}
        if len(keys) == 1 and all(len(choice) == 1 for choice in choices):
            # One option: `image: pangeo, handbook`, not `image=pangeo, image=handbook`.
            values = [next(iter(choice.values())) for choice in choices]
            shown = f"{next(iter(keys))}: " + ", ".join(_capped(values, limit, "choice"))
        else:
            combos = [" ".join(f"{k}={v}" for k, v in choice.items()) for choice in choices]
            shown = ", ".join(_capped(combos, limit, "choice"))
        text = f"{text} ({shown})" if text else shown
    return text


def _capped(items: list[str], limit: int, noun: str) -> list[str]:
    if len(items) <= limit:
        return items
    rest = len(items) - (limit - 1)
    return [*items[: limit - 1], f"{rest} more {noun}s"]
