"""Regenerate the compact z2jh facts in this folder (run by hand; not used at runtime).

    python schemas/z2jh/derive.py ../shared/upstream/z2jh          # values + schema per version
    python schemas/z2jh/derive.py --traits 7 PYTHON7 --traits 6 PYTHON6

* ``<version>/values.json``: the chart's ``values.yaml`` as JSON, with the ``set-by-chartpress``
  image tags replaced by the chart version (what a published chart carries);
* ``<version>/values.schema.json``: the chart's ``values.schema.yaml`` as JSON, without its prose
  (``description``, ``$schema``);
* ``kubespawner-traits.json``: ``KubeSpawner.class_trait_names(config=True)`` per KubeSpawner
  major version, read from an installed ``jupyterhub-kubespawner`` by each given interpreter.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
PROSE = {"description", "$schema", "title", "examples"}


def strip(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {
            key: (
                {name: strip(sub) for name, sub in value.items()}
                if key in ("properties", "patternProperties")
                else strip(value)
            )
            for key, value in schema.items()
            if key not in PROSE
        }
    if isinstance(schema, list):
        return [strip(item) for item in schema]
    return schema


def published(values: Any, version: str) -> Any:
    if isinstance(values, dict):
        return {key: published(value, version) for key, value in values.items()}
    if isinstance(values, list):
        return [published(item, version) for item in values]
    return version if values == "set-by-chartpress" else values


def dump(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n")


def derive_chart(upstream: Path) -> None:
    for folder in sorted(p for p in upstream.iterdir() if p.is_dir()):
        version = folder.name
        values = yaml.safe_load((folder / "values.yaml").read_text())
        schema = yaml.safe_load((folder / "values.schema.yaml").read_text())
        dump(HERE / version / "values.json", published(values, version))
        dump(HERE / version / "values.schema.json", strip(schema))


def derive_traits(pythons: dict[str, str]) -> None:
    code = (
        "import json; from kubespawner import KubeSpawner; "
        "print(json.dumps(sorted(KubeSpawner.class_trait_names(config=True))))"
    )
    traits = {
        major: json.loads(subprocess.check_output([python, "-c", code], text=True))
        for major, python in sorted(pythons.items())
    }
    dump(HERE / "kubespawner-traits.json", traits)


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--traits"]:
        derive_traits(dict(zip(args[1::3], args[2::3], strict=True)))
    else:
        derive_chart(Path(args[0]))
