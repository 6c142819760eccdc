"""The cluster dialect's normaliser and indexer as the run calls them.

Services and Ingresses are read only for the pods they expose (:mod:`nblint.model.exposure`):
they are handled here, without the namespace model, because most runs that meet one (a
Service written beside its Deployment) need nothing else of this dialect, and importing
:mod:`.normalise` costs more than checking a hundred pods. Every other kind goes to
:mod:`.normalise`.
"""

from __future__ import annotations

from typing import Any

from nblint.dialects.cluster import EXPOSURE_KINDS
from nblint.model.document import Normalised, Recognised, RunIndex


def normalise(document: Recognised, index: RunIndex, settings: dict[str, Any]) -> Normalised:
    if document.root["kind"] in EXPOSURE_KINDS:
        # Read for the pods it exposes (index); counted as skipped, as before it was read.
        out = Normalised()
        out.declined.append(document.root)
        return out
    from nblint.dialects.cluster.normalise import normalise as cluster_object

    return cluster_object(document, index, settings)


def index(document: Recognised, settings: dict[str, Any]) -> list[tuple[str, Any]]:
    if document.root["kind"] in EXPOSURE_KINDS:
        from nblint.model.exposure import EXPOSURE_INDEX
        from nblint.model.exposure import read as exposure

        namespace = settings.get("namespace")
        exposing = exposure(
            document.root,
            document.file,
            document.index,
            namespace if isinstance(namespace, str) else None,
        )
        return [(EXPOSURE_INDEX, entry) for entry in exposing]
    from nblint.dialects.cluster.normalise import index as cluster_object

    return cluster_object(document, settings)
