"""Does a workload's ``spec.selector`` select its own pod template? (``selector-mismatch``)

The API server validates a workload's selector against its template's labels and refuses the
object when it does not select them (apps/v1 ``ValidateDeploymentSpec`` and its siblings:
"`selector` does not match template `labels`"). Such an object makes no pod, so the dialect
yields the refusal alone, at the selector, as for a template without containers.

Only what is certain is said: a selector or label nblint cannot read (a placeholder, a value
that is not text, an operator it does not know) leaves the object to the other checks. An unset
or empty selector is refused in apps/v1 too, but kustomize's ``commonLabels`` writes one into a
base that has none, so a base may rightly leave it out: not said.

A Job's selector is the API server's to generate: without ``manualSelector: true`` it adds the
Job's uid to any selector written (``generateSelector``) and the labels it generates to the
template, and refuses the Job when the selector does not select those generated labels
(``ValidateGeneratedSelector``: "`selector` not auto-generated"): the Job's name under
``batch.kubernetes.io/job-name`` and ``job-name``, its uid (unknown before it is created) under
``batch.kubernetes.io/controller-uid`` and ``controller-uid``. A selector of the Job's own name is
taken; one copied from a created Job (its old uid) is not. Any selector (or ``manualSelector:
true``) in a CronJob's ``jobTemplate`` is refused (``ValidateJobTemplateSpec``). With
``manualSelector: true`` the selector is required (``ValidateJobSpec``: "spec.selector: Required
value"; kustomize never writes one into a Job) and must select the template as any workload's.
"""

from __future__ import annotations

import json

from nblint.model.selectors import expression_holds

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The kinds whose ``spec.selector`` must select ``spec.template.metadata.labels``.
SELECTED = (
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "DeploymentConfig",
    "Job",
)

#: The kinds whose ``spec.selector`` is a plain map of labels (no ``matchLabels``), defaulted
#: from the template's labels when unset or empty: a v1 ReplicationController, and OpenShift's
#: DeploymentConfig (validated with the RC's pod template rules).
PLAIN = ("ReplicationController", "DeploymentConfig")

#: The labels the API server gives a Job's pods when it generates its selector: the Job's name
#: (prefixed since Kubernetes 1.27, and the legacy key) and its uid.
JOB_NAME_LABELS = ("batch.kubernetes.io/job-name", "job-name")
CONTROLLER_UID_LABELS = ("batch.kubernetes.io/controller-uid", "controller-uid")


def refusal(root: dict[str, Any]) -> tuple[tuple[str, ...], str] | None:
    """``(path to place the finding at, what the API server refuses in the object)`` when it
    certainly refuses it, else None."""
    kind = root.get("kind")
    spec = root.get("spec")
    if kind == "CronJob" and isinstance(spec, dict):
        return _job_template_refusal(spec)
    if kind not in SELECTED or not isinstance(spec, dict):
        return None
    selector = spec.get("selector")
    if kind == "Job" and spec.get("manualSelector") is not True:
        return _generated_refusal(root, spec)
    if kind == "Job" and selector is None:
        # manualSelector: true turns generation off, and nothing else writes a Job's selector.
        return ("spec", "manualSelector"), (
            "spec.manualSelector is true but spec.selector is unset (the API server then "
            'generates no selector, and requires one: "spec.selector: Required value")'
        )
    template = spec.get("template")
    metadata = template.get("metadata") if isinstance(template, dict) else None
    raw_labels = metadata.get("labels") if isinstance(metadata, dict) else None
    if selector is None:
        # Refused in apps/v1, but kustomize's commonLabels writes one where a base has none
        # (create: true): a base may rightly leave it out. Older groups default it.
        return None
    # A Job with manualSelector: true: its written selector must select the template.
    if raw_labels is None:
        raw_labels = {}
    if not isinstance(raw_labels, dict):
        return None
    labels = {}
    for key, value in raw_labels.items():
        if not _text(key) or not _text(value):
            return None
        labels[key] = value
    if kind in PLAIN:
        # A plain map of labels.
        if not isinstance(selector, dict) or not all(
            _text(k) and _text(v) for k, v in selector.items()
        ):
            return None
        if not selector:
            return None  # defaulted from the labels
        missing = {k: v for k, v in selector.items() if labels.get(k) != v}
        return _mismatch(missing, labels) if missing else None
    if not isinstance(selector, dict):
        return None
    match_labels = selector.get("matchLabels") or {}
    expressions = selector.get("matchExpressions") or []
    if not isinstance(match_labels, dict) or not isinstance(expressions, list):
        return None
    if not match_labels and not expressions:
        return None  # unset or empty: see the module's note
    unmet: list[str] = []
    for key, value in match_labels.items():
        if not _text(key) or not _text(value):
            return None
        if labels.get(key) != value:
            unmet.append(f"{key}={value}")
    for term in expressions:
        held = _holds(term, labels)
        if held is None:
            return None
        if not held:
            unmet.append(_show(term))
    if not unmet:
        return None
    return ("spec", "selector"), _say(unmet, labels)


def _written(selector: Any) -> bool:
    """Whether a Job's selector says anything: an empty one (``{}``, or no terms) selects
    everything, the generated labels too, and the API server takes it."""
    if not isinstance(selector, dict):
        return selector is not None
    return bool(selector.get("matchLabels") or selector.get("matchExpressions"))


def _generated_refusal(
    root: dict[str, Any], spec: dict[str, Any]
) -> tuple[tuple[str, ...], str] | None:
    """A Job without ``manualSelector: true``: the API server generates its selector (the
    Job's uid) and refuses a written one that does not select the labels it generates ("`selector`
    not auto-generated"). A manualSelector nblint cannot read, or a selector term it cannot
    judge, leaves it alone."""
    manual = spec.get("manualSelector")
    selector = spec.get("selector")
    if manual not in (None, False) or not _written(selector):
        return None
    name = _mapping(root.get("metadata")).get("name")
    unmet = _unmet_by_generated(selector, name)
    if not unmet:
        return None
    generated = ", ".join(f"{key}={name}" for key in JOB_NAME_LABELS) + " and the Job's uid"
    return ("spec", "selector"), (
        "spec.selector is written without spec.manualSelector: true and does not select the "
        f"labels the API server gives the Job's pods ({'; '.join(unmet)} not met by {generated}: "
        '"`selector` not auto-generated")'
    )


def _unmet_by_generated(selector: Any, name: Any) -> list[str] | None:
    """The terms of a Job's written selector that the labels the API server generates for it
    (its name, and its uid, which nobody knows before the Job is created) do not meet: empty when
    it selects them; None when nblint cannot tell (a placeholder, a name left to
    ``generateName``, a term it cannot read)."""
    if not isinstance(selector, dict):
        return ["spec.selector (not a mapping)"]
    match_labels = selector.get("matchLabels") or {}
    expressions = selector.get("matchExpressions") or []
    if not isinstance(match_labels, dict) or not isinstance(expressions, list):
        return ["spec.selector (matchLabels or matchExpressions of the wrong type)"]
    unmet, unknown = [], False
    terms = [
        (f"{k}={v}", {"key": k, "operator": "In", "values": [v]}) for k, v in match_labels.items()
    ]
    for shown, term in [*terms, *((None, t) for t in expressions)]:
        held = _holds_generated(term, name)
        if held is None:
            unknown = True
        elif not held:
            unmet.append(shown or _show(term))
    return unmet if unmet or not unknown else None


def _holds_generated(term: Any, name: Any) -> bool | None:
    """Whether one selector term holds for the labels the API server generates for a Job named
    ``name``; None: nblint cannot tell."""
    if not isinstance(term, dict):
        return None
    key, operator, values = term.get("key"), term.get("operator"), term.get("values") or []
    if not _text(key) or not isinstance(values, list) or not all(_text(v) for v in values):
        return None
    unknown = key in CONTROLLER_UID_LABELS or (key in JOB_NAME_LABELS and not _text(name))
    if unknown:
        # A value nobody can write beforehand (the uid; a name the API server generates or a
        # placeholder fills in): the label is there, its value is not any value written.
        if operator == "Exists":
            return True
        if operator == "DoesNotExist":
            return False
        if key in CONTROLLER_UID_LABELS and operator in ("In", "NotIn"):
            return operator == "NotIn"
        return None
    generated = dict.fromkeys(JOB_NAME_LABELS, name) if _text(name) else {}
    return expression_holds(term, generated)


def _job_template_refusal(spec: dict[str, Any]) -> tuple[tuple[str, ...], str] | None:
    """A CronJob's ``jobTemplate``: the API server always generates the selector of the Jobs
    it makes, and refuses a template that writes one ("`selector` will be auto-generated"),
    or ``manualSelector: true``."""
    template = _mapping(_mapping(spec.get("jobTemplate")).get("spec"))
    base = ("spec", "jobTemplate", "spec")
    if template.get("selector") is not None:
        return (*base, "selector"), (
            "spec.jobTemplate.spec.selector is written (the API server generates the selector of "
            'each Job a CronJob makes: "`selector` will be auto-generated")'
        )
    if template.get("manualSelector") is True:
        return (*base, "manualSelector"), (
            "spec.jobTemplate.spec.manualSelector is true (the API server generates the selector "
            "of each Job a CronJob makes, and takes only false or unset)"
        )
    return None


def hint(root: dict[str, Any]) -> str | None:
    """The manifest edit that makes the selector select the template's labels (the template's
    labels may be what is wrong: the hint says so), or None when the template has none. For a
    Job without manualSelector and a CronJob's job template: the selector taken out; for a Job
    with manualSelector and no selector: manualSelector taken out."""
    kind = root.get("kind")
    spec = _mapping(root.get("spec"))
    if kind == "CronJob":
        template = _mapping(_mapping(spec.get("jobTemplate")).get("spec"))
        key = "selector" if template.get("selector") is not None else "manualSelector"
        return (
            f"spec:\n  jobTemplate:\n    spec:\n      {key}: null"
            "   # the API server generates each Job's selector\n"
        )
    if kind == "Job" and spec.get("manualSelector") is not True:
        return (
            "spec:\n  selector: null   # the API server generates a Job's selector "
            "(or set manualSelector: true and keep it selecting the template's labels)\n"
        )
    if kind == "Job" and spec.get("selector") is None:
        return (
            "spec:\n  manualSelector: null   # the API server then generates the selector "
            "(or write spec.selector of the template's labels)\n"
        )
    labels = _mapping(_mapping(_mapping(spec.get("template")).get("metadata")).get("labels"))
    if not labels:
        return None
    selector = _mapping(spec.get("selector"))
    written = selector if kind in PLAIN else selector.get("matchLabels")
    stale = [k for k in (written if isinstance(written, dict) else {}) if k not in labels]
    entries = [f"{k}: {json.dumps(v)}" for k, v in labels.items()] + [f"{k}: null" for k in stale]
    comment = "   # the template's labels (or change those to what the selector says)"
    if kind in PLAIN:
        body = "\n".join(f"    {e}" for e in entries)
        return f"spec:\n  selector:{comment}\n{body}\n"
    body = "\n".join(f"      {e}" for e in entries)
    return f"spec:\n  selector:\n    matchLabels:{comment}\n{body}\n"


def _mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _mismatch(missing: dict[str, str], labels: dict[str, str]) -> tuple[tuple[str, ...], str]:
    return ("spec", "selector"), _say([f"{k}={v}" for k, v in missing.items()], labels)


def _say(unmet: list[str], labels: dict[str, str]) -> str:
    shown = ", ".join(f"{k}={v}" for k, v in labels.items()) or "none"
    return (
        f"spec.selector does not select the pod template's labels ({', '.join(unmet)} not met; "
        f"the template's labels: {shown})"
    )


def _holds(term: Any, labels: dict[str, str]) -> bool | None:
    """Whether a ``matchExpressions`` term holds for the labels; None: nblint cannot read it
    (a placeholder, or a term the API server refuses)."""
    if not isinstance(term, dict):
        return None
    key, values = term.get("key"), term.get("values") or []
    if not _text(key) or not isinstance(values, list) or not all(_text(v) for v in values):
        return None
    return expression_holds(term, labels)


def _show(term: dict[str, Any]) -> str:
    values = term.get("values") or []
    suffix = f" ({', '.join(values)})" if values else ""
    return f"{term.get('key')} {term.get('operator')}{suffix}"


def _text(value: Any) -> bool:
    """A label key or value nblint can compare: text, and no placeholder."""
    return isinstance(value, str) and "${" not in value and "{{" not in value and "$(" not in value
