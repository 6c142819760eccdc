"""Check a z2jh release as Helm and the hub would, before any pod is built.

* Helm validates the merged values against the chart's values schema and refuses the release on
  any error: an unknown key where the schema says ``additionalProperties: false`` (and only
  there), a wrong type, a missing required key. Each is reported at the line that wrote it, with
  where the intent really lives (``singleuser.podSecurityContext`` is not a z2jh key; the pod
  security context of user pods is ``hub.config.KubeSpawner.pod_security_context``) or a "did you
  mean" for a typo.
* The schema cannot see inside ``hub.config.KubeSpawner`` or a profile's
  ``kubespawner_override``; the hub silently ignores a name there that is no KubeSpawner trait.
* ``hub.extraConfig`` is Python that nblint never runs: the result assumes it leaves pods alone.
* Template placeholders (``{{ }}``, ``${var}``) and sops-encrypted values are text nblint cannot
  know: their checks are skipped (the chart default stands in where the schema wants a number or
  a mapping). ``${var}`` placeholders and sops values are reported once per file; Helm ``{{ }}``
  templates are already reported by the loader, except where someone fills them in before Helm
  (``Release.placeholders``: an ApplicationSet's generators), when they are reported here.

Helm's check is :func:`nblint.model.schema.iter_issues`, nblint's one JSON Schema evaluator: it
names the *key* that is wrong (for the line to point at), skips what no user wrote (``prune``)
and checks templates only for their type (``opaque``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from functools import cache

import yaml

from nblint.dialects.z2jh.extra_config import LONGEST_SNIPPET, CodeLine
from nblint.dialects.z2jh.profile_keys import (
    CHOICE,
    FUNCTIONAL,
    OPTION,
    PROFILE,
    UNLISTED,
    CustomReaders,
    custom_readers,
    keys_read,
    read_by,
)
from nblint.dialects.z2jh.traits import (
    LIST_ONLY_IN_KUBESPAWNER_6,
    env_as_mapping,
    group_id,
    memory_bytes,
)
from nblint.dialects.z2jh.values import (
    VALUES_OBJECT,
    Release,
    chart_defaults,
    chart_versions,
    deprecated_aliases,
    deprecated_unconfigurable_traits,
    hub_authenticator_names,
    hub_classes,
    hub_image,
    kubespawner_traits,
    kubespawner_version,
    owned_parent,
    traits_of_kubespawner,
    unconfigurable_traits,
    values_schema,
)
from nblint.model.data import data_dir
from nblint.model.finding import Reported
from nblint.model.pod import Path, format_path, get_path
from nblint.model.record import Record
from nblint.model.schema import TYPE_NAMES, TYPES, Issue, iter_issues
from nblint.model.schema import compile as compile_schema
from nblint.model.shown import shown
from nblint.model.unknowable import (
    image_placeholder,
    is_unknowable,
    sops_pattern,
    unknowable_value,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Move(Record):
    """Where the setting of a key that z2jh does not have lives (``schemas/z2jh/moved-keys.yaml``):
    a key of z2jh before 1.0 that it moved, or one people write meaning a z2jh setting."""

    __slots__ = ("also", "alternative", "inverted", "since", "to")

    def __init__(
        self,
        to: Path,
        since: str | None = None,
        also: str | None = None,
        inverted: bool = False,
        alternative: str | None = None,
    ) -> None:
        self.to = to
        #: The z2jh release that moved it; None for a key z2jh never had.
        self.since = since
        #: Another home it had, said in words (``proxy.traefik.nodeSelector for the autohttps
        #: pod``).
        self.also = also
        #: The new key means the opposite (``cloudMetadata.enabled`` → ``blockWithIptables``).
        self.inverted = inverted
        #: Another key the setting may be meant for, said in words (a root ``securityContext``:
        #: ``hub.containerSecurityContext`` if it is meant for the hub pod).
        self.alternative = alternative


@cache
def moved_keys() -> dict[str, Any]:
    """``schemas/z2jh/moved-keys.yaml``, read on the first unknown key (most files have none)."""
    with open(
        os.path.join(data_dir("schemas"), "z2jh", "moved-keys.yaml"), encoding="utf-8"
    ) as handle:
        table: dict[str, Any] = yaml.safe_load(handle)
    return table


def _security_levels() -> dict[str, list[str]]:
    """KubeSpawner's securityContext key → the fields only that level has (moved-keys.yaml)."""
    levels: dict[str, list[str]] = moved_keys()["security-context-levels"]
    return levels


def _dotted(text: str) -> Path:
    return tuple(text.split("."))


@cache
def moves() -> dict[Path, Move]:
    """Each old key's :class:`Move`."""
    return {
        _dotted(old): Move(
            _dotted(entry["to"]),
            entry.get("since"),
            entry.get("also"),
            entry.get("inverted", False),
            entry.get("or"),
        )
        for old, entry in moved_keys()["moved"].items()
    }


#: Keys the chart's NOTES.txt refuses though its values schema takes them → (since when, what
#: replaces them), as its messages say.
GONE: dict[Path, tuple[str, str]] = {
    ("rbac", "enabled"): (
        "z2jh 2.0.0",
        "`rbac.create` and the `serviceAccount.create` of hub, proxy.traefik, "
        "scheduling.userScheduler and prePuller.hook",
    ),
    ("hub", "fsGid"): ("z2jh 2.0.0", "`hub.podSecurityContext.fsGroup`"),
}

#: How a message names the level of a profile entry a key is written in.
LEVEL_NAMES = {
    PROFILE: "in a profile",
    OPTION: "in a profile option",
    CHOICE: "in an option's choice",
    UNLISTED: "in an `unlisted_choice`",
}

#: How a message names a profile entry of each level.
ENTRY_NAMES = {
    PROFILE: "profile",
    OPTION: "profile option",
    CHOICE: "choice",
    UNLISTED: "`unlisted_choice`",
}

#: Names that are no KubeSpawner trait → the trait meant, and why it matters.
TRAIT_INTENT = {
    "extra_tolerations": (
        "tolerations",
        "a profile's `tolerations` replace the chart's user-node tolerations, so list those too",
    ),
    "security_context": ("container_security_context", ""),
    "pod_security_context_override": ("pod_security_context", ""),
    "automount_service_account": ("automount_service_account_token", ""),
    "service_account_name": ("service_account", ""),
}


def chart_key_intent(name: str) -> tuple[str, str] | None:
    """For a ``singleuser`` values key's name written where a trait belongs (``pullPolicy``,
    ``extraEnv`` in a ``kubespawner_override``): the trait the chart gives that key's value to,
    and why, from the chart's own mapping; None when ``name`` is no such key or ends two."""
    from nblint.dialects.z2jh.chart_config import PASSTHROUGH

    found = {
        trait: key
        for trait, key in (
            *PASSTHROUGH,
            ("volumes", ("storage", "extraVolumes")),
            ("volume_mounts", ("storage", "extraVolumeMounts")),
            ("default_url", ("defaultUrl",)),
        )
        if key[-1] == name
    }
    if len(found) != 1:
        return None
    [(trait, key)] = found.items()
    return trait, f"`{name}` is the chart's name for it (`singleuser.{'.'.join(map(str, key))}`)"


#: ``singleuser`` keys below a mapping that the chart gives to a trait of their own, beside
#: ``PASSTHROUGH``'s (the storage settings the chart reads for a dynamic home volume).
NESTED_CHART_KEYS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("storage_capacity", ("storage", "capacity")),
    ("storage_class", ("storage", "dynamic", "storageClass")),
    ("storage_access_modes", ("storage", "dynamic", "storageAccessModes")),
    ("storage_extra_labels", ("storage", "extraLabels")),
)


def chart_shape_intent(name: str, value: Any) -> tuple[list[str], str] | None:
    """For a mapping written under a ``singleuser`` key's name where traits belong (``cpu:
    {limit: 2}`` in a ``kubespawner_override``, copied from the chart's nested layout): the
    traits the chart gives each of its leaves to, and the snippet that sets them; None when a
    leaf is none the chart gives to a trait (the volumes are left out: in an override they
    replace the home volume)."""
    from nblint.dialects.z2jh.chart_config import PASSTHROUGH

    if not isinstance(value, dict) or not value:
        return None
    nested = [
        (trait, key[1:])
        for trait, key in (*PASSTHROUGH, *NESTED_CHART_KEYS)
        if len(key) > 1 and key[0] == name
    ]
    if not nested:
        return None
    traits: dict[str, Any] = {}
    for leaf_path, leaf in _flatten_paths(value):
        trait = next((t for t, key in nested if key == leaf_path), None)
        if trait is None or leaf is None or is_unknowable(leaf):
            return None
        traits[trait] = leaf
    snippet = yaml.safe_dump(traits, sort_keys=False, default_flow_style=False).rstrip()
    return list(traits), snippet


def _flatten_paths(
    value: Any, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Any]]:
    """The leaves of nested mappings, each with its key path (a mapping that a trait takes
    whole, such as ``extraResource.limits``, is a leaf too)."""
    for key, item in value.items():
        path = (*prefix, str(key))
        if isinstance(item, dict) and item and path not in _WHOLE_MAPPINGS:
            yield from _flatten_paths(item, path)
        else:
            yield path, item


#: Chart keys below a mapping whose value is itself a mapping a trait takes whole.
_WHOLE_MAPPINGS = frozenset(
    {("limits",), ("guarantees",), ("extraLabels",), ("required",), ("preferred",)}
)


def image_intent(value: Any) -> str | None:
    """The ``image`` string KubeSpawner takes for the chart's ``{name, tag}`` mapping written
    where the trait belongs; None when ``value`` is no such mapping."""
    if not isinstance(value, dict) or set(value) - {"name", "tag", "pullPolicy"}:
        return None
    image, tag = value.get("name"), value.get("tag")
    if (
        not isinstance(image, str)
        or not image
        or (tag is not None and not isinstance(tag, str | int | float))
    ):
        return None
    return f"{image}:{tag}" if tag is not None and str(tag) else image


def _pull_policy_line(image: Any) -> str:
    """The chart's ``image.pullPolicy`` of an image mapping as KubeSpawner's own trait."""
    policy = image.get("pullPolicy") if isinstance(image, dict) else None
    return f"\nimage_pull_policy: {policy}" if isinstance(policy, str) else ""


def validate(release: Release) -> list[Reported]:
    """Every problem of ``release``. What Helm's schema rejects (an unknown key, a value of the
    wrong type, a template where a number or a mapping belongs) is then taken out of
    ``release.values`` — back to the chart default where there is one — so that the pods are
    built from the rest, as z2jh would see it."""
    checker = _Checker(release)
    checker.schema(values_schema(release.chart_version), release.values)
    if release.older_pin:
        # Pinned older than any release nblint knows: this schema is not the one Helm checks
        # the values against, so nothing it refuses is said (what it rejects still gives way to
        # the defaults, for the pods built from this release).
        del checker.problems[:]
    checker.chart_keys_of_traits()
    if not release.older_pin:
        # (What NOTES.txt refuses is every 3.x and 4.x release's: not known of an older one.)
        checker.breaking()
    checker.kubespawner_config()
    checker.hub_sections()
    checker.authenticator_name()
    checker.profiles()
    checker.extra_config()
    checker.hub_code()
    checker.unknowable()
    for path in checker.rejected:
        if path[:2] == ("hub", "extraConfig") and isinstance(path[-1], CodeLine):
            _drop_assignment(release, path)
        else:
            _restore_default(release, path)
    if checker.rejected:
        release.changed()
    # Built as the hub builds them: from the values Helm and the hub accept (what they refuse
    # is back to its default above).
    checker.replaced_values()
    return checker.problems


#: The chart keys whose placeholder (``singleuser.uid: ${UID}``) the pods keep as written, not
#: the chart default in its place: a fix's safety is judged by what they may be
#: (``podview.placeholder_risk``: a user that may be root, an escalation that may be allowed).
GUARDED_KEYS = frozenset((("singleuser", "uid"), ("singleuser", "allowPrivilegeEscalation")))

#: Options of the installers nblint reads that name values (files, objects) beside the values
#: mapping, and whose: written inside the values they do nothing for the installer.
INSTALLER_OPTIONS = {
    "valuesFiles": "Fleet's values files, layered over `helm.values`",
    "valueFiles": "Argo CD's values files",
    "valuesFrom": "the ConfigMaps and Secrets Flux or Fleet read values from",
    "valuesObject": "Argo CD's values",
}

#: What traitlets takes, when the hub loads the configuration or KubeSpawner applies an override,
#: for the KubeSpawner traits whose type a values file gets wrong in practice (the trait classes
#: of KubeSpawner 6.0.0-7.0.0 and of JupyterHub 4-5's Spawner, alike in every release a chart
#: ships). Anything else is refused and every spawn with it fails. Helm renders the values
#: through JSON first, so ``1000.0`` reaches the hub as ``1000``.
TRAIT_KINDS: dict[str, str] = {
    **dict.fromkeys(("uid", "gid", "fs_gid"), "integer"),  # Union([Integer(), Callable()])
    # Union([List(), Callable()]): a list of anything; KubeSpawner's pod builder then int()s
    # each item (``"110"`` is group 110), see traits.normalise_types.
    "supplemental_gids": "list",
    **dict.fromkeys(("cpu_limit", "cpu_guarantee"), "float"),  # Float
    **dict.fromkeys(("mem_limit", "mem_guarantee"), "bytes"),  # ByteSpecification
    **dict.fromkeys(
        ("privileged", "allow_privilege_escalation", "automount_service_account_token"),
        "boolean",  # Bool: also 0 and 1
    ),
    "cmd": "command",  # Command: a string, or a list of strings
    "args": "strings",  # List(Unicode())
    **dict.fromkeys(("image", "image_pull_policy", "service_account", "working_dir"), "text"),
    **dict.fromkeys(
        (
            "node_selector",
            "pod_security_context",
            "container_security_context",
            "extra_pod_config",
            "extra_container_config",
            "extra_resource_limits",
            "extra_resource_guarantees",
            "extra_labels",
            "extra_annotations",
            "environment",
            "lifecycle_hooks",
        ),
        "mapping",
    ),
    # Lists in KubeSpawner 6, lists or maps in 7 (a map on chart 3.x is a spawn failure).
    **dict.fromkeys(LIST_ONLY_IN_KUBESPAWNER_6, "list-or-mapping"),
    # Timeouts and other plain values of KubeSpawner (Integer, Unicode, Bool: the same in 6.0.0
    # and 7.0.0) and of JupyterHub 4.1-5.3's Spawner: `start_timeout: "5 minutes"` is refused.
    **dict.fromkeys(
        (
            "start_timeout",
            "http_timeout",
            "poll_interval",
            "consecutive_failure_limit",
            "port",
            "delete_grace_period",
            "k8s_api_request_timeout",
            "k8s_api_request_retry_timeout",
        ),
        "integer",
    ),
    **dict.fromkeys(
        (
            "namespace",
            "pod_name_template",
            "pvc_name_template",
            "storage_capacity",
            "storage_class",
            "priority_class_name",
            "scheduler_name",
            "default_url",
            "notebook_dir",
        ),
        "text",
    ),
    **dict.fromkeys(
        ("delete_pvc", "storage_pvc_ensure", "enable_user_namespaces", "delete_stopped_pods"),
        "boolean",
    ),
}

#: What traitlets takes for the traits of the hub's authenticators that a values file gets
#: wrong in practice (a Kubernetes `valueFrom: {secretKeyRef: …}` under `client_id`), by the
#: class that defines them: OAuthenticator's, alike in oauthenticator 16.0 and 17.3 and
#: redefined by none of its subclasses (LTI13Authenticator's own `client_id` is a set, and is
#: not an OAuthenticator's). The authenticator is built when the hub starts, so a value
#: traitlets refuses stops the hub. Each value's environment variable, where OAuthenticator
#: reads one by default.
AUTHENTICATOR_TRAIT_KINDS: dict[str, dict[str, str]] = {
    "OAuthenticator": {
        **dict.fromkeys(
            (
                "client_id",
                "client_secret",
                "oauth_callback_url",
                "authorize_url",
                "token_url",
                "userdata_url",
            ),
            "text",
        ),
        **dict.fromkeys(("validate_server_cert", "basic_auth"), "boolean"),
    },
}
AUTHENTICATOR_TRAIT_ENV = {
    "client_id": "OAUTH_CLIENT_ID",
    "client_secret": "OAUTH_CLIENT_SECRET",
    "oauth_callback_url": "OAUTH_CALLBACK_URL",
}


def _number(value: Any) -> bool:
    # A bool is an int to traitlets (``Integer`` takes True, ``Float`` makes it 1.0).
    return isinstance(value, (int, float))


def _integer(value: Any) -> bool:
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


#: Whether traitlets takes a value, by kind (:data:`TRAIT_KINDS`), and what a message says the
#: trait must be.
_KIND_CHECKS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "integer": (_integer, "an integer"),
    "list": (lambda v: isinstance(v, list), "a list"),
    "float": (_number, "a number"),
    "bytes": (lambda v: _number(v) or isinstance(v, str), "an integer or a string"),
    "boolean": (lambda v: isinstance(v, bool) or (_number(v) and v in (0, 1)), "a boolean"),
    "command": (
        lambda v: (
            isinstance(v, str) or (isinstance(v, list) and all(isinstance(item, str) for item in v))
        ),
        "a string or a list of strings",
    ),
    "strings": (
        lambda v: isinstance(v, list) and all(isinstance(item, str) for item in v),
        "a list of strings",
    ),
    "text": (lambda v: isinstance(v, str), "a string"),
    "mapping": (lambda v: isinstance(v, dict), "a mapping"),
    "list-or-mapping": (lambda v: isinstance(v, (list, dict)), "a list or a mapping"),
}


def _trait_check(name: str) -> Callable[[Any], bool]:
    """Whether traitlets takes a value for trait ``name`` (one of :data:`TRAIT_KINDS`)."""
    return _KIND_CHECKS[TRAIT_KINDS[name]][0]


@cache
def _chart_key_check(chart_version: str, key: str) -> Callable[[Any], bool]:
    """Whether a value fits the values schema of ``singleuser.<key>`` of ``chart_version``."""
    singleuser = values_schema(chart_version)["properties"]["singleuser"]
    return compile_schema(singleuser["properties"][key])


def _movable(name: str, value: Any) -> bool:
    """Whether ``name: value`` may go into a ``kubespawner_override`` as it is: not null (a
    Helm merge deletes a null) and of a type KubeSpawner takes for that trait."""
    if value is None or is_unknowable(value):
        return False
    if name in ("mem_limit", "mem_guarantee") and memory_bytes(value) is None:
        return False
    if name == "supplemental_gids" and isinstance(value, list):
        # A group KubeSpawner's int() cannot read fails the spawns where it is moved.
        return all(group_id(item) is not None for item in value)
    return name not in TRAIT_KINDS or _trait_check(name)(value)


def chartpress_fills(release: Release, missing: Path) -> tuple[str, str] | None:
    """Whether chartpress fills in ``missing`` (a values path the user wrote ``null`` at), as
    ``(its chartpress.yaml, the valuesPath that names it)``: the values are the ``values.yaml`` of
    a chart of that ``chartpress.yaml`` (its directory is named for the chart), and an image's
    ``valuesPath`` is ``missing`` or the mapping above it (chartpress writes its ``name`` and
    ``tag``). Asked only where a required value is found deleted."""
    if release.chartpress is None:
        return None
    file, config = release.chartpress
    values_file = release.locate(missing).file
    if os.path.basename(values_file) not in ("values.yaml", "values.yml"):
        return None
    chart_name = os.path.basename(os.path.dirname(os.path.abspath(values_file)))
    charts = config.get("charts") if isinstance(config, dict) else None
    full = tuple(str(part) for part in (*release.root, *missing))
    for chart in charts if isinstance(charts, list) else ():
        if not isinstance(chart, dict) or chart.get("name") != chart_name:
            continue
        images = chart.get("images")
        for image in images.values() if isinstance(images, dict) else ():
            named = image.get("valuesPath") if isinstance(image, dict) else None
            for values_path in named if isinstance(named, list) else [named]:
                if isinstance(values_path, str) and tuple(values_path.split(".")) in (
                    full,
                    full[:-1],
                ):
                    return file, values_path
    return None


class _Checker:
    def __init__(self, release: Release) -> None:
        self.release = release
        self.version = release.chart_version
        self.problems: list[Reported] = []
        #: Values paths that Helm's schema rejects, dropped from the release after the walk.
        self.rejected: list[Path] = []
        #: Every values path a user file wrote, and every path above one (the written paths
        #: already hold every path above each of them).
        self.touched: set[Path] = {(), *release.written_paths()}
        self._custom_readers: CustomReaders | None = None
        #: The ``valuesPath`` of each image chartpress fills in that was said (once each).
        self.chartpress_said: set[str] = set()

    def report(self, rule: str, path: Path, message: str, fix: str | None = None) -> None:
        origin = self.release.locate(path)
        self.problems.append(Reported(rule, message, origin, VALUES_OBJECT, fix))

    # -- The chart's values → traits: what the schema lets through and the trait refuses -------

    def chart_keys_of_traits(self) -> None:
        """A ``singleuser`` key the chart hands to a KubeSpawner trait as it is (``PASSTHROUGH``)
        whose value the schema allows but the trait does not: ``singleuser.extraEnv`` may be a
        list by the schema (relaxed for the hub's own templated ``hub.extraEnv``), yet becomes
        ``environment``, a traitlets Dict, and the hub's KubeSpawner refuses it (TraitError) when
        it is made, so every spawn fails."""
        from nblint.dialects.z2jh.chart_config import PASSTHROUGH

        singleuser = self.release.values.get("singleuser")
        if not isinstance(singleuser, dict):
            return
        rejected = set(self.rejected)
        for trait, key in PASSTHROUGH:
            path: Path = ("singleuser", *key)
            kind = TRAIT_KINDS.get(trait)
            # (Lists or maps by KubeSpawner version: the traits' own check says which.)
            if kind is None or kind == "list-or-mapping" or path not in self.touched:
                continue
            if _under(path, rejected) or path in rejected:
                continue
            _, value = get_path(self.release.values, path)
            if value is None or is_unknowable(value):
                continue
            takes, wanted = _KIND_CHECKS[kind]
            if takes(value):
                continue
            key_name = ".".join(map(str, path))
            self.report(
                "z2jh-spawn-failure",
                path,
                f"`{key_name}` becomes KubeSpawner's `{trait}`, which must be {wanted}, not "
                f"{_show(value)}: the chart's schema lets it through, but the hub's KubeSpawner "
                "refuses it, so every spawn fails",
                _chart_key_fix(key_name, trait, value),
            )
            self.rejected.append(path)

    # -- Helm: the values schema ----------------------------------------------------------------

    def schema(self, schema: Any, values: Any) -> None:
        """What Helm's check of ``values`` against the chart's ``schema`` refuses, as
        :func:`nblint.model.schema.iter_issues` finds it: only below what a user file wrote (the
        chart's own defaults are valid by construction) and below what a user value switched on
        (``create: true`` needs a username, whatever the defaults beside it say); templates and
        encrypted values only for their type."""
        touched = self.touched
        issues = list(
            iter_issues(
                schema, values, prune=lambda path: path not in touched, opaque=is_unknowable
            )
        )
        # A value of the wrong type is reported for its type alone: nothing else is said of it
        # or of what it holds, and the chart default takes its place.
        mistyped = {issue.path for issue in issues if issue.keyword == "type"}
        unknown = [
            issue.path
            for issue in issues
            if issue.keyword in ("additionalProperties", "false")
            and not (mistyped and _under(issue.path, mistyped))
        ]
        # Rare (a file with an unknown key): the indentation slips among them, one per mistake.
        slips = self.slips(schema, unknown) if unknown else {}
        seen: set[tuple[Path, str, Any]] = set()
        for issue in issues:
            path, keyword = issue.path, issue.keyword
            if keyword != "type" and mistyped and _under(path, mistyped):
                continue
            mark = (path, keyword, issue.name)
            if mark in seen:
                continue
            seen.add(mark)
            if path in slips:
                slip = slips[path]
                if slip is not None:
                    self.slipped(*slip)
                self.rejected.append(path)
                continue
            self.schema_issue(issue)

    def slips(
        self, schema: Any, unknown: list[Path]
    ) -> dict[Path, tuple[Path, list[Path], bool] | None]:
        """The unknown keys of ``unknown`` that look like one indentation slip: a key the schema
        has one level up (written too deep: ``singleuser.image.storage``) or under a sibling of
        its parent (written too shallow: ``singleuser.name`` after an empty ``image:``). Keys of
        one parent that belong in one place are one mistake: the first of them (by line) maps to
        ``(intended parent, keys, too_deep)``, the others to None. A key whose place nblint cannot
        tell is left out (reported as an unknown key)."""
        groups: dict[tuple[Path, Path, str], list[Path]] = {}
        for path in unknown:
            if len(path) < 2 or not all(isinstance(part, str) for part in path):
                continue
            if path == ("auth",) or moves().get(path) is not None:
                continue
            if format_path(path) in moved_keys().get("resources", {}):
                continue  # a known meaning elsewhere: said by unknown_key
            if format_path(path) in moved_keys()["removed"]:
                continue
            parent, key = path[:-1], str(path[-1])
            intended = self._slip_home(schema, parent, key)
            if intended is None:
                continue
            file = self.release.locate(path).file
            groups.setdefault((parent, intended, file), []).append(path)
        slips: dict[Path, tuple[Path, list[Path], bool] | None] = {}
        for (parent, intended, _), paths in groups.items():
            paths.sort(key=lambda path: self.release.locate(path).line)
            slips[paths[0]] = (intended, paths, len(intended) < len(parent))
            slips.update(dict.fromkeys(paths[1:]))
        return slips

    def _slip_home(self, schema: Any, parent: Path, key: str) -> Path | None:
        """Where unknown key ``key`` under ``parent`` was likely meant to be written: under the
        sibling written just above it that is empty (``image:`` with nothing), else one level up,
        else under the sibling just above it, else under the one sibling the schema gives it;
        None when nblint cannot tell (or the key is already written there)."""
        release = self.release
        here = release.locate((*parent, key))
        above: Path | None = None  # the parent's key written nearest above the unknown one
        above_line = 0
        depth = len(parent) + 1
        for path in self.touched:
            if len(path) != depth or path[:-1] != parent or path[-1] == key:
                continue
            origin = release.locate(path)
            if origin.file == here.file and above_line < origin.line < here.line:
                above, above_line = path, origin.line

        def takes(place: Path) -> bool:
            return _schema_has(schema, place, key) and not release.written((*place, key))

        empty = above is not None and get_path(release.values, above)[1] in (None, {})
        if above is not None and empty and takes(above):
            return above
        if parent and takes(parent[:-1]):
            return parent[:-1]
        if above is not None and takes(above):
            return above
        siblings = _schema_at(schema, parent).get("properties", {})
        # Nothing written says where it goes. Under the settings of a container (an `image` of
        # their own), a sibling that configures another container (`singleuser.networkTools`,
        # the iptables init container) is no guess to offer: the key means something here.
        own = _schema_has(schema, parent, "image")
        homes = [
            (*parent, name)
            for name in siblings
            if takes((*parent, name))
            and not (own and _schema_has(schema, (*parent, name), "image"))
        ]
        return homes[0] if len(homes) == 1 else None

    def slipped(self, intended: Path, paths: list[Path], too_deep: bool) -> None:
        """One indentation slip: the keys of ``paths`` belong under ``intended``."""
        names = ", ".join(f"`{path[-1]}`" for path in paths)
        written = ", ".join(f"`{format_path(path)}`" for path in paths)
        # A key path in backticks; the root is no key.
        where = f"`{format_path(intended)}`" if intended else "the top level"
        plural = len(paths) > 1
        line = self.release.locate(intended).line if intended else 0
        message = (
            f"{written} {'are' if plural else 'is'} not "
            f"{'z2jh ' + self.version + ' keys' if plural else 'a z2jh ' + self.version + ' key'}"
            f", so helm would refuse the release: {'they look' if plural else 'it looks'} "
            f"indented one level too {'deep' if too_deep else 'shallow'}; "
            f"{names} {'are keys' if plural else 'is a key'} of {where}"
        )
        ignored = moved_keys().get("ignored", {}) if too_deep else {}
        idle = [path for path in paths if format_path((*intended, path[-1])) in ignored]
        if idle:
            # The place it looks meant for is a key the chart ignores: moved there it does
            # nothing either, so the edit that is true is to remove it.
            shown = ", ".join(f"`{format_path((*intended, path[-1]))}`" for path in idle)
            whose = "; ".join(ignored[format_path((*intended, path[-1]))] for path in idle[:1])
            message += (
                f", but the chart ignores {shown} ({whose}): "
                f"{'they do' if len(idle) > 1 else 'it does'} nothing there either; remove "
                f"{', '.join(f'`{format_path(path)}`' for path in idle)}"
            )
            fix = "Remove " + ", ".join(f"`{format_path(path)}`" for path in idle) + "."
            rest = [path for path in paths if path not in idle]
            if rest:
                moved = ", ".join(f"`{path[-1]}`" for path in rest)
                fix += f" Indent {moved} one level less, {'under ' if intended else 'to '}{where}."
        elif too_deep:
            fix = f"Indent {names} one level less, {'under ' if intended else 'to '}{where}."
        else:
            at = f" (line {line})" if line else ""
            fix = f"Indent {names} one level further, under `{intended[-1]}:`{at}."
        self.report("z2jh-unknown-key", paths[0], message, fix)

    def schema_issue(self, issue: Issue) -> None:
        path, keyword, value, schema = issue.path, issue.keyword, issue.value, issue.schema
        version = self.version
        if keyword == "type":
            if not is_unknowable(value):
                self.wrong_type(path, schema["type"], value)
                self.rejected.append(path)
            elif path not in GUARDED_KEYS or not unknowable_value(
                value, self.release.placeholders is None
            ):
                # nblint cannot know it: the default stands in, but for a value a fix's safety
                # rests on (the notebook's user): a default there would hide the placeholder,
                # which may be root, and make a fix safe that its real value breaks. (A Helm
                # template in a plain values file is its literal text, which Helm refuses.)
                self.rejected.append(path)
        elif keyword in ("additionalProperties", "false"):
            patterns = schema.get("patternProperties", {}) if keyword != "false" else ()
            self.unknown_key(path, list(issue.known), patterns)
            self.rejected.append(path)
        elif keyword == "required":
            missing = (*path, issue.name)
            deleted = self.release.written(missing)
            filled = chartpress_fills(self.release, missing) if deleted else None
            if filled is not None:
                # An image chartpress fills in when it builds the chart: empty in git.
                if filled[1] not in self.chartpress_said:
                    self.chartpress_said.add(filled[1])
                    self.report(
                        "z2jh-unrendered-template",
                        missing,
                        f"`{format_path(missing)}` is empty here: {filled[0]} names "
                        f"`{filled[1]}` as an image chartpress fills in when it builds the "
                        "chart, so nblint cannot know its real value and skips its checks",
                    )
                return
            self.report(
                "z2jh-wrong-type",
                missing,
                f"`{format_path(missing)}` is required by the z2jh {version} values schema"
                + ("; this `null` deleted the chart default" if deleted else "")
                + "; helm would refuse the release",
            )
        elif keyword == "enum":
            options = ", ".join(_show(option) for option in schema["enum"])
            self.report(
                "z2jh-wrong-type",
                path,
                f"`{format_path(path)}: {_show(value)}` is not one of {options} "
                f"(z2jh {version} values schema); helm would refuse the release",
                _enum_fix(path, value, schema["enum"]),
            )
        elif keyword == "const":
            self.report(
                "z2jh-wrong-type",
                path,
                f"`{format_path(path)}` must be {_show(schema['const'])} "
                f"(z2jh {version} values schema)",
            )
        elif keyword == "minimum":
            self.report(
                "z2jh-wrong-type",
                path,
                f"`{format_path(path)}: {_show(value)}` is below the minimum {schema['minimum']} "
                f"(z2jh {version} values schema); helm would refuse the release",
            )
        elif keyword == "oneOf" and _sets_no_form(schema["oneOf"], value):
            self.content_at_install(path)
        elif keyword == "oneOf":
            forms = " or ".join(
                "/".join(option.get("required", ["?"])) if isinstance(option, dict) else "?"
                for option in schema["oneOf"]
            )
            self.report(
                "z2jh-wrong-type",
                path,
                f"`{format_path(path)}` must set exactly one of {forms}; "
                "helm would refuse the release",
            )
        else:  # a keyword no chart uses today
            self.report(
                "z2jh-wrong-type",
                path,
                f"`{format_path(path)}` {issue.message} (z2jh {version} values schema); "
                "helm would refuse the release",
            )

    def content_at_install(self, path: Path) -> None:
        """An ``extraFiles`` entry with none of ``data``/``stringData``/``binaryData``: the
        chart's documented ``helm --set-file`` recipe, whose content nblint cannot see. Helm
        checks the values merged with the command line, so this is no refusal nblint can
        know: an info, not ``z2jh-wrong-type``."""
        where = format_path(path)
        self.report(
            "z2jh-content-at-install",
            path,
            f"`{where}` gives no content (data, stringData or binaryData): nblint assumes it is "
            f"given at install time (`helm upgrade … --set-file {where}.stringData=./file`); "
            "helm refuses the release if nothing gives it",
            f"Give the content with `--set-file {where}.stringData=./file` (or `.binaryData` "
            "for a base64 file) at install time, or write `stringData` here.",
        )

    def unknown_key(self, path: Path, known: list[str], patterns: Any = ()) -> None:
        where = format_path(path[:-1]) or "the top level"
        key = path[-1]
        message = (
            f"`{format_path(path)}` is not a z2jh {self.version} key: the values schema allows "
            f"no other keys under {where}, so helm would refuse the release"
        )
        fix: str | None = None
        named = all(isinstance(part, str) for part in path)
        move = moves().get(path) if named else None
        removed = moved_keys()["removed"].get(format_path(path)) if named else None
        if path == ("auth",):
            said, fix = self._auth()
            message += said
        elif move is not None:
            message += f"; the setting belongs at `{format_path(move.to)}`"
            if move.inverted:
                message += ", with the opposite value"
            if move.since or move.also:
                moved = f"z2jh {move.since} moved it there" if move.since else ""
                also = f"and to {move.also}" if move.also else ""
                message += f" ({', '.join(part for part in (moved, also) if part)})"
            if move.alternative:
                message += f" (or {move.alternative})"
            homes = self._relocated(path, move)
            for target, fields in homes:
                if target != move.to:  # a field of the other securityContext level
                    named_fields = ", ".join(f"`{field}`" for field in fields)
                    message += f"; {named_fields} at `{format_path(target)}`"
            fix = self._set_instead(path, homes)
        elif len(path) == 1 and key in INSTALLER_OPTIONS and self._installer_options(path):
            said, fix = self._installer_option(path)
            message += said
        elif named and format_path(path) in moved_keys().get("resources", {}):
            said, fix = self._resources_instead(path)
            message += said
        elif removed is not None:
            message += f"; it does nothing since z2jh {removed['since']}: {removed['instead']}"
            fix = f"Remove `{format_path(path)}`: {removed['instead']}."
        elif key == "podTemplate":
            message += (
                "; z2jh has no pod template: KubeSpawner builds user pods from `singleuser.*` "
                "and `hub.config.KubeSpawner.*`"
            )
        elif path[:-1] == ("hub", "config") and patterns and isinstance(key, str):
            message += (
                "; `hub.config` sections are configurable class names and start with a capital "
                "(the hub refuses to start otherwise)"
            )
        else:
            guess = _did_you_mean(str(key), known)
            if guess:
                message += f"; did you mean `{guess}`?"
                fix = f"Rename `{key}` to `{guess}`."
        self.report("z2jh-unknown-key", path, message, fix)

    def _installer_options(self, path: Path) -> Path | None:
        """Where the options of the installer whose values hold top-level ``path`` sit (Fleet's
        ``helm``, Argo CD's ``spec.source.helm``, a HelmRelease's ``spec``), when the values
        are an installer object's; None for a plain values file."""
        layer = self.release.placing(path)
        if layer is None or not layer.root:
            return None
        found, options = get_path(layer.document, layer.root[:-1])
        return layer.root[:-1] if found and isinstance(options, dict) else None

    def _installer_option(self, path: Path) -> tuple[str, str | None]:
        """An installer's option (``valuesFiles``) written inside the values it installs: the
        chart gets it as a value, and the installer never reads it."""
        layer = self.release.placing(path)
        options = self._installer_options(path)
        assert layer is not None and options is not None
        key = str(path[0])
        home = format_path((*options, key))
        said = (
            f"; `{key}` is an option of the installer ({INSTALLER_OPTIONS[key]}), not a "
            f"values key: it belongs at `{home}`, beside `{format_path(layer.root)}`. Written "
            "here it is a value for the chart, and the installer never reads it"
            + (", so the files it names are never layered" if key.endswith("Files") else "")
        )
        _, value = get_path(self.release.values, path)
        snippet = yaml.safe_dump({key: value}, sort_keys=False, default_flow_style=False).rstrip()
        head = f"Move `{key}` out of `{format_path(layer.root)}`, one level up, to `{home}`:\n"
        if any(isinstance(part, int) for part in options):  # under a list item: named
            return said, f"{head}# in {format_path(options)}\n{snippet}"
        indent = "  " * len(options)
        nest = [f"{'  ' * i}{part}:" for i, part in enumerate(options)]
        return said, head + "\n".join([*nest, *(indent + line for line in snippet.splitlines())])

    def _resources_instead(self, path: Path) -> tuple[str, str | None]:
        """A container's ``resources`` where the chart has keys of its own (moved-keys.yaml's
        ``resources``): the message's addition, and the chart keys that set what it says, in
        the forms those keys take (``500m`` CPU as 0.5, ``1Gi`` as KubeSpawner's ``1G``)."""
        table: dict[str, str] = moved_keys()["resources"][format_path(path)]
        homes = sorted({target.rsplit(".", 1)[0] for target in table.values() if "*" not in target})
        said = (
            "; the chart has keys of its own for the user pod's resources: "
            + ", ".join(f"`{home}.limit`/`{home}.guarantee`" for home in homes)
            + " (KubeSpawner's cpu_limit, cpu_guarantee, mem_limit, mem_guarantee; a guarantee "
            "is the request), and `singleuser.extraResource` for other resources"
        )
        _, value = get_path(self.release.values, path)
        placed: list[tuple[Path, Any]] = []
        for kind, fields in value.items() if isinstance(value, dict) else ():
            for name, amount in fields.items() if isinstance(fields, dict) else ():
                target, other = table.get(f"{kind}.{name}"), table.get(f"{kind}.*")
                if amount is None or (target is None and other is None):
                    continue
                if target is None:  # `nvidia.com/gpu` is one key of extraResource.limits
                    placed.append(((*_dotted(str(other)[:-2]), str(name)), amount))
                    continue
                if name == "cpu":
                    amount = _cpu_number(amount)
                elif name == "memory":
                    amount = _memory_bytes_text(amount)
                placed.append((_dotted(target), amount))
        if not placed:
            return said, None
        return said, self._set_instead(path, placed)

    def wrong_type(self, path: Path, expected: Any, value: Any) -> None:
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(TYPE_NAMES.get(name, name) for name in names)
        got = TYPE_NAMES[_type_of(value)]
        self.report(
            "z2jh-wrong-type",
            path,
            f"`{format_path(path)}` must be {wanted} in z2jh {self.version}, not {got}; "
            "helm would refuse the release",
        )

    def _relocated(self, path: Path, move: Move) -> list[tuple[Path, Any]]:
        """``[(target, value)]``: where the value of old key ``path`` goes, ``move.to`` first. A
        securityContext moved to one of KubeSpawner's two keeps each field at its level (the
        table's ``security-context-levels``): ``fsGroup`` of ``singleuser.securityContext`` goes
        to ``pod_security_context``, not into the container's."""
        _, value = get_path(self.release.values, path)
        if move.inverted and isinstance(value, bool):
            value = not value
        levels = {_dotted(key): set(fields) for key, fields in _security_levels().items()}
        if move.to not in levels or not isinstance(value, dict):
            return [(move.to, value)]
        homes: dict[Path, dict[Any, Any]] = {move.to: {}}
        for field, setting in value.items():
            home = next((target for target, fields in levels.items() if field in fields), move.to)
            homes.setdefault(home, {})[field] = setting
        return [(target, fields) for target, fields in homes.items() if fields]

    def _set_instead(self, path: Path, placed: list[tuple[Path, Any]]) -> str:
        """ "Remove ``path`` and set instead:" each ``(target, value)`` of ``placed``, nested as
        the layer that wrote ``path`` needs it."""
        layer = self.release.placing(path)
        root = self.release.root if layer is None else layer.root
        # Under a list item (a source of an Argo CD Application) the root is named, not nested.
        label = f"# in {format_path(root)}\n" if any(isinstance(p, int) for p in root) else ""
        tree: dict[Any, Any] = {}
        for target, value in placed:
            *above, last = (*(() if label else root), *target)
            inner = tree
            for part in above:
                inner = inner.setdefault(part, {})
            inner[last] = value
        text = yaml.safe_dump(tree, sort_keys=False, default_flow_style=False).rstrip()
        return f"Remove `{format_path(path)}` and set instead:\n{label}{text}"

    def _auth(self) -> tuple[str, str | None]:
        """What z2jh's own translation of ``auth`` (chart 1.0.0's ``_helpers-auth-rework.tpl``)
        makes of it, in ``hub.config``: the message's addition and the fix. A secret is shown
        as where to copy it from; what has no home in this release's hub is named."""
        table = moved_keys()["auth"]
        _, auth = get_path(self.release.values, ("auth",))
        since = table["since"]
        if not isinstance(auth, dict):
            return f"; z2jh {since} moved authentication to `hub.config`", None
        config: dict[str, dict[str, Any]] = {}
        homeless: list[str] = []
        flat = {k: v for k, v in _flatten(auth).items() if k not in ("type",)}
        flat = {k: v for k, v in flat.items() if k.split(".")[0] != "custom"}
        classes = hub_classes(self.version)
        for old, value in flat.items():
            if value is None:  # `users:` with nothing: sets nothing, then and now
                continue
            home = table["keys"].get(old)
            section, _, trait = (home or "").partition(".")
            if home is None or (
                section in classes and trait not in _section_traits(self.version, section)
            ):
                homeless.append(f"auth.{old}")
                continue
            if old in table["secret"]:
                value = f"<the value of auth.{old}>"
            if old == "state.cryptoKey":
                value = [value]  # CryptKeeper.keys is a list
            config.setdefault(section, {})[trait] = value
        kind = auth.get("type")
        given = auth.get("custom")
        custom: dict[Any, Any] = given if isinstance(given, dict) else {}
        authenticator = (
            custom.get("className") if kind == "custom" else table["types"].get(str(kind))
        )
        if isinstance(authenticator, str) and authenticator:
            hub = {"authenticator_class": authenticator, **config.get("JupyterHub", {})}
            config = {"JupyterHub": hub, **{k: v for k, v in config.items() if k != "JupyterHub"}}
            if kind == "custom" and isinstance(custom.get("config"), dict):
                config.setdefault(authenticator.rsplit(".", 1)[-1], {}).update(custom["config"])
        elif kind is not None:
            homeless.append("auth.type")
        said = f"; z2jh {since} moved authentication to `hub.config` (the authenticator's traits)"
        if homeless:
            names = ", ".join(f"`{name}`" for name in homeless)
            said += f"; nblint knows no home in z2jh {self.version} for {names}"
        if not config and not homeless:
            return said, "Remove `auth`: it sets no value."
        if not config:
            return said, None
        return said, self._set_instead(("auth",), [(("hub", "config"), config)])

    # -- Helm: the chart's own refusals (templates/NOTES.txt) ----------------------------------

    def breaking(self) -> None:
        """What the chart's ``NOTES.txt`` refuses though its values schema takes it (the same in
        every 3.x and 4.x release): keys that are gone (``rbac.enabled`` since 2.0.0,
        ``hub.fsGid``) and an ambiguous cloud metadata block. ``helm install`` fails on them
        (``fail`` in NOTES.txt) and so does ``helm template``."""
        values = self.release.values
        for path, (since, instead) in GONE.items():
            if path not in self.touched or path in self.rejected:
                continue
            found, value = get_path(values, path)
            if not found or value is None:  # Helm drops a key a file sets to null
                continue
            self.report(
                "z2jh-unknown-key",
                path,
                f"`{format_path(path)}` is no longer a z2jh key: the chart refuses it as of "
                f"{since} (its NOTES.txt fails the release), so helm would refuse the release; "
                f"configure it via {instead}",
                f"Remove `{format_path(path)}`; configure it via {instead}.",
            )
        cloud_metadata = ("singleuser", "cloudMetadata")
        if cloud_metadata in self.touched and not isinstance(
            get_path(values, cloud_metadata)[1], dict
        ):
            # The hub's configuration (every 3.x and 4.x release) calls
            # `get_config("singleuser.cloudMetadata").get(...)`: None has no `.get`.
            self.report(
                "z2jh-wrong-type",
                cloud_metadata,
                "`singleuser.cloudMetadata` is left empty (null): Helm drops the chart's default "
                "section, and the hub's configuration reads it as a mapping "
                '(`cloud_metadata.get("blockWithIptables")`), so the hub does not start',
                "Remove the empty `singleuser.cloudMetadata:`, or give it its keys "
                "(`blockWithIptables: false` with the chart's NetworkPolicy, see "
                "notebook-cloud-metadata).",
            )
        block = ("singleuser", "cloudMetadata", "blockWithIptables")
        policy = ("singleuser", "networkPolicy", "enabled")
        egress = ("singleuser", "networkPolicy", "egressAllowRules", "cloudMetadataServer")
        if all(get_path(values, path)[1] is True for path in (block, policy, egress)):
            where = next((p for p in (egress, block, policy) if p in self.touched), egress)
            self.report(
                "z2jh-wrong-type",
                where,
                "`singleuser.cloudMetadata.blockWithIptables` and "
                "`singleuser.networkPolicy.egressAllowRules.cloudMetadataServer` are both true "
                "(with the singleuser NetworkPolicy enabled): the chart refuses this ambiguous "
                "configuration as of 3.0.0 (its NOTES.txt fails the release), so helm would "
                "refuse the release",
                "Set `singleuser.cloudMetadata.blockWithIptables: false` to let the NetworkPolicy "
                "decide, or drop `egressAllowRules.cloudMetadataServer: true` to keep the block.",
            )

    # -- the hub: KubeSpawner trait names -------------------------------------------------------

    def kubespawner_config(self) -> None:
        path: Path = ("hub", "config", "KubeSpawner")
        _, config = get_path(self.release.values, path)
        if isinstance(config, dict):
            self.traits(config, path, "`hub.config.KubeSpawner`")
            self._profile_list(config.get("profile_list"), (*path, "profile_list"))
        # The base class's section reaches KubeSpawner too (traitlets config is inherited): its
        # values are typed the same, but other names there are not KubeSpawner's to judge.
        spawner_path: Path = ("hub", "config", "Spawner")
        _, spawner = get_path(self.release.values, spawner_path)
        if isinstance(spawner, dict):
            traits = kubespawner_traits(self.version)
            for name, value in spawner.items():
                if isinstance(name, str) and name in traits:
                    self._trait_type(name, value, (*spawner_path, name), "`hub.config.Spawner`")

    def hub_sections(self) -> None:
        """Trait names in the ``hub.config`` sections (and ``hub.extraConfig`` settings) of the
        classes the hub image ships — ``JupyterHub`` and its authenticators. traitlets ignores
        a name its class does not have (it only logs a warning), so the setting has no effect.
        A section is read by its class and every subclass, so a name any known subclass has is
        taken; sections of classes nblint does not know are left alone."""
        config_path: Path = ("hub", "config")
        _, sections = get_path(self.release.values, config_path)
        names: list[tuple[str, str, Path, Any]] = []
        if isinstance(sections, dict):
            for section, traits in sections.items():
                if section in ("KubeSpawner", "Spawner") or not isinstance(traits, dict):
                    continue
                names += [
                    (str(section), str(name), (*config_path, section, name), value)
                    for name, value in traits.items()
                    # The chart's own defaults name real traits.
                    if self.release.written((*config_path, section, name))
                ]
        names += [
            (a.section, a.trait, a.path, a.value) for a in self.release.extra_config.assignments
        ]
        if not names:
            return
        classes = hub_classes(self.version)
        for section, name, path, value in names:
            if section in ("KubeSpawner", "Spawner") or section not in classes:
                continue
            allowed = _section_traits(self.version, section)
            if name in allowed:
                self._authenticator_trait_type(section, name, value, path)
                continue
            self._unknown_hub_trait(section, name, path, sorted(allowed))

    def authenticator_name(self) -> None:
        """A plain ``authenticator_class`` (no dot: not an import path) that is none of the hub
        image's ``jupyterhub.authenticators`` entry points. JupyterHub's ``EntryPointType`` looks
        the name up among them (case-folded), else imports it as a class; a bare name is no
        class, so the hub refuses it at start. Judged as the hub sees it: ``hub.config``, then
        the ``hub.extraConfig`` settings nblint read (code it did not read: not judged)."""
        config_path: Path = ("hub", "config", "JupyterHub", "authenticator_class")
        if ("JupyterHub", "authenticator_class") in self.release.extra_config.unread_targets:
            return
        last = self.release.extra_config.last("JupyterHub", "authenticator_class")
        if last is not None:
            value, path = last.value, last.path
        elif self.release.written(config_path):
            _, value = get_path(self.release.values, config_path)
            path = config_path
        else:
            return  # the chart's own `dummy`
        if not isinstance(value, str) or not value or "." in value or is_unknowable(value):
            return
        names = hub_authenticator_names(self.version)
        if value.lower() in names:
            return
        shown_names = sorted(name for name in names if not name.startswith("local-"))
        import difflib  # only for a name the image lacks

        close = difflib.get_close_matches(value.lower(), shown_names, n=3, cutoff=0.6)
        where = (
            "`c.JupyterHub.authenticator_class` of `hub.extraConfig`"
            if path[:2] == ("hub", "extraConfig")
            else "`hub.config.JupyterHub.authenticator_class`"
        )
        hint = f" Did you mean {_or_list(close)}?" if close else ""
        custom = self._custom_hub_image()
        if custom is not None:
            self.report(
                "z2jh-hub-code",
                path,
                f"{where} is `{value}`, which no authenticator of the hub image of z2jh "
                f"{self.version} is named ({', '.join(shown_names)}).{hint} The hub runs its own "
                f"image `{custom}`, whose packages nblint cannot see: one of them may register "
                "that name; if none does, the hub refuses it at start",
                f"Check that a package of `{custom}` registers `{value}` as a "
                "`jupyterhub.authenticators` entry point, or name the class by its import path.",
            )
            return
        message = (
            f"{where} is `{value}`, which no authenticator of the z2jh {self.version} hub image is "
            "named: JupyterHub takes an entry-point name of an installed authenticator package, "
            "or a class's import path, and refuses anything else at start, so the hub does not "
            f"start.{hint} The image's names: {', '.join(shown_names)} (and `local-` forms of "
            "the OAuth ones)"
        )
        fix = (
            f"Name one of the image's authenticators (`{close[0]}`?)"
            if close
            else "Name one of the image's authenticators (`github`, `generic-oauth`, `ldap`…)"
        ) + ", or a class by its import path (`mypackage.MyAuthenticator`) that the hub can import."
        self.report("z2jh-wrong-type", path, message, fix)

    def _authenticator_trait_type(self, section: str, name: str, value: Any, path: Path) -> None:
        """An authenticator trait of a type traitlets refuses: the hub does not start."""
        if value is None or is_unknowable(value) or self._custom_hub_image() is not None:
            return  # (another image's classes may type it otherwise)
        classes = hub_classes(self.version)
        owners = [section, *classes[section]["bases"]]
        kind = next(
            (
                AUTHENTICATOR_TRAIT_KINDS[c][name]
                for c in owners
                if name in AUTHENTICATOR_TRAIT_KINDS.get(c, {})
            ),
            None,
        )
        if kind is None:
            return
        takes, wanted = _KIND_CHECKS[kind]
        if takes(value):
            return
        where = (
            f"`c.{section}` of `hub.extraConfig`"
            if path[:2] == ("hub", "extraConfig")
            else f"`hub.config.{section}`"
        )
        message = (
            f"`{name}` in {where} must be {wanted}, not {_show(value)}: traitlets refuses it "
            "when the hub builds its authenticator, so the hub does not start"
        )
        fix = None
        env = AUTHENTICATOR_TRAIT_ENV.get(name)
        if isinstance(value, dict) and "valueFrom" in value:
            message += (
                " (`valueFrom` is a container's env syntax; `hub.config` is not read by Kubernetes)"
            )
            if env is not None:
                fix = (
                    f"Remove `{name}` here and give the hub the environment variable `{env}` "
                    f"instead (OAuthenticator reads `{name}` from it): `hub.extraEnv.{env}` "
                    "takes this `valueFrom`."
                )
        self.report("z2jh-wrong-type", path, message, fix)

    def _unknown_hub_trait(self, section: str, name: str, path: Path, allowed: list[str]) -> None:
        hub = hub_image(self.version)["jupyterhub"]
        snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()
        camel = snake != name and snake in allowed
        # Code of the hub's own that nblint cannot see: a hub image of its own (a patched
        # JupyterHub, other authenticator releases or subclasses), or a spawner class of its own
        # (a package installed where the hub runs). Either may give the section's class the name
        # -- unless it is the camelCase of a trait the class has: that one is misspelt anywhere.
        custom = None if camel else self._custom_hub_image()
        unseen = None
        if custom is not None:
            unseen = f"the hub runs its own image `{custom}`, whose packages nblint cannot see"
        elif not camel and (spawner := self._custom_spawner()) is not None:
            custom = spawner[0]
            unseen = (
                f"the hub spawns with a class of its own, `{custom}`, whose package nblint "
                "cannot see"
            )
        owner = f"JupyterHub {hub}" if section == "JupyterHub" else "the hub image's packages"
        if unseen is not None:
            message = (
                f"`{name}` is not a trait of {section} in the hub image of z2jh {self.version} "
                f"(JupyterHub {hub} and its authenticators), but {unseen}: a class there (a "
                f"subclass of {section}, another version) may take it; if none does, the hub "
                "ignores it"
            )
        else:
            message = (
                f"`{name}` is not a trait of {section} ({owner}, z2jh {self.version}): the hub "
                "ignores it, so the setting has no effect"
            )
        meant = snake if camel else _did_you_mean(name, allowed)
        fix = None
        if meant:
            message += f"; did you mean `{meant}`?"
            fix = f"Rename `{name}` to `{meant}`."
        if unseen is not None:
            # nblint cannot know the classes of that code: said, not judged.
            self.report(
                "z2jh-hub-code",
                path,
                message,
                fix
                or f"Check that the hub's own code (`{custom}`) defines `{name}` (`jupyterhub "
                "--help-all` where the hub runs lists its traits).",
            )
            return
        chart_key = ("hub", name)
        if section == "JupyterHub" and name in values_schema(self.version)["properties"]["hub"].get(
            "properties", {}
        ):
            message += f" (`{format_path(chart_key)}` is the chart's own key for it)"
        self.report("z2jh-unknown-trait", path, message, fix)

    def _custom_spawner(self) -> tuple[str, Path] | None:
        """The spawner class the hub is given, with the line that names it, when it is not
        KubeSpawner (nor code nblint did not read)."""
        spawner: tuple[Any, Path] | None = None
        found, value = get_path(self.release.values, SPAWNER_CLASS)
        if found:
            spawner = (value, SPAWNER_CLASS)
        for a in self.release.extra_config.of("JupyterHub"):
            if a.trait == "spawner_class":
                spawner = (a.value, a.path)  # extraConfig runs after hub.config
        if ("JupyterHub", "spawner_class") in self.release.extra_config.unread_targets:
            return None  # code nblint did not read sets it: z2jh-extra-config says so
        if spawner is None or not isinstance(spawner[0], str) or is_unknowable(spawner[0]):
            return None
        if spawner[0].replace(":", ".") in KUBESPAWNER_CLASSES:
            return None
        return spawner[0], spawner[1]

    def _unseen_spawner(self, name: str, elsewhere: list[str]) -> str | None:
        """Why nblint cannot know whether the hub's spawner has trait ``name``: a spawner class
        of its own (a KubeSpawner subclass reads the `KubeSpawner` section and may define it),
        or a hub image of its own whose KubeSpawner may be a release that has it."""
        spawner = self._custom_spawner()
        if spawner is not None and name.isidentifier():
            return f"the hub spawns with `{spawner[0]}`, which may define it"
        image = self._custom_hub_image()
        if image is not None and elsewhere:
            return f"the hub runs its own image `{image}`, whose KubeSpawner may be one that has it"
        return None

    def _custom_hub_image(self) -> str | None:
        """The hub's image when the values name another one than the chart's own
        (``quay.io/jupyterhub/k8s-hub``, or its Docker Hub name of 3.x): its packages, and so
        the classes and traits ``hub.config`` may name, are unknown to nblint."""
        found, name = get_path(self.release.values, ("hub", "image", "name"))
        if not found or not isinstance(name, str) or not name or is_unknowable(name):
            return None
        stock = chart_defaults(self.version).get("hub", {}).get("image", {}).get("name")
        bare = re.sub(r"^(docker\.io/|index\.docker\.io/|registry-1\.docker\.io/)", "", name)
        if bare in (stock, "jupyterhub/k8s-hub", "quay.io/jupyterhub/k8s-hub"):
            return None
        return name

    def profiles(self) -> None:
        path: Path = ("singleuser", "profileList")
        _, profiles = get_path(self.release.values, path)
        self._profile_list(profiles, path)

    def _profile_list(self, profiles: Any, path: Path) -> None:
        entries: Iterator[tuple[str | int, Any]]
        if isinstance(profiles, list):
            entries = iter(enumerate(profiles))
        elif isinstance(profiles, dict):  # KubeSpawner 7.1 accepts a map keyed by slug
            entries = iter(profiles.items())
        else:
            return
        for key, profile in entries:
            here = (*path, key)
            if not isinstance(profile, dict):
                self._not_a_mapping(here, f"`{format_path(here)}`", profile)
                continue
            if profile.get("display_name") is None and profile.get("slug") is None:
                self._no_spawn(
                    here,
                    f"`{format_path(here)}` needs a `display_name` or a `slug`",
                )
            name = profile.get("display_name") or profile.get("slug") or key
            self._profile_shape(profile, here, name)
            self._profile_keys(profile, here, name)
            kubespawner = kubespawner_version(self.version)
            for where, override in _overrides(profile, here):
                level = (
                    UNLISTED
                    if where[-2] == "unlisted_choice"
                    else CHOICE
                    if len(where) > 3 and where[-3] == "choices"
                    else PROFILE
                )
                # The keys of the entry itself, often misplaced inside its override.
                own = (keys_read(kubespawner, level) or frozenset()) - {"kubespawner_override"}
                where_text = f"the `kubespawner_override` of profile {_show(name)}"
                self.traits(override, where, where_text, entry_keys=(level, own))

    def _profile_shape(self, profile: Mapping[str, Any], path: Path, name: Any) -> None:
        """The parts of a profile KubeSpawner reads as mappings (it calls ``.get``/``.items``).

        Helm's schema does not type them; KubeSpawner prepares every profile for every spawn,
        so a malformed option stops all spawns, a malformed override those that apply it. A key
        written with a null value counts: KubeSpawner's ``.get(key, {})`` then returns None, and
        Helm keeps nulls inside list items (it only deletes keys a chart's defaults have).
        """
        if "kubespawner_override" in profile and not isinstance(
            profile["kubespawner_override"], dict
        ):
            self._spawns_of_profile_fail(
                (*path, "kubespawner_override"), name, profile["kubespawner_override"]
            )
        if "profile_options" not in profile:
            return
        options = profile["profile_options"]
        if not isinstance(options, dict):
            self._not_a_mapping(
                (*path, "profile_options"), f"`profile_options` of profile {_show(name)}", options
            )
            return
        for option_name, option in options.items():
            here = (*path, "profile_options", option_name)
            what = f"option {_show(option_name)} of profile {_show(name)}"
            if not isinstance(option, dict):
                self._not_a_mapping(here, what, option)
                continue
            choices = option.get("choices")
            if choices and not isinstance(choices, dict):
                self._not_a_mapping((*here, "choices"), f"`choices` of {what}", choices)
            # KubeSpawner looks for a default choice in order and stops at the first it finds:
            # a malformed choice before it stops every spawn, one after it only its own.
            defaulted = False
            for choice_name, choice in choices.items() if isinstance(choices, dict) else ():
                at = (*here, "choices", choice_name)
                if not isinstance(choice, dict):
                    if defaulted:
                        self.report(
                            "z2jh-spawn-failure",
                            at,
                            f"choice {_show(choice_name)} of {what} must be a mapping, not "
                            f"{_show(choice)}: every spawn that picks it fails",
                            PROFILE_SHAPE_FIX,
                        )
                    else:
                        self._not_a_mapping(at, f"choice {_show(choice_name)} of {what}", choice)
                    continue
                defaulted = defaulted or bool(choice.get("default"))
                if "kubespawner_override" not in choice:
                    self._choice_without_override(at, choice_name, what)
                elif not isinstance(choice["kubespawner_override"], dict):
                    self._spawns_of_profile_fail(
                        (*at, "kubespawner_override"), name, choice["kubespawner_override"]
                    )
            if "unlisted_choice" in option and not isinstance(option["unlisted_choice"], dict):
                unlisted = option["unlisted_choice"]
                self._not_a_mapping(
                    (*here, "unlisted_choice"), f"`unlisted_choice` of {what}", unlisted
                )

    # -- the hub: the keys KubeSpawner reads in a profile --------------------------------------

    def _profile_keys(self, profile: Mapping[str, Any], path: Path, name: Any) -> None:
        """Keys of a profile, of its options, their choices and unlisted choices, that the
        release's KubeSpawner does not read (:mod:`.profile_keys`): silently ignored."""
        kubespawner = kubespawner_version(self.version)
        named = profile.get("display_name") or profile.get("slug")
        # The name the profile's pods go by (:func:`.profiles.selections`).
        profile_name = str(named) if named else f"profile {path[-1]}"
        own = f"profile {_show(profile_name)}" if named else f"`{format_path(path)}`"
        self._entry_keys(profile, path, PROFILE, own, profile_name)
        options = profile.get("profile_options")
        if not isinstance(options, dict):
            return
        unlisted_read = keys_read(kubespawner, UNLISTED) is not None
        for option_name, option in options.items():
            if not isinstance(option, dict):
                continue
            here = (*path, "profile_options", option_name)
            what = f"option {_show(option_name)} of {own}"
            self._entry_keys(option, here, OPTION, what, profile_name)
            choices = option.get("choices")
            for choice_name, choice in choices.items() if isinstance(choices, dict) else ():
                if isinstance(choice, dict):
                    at = (*here, "choices", choice_name)
                    self._entry_keys(
                        choice, at, CHOICE, f"choice {_show(choice_name)} of {what}", profile_name
                    )
            unlisted = option.get("unlisted_choice")
            if unlisted_read and isinstance(unlisted, dict):
                at = (*here, "unlisted_choice")
                self._entry_keys(
                    unlisted, at, UNLISTED, f"the `unlisted_choice` of {what}", profile_name
                )

    def _readers(self) -> CustomReaders:
        """What else may read a profile's keys (worked out once per release)."""
        if self._custom_readers is None:
            values = self.release.values
            hidden = None
            if self.release.unseen:
                hidden = self.release.unseen.rstrip(",")
            elif self.release.written(("hub", "image", "name")):
                _, image = get_path(values, ("hub", "image", "name"))
                _, chart = get_path(chart_defaults(self.version), ("hub", "image", "name"))
                if image != chart:
                    hidden = f"the hub image {_show(image)}"
            if hidden is None and next(self._config_files(), None) is not None:
                hidden = "configuration files mounted in the hub"
            self._custom_readers = custom_readers(
                get_path(values, ("hub", "config", "KubeSpawner"))[1],
                get_path(values, ("hub", "extraConfig"))[1],
                hidden,
            )
        return self._custom_readers

    def _entry_keys(
        self, entry: Mapping[str, Any], path: Path, level: str, what: str, profile: str
    ) -> None:
        kubespawner = kubespawner_version(self.version)
        known = keys_read(kubespawner, level) or frozenset()
        for key, value in entry.items():
            if not isinstance(key, str) or key in known:
                continue
            readers = self._readers()
            if readers.quoted(key):
                continue  # the hub's code reads it
            newer = read_by(key, level)
            moved = None if newer else self._as_traits(key, value)
            guess = None if newer or moved is not None else _did_you_mean(key, sorted(known))
            custom = readers.form or readers.hidden
            if newer and readers.hidden:
                continue  # that hub may run another KubeSpawner
            if moved is None and not newer and custom and guess not in FUNCTIONAL:
                continue  # another form or code may read it
            where = LEVEL_NAMES[level]
            message = (
                f"`{key}` in {what} is not a key KubeSpawner {kubespawner} (the hub of z2jh "
                f"{self.version}) reads {where}: it is ignored, so the setting has no effect"
            )
            fix: str | None = None
            edit = None
            if newer:
                verb = "reads" if len(newer) == 1 else "read"
                message += f"; KubeSpawner {', '.join(_pinned_by(newer))} {verb} it"
                fix = "Upgrade the chart to a release whose KubeSpawner reads it, or remove it."
            elif moved is not None:
                message, fix, edit = self._move_into_override(
                    entry, path, level, key, value, moved, message
                )
            elif guess:
                message += f"; did you mean `{guess}`?"
                fix = f"Rename `{key}` to `{guess}`."
            else:
                readable = ", ".join(f"`{k}`" for k in sorted(known))
                message += f" (it reads {readable})"
                fix = f"Remove `{key}`: KubeSpawner reads only {readable} {where}."
            origin = self.release.locate((*path, key))
            self.problems.append(
                Reported(
                    "z2jh-unknown-profile-key",
                    message,
                    origin,
                    VALUES_OBJECT,
                    fix,
                    profile=profile,
                    edit=edit,
                )
            )

    def _as_traits(self, key: str, value: Any) -> dict[str, Any] | None:
        """The ``kubespawner_override`` entries that say what ``key: value`` means, when ``key``
        is a KubeSpawner trait (or a deprecated name of one) or a ``singleuser`` values key of
        the chart (turned into the traits it sets); else None."""
        traits = kubespawner_traits(self.version)
        aliases = deprecated_aliases(kubespawner_version(self.version))
        is_trait = key in traits or key in aliases
        if is_trait and (key not in TRAIT_KINDS or value is None or _trait_check(key)(value)):
            return {key: value}
        singleuser = values_schema(self.version)["properties"]["singleuser"].get("properties", {})
        if key in singleuser and value is not None and _chart_key_check(self.version, key)(value):
            from nblint.dialects.z2jh.placement import traits_set_by

            found = traits_set_by(self.release, {"singleuser": {key: value}})
            if found:
                return found
        return {key: value} if is_trait else None

    def _move_into_override(
        self,
        entry: Mapping[str, Any],
        path: Path,
        level: str,
        key: str,
        value: Any,
        traits: dict[str, Any],
        message: str,
    ) -> tuple[str, str, Any]:
        """The message, the hint and the edit for a trait (or a values key) written beside a
        ``kubespawner_override`` instead of inside it."""
        names = ", ".join(f"`{name}`" for name in traits)
        as_is = traits == {key: value}
        if as_is:
            message += f"; `{key}` is a KubeSpawner trait: it takes effect inside "
        else:
            message += (
                f"; written as `singleuser.{key}` of the chart's values, it means {names}, which "
                + ("takes" if len(traits) == 1 else "take")
                + " effect inside "
            )
        if level == OPTION:
            message += "the `kubespawner_override` of a choice (an option has none)"
            snippet = yaml.safe_dump(
                {"kubespawner_override": traits}, sort_keys=False, default_flow_style=False
            ).rstrip()
            fix = (
                f"Move `{key}` into the `kubespawner_override` of each choice that needs it:\n"
                + snippet
            )
            return message, fix, None
        message += "`kubespawner_override`"
        override = entry.get("kubespawner_override")
        clash = sorted(set(traits) & set(override)) if isinstance(override, dict) else []
        if clash:
            message += f" (which sets {', '.join(f'`{name}`' for name in clash)} already)"
            return message, f"Remove `{key}`: `kubespawner_override` sets it already.", None
        intro = f"Move `{key}` into `kubespawner_override`" + ("" if as_is else f" (as {names})")
        shown = {"kubespawner_override": traits}
        # A null cannot be merged in (it deletes), an override that is no mapping fails, and a
        # value KubeSpawner would refuse is not moved where it fails every spawn.
        if (override is None or isinstance(override, dict)) and all(
            _movable(name, v) for name, v in traits.items()
        ):
            from nblint.dialects.z2jh.placement import values_fix

            placed = values_fix(self.release, intro + ":", path, shown, {key: None, **shown})
            return message, placed.text, placed.edit
        text = yaml.safe_dump(shown, sort_keys=False, default_flow_style=False).rstrip()
        return message, f"{intro}:\n{text}", None

    def _choice_without_override(self, path: Path, choice_name: Any, what: str) -> None:
        """KubeSpawner 6.0.0 (z2jh 3.0.x) indexes a chosen choice's ``kubespawner_override``
        without a default (a KeyError); 6.1.0 and later read it with ``.get(…, {})``."""
        kubespawner = kubespawner_version(self.version)
        if kubespawner != "6.0.0":
            return
        self.report(
            "z2jh-spawn-failure",
            path,
            f"choice {_show(choice_name)} of {what} has no `kubespawner_override`: KubeSpawner "
            f"{kubespawner} (z2jh {self.version}) requires one in every choice, so every spawn "
            "that picks it fails",
            f"Give choice {_show(choice_name)} `kubespawner_override: {{}}`, or upgrade to z2jh "
            "3.1.0 or later, whose KubeSpawner reads a choice without one.",
        )

    def _not_a_mapping(self, path: Path, what: str, value: Any) -> None:
        self._no_spawn(path, f"{what} must be a mapping, not {_show(value)}")

    def _no_spawn(self, path: Path, problem: str) -> None:
        self.report(
            "z2jh-spawn-failure",
            path,
            f"{problem}: KubeSpawner cannot prepare the profile list, so no user can spawn",
            PROFILE_SHAPE_FIX,
        )

    def _spawns_of_profile_fail(self, path: Path, name: Any, value: Any) -> None:
        self.report(
            "z2jh-spawn-failure",
            path,
            f"`kubespawner_override` must be a mapping, not {_show(value)}: every spawn of "
            f"profile {_show(name)} with it fails",
            PROFILE_SHAPE_FIX,
        )

    def traits(
        self,
        config: Mapping[str, Any],
        path: Path,
        where: str,
        at: Mapping[str, Path] | None = None,
        entry_keys: tuple[str, frozenset[str]] | None = None,
    ) -> None:
        """Check the KubeSpawner trait names (and their types) of ``config``; each name's values
        path is ``(*path, name)``, or ``at[name]`` (the line of an extraConfig statement).
        ``entry_keys``: for a ``kubespawner_override``, the level of the profile entry it is in
        and the keys KubeSpawner reads there (misplaced in the override)."""
        traits = kubespawner_traits(self.version)
        kubespawner = kubespawner_version(self.version)
        aliases = deprecated_aliases(kubespawner_version(self.version))
        unconfigurable = unconfigurable_traits(self.version)
        for name, value in config.items():
            here = at[name] if at is not None and name in at else (*path, name)
            if isinstance(name, str) and name in traits:
                self._trait_type(name, value, here, where)
                continue
            if isinstance(name, str) and name in aliases:
                # A deprecated name KubeSpawner still applies (whether it is ignored in favour of
                # its new name is said where the configuration is built).
                target = name
                while target in aliases and target not in traits:
                    target = aliases[target]
                if target in traits:
                    self._trait_type(target, value, here, where)
                if entry_keys is not None and target in traits:
                    # `_apply_overrides` sets it through KubeSpawner's alias property, which sets
                    # the new trait and warns (the hub's own section is said where it is built).
                    self.report(
                        "z2jh-deprecated-trait",
                        here,
                        f"`{name}` in {where} is a deprecated name of `{target}` in KubeSpawner "
                        f"{kubespawner}: it still sets `{target}`, but the hub warns at every "
                        f"spawn and a later release may drop the name; use `{target}`",
                        f"Rename `{name}` to `{target}`.",
                    )
                continue
            if not isinstance(name, str):
                continue
            if name in unconfigurable:
                self._unconfigurable_trait(name, here, where, in_override=entry_keys is not None)
                continue
            if entry_keys is not None and name in entry_keys[1]:
                entry = ENTRY_NAMES[entry_keys[0]]
                self.report(
                    "z2jh-unknown-trait",
                    here,
                    f"`{name}` in {where} is not a KubeSpawner trait: it is silently ignored by "
                    f"the hub; `{name}` is a key of the {entry} itself",
                    f"Move `{name}` out of `kubespawner_override`, beside it.",
                )
                continue
            shaped = chart_shape_intent(name, value) if "override" in where else None
            if shaped is not None:
                # The chart's nested layout copied into an override: each leaf is a trait.
                named = ", ".join(f"`{trait}`" for trait in shaped[0])
                self.report(
                    "z2jh-unknown-trait",
                    here,
                    f"`{name}` in {where} is not a trait of KubeSpawner {kubespawner} (the hub of "
                    f"z2jh {self.version}): it makes every spawn with it fail; it is the chart's "
                    f"`singleuser.{name}` layout, which the chart gives to {named}",
                    f"Write the traits the chart sets from `singleuser.{name}` in its place:\n"
                    f"{shaped[1]}",
                )
                continue
            meant, why = TRAIT_INTENT.get(name) or chart_key_intent(name) or ("", "")
            meant = meant or _did_you_mean(name, sorted(traits)) or ""
            effect = (
                "makes every spawn with it fail"
                if isinstance(value, dict) and "override" in where
                else "is silently ignored by the hub"
            )
            message = (
                f"`{name}` in {where} is not a trait of KubeSpawner {kubespawner} (the hub of "
                f"z2jh {self.version}): it {effect}"
            )
            fix = None
            elsewhere = [] if meant else _releases_with_trait(name)
            if elsewhere and name in traits_of_kubespawner(kubespawner):
                # KubeSpawner has it, the hub's JupyterHub (whose Spawner it inherits) not yet.
                message += (
                    f"; it is a Spawner trait of a newer JupyterHub than the hub's "
                    f"{hub_image(self.version)['jupyterhub']}"
                )
                message += f": it exists in KubeSpawner {' and '.join(elsewhere)}"
            elif elsewhere:
                message += f"; it exists in KubeSpawner {' and '.join(elsewhere)}"
            if meant:
                message += f"; did you mean `{meant}`?"
                fix = f"Rename `{name}` to `{meant}`" + (f"; {why}." if why else ".")
                if meant == "tolerations" and "override" in where:
                    fix += "\n" + self._tolerations_fix(value)
            else:
                # No name to suggest, so the rule's general fix, unless the key plainly meant
                # something KubeSpawner spells otherwise.
                fix = _no_rename_fix(name, value, config, self._hub_resource_limits(where))
            unseen = self._unseen_spawner(name, _releases_with_trait(name))
            if unseen is not None:
                # Code nblint cannot see decides: said, not judged.
                message = (
                    f"`{name}` in {where} is not a trait of KubeSpawner {kubespawner} (the hub of "
                    f"z2jh {self.version}), but {unseen}; nblint cannot see it (if it has no "
                    f"such trait, `{name}` {effect})"
                ) + (f"; did you mean `{meant}`?" if meant else "")
                self.report(
                    "z2jh-hub-code",
                    here,
                    message,
                    fix
                    if meant
                    else f"Check that the hub's spawner defines `{name}` (`jupyterhub "
                    "--help-all` in the hub's image lists its traits).",
                )
                continue
            self.report("z2jh-unknown-trait", here, message, fix)

    def replaced_values(self) -> None:
        """Values keys the user wrote whose trait ``hub.config`` or a plain ``hub.extraConfig``
        setting replaces: the chart builds the traits from the values, then loads ``hub.config``
        over them (``c[section].update(cfg)``: a named trait replaced whole), then runs the
        snippets, so those keys have no effect (a profile's override still wins, at spawn).
        Said only when the replacing value differs (the same one is redundant, not misleading);
        one finding per trait, at the first of its keys, naming what replaces it."""
        release = self.release
        sections = [
            get_path(release.values, ("hub", "config", section))[1]
            for section in ("KubeSpawner", "Spawner")
        ]
        if not release.extra_config.assignments and not any(
            isinstance(section, dict) and section for section in sections
        ):
            return  # (most releases: nothing but the chart builds the traits)
        from nblint.dialects.z2jh.chart_config import chart_traits, chart_written_traits
        from nblint.dialects.z2jh.traits import normalise_types

        values, version = release.values, self.version
        chart = chart_written_traits(values, version, copies=False)
        normalise_types(chart)  # (as hub.config's are: `8G` is 8589934592 bytes on both sides)
        configured = chart_traits(values, version, copies=False)
        final = chart_traits(values, version, extra=release.extra_config, copies=False)
        for name, trait in final.traits.items():
            set_by = trait.sources.get(())
            if set_by is None or set_by.path[:2] not in (("hub", "config"), ("hub", "extraConfig")):
                continue
            # What it replaced: the chart's own trait (hub.config), or what the values and
            # hub.config gave before the code ran.
            earlier = configured if set_by.path[1] == "extraConfig" else chart
            replaced = earlier.traits.get(name)
            if replaced is None or replaced.value == trait.value:
                continue  # nothing set, or the same value again: redundant, not misleading
            keys: list[Path] = []
            for source in replaced.sources.values():
                key = source.path
                if release.written(key) and not any(key[: len(k)] == k for k in keys):
                    keys = [k for k in keys if k[: len(key)] != key]
                    keys.append(key)
            if not keys:
                continue
            keys.sort(key=lambda key: release.locate(key).line)
            line = release.locate(set_by.path).line
            named = ", ".join(f"`{format_path(key)}`" for key in keys)
            verb = "has" if len(keys) == 1 else "have"
            self.report(
                "z2jh-value-replaced",
                keys[0],
                f"{named} {verb} no effect: {format_path(set_by.path)} (line {line} of the file) "
                f"sets the trait `{name}` after the chart builds it from the values, and "
                f"replaces what {'it' if len(keys) == 1 else 'they'} set",
            )

    def _hub_resource_limits(self, where: str) -> dict[str, Any] | None:
        """For a ``kubespawner_override`` (``where``), the extended resource limits it replaces:
        z2jh's ``singleuser.extraResource.limits`` and ``hub.config.KubeSpawner``'s; None for
        the hub's own configuration."""
        if "override" not in where:
            return None
        limits: dict[str, Any] = {}
        for path in (
            ("singleuser", "extraResource", "limits"),
            ("hub", "config", "KubeSpawner", "extra_resource_limits"),
        ):
            _, value = get_path(self.release.values, path)
            limits.update(value if isinstance(value, dict) else {})
        return limits

    def _unconfigurable_trait(self, name: str, path: Path, where: str, in_override: bool) -> None:
        """A trait of KubeSpawner (most of them JupyterHub ``Spawner``'s) that is not
        configurable: the hub's configuration never sets it (traitlets skips it, as any name
        that is no configurable trait), but a profile's ``kubespawner_override`` does, since
        ``_apply_overrides`` sets any attribute. Of those, one is deprecated and still read
        (``env``: ``get_env`` merges it): said with what replaces it. The others are the hub's
        own state of a spawn (``user``, ``api_token``…), whose effect nblint does not judge."""
        instead = deprecated_unconfigurable_traits().get(name)
        hub = hub_image(self.version)
        of = (
            f"JupyterHub {hub['jupyterhub']} and KubeSpawner {hub['kubespawner']} (the hub of "
            f"z2jh {self.version})"
        )
        if not in_override:
            message = (
                f"`{name}` in {where} is not a configurable trait of {of}: it is silently "
                "ignored by the hub"
            )
            fix = None
            if instead is not None:
                message += f"; `{name}` is deprecated, use `{instead}`"
                fix = f"Rename `{name}` to `{instead}`."
            self.report("z2jh-unknown-trait", path, message, fix)
        elif instead is not None:
            self.report(
                "z2jh-deprecated-trait",
                path,
                f"`{name}` in {where} is a deprecated trait of {of}: it still applies, but the "
                f"hub warns at every spawn and a later release may drop it; use `{instead}`",
                f"Rename `{name}` to `{instead}` (the same mapping: both set environment "
                f"variables, `{instead}` wins where both name one).",
            )
        else:
            # Not configuration: `_apply_overrides` still sets it, over the hub's own state of
            # the spawn. What that does nblint does not judge; that it is set is true.
            self.report(
                "z2jh-deprecated-trait",
                path,
                f"`{name}` in {where} is not a configurable trait of {of} but the hub's own "
                "state of a spawn: KubeSpawner's `_apply_overrides` still sets it, over what the "
                "hub set (nblint does not judge the effect)",
                f"Remove `{name}` from the `kubespawner_override` (it is no configuration).",
            )

    def _trait_type(self, name: str, value: Any, path: Path, where: str) -> None:
        """A trait of the wrong type: the hub refuses it (traitlets) when a user spawns."""
        kind = TRAIT_KINDS.get(name)
        if kind is None or value is None or is_unknowable(value):
            return
        takes, wanted = _KIND_CHECKS[kind]
        if takes(value):
            return
        # The chart's `singleuser.image: {name, tag}` copied where KubeSpawner's string belongs.
        image = image_intent(value) if name == "image" else None
        self.report(
            "z2jh-wrong-type",
            path,
            f"`{name}` in {where} must be {wanted}, not {_show(value)}: KubeSpawner refuses it "
            "and every spawn with it fails",
            None
            if image is None
            else "Write the image as one string `name:tag`, as KubeSpawner takes it (`name` and "
            f"`tag` are the chart's `singleuser.image` layout):\nimage: {image}"
            + _pull_policy_line(value),
        )
        self.rejected.append(path)

    def _tolerations_fix(self, value: Any) -> str:
        _, chart = get_path(self.release.values, ("scheduling", "userPods", "tolerations"))
        _, extra = get_path(self.release.values, ("singleuser", "extraTolerations"))
        merged = [*(chart or []), *(extra or []), *(value if isinstance(value, list) else [])]
        return yaml.safe_dump(
            {"tolerations": merged}, sort_keys=False, default_flow_style=None
        ).rstrip()

    # -- what nblint cannot see ------------------------------------------------------------------

    def extra_config(self) -> None:
        """What nblint read of ``hub.extraConfig`` is checked as ``hub.config`` is; what it did
        not read gets the caveat, at the first statement it did not read."""
        path: Path = ("hub", "extraConfig")
        _, snippets = get_path(self.release.values, path)
        if not isinstance(snippets, dict) or not snippets:
            return
        extra = self.release.extra_config
        for section in ("KubeSpawner", "Spawner"):
            assignments = extra.of(section)
            if not assignments:
                continue
            where = f"`c.{section}` of `hub.extraConfig`"
            if section == "KubeSpawner":
                self.traits(
                    {a.trait: a.value for a in assignments},
                    path,
                    where,
                    {a.trait: a.path for a in assignments},
                )
            else:
                traits = kubespawner_traits(self.version)
                for a in assignments:
                    if a.trait in traits:
                        self._trait_type(a.trait, a.value, a.path, where)
        for snippet, line, why in extra.broken:
            at = (*path, snippet, CodeLine(line))
            self.report(
                "z2jh-extra-config",
                at,
                f"{format_path(at)} is not Python the hub can run ({why}): the hub stops at it "
                "and does not start",
            )
        for snippet, length in extra.too_long:
            at = (*path, snippet)
            self.report(
                "z2jh-extra-config",
                at,
                f"{format_path(at)} is {length:,} characters long (more than "
                f"{LONGEST_SNIPPET:,}): nblint did not read it, so nothing it sets is applied to "
                "the pods nblint draws; no release can hold it either: the chart puts every "
                "value into the hub's Secret, which the API server refuses above 1 MiB",
            )
        for write in extra.unapplied:
            self.report("z2jh-extra-config", write.path, _unapplied_message(write))
        # The caveat covers the statements not named above (and a hook's, named there).
        named = {(w.snippet, w.statement) for w in extra.unapplied}
        hooks = {(snippet, line) for _, snippet, line in extra.pod_hooks}
        unread = [u for u in extra.unread if u not in named or u in hooks]
        if not unread:
            return
        snippet, line = unread[0]
        names = ", ".join(sorted({str(name) for name, _ in unread}))
        read = len(extra.assignments)
        message = (
            f"`hub.extraConfig` ({names}) is Python run by the hub, which nblint never runs"
            + (
                f"; it read the {read} plain setting(s) `c.<Class>.<trait> = <literal>` and "
                "applied them"
                if read
                else ""
            )
        )
        if extra.pod_hooks:
            # A hook that changes the pods: the pods nblint draws are not the ones created.
            hook, snippet, line = extra.pod_hooks[0]
            what = (
                "a spawner class of the team's own, which builds the user pods: nblint draws "
                "them as KubeSpawner does"
                if hook.endswith(".spawner_class")
                else "code the spawner runs at every spawn to change the user pod: nblint draws "
                "the pods without it"
            )
            message += (
                f"; {len(unread)} other statement(s) it did not read, among them this "
                f"`{hook}`, {what}, so what it finds about them may not hold"
            )
        else:
            message += (
                f"; {len(unread)} other statement(s), the first here, it did not read, "
                "and assumes they do not change the user pods"
            )
        self.report("z2jh-extra-config", (*path, snippet, CodeLine(line)), message)

    def hub_code(self) -> None:
        """A spawner class other than KubeSpawner, and Python files mounted where the hub runs
        them as configuration: code that decides the pods and that no values file shows."""
        spawner = self._custom_spawner()
        if spawner is not None:
            self.report(
                "z2jh-hub-code",
                spawner[1],
                f"the hub spawns with `{spawner[0]}`, not KubeSpawner: nblint draws the pods "
                "KubeSpawner builds from these values and assumes that spawner builds the same",
            )
        # The hub runs the files in name order; a volume mounted as the directory: its files.
        files = sorted(self._config_files(), key=lambda found: (found[1] != "", found[1]))
        if not files:
            return
        if len(files) == 1 and not files[0][1]:
            message = (
                f"a volume is mounted as `{HUB_CONFIG_DIR}`: the hub runs each of its *.py files "
                "as configuration; nblint cannot read them"
            )
        else:
            names = [f"`{name}`" if name else "the *.py files of a volume" for _, name in files]
            one = len(files) == 1
            message = (
                f"`{HUB_CONFIG_DIR}` gets {', '.join(names)}"
                + ("" if one else " (the first here)")
                + f": the hub runs {'it' if one else 'them'} as configuration; nblint cannot "
                f"read {'it' if one else 'them'}"
            )
        self.report(
            "z2jh-hub-code",
            files[0][0],
            message
            + f" and assumes {'it does' if len(files) == 1 and files[0][1] else 'they do'} not "
            "change the user pods",
        )

    def _config_files(self) -> Iterator[tuple[Path, str]]:
        """Each ``hub.extraFiles`` entry and ``hub.extraVolumeMounts`` mount that puts Python
        files in the hub's ``jupyterhub_config.d``: its values path and the file's name (``""``
        when a whole volume is mounted as the directory)."""
        _, files = get_path(self.release.values, ("hub", "extraFiles"))
        if isinstance(files, dict):
            for key, entry in files.items():
                mount = entry.get("mountPath") if isinstance(entry, dict) else None
                shown = _config_file(mount)
                if shown is not None:
                    yield ("hub", "extraFiles", key, "mountPath"), shown
        _, mounts = get_path(self.release.values, ("hub", "extraVolumeMounts"))
        items = (
            mounts.items()
            if isinstance(mounts, dict)
            else enumerate(mounts)
            if isinstance(mounts, list)
            else ()
        )
        for key, mount in items:
            path = mount.get("mountPath") if isinstance(mount, dict) else None
            shown = _config_file(path)
            if shown is not None:
                yield ("hub", "extraVolumeMounts", key, "mountPath"), shown

    def unknowable(self) -> None:
        # Only what users wrote can be a template or an encrypted value, not the chart's defaults.
        if not any(_holds_unknowable(values) for values in self.release.user_values()):
            return  # most files: no need to look each written path up
        first: dict[str, tuple[Path, int, int]] = {}
        named = self.release.sops_files()
        for path in self.release.written_paths():
            found, value = get_path(self.release.values, path)
            if not found or not (
                is_unknowable(value) or (_image_text(path) and image_placeholder(value))
            ):
                continue
            if "{{" in value and self.release.placeholders is None:
                continue  # Helm templates are reported by the loader (rule helm-template)
            origin = self.release.locate(path)
            kind = 1 if sops_pattern().match(value) else 0
            if kind and origin.file in named:
                continue  # the loader names the encrypted keys (rule sops-partly-encrypted)
            seen = first.get(origin.file)
            if seen is None:
                first[origin.file] = (path, 1 - kind, kind)
            else:
                first[origin.file] = (seen[0], seen[1] + 1 - kind, seen[2] + kind)
        for path, templates, encrypted in first.values():
            parts = []
            if templates and self.release.placeholders is not None:
                parts.append(f"{templates} value(s) filled in by {self.release.placeholders}")
            elif templates:
                parts.append(f"{templates} unrendered template value(s)")
            if encrypted:
                parts.append(f"{encrypted} sops-encrypted value(s)")
            self.report(
                "z2jh-unrendered-template",
                path,
                f"{' and '.join(parts)} in this file, the first here: nblint cannot know their "
                "real values and skips their checks",
            )


#: Where the values name the hub's spawner class, and the names of KubeSpawner's own class.
SPAWNER_CLASS: Path = ("hub", "config", "JupyterHub", "spawner_class")
KUBESPAWNER_CLASSES = frozenset(("kubespawner.KubeSpawner", "kubespawner.spawner.KubeSpawner"))
#: The directory whose ``*.py`` files the chart's ``jupyterhub_config.py`` runs, in name order.
HUB_CONFIG_DIR = "/usr/local/etc/jupyterhub/jupyterhub_config.d"


def _config_file(mount: Any) -> str | None:
    """``mount`` (a mountPath) as the Python file it puts in :data:`HUB_CONFIG_DIR` (its name),
    ``""`` for the directory itself, or None when it puts no such file there."""
    if not isinstance(mount, str) or is_unknowable(mount):
        return None
    path = mount.rstrip("/")
    if path == HUB_CONFIG_DIR:
        return ""
    parent, _, name = path.rpartition("/")
    if parent == HUB_CONFIG_DIR and name.endswith(".py"):
        return name
    return None


@cache
def _section_traits(chart_version: str, section: str) -> frozenset[str]:
    """The trait names a ``hub.config`` section of known class ``section`` takes: the class's
    own and every known subclass's (each reads the section). Every release asks the same."""
    classes = hub_classes(chart_version)
    allowed = set(classes[section]["traits"])
    for other in classes.values():
        if section in other["bases"]:
            allowed |= other["traits"]
    return frozenset(allowed)


def _releases_with_trait(name: str) -> list[str]:
    """``"7.0.0 (z2jh 4.2.0 … 4.4.0)"`` for each bundled KubeSpawner that has trait ``name``,
    with the z2jh releases whose hub has it (a trait of JupyterHub's ``Spawner`` comes with the
    hub's JupyterHub: ``apply_user_options`` with 5.3, z2jh 4.2.0)."""
    having: dict[str, list[str]] = {}
    for chart in chart_versions():
        if name in kubespawner_traits(chart):
            having.setdefault(kubespawner_version(chart), []).append(chart)
    return [
        f"{version} (z2jh {charts[0] if len(charts) == 1 else f'{charts[0]} … {charts[-1]}'})"
        for version, charts in having.items()
    ]


def _pinned_by(versions: list[str]) -> list[str]:
    """``"6.1.0 (z2jh 3.1.0)"`` for each of the KubeSpawner ``versions`` a bundled z2jh release
    pins, with those releases."""
    pinning: dict[str, list[str]] = {}
    for chart in chart_versions():
        pinning.setdefault(kubespawner_version(chart), []).append(chart)
    out = []
    for kubespawner in versions:
        charts = pinning.get(kubespawner)
        if charts:
            span = charts[0] if len(charts) == 1 else f"{charts[0]} … {charts[-1]}"
            out.append(f"{kubespawner} (z2jh {span})")
    return out


def _flatten(mapping: Mapping[Any, Any], prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}}`` → ``{"a.b": 1}``, as the chart's ``jupyterhub.flattenDict``."""
    out: dict[str, Any] = {}
    for key, value in mapping.items():
        label = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):  # an empty one adds nothing, as in the chart
            out.update(_flatten(value, label))
        else:
            out[label] = value
    return out


def _image_text(path: Path) -> bool:
    """Whether ``path`` holds an image reference or its part: a container's (or an override's)
    ``image``, or the chart's ``image.name``/``image.tag``."""
    return bool(path) and (
        path[-1] == "image"
        or (len(path) > 1 and path[-2] == "image" and path[-1] in ("name", "tag"))
    )


def _holds_unknowable(value: Any) -> bool:
    """Whether any text in ``value`` may be unknowable (see :func:`is_unknowable`; a ``${``
    inside a text too, which an image reference's placeholder holds: the caller judges where)."""
    if isinstance(value, dict):
        value = value.values()
    elif not isinstance(value, list):
        return is_unknowable(value) or (isinstance(value, str) and "${" in value)
    # Leaves are most of a tree: only text can be unknowable, and it is looked at here.
    for item in value:
        if isinstance(item, str):
            if is_unknowable(item) or "${" in item:
                return True
        elif isinstance(item, (dict, list)) and _holds_unknowable(item):
            return True
    return False


def _drop_assignment(release: Release, path: Path) -> None:
    """A statement of ``hub.extraConfig`` whose value traitlets refuses fails every spawn: the
    pods are built without it, as for a refused value of the values."""
    extra = release.extra_config
    extra.assignments = [
        a for a in extra.assignments if (a.snippet, a.line) != (path[2], int(path[-1]))
    ]


def _restore_default(release: Release, path: Path) -> None:
    """Put the chart's default back at ``path`` (or remove the key when the chart has none): z2jh's,
    or the wrapper chart's over it."""
    if not path:
        return
    chart = release.defaults
    parent = owned_parent(release.values, chart, path)
    key = path[-1]
    # Shared with every release, like the defaults that coalescing put in (never changed).
    has_default, default = get_path(chart, path)
    if isinstance(parent, dict):
        if has_default:
            parent[key] = default
        else:
            parent.pop(key, None)
    elif isinstance(parent, list) and isinstance(key, int) and 0 <= key < len(parent):
        parent[key] = default if has_default else None


def _overrides(profile: Mapping[str, Any], path: Path) -> Iterator[tuple[Path, Mapping[str, Any]]]:
    """Every ``kubespawner_override`` of a profile: its own, its choices', its unlisted choice's."""
    override = profile.get("kubespawner_override")
    if isinstance(override, dict):
        yield (*path, "kubespawner_override"), override
    options = profile.get("profile_options")
    if not isinstance(options, dict):
        return
    for option_name, option in options.items():
        if not isinstance(option, dict):
            continue
        here = (*path, "profile_options", option_name)
        choices = option.get("choices")
        if isinstance(choices, dict):
            for choice_name, choice in choices.items():
                if isinstance(choice, dict) and isinstance(
                    choice.get("kubespawner_override"), Mapping
                ):
                    where = (*here, "choices", choice_name, "kubespawner_override")
                    yield where, choice["kubespawner_override"]
        unlisted = option.get("unlisted_choice")
        if isinstance(unlisted, dict) and isinstance(unlisted.get("kubespawner_override"), Mapping):
            yield (
                (*here, "unlisted_choice", "kubespawner_override"),
                unlisted["kubespawner_override"],
            )


#: The shape KubeSpawner reads a profile in: every part a mapping.
PROFILE_SHAPE_FIX = """\
singleuser:
  profileList:
    - display_name: GPU notebook        # or a slug; every profile is a mapping
      kubespawner_override:             # KubeSpawner trait → value
        extra_resource_limits: {nvidia.com/gpu: "1"}
      profile_options:                  # option name → option
        image:
          display_name: Image
          choices:                      # choice name → choice
            scipy:
              display_name: SciPy
              kubespawner_override: {image: "quay.io/jupyter/scipy-notebook:2024-10-07"}
          unlisted_choice: {enabled: true, display_name: Other image}"""


def _no_rename_fix(
    name: str, value: Any, config: Mapping[str, Any], hub_limits: dict[str, Any] | None
) -> str | None:
    """The fix of a KubeSpawner key that is no trait and no misspelt one, where what it meant is
    plain: z2jh's ``tag`` of ``singleuser.image`` (KubeSpawner's ``image`` holds the tag), or an
    extended resource such as ``nvidia.com/gpu`` (KubeSpawner's ``extra_resource_limits``);
    else None (the rule's general fix). ``hub_limits``: for a ``kubespawner_override``, the
    hub's extended resource limits it would replace; None in the hub's own configuration."""
    override = hub_limits is not None
    if name == "tag":
        image = config.get("image")
        if isinstance(image, str) and isinstance(value, str | int | float) and image:
            if _has_tag(image):
                fix = (
                    "Remove `tag`: KubeSpawner's `image` is one string, and the image "
                    f"`{image}` already has its tag"
                )
                name_only = image.split("@", 1)[0].rsplit(":", 1)[0]
                if image != f"{name_only}:{value}":  # the tag meant may be this one
                    fix += f" (or write `image: {name_only}:{value}` if that is the one meant)"
                return fix + "."
            return (
                "Remove `tag` and give the tag in `image`, which KubeSpawner takes as one string "
                f"`name:tag`:\nimage: {image}:{value}"
            )
        if not override:  # z2jh sets KubeSpawner's image from singleuser.image
            return (
                "Remove `tag` and set `singleuser.image.tag`: KubeSpawner takes the image as one "
                "string `name:tag`, which z2jh joins from `singleuser.image`."
            )
        return (
            "Remove `tag` and set `image` instead: KubeSpawner takes the image as one string "
            "`name:tag`."
        )
    if "/" in name:  # a Kubernetes extended resource: vendor domain / resource
        # A 0 the hub's own limits do not contradict asks for what the pod already gets.
        if str(value).strip() in ("0", "") and name not in (hub_limits or {}):
            return f"Remove `{name}`: a count of 0 asks for none."
        # An override's extra_resource_limits replaces the hub's whole mapping: keep the rest.
        written = config.get("extra_resource_limits", hub_limits or {})
        merged = {**(written if isinstance(written, dict) else {}), name: value}
        move = (
            f"Move `{name}` into `extra_resource_limits`, KubeSpawner's trait for extended "
            "resources (Kubernetes makes their request equal to the limit)"
        )
        if not all(isinstance(count, str | int | float) for count in merged.values()):
            return move + "."  # a template or an encrypted count: no snippet to show
        limits = yaml.safe_dump(
            {"extra_resource_limits": merged}, sort_keys=False, default_flow_style=False
        ).rstrip()
        return f"{move}:\n{limits}"
    return None


def _chart_key_fix(key_name: str, trait: str, value: Any) -> str:
    """How to write ``value`` of chart key ``key_name`` as its trait takes it: a list of EnvVar
    objects as the map the chart documents (``NAME: value``, or ``NAME: {valueFrom: …}``)."""
    mapping = env_as_mapping(value) if trait == "environment" else None
    if mapping is not None:
        *parents, last = key_name.split(".")
        shown: Any = {last: mapping}
        for parent in reversed(parents):
            shown = {parent: shown}
        text = yaml.safe_dump(shown, sort_keys=False, default_flow_style=False).rstrip()
        return f"Write the variables as a mapping of name to value:\n{text}"
    return f"Write `{key_name}` as {_KIND_CHECKS[TRAIT_KINDS[trait]][1]}."


def _has_tag(image: str) -> bool:
    """Whether an image reference names a tag or a digest (a port is no tag)."""
    last = image.rsplit("/", 1)[-1]
    return "@" in image or ":" in last


def _cpu_number(amount: Any) -> Any:
    """A Kubernetes CPU quantity as the number the chart's ``cpu.limit`` takes (``500m`` → 0.5);
    as written when it is none nblint reads."""
    if isinstance(amount, bool) or not isinstance(amount, int | float | str):
        return amount
    text = str(amount).strip()
    try:
        number = float(text[:-1]) / 1000 if text.endswith("m") else float(text)
    except ValueError:
        return amount
    return int(number) if number.is_integer() else number


def _memory_bytes_text(amount: Any) -> Any:
    """A Kubernetes memory quantity as KubeSpawner's ByteSpecification takes it: its binary
    suffixes are one letter (``1Gi`` → ``1G``, which it reads as 1024³)."""
    if isinstance(amount, str) and re.fullmatch(r"\d+(\.\d+)?[KMGT]i", amount.strip()):
        return amount.strip()[:-1]
    return amount


def _or_list(names: list[str]) -> str:
    """```a```, ```a` or `b```, ```a`, `b` or `c```."""
    quoted = [f"`{name}`" for name in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def _did_you_mean(name: str, known: list[str]) -> str | None:
    folded = {candidate.lower(): candidate for candidate in known}
    if name.lower() in folded:
        return folded[name.lower()]
    import difflib  # only when something is misspelt

    close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
    return close[0] if close else None


def _sets_no_form(forms: list[Any], value: Any) -> bool:
    """Whether a mapping that fails a ``oneOf`` of ``required`` forms (an ``extraFiles``
    entry's ``data``/``stringData``/``binaryData``) sets none of them: what a ``--set-file`` on
    the command line may still give, unlike two forms at once, which nothing can take away."""
    if not isinstance(value, dict) or not all(
        isinstance(form, dict) and set(form) == {"required"} for form in forms
    ):
        return False
    return not any(key in value for form in forms for key in form["required"])


def _schema_at(schema: Any, path: Path) -> dict[str, Any]:
    """The values schema's node of ``path``, through ``properties`` only (empty if none)."""
    node = schema
    for part in path:
        properties = node.get("properties") if isinstance(node, dict) else None
        node = properties.get(part) if isinstance(properties, dict) else None
    return node if isinstance(node, dict) else {}


def _schema_has(schema: Any, path: Path, key: str) -> bool:
    """Whether the values schema names ``key`` among the properties of ``path``."""
    properties = _schema_at(schema, path).get("properties")
    return isinstance(properties, dict) and key in properties


def _under(path: Path, paths: set[Path]) -> bool:
    """Whether ``path`` is one of ``paths`` or below one."""
    return any(path[:length] in paths for length in range(len(path) + 1))


def _type_of(value: Any) -> str:
    for name in ("null", "boolean", "integer", "number", "string", "array", "object"):
        if TYPES[name](value):
            return name
    return "object"


def _enum_fix(path: Path, value: Any, options: list[Any]) -> str | None:
    """The allowed value a refused one plainly meant: the one key of a mapping
    (``matchNodePurpose: {require: true}``), the one item of a list, or the same word in
    another case; else None (the rule's general fix)."""
    meant: list[Any] = []
    if isinstance(value, dict) and len(value) == 1:
        meant = [key for key in value if key in options]
    elif isinstance(value, list) and len(value) == 1:
        meant = [item for item in value if item in options]
    elif isinstance(value, str):
        meant = [
            option
            for option in options
            if isinstance(option, str) and option.lower() == value.strip().lower()
        ]
    if len(meant) != 1 or not path or not isinstance(path[-1], str):
        return None
    return f"{shown(path[-1], plain_text=True)}: {shown(meant[0], plain_text=True)}"


def _show(value: Any, limit: int = 80) -> str:
    """``value`` as a message shows it: YAML, as the user wrote it, on one line, clipped."""
    return shown(value, limit)


#: KubeSpawner traits that decide the user pod's security: its user and groups, its privileges,
#: its security contexts, what it mounts and runs beside it, its ServiceAccount.
_SECURITY_TRAITS = frozenset(
    (
        "uid",
        "gid",
        "fs_gid",
        "supplemental_gids",
        "privileged",
        "allow_privilege_escalation",
        "container_security_context",
        "pod_security_context",
        "extra_pod_config",
        "extra_container_config",
        "extra_containers",
        "init_containers",
        "volumes",
        "volume_mounts",
        "service_account",
        "automount_service_account_token",
        "lifecycle_hooks",
    )
)


def _unapplied_message(write: Any) -> str:
    """The info at a place ``hub.extraConfig`` code sets a spawner trait nblint did not apply
    (:class:`~nblint.dialects.z2jh.extra_config.TraitWrite`)."""
    trait = f"`c.{write.section}.{write.trait}`"
    head = (
        f"{format_path(write.path)} sets {trait} {write.how}: nblint never runs the code, so it "
        "did not apply it"
    )
    if write.trait in _SECURITY_TRAITS:
        return (
            f"{head}, and the user pod may run with `{write.text}`; what nblint finds about "
            f"{trait} and the pod's security may not hold"
        )
    return (
        f"{head}; the user pods may differ from the ones nblint drew, and what it finds about "
        f"{trait} may not hold"
    )
