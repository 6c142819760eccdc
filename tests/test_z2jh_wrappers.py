"""z2jh installed by a chart of its own (binderhub, daskhub): that chart's values.yaml for z2jh lies
between z2jh's defaults and the user's values, as Helm layers a subchart's values
(``schemas/z2jh/wrapper-charts.yaml``, ``nblint/dialects/z2jh/wrappers.py``). The pods against the
hub's own KubeSpawner: ``test_z2jh_end_to_end.py`` (``…_under_a_chart_that_installs_z2jh``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import FIXTURES, SHARED, field, needs_shared, only_pod, run, write

from nblint.cli import main
from nblint.dialects.z2jh.values import chart_versions
from nblint.dialects.z2jh.wrappers import _table, defaults

WRAPPED = FIXTURES / "z2jh" / "wrapped"
COPIES = FIXTURES / "z2jh" / "wrappers"
DASKHUB_COPY = SHARED / "corpus" / "z2jh" / "dask__helm-chart__daskhub.values.yaml"


def notebook(pod: Any) -> dict[str, Any]:
    return pod.pod["spec"]["containers"][0]  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------------------------
# The pod


@pytest.mark.parametrize(
    "name",
    ["binderhub-under-umbrella-no-home-volume.yaml", "binderhub-chart-values-no-home-volume.yaml"],
)
def test_a_binderhub_pod_has_no_home_volume_and_the_binderhub_launcher(name: str) -> None:
    pod = only_pod(run(WRAPPED / name))
    assert field(pod, "spec", "volumes") == []
    container = notebook(pod)
    assert "volumeMounts" not in container or container["volumeMounts"] == []
    assert container["args"][:2] == ["python3", "-c"]
    assert "os.execvp(exe, sys.argv)" in container["args"][2]
    # The binderhub chart's `memory.guarantee: null` deletes z2jh's 1G: the request is the
    # API server's copy of the memory limit where one is set (SetDefaults_Pod), else none.
    resources = container["resources"]
    limit = (resources.get("limits") or {}).get("memory")
    assert (resources.get("requests") or {}).get("memory") == limit
    assert pod.facts["home_pvc"] is None
    assert pod.facts["cull"]["users"] is True
    assert pod.facts["authenticator_class"] == "null"


def test_the_binderhub_chart_s_authenticator_is_the_one_of_its_release() -> None:
    # Its releases on z2jh 3.x named the class; on 4.x, the entry point `null`.
    pod = only_pod(
        run(WRAPPED / "binderhub-under-umbrella-no-home-volume.yaml", chart_version="3.3.8")
    )
    assert pod.facts["authenticator_class"] == "nullauthenticator.NullAuthenticator"
    assert pod.facts["hub_authentication"]["lets_anyone_in"] is None


def test_the_user_s_values_win_over_the_binderhub_chart_s() -> None:
    pod = only_pod(run(WRAPPED / "binderhub-user-storage-wins.yaml"))
    volumes = field(pod, "spec", "volumes")
    assert [v["persistentVolumeClaim"]["claimName"] for v in volumes] == ["claim-{user_server}"]
    assert [m["mountPath"] for m in notebook(pod)["volumeMounts"]] == ["/home/jovyan"]
    assert notebook(pod)["args"] == ["jupyterhub-singleuser"]
    assert pod.facts["home_pvc"]["capacity"] == "5Gi"


def test_plain_z2jh_values_get_z2jh_s_defaults_only(tmp_path: Path) -> None:
    # A `jupyterhub` key beside keys of no wrapper chart (an umbrella of one's own).
    path = write(tmp_path, "v.yaml", "jupyterhub:\n  singleuser:\n    memory: {limit: 2G}\n")
    pod = only_pod(run(path))
    assert [v["name"] for v in field(pod, "spec", "volumes")] == ["volume-{user_server}"]
    assert notebook(pod)["args"] == ["jupyterhub-singleuser"]


@pytest.mark.parametrize(
    "name", ["binderhub-values-ingress-only.yaml", "binderhub-section-without-jupyterhub.yaml"]
)
def test_binderhub_values_that_set_no_pod_key_of_z2jh_are_its_release(name: str) -> None:
    """Known by binderhub's own keys (`binderhub.config.BinderHub`), never skipped as "(no
    kind)": the user pods are the binderhub chart's (field test round 7, D6)."""
    result = run(WRAPPED / name)
    pod = only_pod(result)
    assert pod.configuration.root == ("binderhub", "jupyterhub")
    assert pod.configuration.wrapper.chart == "binderhub"
    assert field(pod, "spec", "volumes") == []
    assert notebook(pod)["args"][:2] == ["python3", "-c"]
    assert not result.skipped
    rules = {f.rule for f in result.findings}
    assert {"privileged", "seccomp-profile-restricted", "notebook-resources"} <= rules
    assert "z2jh-values-root" not in rules  # (a binderhub section that sets nothing for z2jh)


def test_the_ingress_only_binderhub_values_are_linted_at_their_jupyterhub_key() -> None:
    result = run(WRAPPED / "binderhub-values-ingress-only.yaml")
    [privileged] = [f for f in result.findings if f.rule == "privileged"]
    assert (privileged.line, privileged.column) == (9, 3)


def test_a_binderhub_key_with_no_jupyterhub_beside_it_is_no_binderhub_release() -> None:
    result = run(FIXTURES / "z2jh" / "values-root" / "not-binderhub-dind-key.yaml")
    assert result.pod_count == 0 and result.findings == []
    assert sum(result.skipped.values()) == 1


# The binderhub chart's own values (its root is that chart, z2jh under `jupyterhub`), as the
# BinderHub docs write them: by the chart's own keys, with a `jupyterhub` section or none.
BINDERHUB_OWN = {
    # name: the line every finding is at (`jupyterhub:`, else the first key of the file)
    "binderhub-chart-values-without-jupyterhub.yaml": 4,
    "binderhub-chart-values-builder-type-only.yaml": 3,
    "binderhub-chart-values-hub-ingress-only.yaml": 7,
}
#: What the binderhub chart's defaults for z2jh 4.4.0 give, whatever the file's keys: (rule,
#: container) of each finding, the chart's root init container and the notebook.
BINDERHUB_DEFAULT_FINDINGS = [
    ("allow-privilege-escalation", "block-cloud-metadata"),
    ("capabilities-restricted", "block-cloud-metadata"),  # drops no capability
    ("capabilities-restricted", "notebook"),
    ("capabilities-restricted", "block-cloud-metadata"),  # adds NET_ADMIN
    ("notebook-home-persistent", "notebook"),
    ("notebook-read-only-root-filesystem", "notebook"),
    ("notebook-resources", "notebook"),
    ("privileged", "block-cloud-metadata"),
    ("run-as-non-root", "block-cloud-metadata"),
    ("run-as-non-root", "notebook"),
    ("run-as-user", "block-cloud-metadata"),
    ("seccomp-profile-restricted", "block-cloud-metadata"),
    ("seccomp-profile-restricted", "notebook"),
]


@pytest.mark.parametrize("name", sorted(BINDERHUB_OWN))
def test_the_binderhub_chart_s_own_values_are_its_release_with_or_without_jupyterhub(
    name: str,
) -> None:
    """Field test 12a D3: `config.BinderHub` at the root with no `jupyterhub` section passed
    as "0 pods"; the same keys under `binderhub:` were linted."""
    result = run(WRAPPED / name)
    pod = only_pod(result)
    assert pod.configuration.root == ("jupyterhub",)
    assert pod.configuration.wrapper.chart == "binderhub"
    assert field(pod, "spec", "volumes") == []
    assert notebook(pod)["args"][:2] == ["python3", "-c"]
    assert pod.facts["authenticator_class"] == "null"
    assert not result.skipped
    line = BINDERHUB_OWN[name]
    assert [(f.rule, f.line, f.column, f.container) for f in result.findings] == [
        (rule, line, 1, container) for rule, container in BINDERHUB_DEFAULT_FINDINGS
    ]
    assert {f.profile for f in result.findings} == {None}


@pytest.mark.parametrize("name", sorted(BINDERHUB_OWN))
def test_the_binderhub_chart_s_own_values_say_what_the_same_keys_under_binderhub_say(
    name: str, tmp_path: Path
) -> None:
    text = (WRAPPED / name).read_text()
    wrapped = write(
        tmp_path,
        "wrapped.yaml",
        "binderhub:\n" + "".join(f"  {line}" for line in text.splitlines(keepends=True)),
    )

    def said(path: Path) -> list[tuple[str, str, str, str]]:
        return [(f.rule, f.severity, f.message, f.applicability) for f in run(path).findings]

    assert said(WRAPPED / name) == said(wrapped)


def test_a_fix_of_the_binderhub_chart_s_own_values_writes_their_jupyterhub_section(
    tmp_path: Path,
) -> None:
    source = WRAPPED / "binderhub-chart-values-without-jupyterhub.yaml"
    path = write(tmp_path, "config.yaml", source.read_text())
    result = CliRunner().invoke(main, ["fix", "--unsafe-fixes", str(path)])
    assert result.exit_code in (0, 1), result.output
    text = path.read_text()
    assert text.startswith(source.read_text())  # nothing of the file's own changed
    values = yaml.safe_load(text)
    assert sorted(values) == ["config", "jupyterhub"]
    assert values["jupyterhub"]["singleuser"]["cloudMetadata"] == {"blockWithIptables": False}
    assert "readOnlyRootFilesystem" not in text
    assert "storage" not in values["jupyterhub"]["singleuser"]
    # What is left is advice only (HOME is the image's, by the chart's design).
    assert [f.rule for f in run(path).findings] == [
        "notebook-home-persistent",
        "notebook-read-only-root-filesystem",
    ]


@pytest.mark.parametrize(
    "name",
    [
        # 2i2c-org/binderhub-service's values: `config.BinderHub` beside keys of its own.
        "not-binderhub-service-values.yaml",
        # `config.BinderHub` beside keys the binderhub chart refuses.
        "not-binderhub-config-beside-other-keys.yaml",
        # BinderHub's and repo2docker's traitlets classes at the root: no Helm values.
        "not-binderhub-traitlets-config.yaml",
    ],
)
def test_binderhub_s_keys_in_values_that_are_not_the_binderhub_chart_s_are_no_release(
    name: str,
) -> None:
    result = run(FIXTURES / "z2jh" / "values-root" / name)
    assert result.pod_count == 0 and result.findings == []
    assert sum(result.skipped.values()) == 1


@pytest.mark.parametrize(
    ("chart_version", "tag"),
    [("4.4.0", "2025.11.13"), ("3.3.8", "2024.07.30"), ("4.0.0", "2025.01.24")],
)
def test_a_daskhub_pod_has_the_pangeo_image_of_the_daskhub_release(
    chart_version: str, tag: str
) -> None:
    pod = only_pod(
        run(WRAPPED / "daskhub-under-umbrella-pangeo-image.yaml", chart_version=chart_version)
    )
    assert notebook(pod)["image"] == f"pangeo/base-notebook:{tag}"
    assert pod.configuration.values["singleuser"]["defaultUrl"] == "/lab"


def test_the_daskhub_chart_beside_the_values_says_whose_subchart_they_are(tmp_path: Path) -> None:
    # The umbrella chart installs daskhub under an alias of its own.
    write(
        tmp_path,
        "Chart.yaml",
        "apiVersion: v2\nname: hub\nversion: 1.0.0\n"
        "dependencies:\n  - {name: daskhub, version: 2024.1.1, alias: dask, "
        "repository: https://helm.dask.org}\n",
    )
    path = write(
        tmp_path, "values.yaml", "dask:\n  jupyterhub:\n    singleuser:\n      cpu: {limit: 2}\n"
    )
    pod = only_pod(run(path))
    assert notebook(pod)["image"].startswith("pangeo/base-notebook:")


# ---------------------------------------------------------------------------------------------
# Findings and fixes


def test_binderhub_findings_give_no_fix_that_hides_or_freezes_home() -> None:
    result = run(
        WRAPPED / "binderhub-under-umbrella-no-home-volume.yaml",
        select={"notebook-home-persistent", "notebook-read-only-root-filesystem"},
    )
    assert [(f.rule, f.line, f.column, f.severity, f.applicability) for f in result.findings] == [
        ("notebook-read-only-root-filesystem", 9, 3, "warning", "display-only"),
        # BinderHub's servers are ephemeral by the chart's design: said, as a note.
        ("notebook-home-persistent", 10, 5, "info", "display-only"),
    ]
    read_only, home = result.findings
    # Neither a read-only root (HOME, on it, would be read-only) nor a volume at HOME (it would
    # hide the repository): advice only.
    assert "readOnlyRootFilesystem: true" not in read_only.fix
    assert "Keep the root filesystem of these pods writable" in read_only.fix
    assert "type: dynamic" not in home.fix
    assert "below /home/jovyan" in home.fix
    assert all(line.startswith("#") for line in read_only.fix.splitlines())


def test_a_finding_on_a_binderhub_default_names_the_binderhub_chart() -> None:
    result = run(
        WRAPPED / "binderhub-under-umbrella-no-home-volume.yaml", select={"notebook-idle-culling"}
    )
    assert result.findings == []
    release = only_pod(run(WRAPPED / "binderhub-under-umbrella-no-home-volume.yaml")).configuration
    origin = release.locate(("singleuser", "storage", "type"))
    assert origin.note.startswith('binderhub chart default `singleuser.storage.type: "none"`, from')
    assert "jupyterhub/binderhub helm-chart/binderhub/values.yaml at b9fad995" in origin.note


def test_the_fix_of_a_binderhub_release_leaves_home_writable(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "values.yaml",
        (WRAPPED / "binderhub-under-umbrella-no-home-volume.yaml").read_text(),
    )
    result = CliRunner().invoke(main, ["fix", "--unsafe-fixes", str(path)])
    assert result.exit_code in (0, 1), result.output
    text = path.read_text()
    fixed = yaml.safe_load(text)["binderhub"]["jupyterhub"]
    assert "readOnlyRootFilesystem" not in text
    assert "storage" not in fixed["singleuser"]
    # Other fixes went in (the PSA ones).
    assert "seccompProfile" in text


# ---------------------------------------------------------------------------------------------
# The table, held to the charts' own values


def leaves(node: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    """Every leaf of ``node`` by its path (an empty mapping or a list is a leaf)."""
    if isinstance(node, dict) and node:
        found: dict[tuple[str, ...], Any] = {}
        for key, value in node.items():
            found.update(leaves(value, (*path, str(key))))
        return found
    return {path: node}


def covered(path: tuple[str, ...], prefixes: list[tuple[str, ...]]) -> bool:
    return any(path[: len(prefix)] == prefix for prefix in prefixes)


def held_to(chart: str, commit: str, upstream: dict[str, Any]) -> None:
    """The table's entry for ``commit`` of ``chart`` is what ``upstream`` (that commit's
    values.yaml) sets under ``jupyterhub``, and the table says why the rest is not layered."""
    entry = _table()[chart]
    release = next(r for r in entry["releases"] if r["commit"] == commit)
    wrapper = defaults(chart, str(release["since"]))
    assert wrapper.commit == commit
    theirs = leaves(upstream["jupyterhub"])
    ours = leaves(wrapper.values)
    for path, value in ours.items():
        assert theirs.get(path, "absent") == value, path
    left_out = [tuple(key.split(".")) for key in entry["not-layered"]]
    rest = [path for path in theirs if path not in ours and not covered(path, left_out)]
    assert rest == []


@pytest.mark.parametrize(
    ("commit", "copy"),
    [
        ("58bb7dba89baf739c4015a6afc59d6ec3c8d59d7", "binderhub-values-58bb7dba.yaml"),
        ("b9fad995d5529e487c25a9f0795f4fe150a96f25", "binderhub-values-b9fad995.yaml"),
    ],
)
def test_the_binderhub_table_is_the_binderhub_chart_s_own_values(commit: str, copy: str) -> None:
    held_to("binderhub", commit, yaml.safe_load((COPIES / copy).read_text()))


@needs_shared
def test_the_daskhub_table_is_the_daskhub_chart_s_own_values() -> None:
    held_to(
        "daskhub",
        "e25bf5116067684b0ca2f99924b3f0b183c2dcfd",
        yaml.safe_load(DASKHUB_COPY.read_text()),
    )


@pytest.mark.parametrize(
    "copy", ["binderhub-values-58bb7dba.yaml", "binderhub-values-b9fad995.yaml"]
)
def test_every_key_of_the_binderhub_chart_s_values_is_one_the_table_allows(copy: str) -> None:
    # What tells the chart's own values with no `jupyterhub` section from other charts' values.
    entry = _table()["binderhub"]
    upstream = yaml.safe_load((COPIES / copy).read_text())
    assert set(upstream) <= set(entry["keys"])
    assert all(key.split(".")[0] in entry["keys"] for key in entry["alone"])
    assert upstream["imageBuilderType"] in entry["alone"]["imageBuilderType"]
    assert isinstance(upstream["config"]["BinderHub"], dict)


def test_every_daskhub_release_differs_only_in_its_image_tag() -> None:
    # What the end-to-end test relies on when it compares with the one daskhub copy at hand.
    for release in _table()["daskhub"]["releases"]:
        assert leaves(release["values"]).keys() == {("singleuser", "image", "tag")}


def test_every_z2jh_release_nblint_knows_has_an_entry_of_each_wrapper_chart() -> None:
    for chart in _table():
        for version in chart_versions():
            assert defaults(chart, version).commit
