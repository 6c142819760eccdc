"""Does OpenShift's restricted-v2 SCC take the uid and fsGroup a workbench asks for?
(``openshift-scc-range``)

Why Python: the ranges are the namespace's annotations (``--cluster-context``), compared as
numbers, and a uid the SCC assigned (nblint draws one) is not one the workbench asks for.

restricted-v2, the SCC a workbench's ServiceAccount gets by default, holds ``runAsUser`` to the
namespace's ``openshift.io/sa.scc.uid-range`` (``MustRunAsRange``) and ``fsGroup`` to its
``openshift.io/sa.scc.supplemental-groups`` (``MustRunAs``; the uid range where that is absent),
and refuses a pod that sets one outside: the Notebook's StatefulSet never gets its pod. With the
namespace's annotations that is an error; without, an id below 1000000000 (where OpenShift starts
allocating ranges) is in no namespace's range, and an error too: the refusal is as certain as the
other refusals of restricted-v2 (``openshift-scc-refused``), under the same assumption — that the
ServiceAccount may use no other SCC (anyuid, nonroot-v2), which nblint cannot see and says. An id
from 1000000000 up may be the namespace's: silent. Root (uid 0, fsGroup 0) is
``openshift-scc-refused``'s, reported before any pod is modelled.

Any pod a dialect knows to run under restricted-v2 is checked: its fact ``openshift_scc`` says
what the refusal does to it (a z2jh user pod's spawn fails), and its fact ``openshift_sign``
(``assumed: OpenShift, from …``) which sign of the inputs said OpenShift: the finding's
assumption, for the finding holds only there. A workbench's finding carries the
Notebook edit; another pod's takes the rule's hint for its dialect, with the builtin's
``values_key`` (the z2jh key of the notebook's uid or the pod's fsGroup), or advice alone for a
container of its own (its entry is the place to edit).
"""

from __future__ import annotations

from collections.abc import Iterator

from nblint.check import images, podview
from nblint.check.targets import RawViolation, notebook_of
from nblint.model.pod import EffectivePod

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The pod fact that another SCC may admit the pod (``nblint.dialects.openshift.OTHER_SCC_FACT``;
#: checks do not import dialects).
OTHER_SCC = "openshift_other_scc"

#: Where OpenShift starts allocating namespaces their uid and group ranges (the cluster's
#: default ``--uid-range`` of its security allocator, 1000000000-1999999999 in blocks of 10000).
ALLOCATION_START = 1_000_000_000

OUTSIDE = (
    "{field} {value} is outside namespace {namespace}'s range {range} ({annotation}, at "
    "{where}): OpenShift's restricted-v2 SCC refuses the pod, unless its ServiceAccount may use "
    "an SCC that allows {value} (nonroot-v2, anyuid): {refused}"
)
IN_NO_RANGE = (
    "{field} {value} is in no namespace's range: OpenShift allocates each namespace a range from "
    "1000000000 up ({annotation}), and its restricted-v2 SCC refuses a pod that "
    "sets an id outside it, unless its ServiceAccount may use another SCC (nonroot-v2, anyuid): "
    "{refused}"
)
#: The hint of an image that does not run as any uid with group 0, as restricted-v2 runs it.
NOT_ANY_UID = (
    "{image} is not known to run as any uid with group 0, as restricted-v2 runs it (without "
    "{field}, the SCC assigns one from the namespace's range): grant the workbench's "
    "ServiceAccount an SCC that allows {value} (nonroot-v2), or use an image built for any uid "
    "(the OpenShift AI workbench images)"
)
#: The same, for a pod that is no workbench (a z2jh user pod).
OTHER_NOT_ANY_UID = (
    "{image} is not known to run as any uid with group 0, as restricted-v2 runs it: grant the "
    "pod's ServiceAccount an SCC that allows {value} (nonroot-v2), or use an image built for any "
    "uid with group 0"
)


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:
    if pod.facts.get(OTHER_SCC):
        return  # another SCC may admit it (openshift-scc-other): its ranges are not restricted-v2's
    refused = pod.facts.get("openshift_scc")
    workbench = pod.facts.get("kubeflow_distribution") == "openshift-ai"
    if not workbench and not isinstance(refused, str):
        return
    if not isinstance(refused, str):
        refused = f"the StatefulSet of {pod.object} never gets its pod"
    # Only now: the namespace model's dataclasses cost a plain check's cold start.
    from nblint.model.namespace import SCC_SUPPLEMENTAL_GROUPS, SCC_UID_RANGE, parse_scc_ranges

    manifest = pod.admission.namespace.manifest if pod.admission is not None else None
    # The namespace the pod lands in (a z2jh pod's comes from --namespace, not its object).
    namespace = pod.namespace or (pod.admission.namespace.name if pod.admission else None) or ""
    annotations = manifest.scc_ranges if manifest is not None else {}
    uid_range = annotations.get(SCC_UID_RANGE)
    group_range = annotations.get(SCC_SUPPLEMENTAL_GROUPS) or uid_range
    found = notebook_of(pod)
    image = found[1].get("image") if found is not None else None
    sign = pod.facts.get("openshift_sign")
    assumption = sign.removeprefix("assumed: ") if isinstance(sign, str) else None
    for path, field, list_name, container in _asked(pod):
        value = podview._value_at(pod.pod, path)
        annotation = group_range if field == "fsGroup" else uid_range
        variables = {
            "annotation": SCC_SUPPLEMENTAL_GROUPS if field == "fsGroup" else SCC_UID_RANGE,
            "field": field,
            "value": value,
            "namespace": namespace,
            "object": pod.object,
            "refused": refused,
        }
        if annotation is not None:
            ranges = parse_scc_ranges(str(annotation.value))
            if ranges is None or any(low <= value <= high for low, high in ranges):
                continue
            origin = annotation.origin
            variables |= {
                "range": annotation.value,
                # fsGroup falls back to the uid range when the namespace has no group range.
                "annotation": SCC_UID_RANGE if annotation is uid_range else SCC_SUPPLEMENTAL_GROUPS,
                "where": f"{origin.file}:{origin.line}",
            }
            message, severity = OUTSIDE, None
        elif value < ALLOCATION_START:
            # As certain as the namespace's own range: OpenShift allocates none below.
            message, severity = IN_NO_RANGE, None
        else:
            continue  # maybe the namespace's: nblint cannot tell
        own_image = container.get("image") if container else image
        fix, safety = _hint(path, field, list_name, container, own_image, value)
        fixes: dict[str, str] | None = {"any": fix}
        if not workbench:
            fixes, safety, key = _other_hint(pod, path, field, own_image, value, found)
            variables["values_key"] = key
        yield RawViolation(
            path,
            message,
            container.get("name") if container else None,
            variables=variables,
            severity=severity,
            fix=fixes,
            fix_safety=safety,
            assumption=assumption,
        )


def _asked(pod: EffectivePod) -> Iterator[tuple[tuple[Any, ...], str, str, dict[str, Any]]]:
    """The non-root uids and the fsGroup the workbench itself sets (not those nblint drew for
    the SCC): (pod path, field, container list, container or {})."""
    places: list[tuple[tuple[Any, ...], str, str, dict[str, Any]]] = [
        (("spec", "securityContext", "runAsUser"), "runAsUser", "", {}),
        (("spec", "securityContext", "fsGroup"), "fsGroup", "", {}),
    ]
    for list_name in ("initContainers", "containers"):
        for index, container in enumerate(podview.items(pod.spec.get(list_name))):
            if isinstance(container, dict):
                path = ("spec", list_name, index, "securityContext", "runAsUser")
                places.append((path, "runAsUser", list_name, container))
    for path, field, list_name, container in places:
        value = podview._value_at(pod.pod, path)
        if type(value) is not int or value <= 0:
            continue
        if "restricted-v2" in (pod.provenance.locate(path).note or ""):
            continue  # drawn for the SCC's assignment
        yield path, field, list_name, container


def _hint(
    path: tuple[Any, ...],
    field: str,
    list_name: str,
    container: dict[str, Any],
    image: Any,
    value: int,
) -> tuple[str, str]:
    """The edit that leaves the id to the SCC, and its safety: unsafe for an image the table
    says runs as any uid with group 0 (as the SCC runs it), else advice."""
    comment = "   # restricted-v2 assigns one from the namespace's range"
    if container:
        body = (
            f"      {list_name}:\n"
            f"        - name: {container.get('name')}\n"
            "          securityContext:\n"
            f"            {field}: null{comment}"
        )
    else:
        body = f"      securityContext:\n        {field}: null{comment}"
    hint = "spec:\n  template:\n    spec:\n" + body
    entry = images.lookup(image)
    if entry is not None and entry.get("any_uid") == "gid0":
        return hint, "unsafe"
    advice = NOT_ANY_UID.format(image=image or "this image", field=field, value=value)
    return f"{podview.comment(advice)}\n{hint}", "display-only"


def _other_hint(
    pod: EffectivePod,
    path: tuple[Any, ...],
    field: str,
    image: Any,
    value: int,
    notebook: tuple[Any, ...] | None,
) -> tuple[dict[str, str] | None, str, str]:
    """The hint of a pod that is no workbench (a z2jh user pod): the rule's own for its dialect
    (None) where the id is the notebook's uid or the pod's fsGroup, with the values key that sets
    it; advice alone for another container's, a pod uid or one a profile sets (written in a place
    of its own).
    Unsafe for an image the table says runs as any uid with group 0, else advice."""
    key = "fsGid" if field == "fsGroup" else "uid"
    entry = images.lookup(image)
    any_uid = entry is not None and entry.get("any_uid") == "gid0"
    advice = OTHER_NOT_ANY_UID.format(image=image or "this image", value=value)
    own = notebook is not None and path == (*notebook[0], "securityContext", "runAsUser")
    # A field a profile or option choice sets (fact ``chosen_fields``) is that entry's own.
    chosen = path in (pod.facts.get("chosen_fields") or {})
    if (own or path == ("spec", "securityContext", "fsGroup")) and not chosen:
        if any_uid:
            return None, "unsafe", key
        return None, "display-only", key
    text = (
        f"Remove the {field} {value} where it is written (the note says where), for restricted-v2 "
        "to assign one from the namespace's range"
    )
    return {"any": podview.comment(text if any_uid else f"{text}; {advice}")}, "display-only", key
