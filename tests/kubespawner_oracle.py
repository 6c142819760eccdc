"""The KubeSpawner oracle of the differential tests: a worker process that builds pods.

Run as ``python kubespawner_oracle.py [DIR]``: ``DIR`` (for example a ``pip install --target``
of an older ``jupyterhub-kubespawner``) is put first on ``sys.path``, so each KubeSpawner
version runs in its own interpreter and two versions never mix. The worker speaks JSON lines:

* on start it writes ``{"version": "<kubespawner version>"}``;
* ``{"config": {section: {trait: value}}, "user_options": {...}}`` →
  ``{"pod": <the pod manifest, serialised as the Kubernetes API would see it>}``: a
  ``KubeSpawner`` configured with ``config`` for a mock user and hub, its Kubernetes client
  stubbed out, loads ``user_options`` through its own ``load_user_options`` (profile slugs,
  default choices, ``_apply_overrides``) and builds the pod with ``get_pod_manifest``;
* ``{"defaults": [trait, ...]}`` → ``{"defaults": {trait: default}}``;
* anything that fails → ``{"error": "<exception>"}``.

User templates are expanded symbolically: ``{username}`` stays ``{username}``, ``{pvc_name}``
becomes the PVC name template, as nblint draws the pod for no particular user.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from typing import Any

if len(sys.argv) > 1 and sys.argv[1]:
    sys.path.insert(0, sys.argv[1])

import kubespawner
import kubespawner.spawner as kubespawner_spawner
from kubernetes_asyncio import client as k8s_client
from traitlets.config import Config


class _Symbolic(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _expand_symbolically(self: Any, template: str, slug_scheme: Any = None) -> str:
    # 7.x passes ``slug_scheme``; 6.x does not.
    return template.format_map(_Symbolic(pvc_name=getattr(self, "pvc_name", "{pvc_name}")))


# No kube config, no API client: the pod is only built, never created.
kubespawner_spawner.load_config = lambda **kw: None  # type: ignore[assignment]
kubespawner_spawner.shared_client = lambda *a, **kw: None  # type: ignore[assignment]
kubespawner_spawner.KubeSpawner._expand_user_properties = _expand_symbolically  # type: ignore[method-assign]


def build_pod(config: dict[str, dict[str, Any]], user_options: dict[str, str]) -> Any:
    async def build() -> Any:
        spawner = kubespawner_spawner.KubeSpawner(_mock=True, config=Config(config))
        spawner.user_options = user_options
        await spawner.load_user_options()
        pod = await spawner.get_pod_manifest()
        async with k8s_client.ApiClient() as api:
            return api.sanitize_for_serialization(pod)

    return asyncio.run(build())


def defaults(names: list[str]) -> dict[str, Any]:
    spawner = kubespawner_spawner.KubeSpawner(_mock=True)
    return {name: getattr(spawner, name) for name in names}


def answer(request: dict[str, Any]) -> dict[str, Any]:
    try:
        if "defaults" in request:
            return {"defaults": defaults(request["defaults"])}
        return {"pod": build_pod(request["config"], request.get("user_options") or {})}
    except Exception as err:  # reported to the test, which fails with it
        return {"error": f"{type(err).__name__}: {err}"}


def main() -> None:
    # Answers go to the real stdout; anything the libraries print goes to stderr.
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    sys.stdout = sys.stderr
    replies.write(json.dumps({"version": kubespawner.__version__}) + "\n")
    replies.flush()
    for line in sys.stdin:
        if line.strip():
            replies.write(json.dumps(answer(json.loads(line))) + "\n")
            replies.flush()


if __name__ == "__main__":
    main()
