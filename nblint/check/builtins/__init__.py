"""Checks written in Python because a rule file cannot say them.

Each module holds one builtin, whose ``check(pod, rule, impl, policy)`` yields
:class:`~nblint.check.targets.RawViolation`; a rule names it with ``builtin: <name>`` in an
implementation. Modules are imported when a rule that names them first runs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from nblint.check.targets import RawViolation

Builtin = Callable[..., Iterator["RawViolation"]]

#: builtin name → module in this package that implements it.
MODULES: dict[str, str] = {
    "seccomp-annotations": "seccomp_annotations",
    "duplicate-container-names": "duplicate_container_names",
    "volume-sources": "volume_sources",
    "istio-init": "istio_init",
    "image-user": "image_user",
    "image-reference": "image_reference",
    "no-sudo": "no_sudo",
    "resource-names": "resource_names",
    "writable-paths": "writable_paths",
    "home-volume": "home_volume",
    "gpu": "gpu",
    "idle-culling": "idle_culling",
    "unlisted-choice": "unlisted_choice",
    "authentication": "authentication",
    "root-refused": "root_refused",
    "namespace-admission": "namespace_admission",
    "resources": "resources",
    "request-above-limit": "request_above_limit",
    "request-not-limit": "request_not_limit",
    "escalation-refused": "escalation_refused",
    "mount-volumes": "mount_volumes",
    "scc-range": "scc_range",
}
#: Builtins that judge a pod by the namespace it is admitted by: a pod the run judged without
#: one (no namespace object given) never calls them.
NEEDS_ADMISSION = frozenset({"namespace-admission"})
#: Findings the loader and the normalisers emit themselves (parse errors, unknown keys …):
#: their rule files exist for documentation, selection and severity.
REPORTED_BY_PIPELINE = "reported-by-pipeline"

_loaded: dict[str, Builtin] = {}


def known(name: str) -> bool:
    return name in MODULES or name == REPORTED_BY_PIPELINE


def get(name: str) -> Builtin:
    """The ``check`` function of builtin ``name``."""
    if name == REPORTED_BY_PIPELINE:
        return _nothing
    found = _loaded.get(name)
    if found is None:
        module = f"{__name__}.{MODULES[name]}"
        __import__(module)  # not importlib.import_module (see nblint/__init__.py)
        found = _loaded[name] = sys.modules[module].check
    return found


def _nothing(*args: Any, **kwargs: Any) -> Iterator[RawViolation]:
    return iter(())
