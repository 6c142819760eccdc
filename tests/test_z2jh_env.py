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
