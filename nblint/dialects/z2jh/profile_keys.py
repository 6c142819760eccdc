"""The keys KubeSpawner reads in a ``profile_list`` entry, per KubeSpawner version.

Read from the source of each KubeSpawner a z2jh hub image pins (``jupyterhub-kubespawner`` 6.0.0
for z2jh 3.0.x, 6.1.0 for 3.1.0, 6.2.0 for 3.2.0 … 3.3.8, 7.0.0 for every 4.x): the profile
handling of ``spawner.py`` (``_load_profile``, ``_get_profile``, ``_get_initialized_profile_list``
/ 6.0.0's ``_init_profile_list``, ``_validate_user_options``, ``_options_from_form``) and the
spawn form it renders (``templates/form.html``, ``_render_options_form``). Nothing else of the hub
reads a profile: the chart's ``jupyterhub_config.py`` hands ``singleuser.profileList`` to
``profile_list`` as it is, and its image puller reads only the ``kubespawner_override.image`` of
profiles and choices. The profile code and the form are the same in 6.1.0, 6.2.0 and 7.0.0; 6.0.0
has no ``unlisted_choice`` (it came with 6.1.0).

A key KubeSpawner does not read is ignored, silently: what it says never happens. A custom spawn
form (``profile_form_template``, ``additional_profile_form_template_paths``, such as
jupyterhub-fancy-profiles' ``setup_ui``) or code of the hub's may read more keys (a choice's
``description``, ``allowed_groups``): :mod:`.validate` asks :func:`custom_readers` first.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The levels of a profile entry: a profile, one of its ``profile_options``, a choice of an
#: option, an option's ``unlisted_choice``.
PROFILE, OPTION, CHOICE, UNLISTED = "profile", "option", "choice", "unlisted_choice"

_SINCE_6_1: dict[str, frozenset[str]] = {
    # _get_profile/_load_profile (slug, default, display_name, kubespawner_override,
    # profile_options), the initialised list (slug from display_name), form.html (description).
    PROFILE: frozenset(
        (
            "display_name",
            "slug",
            "default",
            "description",
            "kubespawner_override",
            "profile_options",
        )
    ),
    # form.html (display_name), _load_profile and the initialised list (choices, unlisted_choice).
    OPTION: frozenset(("display_name", "choices", "unlisted_choice")),
    # form.html (display_name, default), _load_profile (default, kubespawner_override).
    CHOICE: frozenset(("display_name", "default", "kubespawner_override")),
    # _validate_user_options (enabled, validation_regex), _load_profile (kubespawner_override),
    # the initialised list and form.html (display_name_in_choices, display_name,
    # validation_message).
    UNLISTED: frozenset(
        (
            "enabled",
            "display_name",
            "display_name_in_choices",
            "validation_regex",
            "validation_message",
            "kubespawner_override",
        )
    ),
}

#: KubeSpawner version → level → the keys it reads there (a level it does not read: absent).
KEYS_READ: dict[str, dict[str, frozenset[str]]] = {
    "6.0.0": {
        PROFILE: _SINCE_6_1[PROFILE],
        OPTION: frozenset(("display_name", "choices")),
        CHOICE: _SINCE_6_1[CHOICE],
    },
    "6.1.0": _SINCE_6_1,
    "6.2.0": _SINCE_6_1,
    "7.0.0": _SINCE_6_1,
}

#: Keys whose misspelling changes what a spawn gets (not only what the form shows).
FUNCTIONAL = frozenset(
    (
        "kubespawner_override",
        "profile_options",
        "choices",
        "unlisted_choice",
        "default",
        "slug",
        "enabled",
        "validation_regex",
    )
)

#: Traits that replace or extend KubeSpawner's spawn form: another form may read other keys.
FORM_TRAITS = (
    "profile_form_template",
    "additional_profile_form_template_paths",
    "options_form",
    "options_from_form",
)
#: Words in hub code that say it renders or rewrites the profiles itself.
FORM_WORDS = (*FORM_TRAITS, "fancy_profiles", "profile_list", "load_user_options")


def keys_read(kubespawner: str, level: str) -> frozenset[str] | None:
    """The keys KubeSpawner ``kubespawner`` reads at ``level`` (None: it reads no such level)."""
    table = KEYS_READ.get(kubespawner) or KEYS_READ[max(KEYS_READ, key=_version)]
    return table.get(level)


def read_by(key: str, level: str) -> list[str]:
    """The bundled KubeSpawner versions that read ``key`` at ``level``, oldest first."""
    return [
        version
        for version in sorted(KEYS_READ, key=_version)
        if key in (KEYS_READ[version].get(level) or ())
    ]


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


class CustomReaders:
    """What else in the hub may read a profile's keys, as far as the values show it."""

    __slots__ = ("code", "form", "hidden")

    def __init__(self, code: str, form: str | None, hidden: str | None) -> None:
        #: The text of the hub's code in the values (``hub.extraConfig``).
        self.code = code
        #: What replaces KubeSpawner's spawn form (a trait, a word in the code), or None.
        self.form = form
        #: What of the hub nblint cannot see (a parent chart's values, a hub image of its own,
        #: configuration files mounted in the hub), or None.
        self.hidden = hidden

    def quoted(self, key: str) -> bool:
        """Whether the hub's code names ``key`` as a string (``profile["allowed_groups"]``)."""
        if not self.code or key not in self.code:
            return False
        return re.search(r"""(['"])""" + re.escape(key) + r"\1", self.code) is not None


def custom_readers(kubespawner_config: Any, extra_config: Any, hidden: str | None) -> CustomReaders:
    """:class:`CustomReaders` of a release: its ``hub.config.KubeSpawner`` section, its
    ``hub.extraConfig`` snippets, and what of the hub nblint cannot see."""
    code = (
        "\n".join(text for text in extra_config.values() if isinstance(text, str))
        if isinstance(extra_config, dict)
        else ""
    )
    form = None
    if isinstance(kubespawner_config, dict):
        form = next(
            (
                f"`hub.config.KubeSpawner.{name}`"
                for name in FORM_TRAITS
                if kubespawner_config.get(name) not in (None, "", [])
            ),
            None,
        )
    if form is None and code:
        form = next((f"`{word}` in `hub.extraConfig`" for word in FORM_WORDS if word in code), None)
    return CustomReaders(code, form, hidden)
