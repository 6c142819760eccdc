"""``profile_list``: which pods a user can get, and the overrides that make each one.

KubeSpawner's rules (``z2jh-kubespawner.md`` section 7): a profile without ``slug`` gets one from
its display name; the first profile is the default unless one says ``default: true``; an option
whose choices name no default defaults to its first choice — first in the order the hub reads
them (go-yaml's, :mod:`.helm`), not the file's. A spawn applies the profile's own
``kubespawner_override``, then, for each option in order, the chosen (or default) choice's
override. nblint draws one pod per profile with every option at its default, plus one pod per
other choice of each option (the rest at their defaults). An ``unlisted_choice`` lets the user
type any value; it is recorded, not drawn.
"""

from __future__ import annotations

import re

from nblint.dialects.z2jh.helm import hub_items
from nblint.dialects.z2jh.traits import SpawnerConfig, ValuesPath, normalise_types
from nblint.model.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class UnlistedChoice(Record):
    """A free-text profile option: what it lets a user pick."""

    __slots__ = ("option", "path", "traits", "validation_regex")

    def __init__(
        self, option: str, path: ValuesPath, validation_regex: str | None, traits: list[str]
    ) -> None:
        self.option = option
        self.path = path
        self.validation_regex = validation_regex
        #: Traits the typed value lands in (``image``, …).
        self.traits = traits


class Selection(Record):
    """One spawn: a profile and a choice for each of its options."""

    __slots__ = ("options", "overrides", "path", "problems", "profile", "slug", "unlisted")

    def __init__(
        self,
        profile: str,
        slug: str,
        options: dict[str, str],
        overrides: list[tuple[dict[str, Any], ValuesPath]] | None = None,
        unlisted: list[UnlistedChoice] | None = None,
        problems: list[tuple[ValuesPath, str]] | None = None,
        path: ValuesPath = (),
    ) -> None:
        self.profile = profile
        self.slug = slug
        self.options = options
        #: ``(kubespawner_override mapping, its values path)``, in the order KubeSpawner applies
        #: them.
        self.overrides: list[tuple[dict[str, Any], ValuesPath]] = (
            [] if overrides is None else overrides
        )
        self.unlisted: list[UnlistedChoice] = [] if unlisted is None else unlisted
        #: Why KubeSpawner cannot make this spawn: ``(values path, message)``.
        self.problems: list[tuple[ValuesPath, str]] = [] if problems is None else problems
        #: The profile's entry in the values (``singleuser.profileList[i]``).
        self.path = path

    def apply(self, config: SpawnerConfig) -> SpawnerConfig:
        """A copy of ``config`` with this selection's overrides applied."""
        chosen = config.copy()
        for path, message in self.problems:
            chosen.report(path, message)
        for override, path in self.overrides:
            for name, value in override.items():
                chosen.override(str(name), value, (*path, name))
        normalise_types(chosen)
        return chosen


def slugify(text: str) -> str:
    """A slug as KubeSpawner makes one from a display name (lower case, dashes)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _entries(value: Any) -> list[tuple[Any, Any]]:
    """``(key, item)`` of a list, or of a map in key order (KubeSpawner 7.1's map form)."""
    if isinstance(value, list):
        return list(enumerate(value))
    if isinstance(value, dict):
        return [(key, value[key]) for key in sorted(value)]
    return []


def selections(config: SpawnerConfig, unlisted_read: bool = True) -> list[Selection]:
    """Every spawn nblint draws for ``config``'s ``profile_list`` (empty: no profiles).
    ``unlisted_read``: whether the hub's KubeSpawner reads an option's ``unlisted_choice`` (from
    6.1.0 on; 6.0.0, the hub of z2jh 3.0.x, ignores it)."""
    found = config.source("profile_list")
    base: ValuesPath = found[0].path if found else ("singleuser", "profileList")
    profiles = [
        (key, profile)
        for key, profile in _entries(config.get("profile_list"))
        if isinstance(profile, dict)
    ]
    out: list[Selection] = []
    for key, profile in profiles:
        path = (*base, key)
        name = str(profile.get("display_name") or profile.get("slug") or f"profile {key}")
        slug = str(profile.get("slug") or slugify(name))
        own = profile.get("kubespawner_override")
        own_override = [(own, (*path, "kubespawner_override"))] if isinstance(own, dict) else []
        options = _options(profile, path, unlisted_read)
        defaults = {option: choices[0] for option, (choices, _, _) in options.items() if choices}
        unlisted = [u for _, _, u in options.values() if u is not None]
        variants = [dict(defaults)]
        for option, (choices, _, _) in options.items():
            for choice in choices[1:]:
                variants.append({**defaults, option: choice})
        for chosen in variants:
            overrides = list(own_override)
            for option, (_, by_choice, _) in options.items():
                choice_override = by_choice.get(chosen.get(option, ""))
                if choice_override is not None:
                    overrides.append(choice_override)
            problems = [
                (
                    (*path, "profile_options", option),
                    f"option {option!r} of profile {name!r} has no choices: a spawn that types "
                    "no value for it fails (KubeSpawner has no default choice to pick)",
                )
                for option, (choices, _, _) in options.items()
                if not choices and option not in chosen and _well_formed(profile, option)
            ]
            out.append(Selection(name, slug, chosen, overrides, unlisted, problems, path))
    return out


def _well_formed(profile: dict[str, Any], option: str) -> bool:
    """Whether an option without choices is otherwise well formed (a malformed one is reported
    as such, by validate)."""
    options = profile.get("profile_options")
    spec = next((v for k, v in options.items() if str(k) == option), None) if options else None
    if not isinstance(spec, dict):
        return False
    return spec.get("choices") in (None, {}) and isinstance(spec.get("unlisted_choice", {}), dict)


def _options(
    profile: dict[str, Any], path: ValuesPath, unlisted_read: bool = True
) -> dict[
    str,
    tuple[list[str], dict[str, tuple[dict[str, Any], ValuesPath]], UnlistedChoice | None],
]:
    """option → (choice names, default first; choice → its override; the unlisted choice)."""
    out: dict[
        str,
        tuple[list[str], dict[str, tuple[dict[str, Any], ValuesPath]], UnlistedChoice | None],
    ] = {}
    raw = profile.get("profile_options")
    if not isinstance(raw, dict):
        return out
    # The hub reads the options and their choices in go-yaml's key order, not the file's.
    for option, spec in hub_items(raw):
        if not isinstance(spec, dict):
            continue
        option_path = (*path, "profile_options", option)
        raw_choices = spec.get("choices")
        choices = dict(hub_items(raw_choices)) if isinstance(raw_choices, dict) else {}
        names = [str(c) for c in choices]
        default = next(
            (str(c) for c, v in choices.items() if isinstance(v, dict) and v.get("default")),
            names[0] if names else None,
        )
        if default is not None:
            names = [default, *(n for n in names if n != default)]
        overrides = {}
        for choice, choice_spec in choices.items():
            override = (
                choice_spec.get("kubespawner_override") if isinstance(choice_spec, dict) else None
            )
            if isinstance(override, dict):
                overrides[str(choice)] = (
                    override,
                    (*option_path, "choices", choice, "kubespawner_override"),
                )
        unlisted = None
        unlisted_spec = spec.get("unlisted_choice")
        if unlisted_read and isinstance(unlisted_spec, dict) and unlisted_spec.get("enabled"):
            override = unlisted_spec.get("kubespawner_override")
            regex = unlisted_spec.get("validation_regex")
            unlisted = UnlistedChoice(
                str(option),
                (*option_path, "unlisted_choice"),
                str(regex) if regex else None,
                [str(t) for t in override] if isinstance(override, dict) else [],
            )
        out[str(option)] = (names, overrides, unlisted)
    return out
