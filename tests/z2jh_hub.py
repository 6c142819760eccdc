"""What Helm hands the z2jh hub pod, reproduced for the end-to-end differential tests.

The hub reads its configuration from files the chart mounts at ``/usr/local/etc/jupyterhub/``:

* ``secret/values.yaml`` (``templates/hub/secret.yaml``): ``merge dict .Values`` — the release's
  values with the top-level nulls dropped (sprig's merge skips a nil source value), plus ``Chart``
  and ``Release`` — written by Helm's ``toYaml``: JSON first (every number a float64; integral
  ones written as integers), then go-yaml v2, which writes every mapping's keys in its own order
  (:func:`go_yaml_less`). ``secret/<key>`` files hold the secrets the configuration reads.
* ``config/<name>`` (``templates/hub/configmap.yaml``): the chart's resource names, from
  ``_helpers-names.tpl`` (:func:`resource_names`).

The release's values are the ``-f`` files merged (Helm's ``mergeMaps``: maps merge, anything else
replaces, nulls are kept) and coalesced over the chart's ``values.yaml`` (a user null deletes a
key the chart has; a null for a key the chart lacks stays). Helm validates them against the
chart's schema before anything is rendered. This module is the test's own reading of Helm and
shares no code with nblint.
"""

from __future__ import annotations

import copy
import functools
import json
import math
from pathlib import Path
from typing import Any

import yaml

#: The Helm release name and namespace the hub runs with (nblint draws the same release).
RELEASE = "<release>"
NAMESPACE = "jupyterhub"
CHART_NAME = "jupyterhub"


def json_keys(value: Any) -> Any:
    """Values as Helm reads a values file (YAML → JSON): every key a string. (Numbers become
    float64 too; :func:`to_yaml` writes them as Go does.)"""
    if isinstance(value, dict):
        return {_json_key(k): json_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_keys(v) for v in value]
    return value


def _json_key(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    return str(key)


def merge_files(layers: list[dict[str, Any]]) -> dict[str, Any]:
    """``helm -f a -f b``: maps merge deeply, anything else replaces; nulls are kept."""
    out: dict[str, Any] = {}
    for layer in layers:
        out = _merge_maps(out, layer)
    return out


def _merge_maps(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for key, value in b.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge_maps(out[key], value)
        else:
            out[key] = value
    return out


def coalesce(user: dict[str, Any], chart: dict[str, Any]) -> dict[str, Any]:
    """Helm's coalescing of the user's values over a copy of the chart's."""
    out = copy.deepcopy(user)
    _coalesce_tables(out, copy.deepcopy(chart))
    return out


def _coalesce_tables(dst: dict[str, Any], src: dict[str, Any]) -> None:
    for key, value in src.items():
        if key in dst and dst[key] is None:
            del dst[key]
        elif key not in dst:
            dst[key] = value
        elif isinstance(value, dict) and isinstance(dst[key], dict):
            _coalesce_tables(dst[key], value)
        # otherwise the user's value stands (Helm warns when a table meets a non-table)


def secret_values(values: dict[str, Any], chart_version: str, app_version: str) -> Any:
    """What ``templates/hub/secret.yaml`` puts in ``values.yaml``, as the hub will read it."""
    merged = {key: value for key, value in values.items() if value is not None}
    merged["Chart"] = {"Name": CHART_NAME, "Version": chart_version, "AppVersion": app_version}
    merged["Release"] = {"Name": RELEASE, "Namespace": NAMESPACE, "Service": "Helm"}
    return to_yaml(merged)


def to_yaml(value: Any) -> str:
    """Helm's ``toYaml``: through JSON, then go-yaml v2's key order."""
    return yaml.safe_dump(_go_yaml(value), sort_keys=False, allow_unicode=True, width=10**9)


def _go_yaml(value: Any) -> Any:
    if isinstance(value, dict):
        keys = sorted(value, key=functools.cmp_to_key(_go_yaml_cmp))
        return {key: _go_yaml(value[key]) for key in keys}
    if isinstance(value, list):
        return [_go_yaml(v) for v in value]
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        # Go's encoding/json writes a float64 below 1e21 without exponent or fraction; go-yaml
        # then reads it back as an integer.
        return int(value) if abs(value) < 1e21 else value
    return value


def _go_yaml_cmp(a: str, b: str) -> int:
    return -1 if go_yaml_less(a, b) else (1 if go_yaml_less(b, a) else 0)


def go_yaml_less(a: str, b: str) -> bool:
    """go-yaml v2's order of two string keys: letters compare as runes and before anything
    else; a run of digits compares as a number."""
    for i in range(min(len(a), len(b))):
        if a[i] == b[i]:
            continue
        a_letter, b_letter = a[i].isalpha(), b[i].isalpha()
        if a_letter and b_letter:
            return a[i] < b[i]
        if a_letter or b_letter:
            return b_letter
        a_num = b_num = 0
        if a[i] == "0" or b[i] == "0":
            j = i - 1
            while j >= 0 and a[j].isdigit():
                if a[j] != "0":
                    a_num = b_num = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and a[ai].isdigit():
            a_num = a_num * 10 + int(a[ai])
            ai += 1
        bi = i
        while bi < len(b) and b[bi].isdigit():
            b_num = b_num * 10 + int(b[bi])
            bi += 1
        if a_num != b_num:
            return a_num < b_num
        if ai != bi:
            return ai < bi
        return a[i] < b[i]
    return len(a) < len(b)


def resource_names(values: dict[str, Any]) -> dict[str, str]:
    """The names ``_helpers-names.tpl`` renders that the hub configuration reads."""
    override = values.get("fullnameOverride")
    if isinstance(override, str):
        fullname = override
    else:
        name = values.get("nameOverride") or CHART_NAME
        fullname = RELEASE if name in RELEASE else f"{RELEASE}-{name}"
    dash = f"{fullname}-" if fullname else ""
    return {
        "fullname": fullname,
        "hub": f"{dash}hub",
        "proxy-api": f"{dash}proxy-api",
        "singleuser": f"{dash}singleuser",
        "image-pull-secret": f"{dash}image-pull-secret",
        "priority": fullname or f"{RELEASE}-default-priority",
        "user-scheduler": f"{dash}user-scheduler" if fullname else f"{RELEASE}-user-scheduler",
    }


def write_mount(
    folder: Path, values: dict[str, Any], chart_version: str, app_version: str
) -> dict[str, str]:
    """The hub pod's ``/usr/local/etc/jupyterhub/`` in ``folder``; returns its environment."""
    (folder / "secret").mkdir(parents=True)
    (folder / "config").mkdir()
    (folder / "secret" / "values.yaml").write_text(
        secret_values(values, chart_version, app_version)
    )
    secrets = {
        "hub.config.ConfigurableHTTPProxy.auth_token": "proxy-token",
        "hub.config.JupyterHub.cookie_secret": "00" * 32,
        "hub.config.CryptKeeper.keys": "11" * 32,
    }
    services = (values.get("hub") or {}).get("services") or {}
    for key in services if isinstance(services, dict) else ():
        secrets[f"hub.services.{key}.apiToken"] = f"token-{key}"
    for key, text in secrets.items():
        (folder / "secret" / key).write_text(text)
    names = resource_names(values)
    for key, name in names.items():
        (folder / "config" / key).write_text(name)
    return {
        "HELM_RELEASE_NAME": RELEASE,
        "POD_NAMESPACE": NAMESPACE,
        f"{names['hub']}_SERVICE_PORT".upper().replace("-", "_"): "8081",
        f"{names['proxy-api']}_SERVICE_PORT".upper().replace("-", "_"): "8001",
    }


def schema_errors(values: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """What Helm's schema validation says of the coalesced values (nothing: it renders)."""
    import jsonschema

    validator = jsonschema.validators.validator_for(schema)(schema)
    return sorted(
        f"{'.'.join(map(str, e.absolute_path))}: {e.message[:200]}"
        for e in validator.iter_errors(values)
    )


def to_plain_json(value: Any) -> Any:
    """A copy that survives JSON (for the worker)."""
    return json.loads(json.dumps(value))
