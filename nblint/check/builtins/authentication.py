"""Who can log in to the hub (``notebook-authentication``, z2jh).

Why Python: the answer joins several hub settings (the authenticator class, the sections that
configure it, ``hub.extraConfig`` statements nblint read), and when nothing sets the class the
answer is JupyterHub's own default, not a value in the file.

Facts (``hub_authentication``, from the z2jh dialect): the configured ``authenticator_class``
(None: unset), the values path that set it, whether nblint could read every statement that
assigns it, and every ``*Authenticator`` section's settings with their values paths.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from nblint.check.targets import VALUES, RawViolation
from nblint.model.pod import EffectivePod, format_path

#: Ways to name JupyterHub's DummyAuthenticator: any username, any (or one shared) password.
DUMMY = frozenset(
    (
        "dummy",
        "dummyauthenticator.DummyAuthenticator",
        "jupyterhub.auth.DummyAuthenticator",
        "DummyAuthenticator",
    )
)


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:
    facts = pod.facts.get("hub_authentication")
    if not isinstance(facts, dict):
        return
    where = (VALUES, *facts["at"])
    authenticator = facts["authenticator_class"]
    settings: dict[str, dict[str, Any]] = facts["settings"]
    if not facts["known"]:
        pass  # set by hub.extraConfig code nblint did not read: z2jh-extra-config says so
    elif authenticator is None:
        yield RawViolation(
            where,
            "no authenticator is configured (`hub.config.JupyterHub.authenticator_class` is "
            f"unset): JupyterHub {facts['jupyterhub']} falls back to its default, PAM, which "
            "checks the hub container's system accounts — the hub image has none with a password, "
            "so nobody can log in",
            variables={"value": "unset"},
        )
    elif isinstance(authenticator, str) and authenticator in DUMMY:
        password = settings.get("DummyAuthenticator", {}).get("password", [None])[0]
        yield RawViolation(
            where,
            f"the hub's authenticator is {authenticator}: "
            + (
                "anyone who knows its one shared password logs in, as any username"
                if password
                else "anyone can log in, as any username, with any password"
            ),
            variables={"value": authenticator},
        )
    for section, traits in settings.items():
        allow_all = traits.get("allow_all")
        if allow_all is not None and allow_all[0] is True:
            yield RawViolation(
                (VALUES, *allow_all[1]),
                f"{format_path(allow_all[1])} is true: every account of the identity provider "
                "can log in",
                variables={"value": True},
                distinct=section,
            )
