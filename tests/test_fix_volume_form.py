"""Fixes that add volumes write ``singleuser.storage.extraVolumes``/``extraVolumeMounts`` as maps
only where the release is known to take them (field test 7a, D4).

z2jh takes those keys as maps of named entries from 4.3; 3.x up to 4.2 say ``type: array`` in
their values schema, and ``helm upgrade`` refuses a map. A release nblint lints as the newest
only because nothing says which it is (plain values, a daskhub dependency that brings z2jh
3.2.1, a HelmRelease pinned at a release nblint does not know) gets the list form, which every
release takes; one pinned at 4.3+, or values that already write maps, keep the map form.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from conftest import FIXTURES, run
from test_fix import fixed_text, fixed_texts

FORMS = FIXTURES / "fix" / "volume-form"


def _storage(text: str, *root: str) -> dict:
    values = yaml.safe_load(text)
    for key in root:
        values = values[key]
    return values["singleuser"]["storage"]


def _copy(name: str, tmp_path: Path) -> Path:
    source = FORMS / name
    if source.is_dir():
        shutil.copytree(source, tmp_path / name)
        return tmp_path / name / "values.yaml"
    shutil.copy(source, tmp_path / name)
    return tmp_path / name


def test_values_under_a_daskhub_dependency_get_lists(tmp_path: Path) -> None:
    # daskhub 2024.1.1 installs z2jh 3.2.1, whose schema refuses maps.
    path = _copy("daskhub-umbrella", tmp_path)
    storage = _storage(fixed_text(path), "daskhub", "jupyterhub")
    assert storage["extraVolumes"] == [
        {"name": "tmp", "emptyDir": {"sizeLimit": "1Gi"}},
        {"name": "cache", "emptyDir": {"sizeLimit": "2Gi"}},
    ]
    assert storage["extraVolumeMounts"] == [
        {"name": "tmp", "mountPath": "/tmp"},
        {"name": "cache", "mountPath": "/home/jovyan/.cache"},
    ]


def test_values_that_name_no_release_get_lists(tmp_path: Path) -> None:
    storage = _storage(fixed_text(_copy("no-version.yaml", tmp_path)))
    assert isinstance(storage["extraVolumes"], list)
    assert isinstance(storage["extraVolumeMounts"], list)


def test_a_helm_release_pinned_at_a_release_nblint_does_not_know_gets_lists() -> None:
    # Pinned older than any release nblint knows, its hints are advice (written in the keys of
    # the release linted): shown, never applied, and in the list form every release takes.
    result = run(FORMS / "helmrelease-pinned-2.0.0.yaml")
    [hint] = {f.fix for f in result.findings if f.fix and "extraVolumes" in f.fix}
    assert {f.applicability for f in result.findings if f.fix == hint} == {"display-only"}
    storage = _storage(hint, "spec", "values")
    assert isinstance(storage["extraVolumes"], list)
    assert isinstance(storage["extraVolumeMounts"], list)


def test_a_release_pinned_at_4_4_gets_maps(tmp_path: Path) -> None:
    path = _copy("jupyterhub-umbrella-4.4.0", tmp_path)
    storage = _storage(fixed_text(path), "jupyterhub")
    assert storage["extraVolumes"]["tmp"] == {"name": "tmp", "emptyDir": {"sizeLimit": "1Gi"}}
    assert storage["extraVolumeMounts"]["tmp"] == {"name": "tmp", "mountPath": "/tmp"}


def test_the_chart_version_given_says_4_4_and_gets_maps(tmp_path: Path) -> None:
    path = _copy("no-version.yaml", tmp_path)
    [text] = fixed_texts(path, chart_version="4.4.0").values()
    assert isinstance(_storage(text)["extraVolumes"], dict)


def test_values_that_already_write_maps_keep_maps(tmp_path: Path) -> None:
    storage = _storage(fixed_text(_copy("maps-already.yaml", tmp_path)))
    assert set(storage["extraVolumes"]) == {"data", "tmp", "cache"}
    assert set(storage["extraVolumeMounts"]) == {"data", "tmp", "cache"}
