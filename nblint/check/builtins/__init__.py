"""Checks written in Python because a rule file cannot say them.

Each module holds one builtin; a rule names it with ``builtin: <name>`` in an implementation.
A builtin receives the effective pod and yields :class:`~nblint.check.engine.RawViolation`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from nblint.check.builtins import (
    duplicate_container_names,
    gpu,
    home_volume,
    idle_culling,
    image_user,
    istio_init,
    seccomp_annotations,
    unlisted_choice,
    writable_paths,
)

if TYPE_CHECKING:
    from nblint.check.engine import RawViolation

Builtin = Callable[..., Iterator["RawViolation"]]

REGISTRY: dict[str, Builtin] = {
    "seccomp-annotations": seccomp_annotations.check,
    "duplicate-container-names": duplicate_container_names.check,
    "istio-init": istio_init.check,
    "image-user": image_user.check,
    "writable-paths": writable_paths.check,
    "home-volume": home_volume.check,
    "gpu": gpu.check,
    "idle-culling": idle_culling.check,
    "unlisted-choice": unlisted_choice.check,
    # Findings the loader and the normalisers emit themselves (parse errors, unknown keys …):
    # their rule files exist for documentation, selection and severity.
    "reported-by-pipeline": lambda *args, **kwargs: iter(()),
}

__all__ = ["REGISTRY", "Any"]
