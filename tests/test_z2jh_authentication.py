"""Who can log in to a z2jh hub (issue 16): the authenticator from ``hub.config`` and the plain
settings of ``hub.extraConfig``; JupyterHub's own default (PAM: nobody) where nothing sets it."""

from __future__ import annotations

import asyncio

import pytest
import yaml
from conftest import FIXTURES, run

AUTH = FIXTURES / "z2jh" / "auth"
RULES = {"notebook-authentication", "z2jh-extra-config"}


def found(name: str) -> list[tuple[str, int, str | None]]:
    return [(f.rule, f.line, f.profile) for f in run(AUTH / name, select=RULES).findings]


def test_hub_config_null_is_pam_nobody_can_log_in() -> None:
    result = run(AUTH / "hub-config-null.yaml", select=RULES)
    assert [(f.rule, f.line, f.profile) for f in result.findings] == [
        ("notebook-authentication", 4, None)
    ]
    message = result.findings[0].message
    assert "falls back to its default, PAM" in message
    assert "nobody can log in" in message
    assert "anyone" not in message


def test_an_authenticator_set_as_a_plain_setting_in_extra_config_is_not_dummy() -> None:
    assert found("extra-config-literal-github.yaml") == []


def test_dummy_set_in_extra_config_is_reported_at_its_statement() -> None:
    assert found("extra-config-literal-dummy.yaml") == [("notebook-authentication", 6, None)]


def test_an_authenticator_set_by_code_is_not_called_dummy() -> None:
    result = run(AUTH / "extra-config-class-object.yaml", select=RULES)
    assert [(f.rule, f.line, f.profile) for f in result.findings] == [
        ("z2jh-extra-config", 7, None)
    ]
    assert "1 other statement(s), the first here, it did not read" in result.findings[0].message


def test_allow_all_in_extra_config_is_reported_at_its_statement() -> None:
    result = run(AUTH / "allow-all-in-extra-config.yaml", select=RULES)
    assert [(f.rule, f.line, f.profile) for f in result.findings] == [
        ("notebook-authentication", 8, None)
    ]


def test_allow_all_counts_only_in_the_sections_the_authenticator_reads() -> None:
    # google reads GoogleOAuthenticator, OAuthenticator and Authenticator, not GitHub's section.
    assert found("allow-all-in-a-section-the-authenticator-does-not-read.yaml") == [
        ("notebook-authentication", 11, None)
    ]


def test_an_oauth_allow_all_beside_pam_is_not_said_to_let_anyone_in() -> None:
    result = run(AUTH / "allow-all-beside-pam.yaml", select=RULES)
    assert [(f.rule, f.line, f.profile) for f in result.findings] == [
        ("notebook-authentication", 7, None)
    ]
    assert "nobody can log in" in result.findings[0].message


def test_a_custom_authenticator_is_tied_only_to_its_own_section() -> None:
    # Whether campusauth.CampusOIDCAuthenticator is an OAuthenticator nblint cannot know.
    assert found("allow-all-custom-authenticator.yaml") == [("notebook-authentication", 8, None)]


def test_a_custom_class_named_as_an_oauthenticator_reads_the_oauthenticator_section() -> None:
    assert found("allow-all-custom-oauthenticator.yaml") == [("notebook-authentication", 8, None)]


def test_tmp_lets_anyone_in_without_credentials() -> None:
    result = run(AUTH / "tmp-authenticator.yaml", select=RULES)
    assert [(f.rule, f.line, f.profile) for f in result.findings] == [
        ("notebook-authentication", 5, None)
    ]
    assert "whoever opens the hub is logged in" in result.findings[0].message


def test_dummy_named_by_its_import_path_is_dummy() -> None:
    result = run(AUTH / "dummy-as-entry-point-path.yaml", select=RULES)
    assert [(f.rule, f.line, f.profile) for f in result.findings] == [
        ("notebook-authentication", 5, None)
    ]
    assert "anyone can log in, as any username, with any password" in result.findings[0].message


def test_the_fix_for_allow_all_keeps_the_authenticator_and_lists_who_may_log_in() -> None:
    (finding,) = run(AUTH / "allow-all-in-hub-config.yaml", select=RULES).findings
    assert (finding.rule, finding.line) == ("notebook-authentication", 7)
    assert finding.fix is not None
    assert "GitHubOAuthenticator:\n      allow_all: false" in finding.fix
    assert "authenticator_class" not in finding.fix


def test_the_fix_for_allow_all_in_extra_config_changes_its_statement() -> None:
    (finding,) = run(AUTH / "allow-all-in-extra-config.yaml", select=RULES).findings
    assert finding.fix is not None
    assert finding.fix.startswith("In hub.extraConfig: c.GitHubOAuthenticator.allow_all = False")


def test_allow_all_beside_an_authenticator_that_lets_anyone_in_is_one_problem() -> None:
    result = run(AUTH / "tmp-with-allow-all.yaml", select=RULES)
    assert [(f.rule, f.line, f.profile) for f in result.findings] == [
        ("notebook-authentication", 5, None)
    ]


def test_the_names_that_let_anyone_in_are_the_hub_images_own_in_every_release() -> None:
    from nblint.dialects.z2jh.pods import LETS_ANYONE_IN
    from nblint.dialects.z2jh.values import chart_versions, hub_authenticator_names

    for version in chart_versions():
        names = hub_authenticator_names(version)
        for name, cls in LETS_ANYONE_IN.items():
            assert names[name].endswith(f":{cls}"), (version, name)


def test_a_statement_in_an_extra_config_block_indented_deeper_is_at_its_own_column() -> None:
    result = run(AUTH / "allow-all-in-extra-config-indented-four.yaml", select=RULES)
    assert [(f.rule, f.line, f.column) for f in result.findings] == [
        ("notebook-authentication", 9, 9)
    ]


def test_a_binderhub_release_has_the_binderhub_charts_authenticator_not_dummy() -> None:
    # The binderhub chart's values set hub.config.JupyterHub.authenticator_class: "null" over
    # z2jh's `dummy`: nobody logs in to its hub (BinderHub creates the users).
    assert found("binderhub-chart-default.yaml") == []


def test_a_binderhub_release_that_sets_dummy_itself_is_reported() -> None:
    assert found("binderhub-sets-dummy.yaml") == [("notebook-authentication", 9, None)]


def test_another_umbrella_keeps_z2jhs_dummy_default() -> None:
    assert found("umbrella-not-binderhub.yaml") == [("notebook-authentication", 7, None)]


#: fixture → chart version → who may log in, as the message says it.
DUMMY_ALLOWS = {
    "dummy-allowed-users.yaml": {
        "4.4.0": "anyone who knows its one shared password logs in as any of the users it allows "
        "(`allowed_users` user3, user4; the admins adminuser1; the users already in the hub's "
        "database)",
        "3.3.8": "anyone who knows its one shared password logs in as any of the users it allows "
        "(`allowed_users` user3, user4; the admins adminuser1; the users already in the hub's "
        "database)",
    },
    "dummy-allow-all-false.yaml": {
        "4.4.0": "`allow_all` is false and `allowed_users` lists nobody, so nobody can log in",
        "3.3.8": "anyone can log in, as any username, with any password",
    },
    "dummy-allowed-users-and-allow-all.yaml": {
        "4.4.0": "anyone can log in, as any username, with any password",
        "3.3.8": "anyone can log in, with any password, as any of the users it allows "
        "(`allowed_users` user3; the users already in the hub's database)",
    },
    "dummy-own-section-empties-the-allow-list.yaml": {
        "4.4.0": "anyone can log in, as any username, with any password",
        "3.3.8": "anyone can log in, as any username, with any password",
    },
}


@pytest.mark.parametrize("chart_version", ["4.4.0", "3.3.8"])
@pytest.mark.parametrize("fixture", sorted(DUMMY_ALLOWS))
def test_dummy_says_who_it_lets_in_by_the_allow_settings(fixture: str, chart_version: str) -> None:
    result = run(AUTH / fixture, select={"notebook-authentication"}, chart_version=chart_version)
    assert [f.message for f in result.findings] == [
        "the hub's authenticator is dummy: " + DUMMY_ALLOWS[fixture][chart_version]
    ]


@pytest.mark.filterwarnings("ignore:DummyAuthenticator.password is deprecated")
@pytest.mark.parametrize("fixture", sorted(DUMMY_ALLOWS))
def test_who_dummy_lets_in_is_what_jupyterhub_s_dummy_authenticator_lets_in(fixture: str) -> None:
    """The installed JupyterHub (5 and later: `allow_all`) logs in a name nobody listed exactly
    when the 4.x message says "as any username", and nobody when it says "nobody"."""
    auth = pytest.importorskip("jupyterhub.auth")
    from traitlets.config import Config

    sections = yaml.safe_load((AUTH / fixture).read_text())["hub"]["config"]
    config = Config({k: v for k, v in sections.items() if k.endswith("Authenticator")})
    password = sections.get("DummyAuthenticator", {}).get("password", "any")

    def logs_in(name: str) -> bool:
        authenticator = auth.DummyAuthenticator(config=config)
        login = {"username": name, "password": password}
        return asyncio.run(authenticator.get_authenticated_user(None, login)) is not None

    said = DUMMY_ALLOWS[fixture]["4.4.0"]
    assert logs_in("someone-unlisted") == ("as any username" in said)
    assert logs_in("user3") == ("nobody can log in" not in said)


# -- An authenticator name the hub image does not have: the hub refuses it at start -----------

NAMES = {"z2jh-wrong-type", "z2jh-hub-code", "notebook-authentication"}


def names_found(name: str, **dialect: str) -> list[tuple[str, int, str]]:
    result = run(AUTH / name, select=NAMES, **dialect)
    return [(f.rule, f.line, f.message) for f in result.findings]


def test_a_plain_name_no_authenticator_of_the_image_has_stops_the_hub() -> None:
    [(rule, line, message)] = names_found("authenticator-name-unknown.yaml")
    assert (rule, line) == ("z2jh-wrong-type", 5)
    assert "`hub.config.JupyterHub.authenticator_class` is `simple`" in message
    assert "so the hub does not start" in message
    assert "Did you mean" not in message
    assert "dummy, firstuse" in message and "github" in message


def test_a_misspelt_authenticator_name_says_the_close_ones() -> None:
    [(rule, line, message)] = names_found("authenticator-name-misspelt.yaml")
    assert (rule, line) == ("z2jh-wrong-type", 4)
    assert "Did you mean `github` or `gitlab`?" in message


def test_an_entry_point_name_in_any_case_and_an_import_path_are_not_judged() -> None:
    assert names_found("authenticator-name-known-any-case.yaml") == []


def test_the_name_the_hub_ends_with_is_judged_at_its_extra_config_statement() -> None:
    [(rule, line, message)] = names_found("authenticator-name-unknown-in-extra-config.yaml")
    assert (rule, line) == ("z2jh-wrong-type", 7)
    assert "`c.JupyterHub.authenticator_class` of `hub.extraConfig` is `azure`" in message
    assert "Did you mean `azuread`" in message


def test_the_names_are_the_release_s_own_hub_image_s() -> None:
    fixture = "authenticator-name-shared-password-on-3.yaml"
    [(rule, line, _)] = names_found(fixture, chart_version="3.3.8")
    assert (rule, line) == ("z2jh-wrong-type", 5)
    assert names_found(fixture, chart_version="4.2.0") == []


def test_a_hub_image_of_its_own_may_register_the_name_an_info() -> None:
    [(rule, line, message)] = names_found("authenticator-name-unknown-custom-hub-image.yaml")
    assert (rule, line) == ("z2jh-hub-code", 8)
    assert "`registry.example.org/my-hub`" in message


def test_a_dummy_password_set_by_extra_config_code_is_the_shared_password_variant() -> None:
    # Field test 20a D4: `c.DummyAuthenticator.password = os.environ[...]` is code nblint does
    # not run, but DummyAuthenticator refuses any other password once it has one.
    result = run(AUTH / "extra-config-dummy-password-from-environment.yaml", select=RULES)
    assert [(f.rule, f.line, f.profile) for f in result.findings] == [
        ("notebook-authentication", 5, None),
        ("z2jh-extra-config", 15, None),
    ]
    message = result.findings[0].message
    assert message == (
        "the hub's authenticator is dummy: anyone who knows its one shared password logs in, "
        "as any username (the password `hub.extraConfig` code assigns at "
        'hub.extraConfig["password"], line 2, which nblint did not run)'
    )


LEGACY = RULES | {"z2jh-unknown-key"}


def test_legacy_auth_naming_oauth_is_the_auth_finding_alone() -> None:
    # Field test 20a D8: the pre-0.11 `auth` section names GitHub OAuth; the release linted
    # refuses it (z2jh-unknown-key, which says where it goes now), an older one reads it: the
    # chart's dummy default is not the authenticator meant, so no "anyone can log in".
    result = run(AUTH / "legacy-auth-github.yaml", select=LEGACY)
    assert [(f.rule, f.line, f.profile) for f in result.findings] == [("z2jh-unknown-key", 6, None)]
    assert "moved authentication to `hub.config`" in result.findings[0].message


def test_legacy_auth_naming_dummy_still_lets_anyone_in() -> None:
    result = run(AUTH / "legacy-auth-dummy.yaml", select=LEGACY)
    assert [(f.rule, f.line, f.profile) for f in result.findings] == [
        ("notebook-authentication", 2, None),
        ("z2jh-unknown-key", 6, None),
    ]
