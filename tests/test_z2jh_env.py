"""The notebook's environment as KubeSpawner and JupyterHub write it (issue 16).

KubeSpawner orders env variables with a regular expression over their values, which takes only
text: a number or a boolean in ``singleuser.extraEnv`` (or a profile's ``environment``) fails
every spawn (checked against the real KubeSpawner 6.x and 7.x by
``tests/fixtures/z2jh/end-to-end/extra-env-not-text.yaml``). ``debug.enabled`` reaches the server
as ``JUPYTERHUB_DEBUG=1`` (JupyterHub 2.0 and later build no ``--debug`` argument).
"""

from __future__ import annotations

from conftest import FIXTURES, only_pod, run

ENV = FIXTURES / "z2jh" / "env"


def test_an_integer_in_extra_env_fails_every_spawn() -> None:
    result = run(ENV / "extra-env-integer.yaml", select={"z2jh-spawn-failure"})
    assert [(f.rule, f.line, f.profile) for f in result.findings] == [
        ("z2jh-spawn-failure", 5, None)
    ]
    (finding,) = result.findings
    assert finding.message.startswith("environment variable DB_PORT is an integer (5432), not text")
    assert finding.fix == "# quoted, as text\nDB_PORT: '5432'"


def test_a_number_in_a_profile_environment_is_reported_at_its_value() -> None:
    result = run(ENV / "override-env-number.yaml", select={"z2jh-spawn-failure"})
    # Only that profile's spawns fail, so the finding names it.
    assert [(f.rule, f.line, f.profile) for f in result.findings] == [
        ("z2jh-spawn-failure", 9, "Tuned")
    ]


def test_debug_is_an_env_variable_not_an_argument() -> None:
    pod = only_pod(run(ENV / "debug-enabled.yaml", select={"z2jh-spawn-failure"}))
    notebook = pod.pod["spec"]["containers"][0]
    assert {"name": "JUPYTERHUB_DEBUG", "value": "1"} in notebook["env"]
    assert notebook["args"] == ["jupyterhub-singleuser"]
    assert pod.provenance.locate(("spec", "containers", 0, "env", 0)).line == 3


def test_deprecated_env_in_an_override_is_a_warning_and_reaches_the_pod() -> None:
    """JupyterHub's ``Spawner.env`` is a trait (not configurable, deprecated): KubeSpawner's
    ``_apply_overrides`` merges the override into it and ``get_env`` still reads it, so the spawn
    works and the variables are the server's; JupyterHub's own and ``environment`` win."""
    result = run(
        ENV / "override-deprecated-env.yaml",
        select={"z2jh-unknown-trait", "z2jh-deprecated-trait", "z2jh-spawn-failure"},
    )
    assert [(f.rule, f.line, f.column, f.severity) for f in result.findings] == [
        ("z2jh-deprecated-trait", 9, 9, "warning")
    ]
    assert result.findings[0].message == (
        "`env` in the `kubespawner_override` of profile 'Generic HEP' is a deprecated trait of "
        "JupyterHub 5.5.0 and KubeSpawner 7.0.0 (the hub of z2jh 4.4.0): it still applies, but "
        "the hub warns at every spawn and a later release may drop it; use `environment`"
    )
    notebook = only_pod(result).pod["spec"]["containers"][0]
    env = {item["name"]: item.get("value") for item in notebook["env"]}
    assert env["LCG_VERSION"] == "105"
    assert env["SHARED"] == "from-environment"
    assert "JUPYTERHUB_USER" not in env  # the hub's own value replaces it (not drawn)
    index = [item["name"] for item in notebook["env"]].index("LCG_VERSION")
    assert only_pod(result).provenance.locate(("spec", "containers", 0, "env", index)).line == 10


def test_env_in_the_hub_config_is_ignored_and_never_drawn() -> None:
    result = run(ENV / "hub-config-env.yaml", select={"z2jh-unknown-trait"})
    assert [(f.rule, f.line) for f in result.findings] == [("z2jh-unknown-trait", 5)]
    assert result.findings[0].message.startswith(
        "`env` in `hub.config.KubeSpawner` is not a configurable trait of JupyterHub 5.5.0 and "
        "KubeSpawner 7.0.0 (the hub of z2jh 4.4.0): it is silently ignored by the hub; `env` is "
        "deprecated, use `environment`"
    )
    notebook = only_pod(result).pod["spec"]["containers"][0]
    assert "LCG_VERSION" not in {item["name"] for item in notebook.get("env", [])}


def test_zero_and_false_in_extra_env_are_refused_by_the_api_server() -> None:
    result = run(ENV / "extra-env-zero-and-false.yaml", select={"z2jh-spawn-failure"})
    assert [(f.line, f.message) for f in result.findings] == [
        (
            5,
            "environment variable ZERO is an integer (0), not text: the API server refuses the "
            "pod (an env value is text) and every spawn with it fails; quote it",
        ),
        (
            6,
            "environment variable ENABLED is a boolean (false), not text: the API server refuses "
            "the pod (an env value is text) and every spawn with it fails; quote it",
        ),
    ]
