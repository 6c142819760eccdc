"""Where a z2jh fix goes: the layer, and the profile or option choice, the finding belongs to.

A rule's z2jh hint is a values snippet at the z2jh root. Merged there it fixes every pod — unless
the offending value comes from a ``kubespawner_override`` (a profile's, or an option choice's),
which wins over anything at the root. So:

* a hint whose top key is ``kubespawner_override`` goes into the override the finding belongs to
  (the choice's, when the value came from a choice: a GPU choice's toleration must not send the
  CPU choice to GPU nodes), else the profile's;
* a hint for the one key the finding points at (an option's ``unlisted_choice``) is merged there;
* any other hint, for a finding whose value came from an override, is turned into the
  KubeSpawner traits it sets (the chart's own mapping, :func:`.chart_config.chart_traits`) and
  merged into that override;
* the rest is merged at the z2jh root of the layer that set the offending value, or of the last
  layer when only the chart's defaults supply it (the last layer wins in Helm's merge).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from nblint.model.edit import HELM, STRATEGIC, Edit, PlacedFix, comment_at
from nblint.model.edit import parsed_hint as parsed
from nblint.model.pod import CodeLine, Path, format_path, get_path
from nblint.model.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from nblint.dialects.z2jh.pods import ValuesProvenance
    from nblint.dialects.z2jh.traits import SpawnerConfig
    from nblint.dialects.z2jh.values import Release

OVERRIDE = "kubespawner_override"
#: The pod lists whose entries a user may write whole (containers, volumes).
WHOLE_LISTS = ("containers", "initContainers", "volumes")
#: Values keys whose securityContext replaces the one KubeSpawner builds from traits.
EXTRA_CONFIG = (
    "extraPodConfig",
    "extra_pod_config",
    "extraContainerConfig",
    "extra_container_config",
)
#: Where hub.extraConfig's code sits in the values (its statements set traits last).
EXTRA_CONFIG_CODE: Path = ("hub", "extraConfig")
#: The securityContexts such a key may replace, and the traits that would otherwise set them.
MASKABLE: tuple[tuple[Path, frozenset[str]], ...] = (
    (
        ("spec", "securityContext"),
        frozenset({"pod_security_context", "fs_gid", "supplemental_gids"}),
    ),
    (
        ("spec", "containers", 0, "securityContext"),
        frozenset(
            {"container_security_context", "uid", "gid", "allow_privilege_escalation", "privileged"}
        ),
    ),
)
#: The securityContext fields KubeSpawner's traits write (``make_pod``), by the securityContext
#: and the trait whose keys it applies over them (``csc.update(container_security_context)``): a
#: field that trait's value holds wins over the trait that would write it.
OVERRIDING_CONTEXTS: tuple[tuple[Path, str, tuple[tuple[str, str], ...]], ...] = (
    (
        ("spec", "containers", 0, "securityContext"),
        "container_security_context",
        (
            ("uid", "runAsUser"),
            ("gid", "runAsGroup"),
            ("privileged", "privileged"),
            ("allow_privilege_escalation", "allowPrivilegeEscalation"),
        ),
    ),
    (
        ("spec", "securityContext"),
        "pod_security_context",
        (("fs_gid", "fsGroup"), ("supplemental_gids", "supplementalGroups")),
    ),
)
#: Values keys a release takes as a list or as a map of named entries (z2jh 4.3+: the map's keys
#: only name the entries; 3.x takes a list), and what identifies an entry of the list (a volume is
#: mounted at several paths under one name).
EITHER_FORM: tuple[tuple[Path, str], ...] = (
    (("singleuser", "storage", "extraVolumes"), "name"),
    (("singleuser", "storage", "extraVolumeMounts"), "mountPath"),
)
#: Values keys whose entries are containers written whole (chart keys and trait names).
WRITTEN_WHOLE = (
    *("extraContainers", "initContainers", "extra_containers", "init_containers"),
    *("extraVolumes", "volumes"),
)


class ValuesPlacement(Record):
    __slots__ = (
        "_masking",
        "_overriding",
        "_written_by_overrides",
        "overrides",
        "profile_path",
        "provenance",
        "release",
        "set_by_code",
    )

    def __init__(
        self,
        release: Release,
        provenance: ValuesProvenance | None = None,
        profile_path: Path | None = None,
        set_by_code: dict[str, Path] | None = None,
        overrides: Sequence[tuple[dict[str, Any], Path]] = (),
    ) -> None:
        self.release = release
        self.provenance = provenance
        #: ``singleuser.profileList[i]`` of the pod's profile, as a values path, if any.
        self.profile_path = profile_path
        #: ``{trait: statement}``: the traits of this pod whose value a plain setting in
        #: ``hub.extraConfig`` gives (its values path, ``hub.extraConfig.<snippet>.<line>``), no
        #: profile's override replacing it (see :func:`set_by_code`).
        self.set_by_code: dict[str, Path] = set_by_code or {}
        #: The ``kubespawner_override`` mappings of the pod's profile and option choices, with
        #: their values paths, in the order KubeSpawner applies them (the last writer of a trait
        #: wins: a choice's over its profile's, either over the chart's keys and hub.config).
        self.overrides = tuple(overrides)
        #: The securityContexts of this pod that an extra config key replaces (see
        #: :meth:`_masked`): worked out on the first hint, asked again by every other.
        self._masking: list[tuple[Path, frozenset[str], Path, bool]] | None = None
        #: The traits whose securityContext field a values key of this pod writes over (see
        #: :meth:`_overriders`), worked out on the first hint.
        self._overriding: dict[str, tuple[str, str, Path]] | None = None
        #: The traits the pod's overrides write (see :meth:`_override_traits`).
        self._written_by_overrides: set[str] | None = None

    def place(
        self,
        hint: str,
        path: Path,
        anchor: Path | None,
        template_hint: Callable[[], str | None] = lambda: None,
    ) -> PlacedFix:
        if _whole_entry(path):
            # A container or volume written whole takes the pod template's hint, with its
            # comments (the values hint's speak of the notebook).
            own = self._own_container(path, template_hint)
            if own is not None:
                return own
        if self._masks():
            return self._place(hint, path, anchor, template_hint)
        if self._overriders() or self.set_by_code:
            # Per pod (a profile's own securityContext keys; what hub.extraConfig's code sets,
            # unless the pod's profile overrides it): not shared with other pods.
            return _keep_comments(hint, self._place(hint, path, anchor, template_hint))
        # What is left depends only on the hints and the values keys behind the finding: every
        # profile's pod of a release asks again for the same (the one it merges into, if the
        # hint is a ``kubespawner_override``, is its own).
        values_path = self._values_path(anchor or path)
        # Where a hint goes depends on which of the pod's overrides write its traits.
        overrides = tuple(path for _, path in self.overrides)
        profile = self.profile_path if OVERRIDE in hint else None
        key = (_PLACED, hint, values_path, profile, overrides)
        memo = self.release.fix_memo
        placed: PlacedFix | None = memo.get(key)
        if placed is None:
            placed = self._place(hint, path, anchor, template_hint, values_path)
            placed = memo[key] = _keep_comments(hint, placed)
        return placed

    def shown(self, hint: str) -> str:
        # Written in the values' own coordinates already (a hint for the pod is no values key).
        return hint

    def _place(
        self,
        hint: str,
        path: Path,
        anchor: Path | None,
        template_hint: Callable[[], str | None],
        values_path: Path | None = None,
    ) -> PlacedFix:
        import yaml

        try:
            patch = parsed(hint)
        except yaml.YAMLError:
            return PlacedFix(hint, None)
        if not isinstance(patch, dict) or not patch:
            return PlacedFix(hint, None)
        listed = in_users_form(self.release, patch)
        if listed is not None:
            hint, patch = listed
        masked = self._masked(hint, patch, path, template_hint)
        if masked is not None:
            return masked
        if values_path is None:
            values_path = self._values_path(anchor or path)
        scope = override_scope(values_path)
        overridden = self._overridden(patch)
        if overridden:
            return self._place_overridden(hint, patch, overridden, scope, values_path)
        target: Path
        if list(patch) == [OVERRIDE]:
            where = scope or (self.profile_path and (*self.profile_path, OVERRIDE))
            if where is None:
                # No profile: the chart's own keys for those traits, at the z2jh root.
                keys = chart_keys_for(self.release, patch[OVERRIDE])
                if keys is None:
                    return PlacedFix(hint, None)
                return self._edit(_dump(keys), (), keys, values_path)
            traits = patch[OVERRIDE]
            target = self._last_writer(traits, where) if isinstance(traits, dict) else where
            patch = self._whole_lists(target, traits)
        elif len(values_path) > 1 and list(patch) == [values_path[-1]]:
            target = values_path[:-1]
        elif scope is not None:
            traits = self._needed(traits_set_by(self.release, patch))
            if not traits:
                return PlacedFix(hint, None)
            target = self._last_writer(traits, scope)
            patch = self._whole_lists(target, traits)
        else:
            in_override = self._overridden_traits(patch)
            if in_override is None:
                own = into_users_keys(self.release, hint, patch)
                if own is not None:
                    hint = own
                return self._edit(hint, (), hint, values_path)
            target, patch = in_override
        text = f"{self._label(target)}\n" + _dump(patch)
        return self._edit(text, target, patch, values_path)

    def _last_writer(self, traits: Iterable[str], fallback: Path) -> Path:
        """The override that sets ``traits`` last for this pod: the last of its overrides (in
        the order KubeSpawner applies them) that writes one of them over what it has, else
        ``fallback`` (the override the finding's value comes from, or the profile's). A fix in
        an override applied before that one changes nothing (a choice's list replaces the
        profile's)."""
        wanted = dict.fromkeys(traits) if not isinstance(traits, dict) else traits
        found = next(
            (index for index, (_, path) in enumerate(self.overrides) if path == fallback), -1
        )
        where = fallback
        for index, (mapping, path) in enumerate(self.overrides):
            if index > found and any(
                name in mapping and _replaces(mapping[name], value)
                for name, value in wanted.items()
            ):
                found, where = index, path
        return where

    def _overridden_traits(self, patch: dict[str, Any]) -> tuple[Path, dict[str, Any]] | None:
        """For a hint at the z2jh root: when an override of this pod writes one of the traits
        the hint sets (a profile's ``volumes`` replaces the chart's home volume), the root
        changes nothing for this pod: ``(that override, the traits to write there)`` — those it
        overrides, and the others the release does not give yet. None when no override of
        the pod writes them (most hints)."""
        written = self._override_traits()
        if not written:
            return None
        may_set = _traits_named_by(patch)
        if may_set is not None and not may_set & written:
            return None  # (most hints: nothing to ask the chart, the costly question)
        traits = traits_set_by(self.release, patch)
        blocked = {
            name
            for name, value in traits.items()
            if any(
                name in mapping and _replaces(mapping[name], value) for mapping, _ in self.overrides
            )
        }
        if not blocked:
            return None
        target = self._last_writer(blocked, self.overrides[0][1])
        return target, self._whole_lists(target, self._needed(traits))

    def _override_traits(self) -> set[str]:
        """The names of the traits this pod's overrides write."""
        if self._written_by_overrides is None:
            self._written_by_overrides = {n for mapping, _ in self.overrides for n in mapping}
        return self._written_by_overrides

    def _needed(self, traits: dict[str, Any]) -> dict[str, Any]:
        """``traits`` less those the release gives the pod already and no override of the pod
        writes (the chart's `storage_capacity` beside the home volume a profile drops)."""
        current = _release_traits(self.release)
        return {
            name: value
            for name, value in traits.items()
            if any(name in mapping for mapping, _ in self.overrides)
            or not _in_effect(current.get(name), value)
        }

    def _whole_lists(self, target: Path, traits: Any) -> Any:
        """``traits`` to merge into override ``target``, each list trait it writes as a list
        given whole: its entries, then the hint's it lacks (a list replaces the trait's value,
        and a trait the chart builds keyed — KubeSpawner 7's ``volumes`` — goes in as the
        override's list, whose entries are its values)."""
        if not isinstance(traits, dict):
            return traits
        out = dict(traits)
        current = _release_traits(self.release)
        for name, value in traits.items():
            written = _at(self.release.values, (*target, name))
            if not isinstance(written, list) or not isinstance(value, (dict, list)):
                continue
            entries = [
                {k: v for k, v in entry.items() if v is not None}
                if isinstance(entry, dict)
                else entry
                for entry in _entries_of(value)
            ]
            # The entries the hint adds to what the release gives (a writable /tmp); when it
            # adds none, it restates what the release builds and the override dropped (the
            # home), never the entries of the user's own lists (storage.extraVolumes): the
            # override left those out on purpose.
            had = _entries_of(current.get(name))
            new = [entry for entry in entries if not any(_same_entry(old, entry) for old in had)]
            if not new:
                users = [
                    e for key, _ in EITHER_FORM for e in _entries_of(_at(self.release.values, key))
                ]
                new = [e for e in entries if not any(_same_entry(old, e) for old in users)]
            whole = list(written)
            for entry in new:
                if not any(_same_entry(old, entry) for old in whole):
                    whole.append(entry)
            out[name] = whole
        return out

    def _own_container(
        self, path: Path, template_hint: Callable[[], str | None]
    ) -> PlacedFix | None:
        """A fix for a container or volume the user wrote whole (``singleuser.extraContainers``,
        ``initContainers``, ``storage.extraVolumes``, an override's ``extra_containers``): the
        hint for the pod template, merged into that entry. None for the notebook container,
        whose fields KubeSpawner builds from traits."""
        import yaml

        if not _whole_entry(path):
            return None
        written = self._values_path(path[:3])
        if not self._written_whole(written):
            return None
        text = template_hint()
        try:
            patch = parsed(text) if text else None
        except yaml.YAMLError:
            return None
        if not isinstance(patch, dict) or list(patch) != ["spec"]:
            return None
        spec = patch["spec"]
        entry = _users_own(spec)
        if entry is None:
            if not isinstance(spec, dict) or set(spec) != {path[1]}:
                return None
            entries = spec[path[1]]
            if (
                not isinstance(entries, list)
                or len(entries) != 1
                or not isinstance(entries[0], dict)
            ):
                return None
            entry = {key: value for key, value in entries[0].items() if key != "name"}
        if not entry:
            return None
        shown = f"{self._label(written)}\n" + _dump(entry)
        # A container or volume spec: merged as Kubernetes merges one (`add: []` empties a list).
        placed = self._edit(shown, written, entry, written, STRATEGIC)
        return _keep_comments(text, placed) if text else placed

    def _written_whole(self, written: Path) -> bool:
        """Whether values path ``written`` is a container or volume a user file wrote whole."""
        return len(written) >= 2 and written[-2] in WRITTEN_WHOLE and self.release.written(written)

    def _masked(
        self, hint: str, patch: dict[str, Any], path: Path, template_hint: Callable[[], str | None]
    ) -> PlacedFix | None:
        """A hint for the securityContext KubeSpawner builds, when ``extraPodConfig`` (or
        ``extraContainerConfig``) replaces that securityContext whole: the hint would change
        nothing, so the pod template's securityContext goes into the replacing one. When code in
        ``hub.extraConfig`` sets it, the hint is only shown, pointing there."""
        for pod_path, traits, written, by_code in self._masks():
            # A finding inside the securityContext that code sets is about that code, whatever
            # the hint writes (it may already be in the values, masked).
            inside = by_code and path[: len(pod_path)] == pod_path
            if not inside and not traits & set(traits_set_by(self.release, patch)):
                continue
            wanted = _security_context(template_hint(), pod_path)
            if by_code:
                # nblint reads that code but never rewrites it: the hint is shown, not applied.
                shown = (
                    f"# in {format_path(_code_statement(written))}, whose code sets this "
                    "securityContext "
                    "(nblint does not edit code)\n"
                )
                if wanted is None:
                    return PlacedFix(shown + hint, None)
                return PlacedFix(shown + _dump({"securityContext": wanted}), None)
            if wanted is None:
                wanted = _context_fields(pod_path, traits_set_by(self.release, patch))
            if wanted is None:
                return None
            shown = f"{self._label(written)} (it replaces the securityContext KubeSpawner builds)\n"
            # A securityContext as the pod has it: merged as Kubernetes merges one (`add: []`
            # empties the list; nblint's Helm merge would add nothing to it).
            return self._edit(shown + _dump(wanted), written, wanted, written, STRATEGIC)
        return None

    def _overriders(self) -> dict[str, tuple[str, str, Path]]:
        """``{trait: (securityContext trait, field, values path)}``: the traits of
        :data:`OVERRIDING_CONTEXTS` whose field of this pod a user's ``container_security_context``
        or ``pod_security_context`` key writes (under ``hub.config.KubeSpawner`` or in a
        ``kubespawner_override``), which wins over the trait."""
        if self._overriding is None:
            self._overriding = {}
            if not _writes_a_security_context(self.release):
                return self._overriding  # (most releases: nothing to trace, pod by pod)
            for pod_path, context, fields in OVERRIDING_CONTEXTS:
                for trait, field in fields:
                    written = self._values_path((*pod_path, field))
                    if written[-2:] == (OVERRIDE, trait) and self.release.written(written):
                        # The trait itself, set by this pod's profile or choice: it wins over
                        # the root's, which a hint would change for the other pods only.
                        self._overriding[trait] = (OVERRIDE, trait, written)
                        continue
                    if written[-1:] != (field,) or not self.release.written(written):
                        continue
                    # container_security_context's key, or the securityContext an
                    # extra_container_config writes whole (replacing the traits' one).
                    if written[-2] == context or (
                        written[-2] == "securityContext" and written[-3] in EXTRA_CONFIG
                    ):
                        self._overriding[trait] = (context, field, written)
        return self._overriding

    def _overridden(self, patch: dict[str, Any]) -> dict[str, tuple[str, str, Path, Any]]:
        """``{trait: (securityContext trait, field, values path, value)}`` of the traits the
        hint ``patch`` sets (``singleuser.uid``) whose field a securityContext key writes over:
        the hint must write that key instead, or it changes nothing."""
        over = self._overriders()
        if not over:
            return {}
        if list(patch) == [OVERRIDE] and isinstance(patch[OVERRIDE], dict):
            traits = patch[OVERRIDE]
        else:
            # A trait the hint names by name counts even when it sets KubeSpawner's default
            # (`privileged: false` changes no trait): the key that writes over it must change.
            named = _written(patch, HUB_CONFIG_KUBESPAWNER)
            by_name = (
                {k: v for k, v in named.items() if k in over} if isinstance(named, dict) else {}
            )
            may_set = _traits_named_by(patch)
            if may_set is not None and not may_set & set(over):
                return {}  # (nothing to ask the chart)
            traits = {**by_name, **traits_set_by(self.release, patch)}
        return {name: (*over[name], traits[name]) for name in traits if name in over}

    def _place_overridden(
        self,
        hint: str,
        patch: dict[str, Any],
        overridden: dict[str, tuple[str, str, Path, Any]],
        scope: Path | None,
        values_path: Path,
    ) -> PlacedFix:
        """A hint whose traits a ``container_security_context`` (or ``pod_security_context``)
        key writes over, e.g. ``singleuser.uid`` when ``container_security_context.runAsUser:
        0`` is set: each such trait is written as that key's field instead. The fix goes where
        the last of those keys is (an override's wins over ``hub.config``'s, a choice's over its
        profile's), as traits when that is a ``kubespawner_override``, else at the z2jh root."""
        scopes = [override_scope(written) for _, _, written, _ in overridden.values()]
        scope = max((s for s in (scope, *scopes) if s is not None), key=len, default=None)
        why = "\n".join(
            f"# {format_path(written)} wins over the {name} trait: the fix sets it there"
            for name, (_, _, written, _) in overridden.items()
        )
        if scope is not None:
            if list(patch) == [OVERRIDE] and isinstance(patch[OVERRIDE], dict):
                traits = dict(patch[OVERRIDE])
            else:
                traits = {**traits_set_by(self.release, patch)}
                for name, (_, _, _, value) in overridden.items():
                    traits.setdefault(name, value)
            for name, (_, _, written, value) in overridden.items():
                del traits[name]
                traits = _helm_merge(traits, _set_at({}, _trait_path(written), value))
            text = f"{self._label(scope)}\n{why}\n" + _dump(traits)
            return self._edit(text, scope, traits, values_path)
        # At the z2jh root: the hint's keys for those traits out, the securityContext keys in
        # (an override's traits, for a pod of no profile, as hub.config's).
        if list(patch) == [OVERRIDE]:
            patch = {"hub": {"config": {"KubeSpawner": patch[OVERRIDE]}}}
        kept: Any = patch
        for leaf in _leaves(patch):
            alone = _set_at({}, leaf, _written(patch, leaf))
            named = leaf[3:] if leaf[:3] == HUB_CONFIG_KUBESPAWNER and len(leaf) == 4 else ()
            if set(traits_set_by(self.release, alone)) & set(overridden) or (
                named and named[0] in overridden
            ):
                kept = _without(kept, leaf)
        for _, (_, _, written, value) in overridden.items():
            kept = _helm_merge(kept, _set_at({}, written, value))
        if not isinstance(kept, dict) or not kept:
            return PlacedFix(hint, None)
        return self._edit(f"{why}\n" + _dump(kept), (), kept, values_path)

    def _masks(self) -> list[tuple[Path, frozenset[str], Path, bool]]:
        """The securityContexts of this pod that a values key or hub.extraConfig's code replaces:
        ``(pod path, traits, values path that sets it, whether hub.extraConfig's code does)``."""
        if self._masking is None:
            self._masking = []
            for pod_path, traits in MASKABLE:
                written = self._values_path(pod_path)
                # A statement of hub.extraConfig runs after the chart's settings: whatever the
                # hint writes in the values, that statement wins.
                by_code = written[:2] == EXTRA_CONFIG_CODE
                replaced = (
                    any(key in EXTRA_CONFIG for key in written) and written[-1] == "securityContext"
                )
                if by_code or replaced:
                    self._masking.append((pod_path, traits, written, by_code))
        return self._masking

    def _values_path(self, path: Path) -> Path:
        if path[:1] == ("values",):
            return path[1:]
        if self.provenance is None:
            return ()
        return self.provenance.values_path(path)[0]

    def _label(self, target: Path) -> str:
        """The comment that says where a hint for ``target`` goes (not the z2jh root)."""
        layer = self.release.placing(target)
        if layer is not None and layer.read_only:
            return f"# in {format_path(target)} of {layer.read_only}"
        return f"# in {format_path((*(layer.shown_under if layer else ()), *target))}"

    def _edit(
        self, text: str, target: Path, patch: Any, values_path: Path, merge: str = HELM
    ) -> PlacedFix:
        """``patch`` (a tree, or YAML text already) merged at ``target`` of the right layer."""
        code = next((i for i, part in enumerate(target) if isinstance(part, CodeLine)), None)
        if code is not None:
            # Into a value that hub.extraConfig's code assigns (a profile of its profile_list):
            # nblint reads that code but never rewrites it.
            return PlacedFix(_code_fix_text(self.release, target, text), None)
        found = None
        if merge == HELM and self.set_by_code:
            found = self._code_wins(text, target, patch)
            if found is not None:
                text, patch = found
                if patch is None:
                    layer = self.release.placing(values_path)
                    yaml_lines = any(not line.startswith("#") for line in text.split("\n"))
                    if layer is not None and layer.shown_under and yaml_lines:
                        text = nested(text, layer.shown_under)
                    return PlacedFix(text, None)
                target = ()
        # A value hub.extraConfig's Python sets (a trait it assigns, a profile_list it writes)
        # that the code's guard above did not take: nblint reads that code but never rewrites it,
        # and a values key would lose to it (it runs last). The text's own "# in ..." line named
        # a path into that code: said in words instead.
        # (A statement itself, `c.KubeSpawner.x = …`, is the guard's: what it did not take
        # loses to the values, and the edit stands.)
        statement = bool(values_path) and isinstance(values_path[-1], CodeLine)
        in_code = _in_code(self.release, values_path) if found is None and not statement else None
        if in_code is not None:
            if not target and "hub.extraConfig" in text:
                return PlacedFix(text, None)  # (advice that already says where in the code)
            shown = text.split("\n", 1)[1] if target and text.startswith("# in ") else text
            return PlacedFix(f"{in_code}\n{shown}", None)
        layer = self.release.placing(target or values_path)
        if layer is not None and merge == HELM and self.release.layered:
            # A later layer that writes a key of the patch as no mapping (`hub.config:` left
            # empty) throws away what this one would get: the fix goes where it takes effect.
            tree = _tree(patch)
            if isinstance(tree, dict) and tree:
                leaves = [(*target, *leaf) for leaf in _leaves(tree)]
                layer = self.release.replaced_later(layer, leaves) or layer
        if layer is not None and not target and layer.read_only:
            text = f"# in {layer.read_only}\n{text}"
        elif layer is not None and not target and layer.shown_under:
            text = nested(text, layer.shown_under)
        if layer is None or layer.read_only:
            # Values in a string: nblint places findings in it but never rewrites it.
            return PlacedFix(text, None)
        if merge == HELM:
            # A null the user wrote with a reason beside it (`uid: # let openshift set the
            # value`) is theirs to change: the hint is advice.
            reasoned = (
                _null_with_reason(layer, target, _tree(patch))
                if _has_null_comments(self.release, layer)
                else None
            )
            if reasoned is not None:
                return PlacedFix(f"{reasoned}\n{text}", None)
            kept = _keeping_deletions(self.release, layer, target, _tree(patch))
            if isinstance(kept, str):
                return PlacedFix(f"{kept}\n{text}", None)
            if kept is not None:
                target, patch, null = kept
                text = _dump(patch)
                if target:
                    text = f"{self._label(target)}\n{text}"
                elif layer.shown_under:
                    text = nested(text, layer.shown_under)
                text = (
                    f"# `{format_path(null)}: null` here deletes the chart's defaults below it:"
                    "\n# the nulls keep them deleted\n" + text
                )
        if merge == HELM and not _changes(_at(layer.values, target), _tree(patch)):
            # The layer has it all already (the finding comes from elsewhere): `nblint fix` would
            # change nothing, so the hint is shown, not offered (nor counted) as a fix.
            return PlacedFix(text, None)
        patch_text = patch if isinstance(patch, str) else _dump(patch)
        # In a profile's (or a choice's) override it reaches only that profile's pods.
        narrow = override_scope(target) is not None
        return PlacedFix(
            text,
            Edit(layer.file, layer.index, (*layer.root, *target), merge, patch_text, narrow=narrow),
        )

    def _code_wins(self, text: str, target: Path, patch: Any) -> tuple[str, Any] | None:
        """``(text, patch)`` of a hint whose values ``patch`` (merged at ``target``, outside any
        profile) sets a trait that a plain setting in ``hub.extraConfig`` still sets for this
        pod once the values have the hint: the hub runs that code after the values, so those
        keys change nothing. They are left out of the edit; where the code's value is not the
        one the fix needs, the hint is shown, never applied (``patch`` None: nblint does not
        edit code), and says which statement to change and how. None when the code sets none
        of the hint's traits."""
        if override_scope(target) is not None or any(isinstance(k, int) for k in target):
            return None  # a profile's override wins over hub.extraConfig (applied at spawn)
        tree = _tree(patch)
        if not isinstance(tree, dict) or not tree:
            return None
        values_patch = _set_at({}, target, tree) if target else tree
        traits = traits_set_by(self.release, values_patch)
        # A trait the hint names under hub.config.KubeSpawner is one it sets, even where the
        # values with and without it build the same trait (the code masks both).
        named = _at(values_patch, HUB_CONFIG_KUBESPAWNER)
        if isinstance(named, dict):
            traits = {**{k: v for k, v in named.items() if isinstance(k, str)}, **traits}
        if not any(name in self.set_by_code for name in traits):
            return None
        # Is the code still what sets them once the values have the hint? (A KubeSpawner key of
        # the values beats a `c.Spawner.x` statement; a deprecated name in the code is ignored
        # where the values set the trait.)
        after = _set_by_code_with(self.release, values_patch)
        lost = {name: after[name] for name in traits if name in self.set_by_code and name in after}
        if not lost:
            return None
        kept: Any = values_patch
        comments = dict(_commented_lines(text))
        beside: dict[str, list[str]] = {}
        for leaf in _leaves(values_patch):
            value = _written(values_patch, leaf)
            alone = traits_set_by(self.release, _set_at({}, leaf, value))
            hit = next((name for name in alone if name in lost), None)
            if hit is None:
                continue
            kept = _without(kept, leaf)
            comment = comments.get(f"{leaf[-1]}: {_scalar_text(value)}")
            if comment and comment not in beside.setdefault(hit, []):
                beside[hit].append(comment)
        lines: list[str] = []
        needs_code = False
        for name, (statement, has) in lost.items():
            wanted = traits[name]
            if isinstance(wanted, dict) and isinstance(has, dict):
                wanted = _helm_merge(has, wanted)
            same = wanted == has
            needs_code = needs_code or not same
            lines += _code_line_advice(self.release, name, statement, wanted, same, beside)
        rest = _dump(kept) if isinstance(kept, dict) and kept else None
        if needs_code:
            if rest is not None:
                lines += ["# and in the values:", rest]
            return "\n".join(lines), None
        if rest is None:
            return "\n".join(lines), None  # (the code already gives all the hint sets)
        return "\n".join([*lines, rest]), kept


def _has_null_comments(release: Release, layer: Any) -> bool:
    """Whether ``layer`` writes any null with a comment on its line (most layers: none), worked
    out once per layer of the release: every hint placed in it asks."""
    key = (_NULL_COMMENTS, id(layer))
    found = release.fix_memo.get(key)
    if found is None:
        found = release.fix_memo[key] = _any_null_comment(layer.values)
    return bool(found)


#: The release's memo key of :func:`_has_null_comments`.
_NULL_COMMENTS = "null-comments"


def _any_null_comment(tree: Any) -> bool:
    if isinstance(tree, dict):
        if getattr(tree, "null_comments", None):
            return True
        return any(_any_null_comment(value) for value in tree.values())
    if isinstance(tree, list):
        return any(_any_null_comment(item) for item in tree)
    return False


def _null_with_reason(layer: Any, target: Path, patch: Any) -> str | None:
    """Why ``patch`` (merged at ``target`` of ``layer``) is advice: it writes a value where the
    layer writes ``null`` with a comment on that line (``uid: # let openshift set the value``,
    field test 14a): the null is there on purpose, for a reason nblint cannot weigh. None when
    it writes over no such null (cheap: the loader keeps comments of nulls only)."""
    if not isinstance(patch, dict):
        return None
    for leaf in _leaves(patch):
        if _at(patch, leaf) is None:
            continue  # (a null written again changes nothing)
        full = (*target, *leaf)
        node: Any = layer.values
        for depth, key in enumerate(full):
            if not isinstance(node, dict) or key not in node:
                break
            if node[key] is None:
                comments = getattr(node, "null_comments", None)
                reason = comments.get(key) if comments else None
                if reason:
                    where = format_path(full[: depth + 1])
                    return (
                        f"# not applied: `{where}: null` in {_name(layer.file)} is written on "
                        f"purpose:\n#   # {reason}\n# write it yourself if that no longer holds:"
                    )
                break
            node = node[key]
    return None


def _keeping_deletions(
    release: Release, layer: Any, target: Path, patch: Any
) -> tuple[Path, dict[str, Any], Path] | str | None:
    """``patch`` (merged at ``target`` of ``layer``) made to keep what the layer's ``null``s
    delete, where it writes a mapping into one.

    A ``null`` (``hub.config:`` left empty) deletes the chart's default there, and an earlier
    layer's value (Helm merges the files, then the chart's defaults): a mapping written in its
    place brings every one of them back (``JupyterHub.authenticator_class: dummy``). So the
    mapping also sets each key they had to ``null``, which Helm deletes again: ``(target, patch,
    null)`` to write instead, at (or above) the first such ``null``. Otherwise the hint is
    advice, and a comment says why (None: no null of the layer is in the way):

    * the patch sets a key of what the null deletes (``type`` of a deleted
      ``singleuser.storage``): it was written to merge over the rest, which must then come back
      or stay deleted, and nblint cannot tell which the user wants;
    * a key only an earlier layer sets would have to stay deleted: a ``null`` for it stays in
      the values (Helm deletes only what a chart defines), where the hub would read it."""
    if not isinstance(patch, dict) or any(isinstance(part, int) for part in target):
        return None  # (a list item's keys delete nothing: Helm replaces lists whole)
    full: dict[str, Any] = _set_at({}, target, patch) if target else patch
    nulls: list[Path] = []

    def walk(written: Any, wanted: dict[Any, Any], path: Path) -> None:
        for key, value in wanted.items():
            if not isinstance(value, dict) or not isinstance(written, dict):
                continue
            found, mine = _entry(written, key)
            if found and mine is None:
                nulls.append((*path, key))
            elif found:
                walk(mine, value, (*path, key))

    walk(layer.values, full, ())
    kept: list[Path] = []
    for null in nulls:
        value = _at(full, null)
        below = release.beneath(layer, null)
        if not isinstance(value, dict) or not isinstance(below, dict) or not below:
            continue  # (it deletes nothing a mapping would bring back)
        where, whose = format_path(null), _whose(release, layer, null)
        shared = [key for key in value if below.get(key) not in (None, {}, [], "")]
        if shared:
            names = ", ".join(f"`{key}`" for key in shared)
            return (
                f"# not applied: `{where}: null` in {_name(layer.file)} deletes {whose} "
                f"`{where}`,\n# and this fix sets {names} of it: a mapping there brings back "
                "the rest, or, with\n# the rest kept deleted, may not do what it means. Write "
                "the section by hand:"
            )
        filled = dict(value)
        only_earlier: list[str] = []
        for key in below:
            if key in filled:
                continue
            if get_path(release.defaults, (*null, key))[0]:
                filled[key] = None  # (Helm deletes a chart default where the value is null)
            else:
                only_earlier.append(f"`{key}`")
        if only_earlier:
            files = release.from_earlier_layers(layer, null)
            return (
                f"# not applied: `{where}: null` in {_name(layer.file)} deletes "
                f"{', '.join(only_earlier)} of {', '.join(map(_name, files)) or 'a layer'}:"
                "\n# a mapping there brings "
                "it back, and a null for a key the chart does not define stays\n# in the values "
                "(the hub would read it). Write it by hand, keeping that deleted:"
            )
        full = _set_at(full, null, filled)
        kept.append(null)
    if not kept:
        return None
    common = _common_prefix([target, *kept])
    at = _at(full, common)
    return (common, at, kept[0]) if isinstance(at, dict) else None


def _name(file: str) -> str:
    """A file as a hint's comment names it: its name (the finding says where it is)."""
    return file.replace("\\", "/").rsplit("/", 1)[-1]


def _whose(release: Release, layer: Any, null: Path) -> str:
    """Whose values a ``null`` at ``null`` in ``layer`` deletes: the chart's, earlier files'."""
    files = release.from_earlier_layers(layer, null)
    chart = "the chart's" if get_path(release.defaults, null)[0] else ""
    return " and ".join([part for part in (chart, *(f"{_name(f)}'s" for f in files)) if part])


def _common_prefix(paths: list[Path]) -> Path:
    prefix = paths[0]
    for path in paths[1:]:
        length = 0
        while length < min(len(prefix), len(path)) and prefix[length] == path[length]:
            length += 1
        prefix = prefix[:length]
    return prefix


def set_by_code(config: SpawnerConfig) -> dict[str, Path]:
    """``{trait: statement}`` of the traits of ``config`` (a pod's, its profile's overrides
    applied) whose value a plain setting in ``hub.extraConfig`` gives: its values path. A
    profile's override that replaces the trait takes it out (KubeSpawner applies overrides at
    spawn, after the hub's configuration); one merged into a dict trait leaves it in (the code's
    dict is what a values key would have set)."""
    found: dict[str, Path] = {}
    for name, trait in config.traits.items():
        source = trait.sources.get(())
        if source is not None and source.path[:2] == EXTRA_CONFIG_CODE:
            found[name] = source.path
    return found


def _set_by_code_with(release: Release, patch: dict[str, Any]) -> dict[str, tuple[Path, Any]]:
    """``{trait: (statement, value)}`` of what :func:`set_by_code` finds in the hub's
    configuration (no profile) of the release's values with ``patch`` merged, hub.extraConfig's
    plain settings applied last; worked out once per hint."""
    import json

    from nblint.dialects.z2jh.chart_config import chart_traits

    key = (_CODE_WINS, json.dumps(patch, sort_keys=True, default=str))
    memo = release.fix_memo
    if key not in memo:
        merged = _helm_merge(release.values, patch)
        config = chart_traits(merged, release.chart_version, extra=release.extra_config)
        memo[key] = {
            name: (statement, config.get(name)) for name, statement in set_by_code(config).items()
        }
    found: dict[str, tuple[Path, Any]] = memo[key]
    return found


#: Marks :func:`_set_by_code_with`'s entries among the release's ``fix_memo`` keys.
_CODE_WINS = "code wins"

#: Traits whose securityContext field KubeSpawner's ``make_pod`` writes first and then updates
#: with the ``container_security_context`` / ``pod_security_context`` trait: a values key there
#: overrides in the pod what code set the trait to (against the code's choice).
_FIELD_OVERRIDDEN_BY = {
    "uid": ("container_security_context", "runAsUser"),
    "gid": ("container_security_context", "runAsGroup"),
    "privileged": ("container_security_context", "privileged"),
    "allow_privilege_escalation": ("container_security_context", "allowPrivilegeEscalation"),
    "fs_gid": ("pod_security_context", "fsGroup"),
    "supplemental_gids": ("pod_security_context", "supplementalGroups"),
}


def _code_line_advice(
    release: Release,
    trait: str,
    statement: Path,
    wanted: Any,
    same: bool,
    beside: dict[str, list[str]],
) -> list[str]:
    """Comment lines about the ``hub.extraConfig`` statement (values path ``statement``) that
    sets ``trait`` after the values: it already gives the fix's value (``same``), or it must
    be changed, to the line shown for the fix's ``wanted`` value (for a list trait none is
    shown: the hint's list is built from the values, not the code's). ``beside``: the hint's
    comments on the keys left out, by trait."""
    # Named as every message names a statement (its snippet's line), and the file's line.
    where = f"{format_path(statement)} (line {release.locate(statement).line} of the file)"
    written = next((a for a in release.extra_config.assignments if a.path == statement), None)
    notes = "   ".join(beside.get(trait, []))
    if same:
        return [
            f"# {where} sets {trait} after the values,",
            f"# as this fix needs: left out of it   {notes}".rstrip(),
        ]
    lines = [
        f"# {where} sets {trait} after the values,",
        "# which cannot change it: change that line (nblint does not edit code)",
    ]
    overridden: list[str] = []
    if trait in _FIELD_OVERRIDDEN_BY:
        # The trait, not the pod's field: KubeSpawner lets the securityContext trait win.
        context, field = _FIELD_OVERRIDDEN_BY[trait]
        lines[1] = lines[1].replace("cannot change it", "cannot change that trait")
        overridden = [
            f"# (hub.config.KubeSpawner.{context}.{field} in the values",
            "# would override it in the pod, against the code's choice)",
        ]
    if isinstance(wanted, list) or written is None:
        return [*lines, *([f"# {notes}"] if notes else []), *overridden]
    lines[-1] += ":"
    code = f"c.{written.section}.{written.trait} = {wanted!r}"
    return [*lines, f"#   {code}   {notes}".rstrip(), *overridden]


def _code_fix_text(release: Release, target: Path, text: str) -> str:
    """A hint for ``target``, a place inside the value a ``hub.extraConfig`` statement assigns,
    shown: that place in the code, then the hint without the line that named it as a values
    path."""
    lines = text.split("\n")
    while lines and lines[0].startswith("# in "):
        lines.pop(0)
    # (A "# in " line: the rule's own comments go below it, see _keep_comments.)
    return "\n".join([_in_code(release, target) or "", *lines])


def _scalar_text(value: Any) -> str:
    """A scalar as a hint writes it (the key of :func:`_commented_lines`' pairs)."""
    if value is True or value is False:
        return "true" if value else "false"
    return "null" if value is None else str(value)


def _in_code(release: Release, values_path: Path) -> str | None:
    """``# in …``: the place in ``hub.extraConfig``'s code that ``values_path`` is in (what that
    code sets is traced to it), named as messages name a statement, else None."""
    if len(values_path) < 3 or values_path[:2] != EXTRA_CONFIG_CODE:
        return None
    where = format_path(values_path[:3])
    if len(values_path) > 3 and isinstance(values_path[3], CodeLine):
        # The statement's line in the snippet (and in the file), then the place in its value.
        statement = values_path[:4]
        where = f"{format_path(statement)} (line {release.locate(statement).line} of the file)"
        inside = "".join(f"[{part!r}]" for part in values_path[4:])
        if inside:
            where += f", at {inside}"
    return f"# in {where}: code, which nblint does not edit (change it there)"


def _replaces(written: Any, value: Any) -> bool:
    """Whether an override's ``written`` value of a trait wins over ``value`` set elsewhere:
    KubeSpawner's ``_apply_overrides`` merges a dict into the trait's dict (only the keys both
    have are the override's) and sets anything else."""
    if isinstance(written, dict) and isinstance(value, dict):
        return bool(set(written) & set(value))
    return True


def _in_effect(current: Any, value: Any) -> bool:
    """Whether a trait's ``current`` value already is ``value`` (for a dict: has its keys)."""
    if isinstance(current, dict) and isinstance(value, dict):
        return all(current.get(key) == item for key, item in value.items())
    return bool(current == value)


def _entries_of(value: Any) -> list[Any]:
    """The entries of a list, or of a map of named entries (z2jh 4.3+, KubeSpawner 7)."""
    if isinstance(value, dict):
        return list(value.values())
    return list(value) if isinstance(value, list) else []


def _same_entry(old: Any, new: Any) -> bool:
    """Whether list entries ``old`` and ``new`` are one (a mount by its path, a volume, an env
    entry or a toleration by its name or key; else equal)."""
    if old == new:
        return True
    if not isinstance(old, dict) or not isinstance(new, dict):
        return False
    identity = next((key for key in ("mountPath", "name", "key") if key in new), None)
    return identity is not None and old.get(identity) == new[identity]


def _release_traits(release: Release) -> Any:
    """The traits of the release before any profile (the chart's keys, hub.config, what nblint
    read of hub.extraConfig), made once per release (never change it)."""
    from nblint.dialects.z2jh.chart_config import release_chart_written, with_hub_config

    found = release.fix_memo.get(_RELEASE_TRAITS)
    if found is None:
        found = release.fix_memo[_RELEASE_TRAITS] = with_hub_config(
            release_chart_written(release).copy(), release.values, release.extra_config
        )
    return found


#: Marks the release's traits among its ``fix_memo`` keys.
_RELEASE_TRAITS = "release traits"


def _tree(patch: Any) -> Any:
    """A patch given as YAML text, parsed (a tree stays as it is)."""
    import yaml

    if not isinstance(patch, str):
        return patch
    try:
        return parsed(patch)
    except yaml.YAMLError:
        return _UNREADABLE


#: A patch that does not parse: never taken for one that changes nothing.
_UNREADABLE = object()


def _at(values: Any, target: Path) -> Any:
    """The value at ``target`` of a layer's ``values``, else None."""
    for part in target:
        if isinstance(values, dict):
            values = _entry(values, part)[1]
        elif isinstance(values, list) and isinstance(part, int) and 0 <= part < len(values):
            values = values[part]
        else:
            return None
    return values


def _entry(written: dict[str, Any], key: Any) -> tuple[bool, Any]:
    """``(found, value)`` of ``key`` in a layer's mapping ``written``, whose keys are already
    text as Helm reads them (``1:`` is ``"1"``, see ``values.build_release``)."""
    if key.__class__ is not str:
        from nblint.model.keys import json_key

        key = json_key(key)
    if key in written:
        return True, written[key]
    return False, None


def _changes(written: Any, patch: Any) -> bool:
    """Whether ``nblint fix``'s Helm merge of ``patch`` into ``written`` changes anything (as
    :mod:`nblint.fix.apply` merges: maps merge, ``null`` deletes, a list's or a map of named
    entries' items join a written list unless it has them). Never False when unsure."""
    if patch is _UNREADABLE:
        return True
    if isinstance(patch, dict) and isinstance(written, dict):
        for key, value in patch.items():
            found, old = _entry(written, key)
            if not found:
                if value is not None:
                    return True
            elif (value is None and old is not None) or (
                value is not None and _changes(old, value)
            ):
                return True  # (a null over a written null keeps it: see nblint.fix.apply)
        return False
    if isinstance(written, list) and isinstance(patch, (list, dict)):
        items = list(patch.values()) if isinstance(patch, dict) else patch
        if isinstance(patch, dict) and not all(
            isinstance(item, dict) and "name" in item for item in items
        ):
            return True
        for item in items:
            if item in written:
                continue
            identity = next(
                (k for k in ("name", "key") if isinstance(item, dict) and k in item), None
            )
            same = next(
                (
                    old
                    for old in written
                    if identity is not None
                    and isinstance(old, dict)
                    and old.get(identity) == item[identity]
                ),
                None,
            )
            if same is None or _changes(same, item):
                return True
        return False
    return bool(written != patch)


#: The values keys that write a securityContext over what KubeSpawner's traits set.
_CONTEXT_KEYS = frozenset(
    (*(context for _, context, _ in OVERRIDING_CONTEXTS), *EXTRA_CONFIG, "securityContext")
)
#: The traits of those fields, which an override sets over the root's (``uid`` in a profile).
_FIELD_TRAITS = frozenset(trait for _, _, fields in OVERRIDING_CONTEXTS for trait, _ in fields)


def _writes_a_security_context(release: Release) -> bool:
    """Whether a user file of ``release`` writes one of :data:`_CONTEXT_KEYS` anywhere (every
    key above a written value counts as written), or one of :data:`_FIELD_TRAITS` in a
    ``kubespawner_override``, worked out once per release."""
    found = release.fix_memo.get(_CONTEXT_KEYS)
    if found is None:
        found = release.fix_memo[_CONTEXT_KEYS] = any(
            path[-1:]
            and (
                path[-1] in _CONTEXT_KEYS
                or (path[-1] in _FIELD_TRAITS and path[-2:-1] == (OVERRIDE,))
            )
            for path in release.written_paths()
        )
    return bool(found)


def _keep_comments(hint: str, placed: PlacedFix) -> PlacedFix:
    """``placed`` with the comments beside the hint's keys that it lost (a hint rewritten as
    another layer's keys or a profile's traits is dumped from its parsed value): the rule's advice
    ("equal to the guarantee", "your GPU pool's label") goes back beside the same line when the
    placed text has it, else under the line that says where the fix goes."""
    if "#" not in hint:
        return placed
    lines = placed.text.split("\n")
    above: list[str] = []
    for code, comment in _commented_lines(hint):
        if comment in placed.text:
            continue
        same = next((i for i, line in enumerate(lines) if line.strip() == code), None)
        if same is not None:
            lines[same] = f"{lines[same]}   {comment}"
        elif comment not in above:
            above.append(comment)
    head = 0
    while head < len(lines) and lines[head].startswith("# in "):
        head += 1
    text = "\n".join([*lines[:head], *above, *lines[head:]])
    return placed if text == placed.text else PlacedFix(text, placed.edit)


@lru_cache(maxsize=1024)
def _commented_lines(text: str) -> tuple[tuple[str, str], ...]:
    """``(code, comment)`` of each line of YAML ``text`` with a comment beside a key (a ``#``
    after a space, outside quotes). Comment lines of their own are left: they say where the hint
    goes, which the placement says instead."""
    found = []
    for line in text.split("\n"):
        at = line.find(" #")
        if at < 0 or not line[:at].strip():
            continue
        if "'" in line[:at] or '"' in line[:at]:  # a ` #` inside quotes is text
            at = comment_at(line)
            if at <= 0:
                continue
        found.append((line[:at].strip(), line[at:].strip()))
    return tuple(found)


def in_users_form(release: Release, patch: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """``(text, patch)`` of a hint that writes a key of :data:`EITHER_FORM` (volumes, mounts)
    that the release's values hold as a list of entries: the whole list, the release's entries
    first and the hint's after them (an entry of the same name or path replaced). A Helm layer
    replaces a list, and a map in place of a list drops the user's entries, so the hint gives the
    list as it must end up; ``nblint fix`` adds only the entries the file lacks. None when the
    hint writes no such key, or the values hold a map or nothing there (a map merges)."""
    from nblint.dialects.z2jh.traits import lookup

    storage = _written(patch, ("singleuser", "storage"))
    if not isinstance(storage, dict) or not any(key[-1] in storage for key, _ in EITHER_FORM):
        return None  # (most hints)
    changed = False
    notes = []
    for key, identity in EITHER_FORM:
        wanted = _written(patch, key)
        if not isinstance(wanted, (dict, list)) or not wanted:
            continue
        users = lookup(release.values, key)
        if not isinstance(users, list) or not users:
            continue
        entries = list(wanted.values()) if isinstance(wanted, dict) else wanted
        if not all(isinstance(entry, dict) for entry in entries):
            continue
        whole = list(users)
        for entry in entries:
            same = next(
                (
                    index
                    for index, old in enumerate(whole)
                    if isinstance(old, dict) and old.get(identity) == entry.get(identity)
                ),
                None,
            )
            if same is None:
                whole.append(entry)
            else:
                whole[same] = entry
        patch = _set_at(patch, key, whole)
        changed = True
        notes.append(
            f"# {format_path(key)}: your list, whole, the new entries last (Helm replaces a list)"
        )
    if not changed:
        return None
    return "\n".join([*notes, _dump(patch)]), patch


def into_users_keys(release: Release, hint: str, patch: dict[str, Any]) -> str | None:
    """The text of a root hint that sets a KubeSpawner trait the user's values already write,
    with the value written only where they write it; None when the hint writes no such trait.

    A trait is written by its chart key (``singleuser.allowPrivilegeEscalation``), then by
    ``hub.config.KubeSpawner.<trait>`` (applied after the chart's keys), or as a field of the
    ``container_security_context`` / ``pod_security_context`` KubeSpawner applies over it. A
    hint that wrote one the user's values do not write would shadow the user's key (a later
    edit of it would silently do nothing), or, written under a later writer of theirs, change
    nothing: the value goes to the writers the user's values have, and only those (their
    ``hub.config`` trait, which wins, and their chart key it replaces, which would be left
    misleading: z2jh-value-replaced). A trait whose securityContext field the user writes is
    left as the hint has it (see :meth:`ValuesPlacement._overridden`)."""
    if "singleuser" not in patch and "hub" not in patch:
        return None
    plan = _one_writer_plan(release)
    if not plan:
        return None  # (most releases: no such key written)
    # The patch is the hint's text parsed: every profile's pod of the release asks again.
    key = (_INTO_USERS_KEYS, hint)
    memo = release.fix_memo
    if key in memo:
        found: str | None = memo[key]
        return found
    found = memo[key] = _into_users_keys(plan, hint, patch)
    return found


def _into_users_keys(
    plan: list[tuple[list[Path], list[Path], str, frozenset[Path]]],
    hint: str,
    patch: dict[str, Any],
) -> str | None:
    written_in = _values_by_path(patch)
    if written_in.keys().isdisjoint(plan[0][3]):
        return None  # (most hints: they write none of those keys)
    out = patch
    for writers, theirs_keys, _, _ in plan:
        given = [(writer, written_in[writer]) for writer in writers if writer in written_in]
        given = [(writer, value) for writer, value in given if value is not None]
        if not given or {writer for writer, _ in given} == set(theirs_keys):
            continue
        value = given[0][1]
        if not _scalar(value) or any(other != value for _, other in given):
            continue
        for writer, _ in given:
            out = _pruned(out, writer)
        for key in theirs_keys:
            out = _set_at(out, key, value)
        written_in = _values_by_path(out)
    if out is patch:
        return None
    lines = hint.split("\n")
    head = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    return "\n".join([*lines[:head], _dump(out)])


def _one_writer_plan(
    release: Release,
) -> list[tuple[list[Path], list[Path], str, frozenset[Path]]]:
    """For each trait the user's values write (:func:`_users_trait_writers`) and whose
    securityContext field they do not: ``(its writers, the user's keys of it, the trait, every
    trait's writers)``, worked out once per release (the last item is the same in each: what a
    hint must write one of to be asked at all)."""
    found = release.fix_memo.get(_ONE_WRITER_PLAN)
    if found is not None:
        return found
    from nblint.dialects.z2jh.traits import lookup

    owners = _users_trait_writers(release)
    written = lookup(release.values, HUB_CONFIG_KUBESPAWNER) if owners else None
    written = written if isinstance(written, dict) else {}
    chart_keys = _chart_trait_keys()
    fields = {
        trait: (context, field)
        for _, context, pairs in OVERRIDING_CONTEXTS
        for trait, field in pairs
    }
    entries: list[tuple[list[Path], list[Path], str]] = []
    for trait, theirs_keys in owners.items():
        writers: list[Path] = [(*HUB_CONFIG_KUBESPAWNER, trait)]
        if trait in chart_keys:
            writers.append(chart_keys[trait])
        if trait in fields:
            context, field = fields[trait]
            theirs = written.get(context)
            if isinstance(theirs, dict) and field in theirs:
                continue  # the user's own securityContext field: placed as overridden
            writers.append((*HUB_CONFIG_KUBESPAWNER, context, field))
        entries.append((writers, theirs_keys, trait))
    every = frozenset(writer for writers, _, _ in entries for writer in writers)
    plan = [(writers, theirs, trait, every) for writers, theirs, trait in entries]
    release.fix_memo[_ONE_WRITER_PLAN] = plan
    return plan


#: Marks :func:`into_users_keys`'s answers among the release's ``fix_memo`` keys.
_INTO_USERS_KEYS = "into-users-keys"
#: Marks :func:`_one_writer_plan` among the release's ``fix_memo`` keys.
_ONE_WRITER_PLAN = "one-writer-plan"


def _values_by_path(tree: Any, at: Path = ()) -> dict[Path, Any]:
    """``{values path: what is written there}`` for every key of ``tree`` (a hint's patch: a
    few keys), mappings included."""
    out: dict[Path, Any] = {}
    if isinstance(tree, dict):
        for key, value in tree.items():
            path = (*at, key)
            out[path] = value
            if isinstance(value, dict):
                out.update(_values_by_path(value, path))
    return out


def _scalar(value: Any) -> bool:
    return isinstance(value, (bool, int, float, str))


def _pruned(tree: dict[Any, Any], key: Path) -> dict[Any, Any]:
    """``tree`` without ``key``, and without the mappings above it that it leaves empty."""
    head, *rest = key
    out = dict(tree)
    inner = out.get(head)
    if rest and isinstance(inner, dict):
        inner = _pruned(inner, tuple(rest))
        if inner:
            out[head] = inner
            return out
    out.pop(head, None)
    return out


@lru_cache(maxsize=1)
def _chart_trait_keys() -> dict[str, Path]:
    """``{trait: values key}``: the traits the chart sets from one ``singleuser`` key, as it is
    (``allow_privilege_escalation``: ``singleuser.allowPrivilegeEscalation``)."""
    from nblint.dialects.z2jh.chart_config import PASSTHROUGH

    keys = (*PASSTHROUGH, ("allow_privilege_escalation", ("allowPrivilegeEscalation",)))
    return {trait: ("singleuser", *key) for trait, key in keys}


def _users_trait_writers(release: Release) -> dict[str, list[Path]]:
    """``{trait: values keys}``: the writers of each trait the user's values write, its chart
    key and its ``hub.config.KubeSpawner`` key (for the traits of :func:`_chart_trait_keys`
    and those of a securityContext field), worked out once per release."""
    found: dict[str, list[Path]] | None = release.fix_memo.get(_USERS_TRAIT_WRITERS)
    if found is None:
        from nblint.dialects.z2jh.traits import lookup

        found = {trait: [key] for trait, key in _chart_trait_keys().items() if release.written(key)}
        hub = lookup(release.values, HUB_CONFIG_KUBESPAWNER)
        if isinstance(hub, dict):
            for trait in dict.fromkeys((*_chart_trait_keys(), *_FIELD_TRAITS)):
                if hub.get(trait) is not None:
                    found.setdefault(trait, []).append((*HUB_CONFIG_KUBESPAWNER, trait))
        release.fix_memo[_USERS_TRAIT_WRITERS] = found
    return found


#: Marks :func:`_users_trait_writers` among the release's ``fix_memo`` keys.
_USERS_TRAIT_WRITERS = "users-trait-writers"


def _set_at(tree: dict[Any, Any], key: Path, value: Any) -> dict[Any, Any]:
    """``tree`` with ``value`` at ``key``, the dicts on the way copied (hints are shared)."""
    head, *rest = key
    inner = tree.get(head)
    out = dict(tree)
    out[head] = (
        _set_at(inner if isinstance(inner, dict) else {}, tuple(rest), value) if rest else value
    )
    return out


def values_fix(release: Release, intro: str, target: Path, shown: Any, patch: Any) -> PlacedFix:
    """``patch`` merged (as Helm merges) at values path ``target``, in the layer that wrote it;
    shown as ``intro``, where it goes, and ``shown`` (what the patch sets, without the deletions
    a person reads in ``intro``)."""
    placement = ValuesPlacement(release)
    text = f"{intro}\n{placement._label(target)}\n{_dump(shown)}"
    return placement._edit(text, target, patch, target)


#: Marks the placed hints among the release's ``fix_memo`` keys.
_PLACED = "placed"


def _whole_entry(path: Path) -> bool:
    """Whether pod ``path`` is in a container or volume the user may have written whole (not
    the notebook container, whose fields KubeSpawner builds from traits)."""
    if len(path) < 3 or path[1] not in WHOLE_LISTS or not isinstance(path[2], int):
        return False
    return not (path[1] == "containers" and path[2] == 0)


#: The fields of a pod's securityContext that say which user its containers run as, each also a
#: field of a container's own securityContext.
_USER_FIELDS = frozenset(("runAsUser", "runAsGroup", "runAsNonRoot"))


def _users_own(spec: Any) -> dict[str, Any] | None:
    """For the pod template's hint ``spec`` that sets the pod's user (``securityContext`` with
    ``runAsNonRoot``, ``runAsUser``), the same fields as a container's own securityContext; else
    None. z2jh's hint for it (``pod_security_context`` plus ``singleuser.uid``) gives a user
    only to the notebook container: a sidecar or init container the user wrote keeps its image's
    (busybox's root), which the pod's ``runAsNonRoot: true`` then refuses to start. Its own
    securityContext is where its user is set."""
    if not isinstance(spec, dict) or list(spec) != ["securityContext"]:
        return None
    context = spec["securityContext"]
    if not isinstance(context, dict) or not set(context) <= _USER_FIELDS:
        return None
    if "runAsUser" not in context and "runAsNonRoot" not in context:
        return None
    return {"securityContext": dict(context)}


def nested(text: str, under: Path) -> str:
    """A hint written at the z2jh root, shown under the keys that hold it (``spec.values`` of a
    HelmRelease), so that it pastes where it goes; its leading comments stay on top."""
    if any(isinstance(key, int) for key in under):  # an item of a list: said, not nested
        return f"# in {format_path(under)}\n{text}"
    lines = text.strip("\n").splitlines()
    first = next((i for i, line in enumerate(lines) if not line.lstrip().startswith("#")), 0)
    keys = [f"{'  ' * depth}{key}:" for depth, key in enumerate(under)]
    indent = "  " * len(under)
    body = [f"{indent}{line}" if line.strip() else line for line in lines[first:]]
    return "\n".join([*lines[:first], *keys, *body])


def override_scope(values_path: Path) -> Path | None:
    """The ``kubespawner_override`` (a profile's or a choice's) that ``values_path`` is in."""
    for index in range(len(values_path) - 1, -1, -1):
        if values_path[index] == OVERRIDE:
            return values_path[: index + 1]
    return None


def chart_keys_for(release: Release, traits: Any) -> dict[str, Any] | None:
    """The values (``{"singleuser": {...}}``) that give KubeSpawner ``traits`` through the
    chart's own mapping, for a pod of no profile (nowhere to put a ``kubespawner_override``);
    None when a trait has no such key. ``tolerations`` is built from
    ``scheduling.userPods.tolerations`` + ``singleuser.extraTolerations``
    (``jupyterhub_config.py``): the list must start with the former, the rest is the latter."""
    from nblint.dialects.z2jh.chart_config import PASSTHROUGH
    from nblint.dialects.z2jh.traits import lookup

    if not isinstance(traits, dict) or not traits:
        return None
    keys = dict(PASSTHROUGH)
    singleuser: dict[str, Any] = {}
    for name, value in traits.items():
        if lookup(release.values, ("hub", "config", "KubeSpawner", name)) is not None:
            return None  # hub.config's pass-through replaces what the chart's keys give
        if name == "tolerations":
            common = lookup(release.values, ("scheduling", "userPods", "tolerations"), [])
            common = common if isinstance(common, list) else []
            if not isinstance(value, list) or value[: len(common)] != common:
                return None
            singleuser["extraTolerations"] = value[len(common) :]
        elif name in keys and len(keys[name]) == 1:
            singleuser[str(keys[name][0])] = value
        else:
            return None
    return {"singleuser": singleuser}


def traits_set_by(release: Release, patch: dict[str, Any]) -> dict[str, Any]:
    """The KubeSpawner traits (``{trait: value}``) that merging ``patch`` into the release's
    values changes: a values hint turned into a ``kubespawner_override`` entry. Dict traits give
    only the keys that change (an override merges into a dict trait)."""
    import json

    key = json.dumps(patch, sort_keys=True, default=str)
    memo = release.fix_memo
    if key not in memo:
        memo[key] = _traits_set_by(release, patch)
    found: dict[str, Any] = memo[key]
    return found


def _traits_set_by(release: Release, patch: dict[str, Any]) -> dict[str, Any]:
    """The traits the hint's keys give a value: each compared with the same values where the
    hint's keys are left unset (so that a hint the file already follows still names its traits,
    and only the keys the hint sets of a dict trait are named)."""
    from nblint.dialects.z2jh.pod_builder import RESOURCE_KEYS
    from nblint.dialects.z2jh.traits import copy_tree

    before, after = configs_around(release, patch)
    changed: dict[str, Any] = {}
    for name in sorted(set(before.traits) | set(after.traits)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            changed[name] = _dict_changes(old, new)
        else:
            changed[name] = new
    # A CPU or memory size is given as the hint writes it (`mem_limit: 32G`, as a person writes
    # an override), not as the number KubeSpawner turns it into (34359738368).
    for name, key in RESOURCE_KEYS.items():
        written = _written(patch, key)
        if name in changed and isinstance(written, (int, float, str)):
            changed[name] = written
    # What the configs share with the release's values is copied here, once.
    found: dict[str, Any] = copy_tree(changed)
    return found


def configs_around(release: Release, patch: dict[str, Any]) -> tuple[SpawnerConfig, SpawnerConfig]:
    """The traits of the release's values with the hint's keys unset, and with the hint merged.
    Both configs are only compared: their traits need not be copies of the values. A hint only
    under ``hub.config`` leaves what the chart writes itself alike on both sides: that part is
    made once per release, and each side finishes from a copy of it."""
    from nblint.dialects.z2jh.chart_config import (
        IMAGE_KEYS,
        chart_traits,
        release_chart_written,
        set_image,
        with_hub_config,
    )

    unset, merged = _helm_merge(release.values, _unset(patch)), _helm_merge(release.values, patch)
    if set(patch) == {"hub"} and _keys(patch["hub"]) == {"config"}:
        chart = release_chart_written(release)
        return with_hub_config(chart.copy(), unset), with_hub_config(chart.copy(), merged)
    if _leaves(patch) <= set(IMAGE_KEYS):
        # An image hint (most values hints of a release): only the image trait differs from
        # what the chart writes for the release's own values.
        sides = []
        for values in (unset, merged):
            config = release_chart_written(release).copy()
            config.traits.pop("image", None)
            set_image(config, values)
            sides.append(with_hub_config(config, values))
        return sides[0], sides[1]
    version = release.chart_version
    return chart_traits(unset, version, copies=False), chart_traits(merged, version, copies=False)


def _leaves(patch: Any, above: Path = ()) -> set[Path]:
    """The values paths of ``patch``'s leaves."""
    if not isinstance(patch, dict) or not patch:
        return {above}
    return {leaf for key, value in patch.items() for leaf in _leaves(value, (*above, key))}


def _context_fields(pod_path: Path, traits: dict[str, Any]) -> dict[str, Any] | None:
    """The securityContext at ``pod_path`` that gives what ``traits`` (``{uid: 1000}``) would
    give it (``{runAsUser: 1000}``), when every one of them writes that securityContext; else
    None (a hint that also sets other traits is not only this securityContext)."""
    for context_path, _, fields in OVERRIDING_CONTEXTS:
        if context_path != pod_path:
            continue
        names = dict(fields)
        if traits and set(traits) <= set(names):
            return {names[name]: value for name, value in traits.items()}
    return None


def _trait_path(written: Path) -> Path:
    """Values path ``written`` (in a ``kubespawner_override`` or under ``hub.config.KubeSpawner``)
    as a path in KubeSpawner's traits: ``container_security_context.runAsUser``."""
    scope = override_scope(written)
    if scope is not None:
        return written[len(scope) :]
    if written[:3] == HUB_CONFIG_KUBESPAWNER:
        return written[3:]
    return written


#: Where ``hub.config`` sets KubeSpawner's traits by name.
HUB_CONFIG_KUBESPAWNER: Path = ("hub", "config", "KubeSpawner")


def _without(tree: Any, leaf: Path) -> Any:
    """``tree`` without the value at ``leaf``, the maps left empty on the way dropped (hints are
    shared: the maps on the way are copied)."""
    if not isinstance(tree, dict) or not leaf or leaf[0] not in tree:
        return tree
    head, rest = leaf[0], leaf[1:]
    out = dict(tree)
    inner = _without(out[head], rest) if rest else None
    if inner is None or inner == {}:
        del out[head]
    else:
        out[head] = inner
    return out


#: Values keys under ``singleuser`` whose traits are plain to see, beside the chart's
#: pass-through keys: the NetworkPolicy's keys set none, the cloud-metadata block the init
#: containers.
_SINGLEUSER_TRAITS: dict[str, frozenset[str]] = {
    "networkPolicy": frozenset(),
    "cloudMetadata": frozenset({"init_containers"}),
    "storage": frozenset(
        {
            *("volumes", "volume_mounts", "pvc_name_template", "storage_pvc_ensure"),
            *("storage_class", "storage_access_modes", "storage_capacity", "storage_extra_labels"),
        }
    ),
}


def _traits_named_by(patch: dict[str, Any]) -> frozenset[str] | None:
    """:func:`_names_of_traits`, once per hint tree of the run: it depends on the tree alone,
    and most trees are parsed hints that every release shares (the tree is kept beside the
    answer, so its id is not another tree's while the entry lives)."""
    key = id(patch)
    found = _NAMED.get(key)
    if found is None or found[0] is not patch:
        if len(_NAMED) >= _NAMED_MAX:
            _NAMED.clear()
        found = _NAMED[key] = (patch, _names_of_traits(patch))
    named: frozenset[str] | None = found[1]
    return named


#: :func:`_traits_named_by`'s answers by hint tree; bounded (a release's own trees are many).
_NAMED: dict[int, tuple[Any, frozenset[str] | None]] = {}
_NAMED_MAX = 4096


def _names_of_traits(patch: dict[str, Any]) -> frozenset[str] | None:
    """The traits a values ``patch`` may set, when its keys say so plainly (a
    ``hub.config.KubeSpawner`` key is its trait, a pass-through key of ``singleuser`` the
    trait the chart gives it); None when some key needs the chart's own mapping."""
    from nblint.dialects.z2jh.chart_config import PASSTHROUGH

    named: set[str] = set()
    for leaf in _leaves(patch):
        if leaf[: len(HUB_CONFIG_KUBESPAWNER)] == HUB_CONFIG_KUBESPAWNER and len(leaf) > 3:
            named.add(str(leaf[3]))
        elif leaf[:1] == ("singleuser",) and len(leaf) > 1 and leaf[1] in _SINGLEUSER_TRAITS:
            named |= _SINGLEUSER_TRAITS[leaf[1]]
        elif leaf[:1] == ("singleuser",):
            trait = next((t for t, key in PASSTHROUGH if leaf[1 : 1 + len(key)] == key), None)
            if trait is None:
                return None
            named.add(trait)
        else:
            return None
    return frozenset(named)


def _keys(value: Any) -> set[Any]:
    return set(value) if isinstance(value, dict) else set()


def _written(patch: Any, key: Path) -> Any:
    """The value ``patch`` writes at values path ``key``, else None."""
    for part in key:
        patch = patch.get(part) if isinstance(patch, dict) else None
    return patch


def _unset(patch: Any) -> Any:
    """``patch`` with every leaf ``null``: merged, it deletes what the hint would set. A leaf
    the hint deletes (``add: null``) is set instead (to :data:`_SET`): the hint then names the
    trait it takes the key out of, which a profile's override deletes too (KubeSpawner's
    ``recursive_update`` drops a key whose value is None)."""
    if isinstance(patch, dict):
        return {key: _unset(value) for key, value in patch.items()}
    return _SET if patch is None else None


#: A value for a key a hint deletes, on the side of the comparison that does not follow the hint.
_SET = "set"


def _dict_changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in new.items():
        if key not in old:
            out[key] = value
        elif old[key] != value:
            both = isinstance(old[key], dict) and isinstance(value, dict)
            out[key] = _dict_changes(old[key], value) if both else value
    for key in old:
        if key not in new:
            out[key] = None
    return out


def _helm_merge(base: Any, patch: Any) -> Any:
    """Helm's merge of a values snippet (maps merge, ``null`` deletes, lists replace), as a new
    tree: the release's values share subtrees with the chart's defaults."""
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = dict(base)
        for key, value in patch.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = _helm_merge(merged.get(key), value) if key in merged else value
        return merged
    return patch


def _dump(value: Any) -> str:
    """``value`` as block YAML. Hints are few and findings many: each text is made once."""
    import json

    return _dumped(json.dumps(value, default=str))


@lru_cache(maxsize=1024)
def _dumped(as_json: str) -> str:
    import json

    import yaml

    return yaml.safe_dump(json.loads(as_json), sort_keys=False, default_flow_style=False).rstrip()


def _security_context(text: str | None, pod_path: Path) -> dict[str, Any] | None:
    """The securityContext at ``pod_path`` (the pod's, or the notebook container's) of the pod
    template hint ``text``, or None."""
    import yaml

    try:
        template = parsed(text) if text else None
    except yaml.YAMLError:
        return None
    spec = template.get("spec") if isinstance(template, dict) else None
    if not isinstance(spec, dict):
        return None
    if pod_path[1] == "securityContext":
        wanted = spec.get("securityContext")
    else:
        containers = spec.get("containers")
        first = containers[0] if isinstance(containers, list) and containers else None
        wanted = first.get("securityContext") if isinstance(first, dict) else None
    return wanted if isinstance(wanted, dict) else None


def _code_statement(written: Path) -> Path:
    """The ``hub.extraConfig`` snippet line in a values path set by its code (the snippet
    alone when the path names no line)."""
    for index, part in enumerate(written):
        if isinstance(part, CodeLine):
            return written[: index + 1]
    return written[:3]
