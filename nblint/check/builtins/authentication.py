"""Who can log in to the hub (``notebook-authentication``, z2jh), or to a notebook server a raw
manifest starts on its own (:mod:`.server_token`).

Why Python: the answer joins several hub settings (the authenticator class, the sections that
configure it, ``hub.extraConfig`` statements nblint read), and when nothing sets the class the
answer is JupyterHub's own default, not a value in the file.

Facts (``hub_authentication``, from the z2jh dialect): the configured ``authenticator_class``
(None: unset), whether it names one that lets anyone in (``lets_anyone_in``: ``tmp`` →
TmpAuthenticator), the values path that set it, whether nblint could read every statement that
assigns it, and every ``*Authenticator`` section's settings with their values paths.
"""

from __future__ import annotations

from collections.abc import Iterator

from nblint.check.targets import VALUES, RawViolation
from nblint.model.pod import EffectivePod, format_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: Authenticators that let anyone in, by the class the hub imports (``lets_anyone_in``): Dummy takes
#: any username with any (or one shared) password, Tmp logs in whoever opens the hub.
DUMMY = "DummyAuthenticator"
TMP = "TmpAuthenticator"
#: The fact ``kubeflow_distribution`` of an OpenShift AI / Open Data Hub workbench.
OPENSHIFT_AI = "openshift-ai"


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:
    facts = pod.facts.get("hub_authentication")
    if not isinstance(facts, dict):
        if "workload" in pod.facts:
            # A raw manifest's pod: a Jupyter server started on its own, without a hub.
            from nblint.check.builtins import server_token

            yield from server_token.check(pod, impl.builtin_options.get("server-hint"))
        elif (
            pod.facts.get("kubeflow_distribution") == OPENSHIFT_AI and "auth_proxy" not in pod.facts
        ):
            # Kubeflow's images run token-less behind its gateway; OpenShift AI's controller
            # publishes a workbench itself, with a proxy in front only when asked.
            from nblint.check.builtins import server_token

            # (Its hint is the Notebook's own: under its dialect's key.)
            yield from server_token.check(pod, None, published=pod.dialect)
        return
    where = (VALUES, *facts["at"])
    authenticator = facts["authenticator_class"]
    settings: dict[str, dict[str, Any]] = facts["settings"]
    if not facts["known"]:
        pass  # set by hub.extraConfig code nblint did not read: z2jh-extra-config says so
    elif facts.get("legacy_auth"):
        # The pre-0.11 `auth` section names the authenticator: the release linted refuses it
        # (z2jh-unknown-key says so, and where it goes now), an older one reads it. Either way
        # the chart default this would judge is not the authenticator meant.
        pass
    elif authenticator is None:
        why = "is unset"
        deleted_by, deleted = facts.get("deleted_by"), facts.get("deleted_authenticator")
        if deleted_by:
            # Empty `hub.config:` is null, and Helm deletes a chart default where a value is null
            # (and an earlier layer's value: the files merge first).
            whose = " and ".join(["the chart's", *(f"{file}'s" for file in facts["deleted_from"])])
            why = f"is unset: the null `{deleted_by}` here deletes {whose} `{deleted_by}`" + (
                f", with its `authenticator_class: {deleted}`" if isinstance(deleted, str) else ""
            )
        yield RawViolation(
            where,
            f"no authenticator is configured (`hub.config.JupyterHub.authenticator_class` {why}"
            f"): JupyterHub {facts['jupyterhub']} falls back to its default, PAM, which "
            "checks the hub container's system accounts — the hub image has none with a password, "
            "so nobody can log in",
            variables={"value": "unset"},
        )
    elif facts.get("lets_anyone_in") == TMP:
        yield RawViolation(
            where,
            f"the hub's authenticator is {authenticator}: whoever opens the hub is logged in, "
            "as a new user with a random name, with no credentials at all",
            variables={"value": authenticator},
        )
    elif facts.get("lets_anyone_in") == DUMMY:
        yield RawViolation(
            where,
            f"the hub's authenticator is {authenticator}: "
            + _dummy_lets_in(settings, facts["jupyterhub"], facts.get("password_code")),
            variables={"value": authenticator},
        )
    else:
        yield from _allow_all(settings)


def _dummy_lets_in(
    settings: dict[str, dict[str, Any]], jupyterhub: str, password_code: str | None = None
) -> str:
    """Who DummyAuthenticator lets in, by JupyterHub's own rules: it checks no password but its
    one shared ``password`` (when set), then ``check_allowed``. JupyterHub 4 lets every name in
    while ``allowed_users`` is empty; JupyterHub 5 while ``allow_all`` is true, which for Dummy
    defaults to "``allowed_users`` is empty". A non-empty ``allowed_users`` also lets in the
    admins (the hub adds them to it) and the users already in the hub's database (4: always; 5:
    ``allow_existing_users``, which defaults to true then). ``password_code``: where
    ``hub.extraConfig`` code nblint did not run assigns the password (it runs after the values,
    so that password is the one checked)."""

    def setting(name: str) -> Any:
        # traitlets applies a class's own section over its base class's.
        for section in ("DummyAuthenticator", "Authenticator"):
            found = settings.get(section, {}).get(name)
            if found is not None and found[0] is not None:
                return found[0]
        return None

    password = setting("password")
    coded = ""
    if password_code:
        password = True
        coded = (
            f" (the password `hub.extraConfig` code assigns at {password_code}, which nblint "
            "did not run)"
        )
    allowed = setting("allowed_users")
    five = not jupyterhub.startswith(("1.", "2.", "3.", "4."))
    allow_all = setting("allow_all") if five else None
    if not isinstance(allow_all, bool):
        allow_all = None  # unset, or nothing nblint can read: the default stands
    if allow_all is True or (allow_all is None and not allowed):
        return (
            f"anyone who knows its one shared password logs in, as any username{coded}"
            if password
            else "anyone can log in, as any username, with any password"
        )
    existing = setting("allow_existing_users") if five else None
    if not isinstance(existing, bool):
        existing = bool(allowed)
    if not allowed:  # JupyterHub 5, `allow_all: false` and nobody listed
        if not existing:
            return "`allow_all` is false and `allowed_users` lists nobody, so nobody can log in"
        who = "one of the users already in the hub's database (the admins among them)"
    else:
        names = _names(allowed)
        admins = _names(setting("admin_users"))
        listed = [
            f"`allowed_users` {names}" if names else "the `allowed_users`",
            f"the admins {admins}" if admins else "",
            "the users already in the hub's database" if existing else "",
        ]
        who = f"any of the users it allows ({'; '.join(part for part in listed if part)})"
    return (
        f"anyone who knows its one shared password{coded} logs in as {who}"
        if password
        else f"anyone can log in, with any password, as {who}"
    )


def _names(value: Any, limit: int = 5) -> str:
    """The user names of a list setting, a few of them; empty when it is no list."""
    if not isinstance(value, list) or not value:
        return ""
    names = [str(name) for name in value]
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _allow_all(settings: dict[str, dict[str, Any]]) -> Iterator[Any]:
    """``allow_all: true`` in a section the authenticator reads; said only of an authenticator
    that checks who someone is (with dummy, tmp or nobody, the finding above is the problem)."""
    for section, traits in settings.items():
        allow_all = traits.get("allow_all")
        if allow_all is not None and allow_all[0] is True:
            # Keep the authenticator and say who may log in, in the section the user wrote: a
            # hub.extraConfig statement runs last, so it is changed where it stands.
            if tuple(allow_all[1][:2]) == ("hub", "config"):
                fix = {"any": ALLOW_LISTED.format(section=section)}
                what = f"{format_path(allow_all[1])} is true"
            else:
                fix = {
                    "any": f"In hub.extraConfig: c.{section}.allow_all = False, and list who may "
                    "log in (allowed_users, or your provider's allowed_* setting)."
                }
                # The statement as written, and where: hub.extraConfig["01-auth.py"], line 4.
                what = f"`c.{section}.allow_all = True` in {format_path(allow_all[1])}"
            yield RawViolation(
                (VALUES, *allow_all[1]),
                f"{what}: every account of the identity provider can log in",
                fix=fix,
                variables={"value": True},
                distinct=section,
            )


#: The fix for ``allow_all: true`` in a ``hub.config`` section: the same section, told who may
#: log in (``allowed_users``, or the provider's own ``allowed_organizations``, ``allowed_groups``…).
ALLOW_LISTED = """\
hub:
  config:
    {section}:
      allow_all: false
      # and who may log in: allowed_users, or your provider's allowed_* setting
      allowed_users: [my-user]
"""
