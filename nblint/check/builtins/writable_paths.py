"""A read-only root filesystem still needs writable paths (``notebook-writable-paths``).

Why Python: it joins ``readOnlyRootFilesystem`` with the container's volume mounts, the volumes'
types and the image's HOME and writable paths from the notebook-images table.

With ``readOnlyRootFilesystem: true``, Jupyter cannot start a kernel unless ``/tmp`` and
``$HOME/.cache`` are writable (and ``/run`` or other paths for images that write there).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from nblint.check import images, podview
from nblint.model import EffectivePod


def required_paths(container: dict[str, Any]) -> list[str]:
    home = podview.home_directory(container)
    paths = ["/tmp"]
    if home:
        paths += [home, f"{home.rstrip('/')}/.cache"]
    entry = images.lookup(container.get("image"))
    for path in (entry or {}).get("writable") or []:
        path = str(path)
        if path.startswith("$HOME"):
            if not home:
                continue
            path = home + path[len("$HOME") :]
        if path.startswith("/") and path not in paths:
            paths.append(path)
    return paths


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:
    from nblint.check.engine import RawViolation, notebook_container

    found = notebook_container(pod.spec)
    if found is None:
        return
    base, container, variables = found
    if podview.security(pod.spec, container, "readOnlyRootFilesystem") is not True:
        return
    missing = [p for p in required_paths(container) if not podview.writable(pod.spec, container, p)]
    if missing:
        where = (*base, "volumeMounts") if container.get("volumeMounts") else base
        yield RawViolation(
            where,
            "",
            variables["container"],
            variables={
                **variables,
                "value": ", ".join(missing),
                "paths": ", ".join(missing),
                "first_path": missing[0],
            },
        )
