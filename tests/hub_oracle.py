"""The hub of the end-to-end tests: the chart's own ``jupyterhub_config.py``, then the real
KubeSpawner, in a worker process of its own per KubeSpawner version.

Run as ``python hub_oracle.py [DIR]``: ``DIR`` (a ``pip install --no-deps --target`` of the
``jupyterhub-kubespawner`` a chart release pins) goes first on ``sys.path``. JSON lines:

* on start: ``{"version": "<kubespawner version>"}``;
* ``{"hub": DIR, "mount": DIR, "env": {...}, "jupyterhub": VERSION, "user": NAME,
  "spawns": [user_options, ...]}``
  (or ``"spawns": "each"``: every profile with its default choices, then each other choice) →
  the chart's ``jupyterhub_config.py`` and ``z2jh.py`` from ``hub`` run as the hub pod runs
  them, reading ``mount`` where the pod reads ``/usr/local/etc/jupyterhub/`` (see
  ``z2jh_hub.py``) with ``env`` as its environment; then for each ``user_options`` a
  ``KubeSpawner`` with that configuration, for user ``NAME``'s default server, loads the options
  with its own ``load_user_options`` and builds the pod with ``get_pod_manifest``. The reply:
  ``{"profiles": [...], "spawns": [{"pod", "environment", "extra_pod_config"} or {"error"}],
  "expanded": {text: expanded text or null}}``, or ``{"hub_error": ...}`` when the hub would not
  start. ``profiles`` is KubeSpawner's own initialised profile list (slugs, default profile and
  choices); ``expanded`` is each text of the request's ``expand`` list as KubeSpawner expands a
  template for this user (null: it cannot).

Nothing is stubbed that reaches a pod: only the Kubernetes client (no cluster) and the hub's
choice of HTTP client (pycurl is not installed here) are.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import sys
import types
from pathlib import Path
from typing import Any

if len(sys.argv) > 1 and sys.argv[1]:
    sys.path.insert(0, sys.argv[1])

import kubespawner
import kubespawner.spawner as kubespawner_spawner
import tornado.httpclient
from jupyterhub.objects import Server
from kubernetes_asyncio import client as k8s_client
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

kubespawner_spawner.load_config = lambda **kw: None  # type: ignore[assignment]
kubespawner_spawner.shared_client = lambda *a, **kw: None  # type: ignore[assignment]
tornado.httpclient.AsyncHTTPClient.configure = classmethod(lambda cls, impl, **kw: None)  # type: ignore[method-assign,assignment]

MOUNT = "/usr/local/etc/jupyterhub/"
#: JupyterHub 4's default ``Spawner.env_keep`` (5 keeps only JUPYTERHUB_SINGLEUSER_APP). The tests
#: run one JupyterHub for every release: a 3.x chart's hub (JupyterHub 4) is given its own.
ENV_KEEP_4 = [
    *("PATH", "PYTHONPATH", "CONDA_ROOT", "CONDA_DEFAULT_ENV", "VIRTUAL_ENV", "LANG", "LC_ALL"),
    "JUPYTERHUB_SINGLEUSER_APP",
]


def load_z2jh(hub: Path, mount: Path) -> types.ModuleType:
    """The chart's ``z2jh.py``, reading ``mount`` for the pod's mounted secret and config map."""

    def moved(path: str) -> str:
        return str(mount / path[len(MOUNT) :]) if path.startswith(MOUNT) else path

    spec = importlib.util.spec_from_file_location("z2jh", hub / "z2jh.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # z2jh.py opens its files in `with` blocks itself: this only moves the path.
    module.open = lambda path, *a, **k: open(moved(path), *a, **k)  # type: ignore[attr-defined]  # noqa: SIM115
    module.os = types.SimpleNamespace(  # type: ignore[attr-defined]
        path=types.SimpleNamespace(exists=lambda p: os.path.exists(moved(p))),
        environ=os.environ,
    )
    return module


def hub_config(hub: Path, mount: Path, env: dict[str, str], jupyterhub: str) -> Config:
    for key in [k for k in os.environ if k.endswith("_SERVICE_PORT")]:
        del os.environ[key]
    # Of the variables a hub may pass on to user servers (env_keep), a hub pod surely has PATH;
    # the others depend on its image, which no values file shows (nblint assumes them unset).
    for key in ENV_KEEP_4[1:]:
        os.environ.pop(key, None)
    os.environ.update(env)
    sys.modules["z2jh"] = load_z2jh(hub, mount)
    loader = PyFileConfigLoader("jupyterhub_config.py", path=str(hub))
    config = loader.load_config()
    configured = "env_keep" in config.Spawner or "env_keep" in config.KubeSpawner
    if jupyterhub.split(".")[0] == "4" and not configured:
        config.Spawner.env_keep = list(ENV_KEEP_4)
    return config


def spawner_for(config: Config, user: str) -> Any:
    person = types.SimpleNamespace(name=user, id=7, url=f"/user/{user}/")
    spawner = kubespawner_spawner.KubeSpawner(_mock=True, user=person, config=config)
    # A spawning server, as the hub always has one (the mock has none): it sets the user's
    # JUPYTERHUB_SERVICE_PREFIX, which `$(...)` references in the environment may name.
    spawner._server = Server(base_url=person.url)
    return spawner


def profiles(config: Config, user: str) -> list[dict[str, Any]]:
    spawner = spawner_for(config, user)
    raw = spawner.profile_list
    if callable(raw) or not raw:
        return []
    init = getattr(spawner, "_get_initialized_profile_list", None) or spawner._init_profile_list
    out = []
    for profile in init(raw):
        options = {}
        for name, option in (profile.get("profile_options") or {}).items():
            choices = option.get("choices") or {}
            options[name] = {
                "choices": list(choices),
                # KubeSpawner 6.0 marks no default choice in its list (it picks one at spawn).
                "default": next((c for c, v in choices.items() if v.get("default")), None),
            }
        out.append(
            {
                "slug": profile["slug"],
                "display_name": profile.get("display_name"),
                "default": bool(profile.get("default")),
                "options": options,
            }
        )
    return out


def spawn(config: Config, user: str, user_options: dict[str, Any]) -> dict[str, Any]:
    async def build() -> dict[str, Any]:
        spawner = spawner_for(config, user)
        spawner.user_options = user_options
        await spawner.load_user_options()
        pod = await spawner.get_pod_manifest()
        async with k8s_client.ApiClient() as api:
            manifest = api.sanitize_for_serialization(pod)
        environment = spawner.environment
        names = list(environment) if isinstance(environment, dict) else []
        # JupyterHub's deprecated Spawner.env (a profile's override sets it): get_env starts
        # from it, so its variables are the user's too (those the hub's own replace are not).
        env = spawner.env
        names += [name for name in env if name not in names] if isinstance(env, dict) else []
        # extra_container_config's env replaces the list KubeSpawner builds: the user's too.
        extra = spawner.extra_container_config
        written = extra.get("env") if isinstance(extra, dict) else None
        for item in written if isinstance(written, list) else []:
            if isinstance(item, dict) and item.get("name") not in names:
                names.append(item.get("name"))
        # nblint draws the one variable JupyterHub sets from the configuration (not per user).
        names += ["JUPYTERHUB_DEBUG"] if spawner.debug else []
        return {
            "pod": manifest,
            "environment": names,
            "extra_pod_config": [
                _camel(str(k)) for k in (spawner.extra_pod_config or {}) if isinstance(k, str)
            ],
        }

    return asyncio.run(build())


def each_spawn(listed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every profile with its default choices, then each other choice of each option."""
    if not listed:
        return [{}]
    out: list[dict[str, Any]] = []
    for profile in listed:
        out.append({"profile": profile["slug"]})
        for name, option in profile["options"].items():
            choices = option["choices"]
            default = option["default"] or (choices[0] if choices else None)
            for choice in choices:
                if choice != default:
                    out.append({"profile": profile["slug"], name: choice})
    return out


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def expand(config: Config, user: str, texts: list[str]) -> dict[str, str | None]:
    """Each text as KubeSpawner expands a template for this user (None: it cannot)."""
    out: dict[str, str | None] = {}
    try:
        spawner = spawner_for(config, user)
    except Exception:  # KubeSpawner refuses the configuration: nothing is expanded
        return out
    for text in texts:
        try:
            out[text] = spawner._expand_user_properties(text)
        except Exception:
            out[text] = None
    return out


def answer(request: dict[str, Any]) -> dict[str, Any]:
    try:
        config = hub_config(
            Path(request["hub"]), Path(request["mount"]), request["env"], request["jupyterhub"]
        )
    except BaseException as err:  # the hub exits (sys.exit) or raises: it never starts
        return {"hub_error": f"{type(err).__name__}: {err}"}
    user = request["user"]
    reply: dict[str, Any] = {"spawns": []}
    try:
        reply["profiles"] = profiles(config, user)
    except Exception as err:
        reply["profiles_error"] = f"{type(err).__name__}: {err}"
    spawns = request["spawns"]
    if spawns == "each":
        spawns = each_spawn(reply.get("profiles") or [])
    reply["user_options"] = spawns
    for user_options in spawns:
        try:
            reply["spawns"].append(spawn(config, user, user_options))
        except Exception as err:
            reply["spawns"].append({"error": f"{type(err).__name__}: {err}"})
    reply["expanded"] = expand(config, user, request.get("expand") or [])
    return reply


def main() -> None:
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    sys.stdout = sys.stderr  # the hub configuration prints as it loads
    replies.write(json.dumps({"version": kubespawner.__version__}) + "\n")
    replies.flush()
    for line in sys.stdin:
        if line.strip():
            replies.write(json.dumps(answer(json.loads(line)), default=str) + "\n")
            replies.flush()


if __name__ == "__main__":
    main()
