"""A manifest → its one effective pod: the pod template, after API-server defaulting."""

from __future__ import annotations

from typing import Any

from nblint.dialects.apiserver import apply_api_defaults
from nblint.dialects.base import TreePlacement
from nblint.dialects.manifest import TEMPLATE_PATHS, object_name
from nblint.load.provenance import TreeProvenance
from nblint.model.document import Normalised, Recognised, RunIndex
from nblint.model.pod import EffectivePod


def normalise(document: Recognised, index: RunIndex, settings: dict[str, Any]) -> Normalised:
    file, root = document.file, document.root
    kind = str(root["kind"])
    prefix = TEMPLATE_PATHS[kind]
    template: Any = root
    for part in prefix:
        template = template.get(part) if isinstance(template, dict) else None
    if not isinstance(template, dict):
        template = {}
    metadata = template.get("metadata") if isinstance(template.get("metadata"), dict) else {}
    spec = template.get("spec") if isinstance(template.get("spec"), dict) else {}
    provenance = TreeProvenance(file, root, prefix)
    spec = apply_api_defaults(spec, kind, provenance)
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec}
    # The object's own namespace is the pod's (a template's metadata.namespace is ignored).
    own = root.get("metadata") if isinstance(root.get("metadata"), dict) else {}
    namespace = own.get("namespace")
    effective = EffectivePod(
        file=file,
        object=object_name(root, document.index),
        dialect="manifest",
        pod=pod,
        provenance=provenance,
        kind=kind,
        placement=TreePlacement(file, document.index, document.path, prefix),
        namespace=namespace if isinstance(namespace, str) and namespace else None,
    )
    return Normalised([effective])
