"""Findings: one problem, placed at the line the user must edit, with its fix in the input's
dialect; and :class:`Reported`, a problem the loader or a normaliser found, before the run turns
it into a finding with its rule's severity.
"""

from __future__ import annotations

from nblint.model.edit import Edit
from nblint.model.pod import Origin
from nblint.model.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}

#: The fix-hint key that fits every input (findings about the input itself).
ANY = "any"

#: Fix-hint keys for an input the loader could not read as text (``parse-error``'s hints): what
#: fits such a file is not advice about YAML syntax.
BINARY_FILE = "binary-file"
NOT_UTF8 = "not-utf8"
TERRAFORM = "terraform-file"
INPUT_FIX_LABELS = {
    BINARY_FILE: "A binary file (not text)",
    NOT_UTF8: "A file that is not UTF-8 text",
    TERRAFORM: "A Terraform file (`*.tf`, `*.tfvars`) named as an input",
    # An image a kustomization's `images:` entry sets (see KUSTOMIZE_IMAGES below).
    "kustomize-images": "An image a kustomization's `images:` entry sets (that entry)",
}


class PsaRef(Record):
    """The upstream Pod Security Admission check a finding corresponds to."""

    __slots__ = ("check", "level", "mode", "version")

    def __init__(self, check: str, level: str, version: str, mode: str | None = None) -> None:
        self.check = check
        self.level = level
        self.version = version
        #: The PSA mode of the pod's namespace that evaluated it (``enforce``, ``warn``, ``audit``);
        #: None: the level and version of ``--psa-level``/``--psa-version``.
        self.mode = mode

    def as_dict(self) -> dict[str, str]:
        out = {"check": self.check, "level": self.level, "version": self.version}
        if self.mode:
            out["mode"] = self.mode
        return out


class Cause:
    """The object in the cluster that makes a finding true: a namespace's PSA label, a
    LimitRange's default, a quota's ``hard`` key — and where it is written.

    (A plain class: defining a NamedTuple or a dataclass costs every run at import, and only
    runs that describe namespaces make one.)
    """

    __slots__ = ("column", "detail", "file", "line", "object")

    def __init__(self, object: str, detail: str, file: str, line: int, column: int = 1) -> None:
        self.object = object
        #: What of it: ``label pod-security.kubernetes.io/enforce: baseline``, ``hard pods: 2``.
        self.detail = detail
        self.file = file
        self.line = line
        self.column = column

    def _key(self) -> tuple[str, str, str, int, int]:
        return (self.object, self.detail, self.file, self.line, self.column)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Cause) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Cause{self._key()!r}"

    def text(self) -> str:
        return f"{self.object} {self.detail} ({self.file}:{self.line})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "object": self.object,
            "detail": self.detail,
            "file": self.file,
            "line": self.line,
            "column": self.column,
        }


class Finding(Record):
    """One problem, placed at the line the user must edit, with its fix in the input's dialect."""

    __slots__ = (
        "applicability",
        "assumption",
        "cause",
        "changes",
        "column",
        "container",
        "edit",
        "field",
        "file",
        "fix",
        "fix_file",
        "group",
        "line",
        "message",
        "note",
        "object",
        "options",
        "profile",
        "psa",
        "rule",
        "severity",
    )

    def __init__(
        self,
        rule: str,
        group: str,
        severity: str,
        message: str,
        file: str,
        line: int,
        column: int,
        object: str | None = None,
        profile: str | None = None,
        container: str | None = None,
        psa: PsaRef | None = None,
        fix: str | None = None,
        note: str = "",
        field: str | None = None,
        options: dict[str, str] | None = None,
        applicability: str | None = None,
        edit: Edit | None = None,
        changes: tuple[tuple[int, int, int, int, str], ...] = (),
        cause: Cause | None = None,
        assumption: str | None = None,
        fix_file: str | None = None,
    ) -> None:
        self.rule = rule
        self.group = group
        self.severity = severity
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.object = object
        self.profile = profile
        self.container = container
        self.psa = psa
        self.fix = fix
        #: How the offending value got there, when the line alone does not say it.
        self.note = note
        #: Path of the offending field within the effective pod (``spec.containers[0]...``).
        self.field = field
        self.options = options
        #: ``safe``, ``unsafe`` or ``display-only`` (see :mod:`nblint.model.edit`); None: no fix.
        self.applicability = applicability
        #: The fix as ``nblint fix`` applies it, when nblint knows where it goes.
        self.edit = edit
        #: The text changes the edit makes, ``(start line, start column, end line, end column,
        #: new text)`` (1-based, end exclusive), worked out only for reports that show them (SARIF).
        self.changes = changes
        #: The namespace object that causes the finding (a PSA label, a quota key), if any.
        self.cause = cause
        #: What the finding takes for granted that nblint cannot see ("no other usage in the
        #: namespace"), if anything.
        self.assumption = assumption
        #: The file a fix that is only shown (no ``edit``) is written for, when the dialect
        #: placed it: the last -f layer, a HelmRelease (reports say so when it is not ``file``).
        self.fix_file = fix_file

    def identity(self) -> tuple[Any, ...]:
        """Equal for the same finding reported twice (by two profiles, by two releases)."""
        return (
            self.rule,
            self.file,
            self.line,
            self.column,
            self.message,
            self.object,
            self.profile,
            self.options and tuple(self.options.items()),
            self.container,
            self.field,
            self.cause,
        )

    def context(self) -> dict[str, str]:
        """Where in the input's objects the finding is: see :func:`context`."""
        return context(self.object, self.profile, self.container, self.field)

    def sort_key(self) -> tuple[Any, ...]:
        return (self.file, self.line, self.column, self.object or "", self.profile or "", self.rule)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "group": self.group,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "object": self.object,
            "profile": self.profile,
            "options": self.options,
            "container": self.container,
            "field": self.field,
            "psa": self.psa.as_dict() if self.psa else None,
            "fix": self.fix,
            "applicability": self.applicability,
            "edit": self.edit.as_dict() if self.edit else None,
            "note": self.note or None,
            "cause": self.cause.as_dict() if self.cause else None,
            "assumption": self.assumption,
        }


class Reported(Record):
    """A problem the loader or a normaliser found (a parse error, an unknown values key, a
    PodDefault its CRD refuses), placed, but not yet a :class:`Finding`: the run gives it its
    rule's group and severity, drops it when the rule is not selected, and picks the rule's fix
    by ``fix_keys`` unless ``fix`` says better."""

    __slots__ = (
        "assumption",
        "cause",
        "edit",
        "fix",
        "fix_keys",
        "message",
        "object",
        "origin",
        "profile",
        "rule",
    )

    def __init__(
        self,
        rule: str,
        message: str,
        origin: Origin,
        object: str | None = None,
        fix: str | None = None,
        fix_keys: tuple[str, ...] = (),
        profile: str | None = None,
        edit: Edit | None = None,
        cause: Cause | None = None,
        assumption: str | None = None,
    ) -> None:
        self.rule = rule
        self.message = message
        self.origin = origin
        self.object = object
        #: A fix written for this very problem; None: the rule's hint for ``fix_keys``;
        #: :data:`NO_FIX`: none (the rule's hint is about another cause of the rule).
        self.fix = fix
        self.fix_keys = fix_keys
        #: The z2jh profile whose spawns the problem is about (None: the input as a whole).
        self.profile = profile
        #: Where ``fix`` goes, when the normaliser knows it (``nblint fix`` applies it).
        self.edit = edit
        self.cause = cause
        self.assumption = assumption


class Suppression(Record):
    """A ``# nblint: disable=…`` comment: where it is, what it silences and why."""

    __slots__ = ("column", "file", "kind", "line", "names", "reason", "used")

    def __init__(
        self,
        file: str,
        line: int,
        column: int,
        kind: str,
        names: tuple[str, ...],
        reason: str,
        used: set[str] | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.column = column
        #: ``disable`` (this line and the next) or ``disable-file``.
        self.kind = kind
        self.names = names
        self.reason = reason
        #: The names that suppressed at least one finding.
        self.used: set[str] = set() if used is None else used

    def covers(self, finding: Finding, group: str) -> str | None:
        """The name under which this suppression covers ``finding``, if any."""
        if finding.file != self.file:
            return None
        if self.kind == "disable" and finding.line not in (self.line, self.line + 1):
            return None
        for name in self.names:
            if name in (finding.rule, group):
                return name
        return None


def context(
    object: str | None, profile: str | None, container: str | None, field: str | None
) -> dict[str, str]:
    """Where a finding is, as far as it says: object, profile, container, field (set ones only)."""
    pairs = (("object", object), ("profile", profile), ("container", container), ("field", field))
    return {name: value for name, value in pairs if value}


#: A :class:`Reported` problem's fix when it has none of its own and the rule's hint would be
#: about another of the rule's causes: no fix is shown rather than one that does not apply.
NO_FIX = ""


def clipped(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, marked with "…": input quoted in a message may be
    megabytes long, and a message is read on one line."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


#: The hint key of an image a kustomization's ``images:`` entry sets (the pod fact
#: ``kustomize_images``: built image → the entry's name): its hint is the entry, written in the
#: kustomization, never placed in the workload; only for an image an entry sets.
KUSTOMIZE_IMAGES = "kustomize-images"


def choose_fix(
    fixes: dict[str, str] | None, keys: tuple[str, ...], container: str | None = None
) -> str | None:
    """The hint of ``fixes`` that fits (see :func:`chosen_fix`)."""
    chosen = chosen_fix(fixes, keys, container)
    return chosen[1] if chosen else None


def chosen_fix(
    fixes: dict[str, str] | None, keys: tuple[str, ...], container: str | None = None
) -> tuple[str, str] | None:
    """``(key, hint)`` of ``fixes`` that fits: for the container by name
    (``z2jh:block-cloud-metadata`` is fixed in another place than the notebook), then for the
    most specific of ``keys`` (``z2jh<4.3`` before ``z2jh``), then for any input. The one place
    hints are chosen."""
    if not fixes:
        return None
    if container:
        for key in keys:
            found = fixes.get(f"{key}:{container}")
            if found is not None:
                return f"{key}:{container}", found
    for key in keys:
        found = fixes.get(key)
        if found:
            return key, found
    found = fixes.get(ANY)
    return (ANY, found) if found is not None else None
