"""Position-guided edits: a fix merged into the text of a YAML file, every other byte kept.

An :class:`~nblint.model.edit.Edit` says which document of which file, where in it, how to merge
(strategic or Helm) and what. :func:`apply_edit` composes the document with PyYAML (which keeps
the start and end of every node), walks the patch against it as the merge would, and turns each
difference into a replacement of the smallest span of text that holds it: a scalar's own
characters, a new line after a mapping's last entry, a new item after a sequence's last one, an
entry's lines when ``null`` deletes it. Comments, quoting, flow style, indentation and document
markers outside those spans are never touched; new text follows the style around it (the
mapping's indentation, the file's sequence indentation, flow collections stay flow).

A value shared through a YAML alias (``key: *ref``) is never edited where it is anchored: that
would change every other place that uses it. The alias at the place the edit goes is first
replaced by a copy of the anchored node's text (re-indented to its new place; flow stays flow),
and the edit goes into the copy. A key a mapping only has through a merge key (``<<: *ref``) is
likewise copied into the merging mapping, where an explicit key overrides the merged one. The
other way round, an edit of the anchored value itself first makes every other use of what it
changes that use's own: an alias becomes a copy, a mapping that merges a key the edit changes gets
that key copied in (it keeps the old value), and one that would take a key the edit adds gets the
merge written out as its own keys (:func:`_unmerged`); what cannot be made its own that way is
refused. Merge keys are read as go-yaml v2 reads them (Kubernetes, Helm): a ``<<`` sets its keys
where it is written, over the keys before it; the keys after it override it. A key
written twice is edited where it is written last: the occurrence that PyYAML, nblint's loader
and Helm (``sigs.k8s.io/yaml``, go-yaml v2: the later key overwrites the earlier) all keep; the
``duplicate-key`` finding stays. A number written as a string (``cpu: "0.5"``, which the
values schema refuses) is written as that number by a fix that only adds: the user's value kept,
its type corrected.

What cannot be placed that way is refused with :class:`FixError` naming why, and the file is
left as it was: an alias whose anchored value defines anchors of its own, deleting a key written
twice (the earlier one would come back), a merge from a list (``<<: [*a, *b]``) that an edit of
``*a`` would reach, a key written before a ``<<`` that replaces it, a document that does not
parse.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

import yaml

from nblint.fix.merge import MERGE_KEYS
from nblint.load.yaml_tree import read_on_after
from nblint.model.edit import STRATEGIC, Edit
from nblint.model.keys import json_key
from nblint.model.pod import Path
from nblint.model.unknowable import unknowable_value

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


def _is_template(root: yaml.Node) -> bool:
    """Whether document ``root`` is an OpenShift ``Template`` (``oc process`` fills in a
    ``${NAME}`` anywhere in its objects' texts)."""
    if not isinstance(root, yaml.MappingNode):
        return False
    return any(
        getattr(key, "value", None) == "kind" and getattr(value, "value", None) == "Template"
        for key, value in root.value
    )


def _placeholder(node: yaml.Node, parameters: bool, depth: int = 0) -> str | None:
    """The first placeholder (:func:`~nblint.model.unknowable.unknowable_value`) that
    ``node`` is or holds, else None."""
    if isinstance(node, yaml.ScalarNode):
        text = node.value
        # (A Helm template in a values file is read as unknown here too: never written over.)
        return text if unknowable_value(text, False, parameters) else None
    if depth > 50:
        return None
    if isinstance(node, yaml.MappingNode):
        children = [value for _, value in node.value]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    else:
        return None
    for child in children:
        found = _placeholder(child, parameters, depth + 1)
        if found is not None:
            return found
    return None


class FixError(Exception):
    """An edit that cannot be applied without risking the rest of the file."""


@dataclass(frozen=True)
class Replacement:
    """``text[start:end]`` becomes ``new``."""

    start: int
    end: int
    new: str


def apply_edit(text: str, edit: Edit) -> tuple[str, list[Replacement]]:
    """``text`` with ``edit`` applied, and the replacements that did it (empty: nothing to do)."""
    replacements = plan_edit(text, edit)
    return splice(text, replacements), replacements


def splice(text: str, replacements: list[Replacement]) -> str:
    out = text
    for change in sorted(replacements, key=lambda r: (r.start, r.end), reverse=True):
        out = out[: change.start] + change.new + out[change.end :]
    return out


def plan_edit(text: str, edit: Edit) -> list[Replacement]:
    """The replacements that apply ``edit`` to ``text`` (see the module docstring)."""
    try:
        patch = yaml.load(edit.patch, Loader=_Loader)
    except yaml.YAMLError as err:
        raise FixError(f"the fix is not YAML: {_one_line(err)}") from None
    notes = _kept_comments(edit.patch, patch)
    # Each shared value on the way is copied to where the edit goes, then the edit is planned
    # again on that text; the copies and the edit's own changes are then told in ``text``'s
    # coordinates.
    copies: list[Replacement] = []
    current = text
    for _ in range(MAX_COPIES + 1):
        root = _document(current, edit.document)
        planner = _Planner(current, edit.merge == STRATEGIC, edit.adds_only, notes)
        planner.parameters = _is_template(root)
        try:
            node, tree = planner.descend(root, edit.path, patch)
            planner.merge(node, tree, None)
            planner.check_used_elsewhere()
        except _Shared as shared:
            copy = _copy_shared(current, edit.document, shared, planner)
            copies.append(copy)
            current = splice(current, [copy])
            continue
        except _Unmerge as unmerge:
            copy = _unmerged(current, edit.document, unmerge, planner)
            copies.append(copy)
            current = splice(current, [copy])
            continue
        except _Replace:
            raise FixError(
                f"{_where(edit.path)} is not the kind of value the fix expects"
            ) from None
        except (TypeError, ValueError, AttributeError, IndexError, RecursionError) as err:
            # A shape of input this planner does not know: leave the file as it is.
            raise FixError(f"cannot place the fix here ({type(err).__name__}: {err})") from None
        replacements = planner.replacements
        if not replacements:
            return []  # nothing to do: no copy either
        return _in_file_style(text, _through_copies(replacements, copies))
    raise FixError(f"more than {MAX_COPIES} shared values on the way to {_where(edit.path)}")


#: Shared values (aliases, merged keys) one edit may copy to where it goes.
MAX_COPIES = 8


def _in_file_style(text: str, replacements: list[Replacement]) -> list[Replacement]:
    """``replacements`` written as ``text`` writes its lines: the planner writes ``\\n``, and new
    lines in a CRLF file end in CRLF too (mixed endings show as ``^M`` in diffs and trip a
    ``mixed-line-ending`` hook); a file whose last line has no line break keeps it so."""
    crlf = _crlf(text)
    open_end = bool(text) and not text.endswith("\n")
    out = []
    for change in replacements:
        start, new = change.start, change.new
        if open_end and change.end == len(text):
            if new:
                new = new[:-2] if new.endswith("\r\n") else new.removesuffix("\n")
            elif text[start - 1 : start] == "\n":
                # The last entry deleted: its line break goes with it.
                start -= 2 if text[start - 2 : start] == "\r\n" else 1
        if crlf:
            new = new.replace("\r\n", "\n").replace("\n", "\r\n")
        out.append(Replacement(start, change.end, new))
    return out


def _crlf(text: str) -> bool:
    """Whether most of ``text``'s lines end in CRLF (a file with none has LF)."""
    crlf = text.count("\r\n")
    return crlf > 0 and crlf * 2 >= text.count("\n")


def _through_copies(
    replacements: list[Replacement], copies: list[Replacement]
) -> list[Replacement]:
    """``replacements`` of the text after ``copies`` (applied one after the other), as
    replacements of the text before them: each copy becomes one replacement holding the changes
    made inside it."""
    out = sorted(replacements, key=lambda r: (r.start, r.end))
    for copy in reversed(copies):
        end = copy.start + len(copy.new)
        shift = len(copy.new) - (copy.end - copy.start)
        inside = [r for r in out if copy.start <= r.start and r.end <= end]
        across = [r for r in out if r not in inside and r.start < end and r.end > copy.start]
        if across:
            raise FixError("the fix would change a shared value's copy and what is around it")
        new = splice(
            copy.new, [Replacement(r.start - copy.start, r.end - copy.start, r.new) for r in inside]
        )
        rest = [
            r if r.end <= copy.start else Replacement(r.start - shift, r.end - shift, r.new)
            for r in out
            if r not in inside
        ]
        out = sorted(
            [*rest, Replacement(copy.start, copy.end, new)], key=lambda r: (r.start, r.end)
        )
    return out


def _document(text: str, index: int) -> yaml.Node:
    try:
        for position, node, _ in _composed(text, index, _Loader):
            if position == index:
                if node is None:
                    raise FixError(f"document {index + 1} is empty")
                return node
    except yaml.YAMLError as err:
        raise FixError(f"the file does not parse: {_one_line(err)}") from None
    raise FixError(f"the file has no document {index + 1}")


def _composed(text: str, index: int, loader_class: Any) -> Iterator[tuple[int, Any, Any]]:
    """Each document's number, composed node and loader, up to document ``index``, numbered as the
    loader numbers them: after a document with a syntax error, composed from the text the
    loader reads on in (:func:`~nblint.load.yaml_tree.read_on_after`: the lines before the next
    document marker blanked, every offset kept). A broken document itself is refused."""
    current: str | None = text
    position = 0
    while current is not None:
        loader = loader_class(current)
        try:
            while loader.check_node():
                yield position, loader.get_node(), loader
                if position == index:
                    return
                position += 1
            return
        except yaml.YAMLError as err:
            current = read_on_after(current, err)
            if current is None or position == index:
                raise
            position += 1
        finally:
            loader.dispose()


class _Constructor(_Loader):
    """PyYAML's constructor, leaving the nodes as they were: it flattens a mapping's merge keys
    (``<<``) into the node itself, which would make merged keys look written here."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        saved = _merged_values(node)
        try:
            return super().construct_mapping(node, deep)
        finally:
            for mapping, value in saved:
                mapping.value = value


def _merged_values(node: Any) -> list[tuple[Any, list[Any]]]:
    """``node`` and every mapping it merges, with their entries as they are."""
    out: list[tuple[Any, list[Any]]] = []
    stack = [node]
    while stack:
        mapping = stack.pop()
        if not isinstance(mapping, yaml.MappingNode) or any(m is mapping for m, _ in out):
            continue
        out.append((mapping, list(mapping.value)))
        for key, value in mapping.value:
            if key.tag == MERGE_TAG:
                stack.extend(value.value if isinstance(value, yaml.SequenceNode) else [value])
    return out


_CONSTRUCTOR = _Constructor("")


def _construct(node: yaml.Node) -> Any:
    try:
        return _CONSTRUCTOR.construct_document(node)
    except (yaml.YAMLError, TypeError, ValueError):
        return _UNKNOWN


_UNKNOWN = object()


def _is_empty(node: yaml.Node) -> bool:
    """``key:`` with no value, ``~`` or ``null``: a place to put a mapping."""
    return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")


#: The comments of a hint that are kept in the file beside the value they speak of: a value
#: nblint assumed (``uid: 1000   # assumed: any non-root uid; …``)
#: must not pass for one the user chose once it is written.
KEPT_COMMENT = "assumed"


def _kept_comments(text: str, patch: Any) -> dict[tuple[int, Any], str]:
    """The comments ``# assumed…`` after a scalar of the hint ``text`` (parsed: ``patch``), by
    ``(id of the patch's mapping, key)``."""
    if KEPT_COMMENT not in text:
        return {}
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    lines = text.splitlines()
    notes: dict[tuple[int, Any], str] = {}
    stack = [(root, patch)]
    while stack:
        node, value = stack.pop()
        if isinstance(node, yaml.SequenceNode) and isinstance(value, list):
            stack.extend(zip(node.value, value, strict=False))
        elif isinstance(node, yaml.MappingNode) and isinstance(value, dict):
            for (_, child), (key, item) in zip(node.value, value.items(), strict=False):
                if isinstance(child, yaml.ScalarNode):
                    end = child.end_mark
                    rest = lines[end.line][end.column :] if end.line < len(lines) else ""
                    comment = rest.strip()
                    if comment.startswith("#") and comment[1:].strip().startswith(KEPT_COMMENT):
                        notes[(id(value), key)] = comment[1:].strip()
                else:
                    stack.append((child, item))
    return notes


class _Planner:
    def __init__(
        self,
        text: str,
        strategic: bool,
        adds_only: bool = False,
        notes: dict[tuple[int, Any], str] | None = None,
    ) -> None:
        self.text = text
        self.strategic = strategic
        self.adds_only = adds_only
        #: The document is an OpenShift ``Template``: a ``${NAME}`` anywhere is a placeholder.
        self.parameters = False
        self._replacements: list[Replacement] = []
        #: Text inserted at one place: ``(column, order, text)`` pieces.
        self._insertions: dict[int, list[tuple[int, int, str]]] = {}
        self.sequence_indent = _sequence_indent(text)
        self.step = _indent_step(text)
        #: The document's root, and where in it an alias is used (see :func:`_alias_uses`).
        self.root: yaml.Node | None = None
        self._alias_uses: set[tuple[int, Any]] | None = None
        #: Where the merge is: ``(collection, key or index)`` from the root to the place at hand
        #: (index -1: a new item).
        self._trail: list[tuple[yaml.Node, Any]] = []
        #: The trail of every change, for :meth:`check_used_elsewhere`.
        self._changed_under: list[tuple[tuple[yaml.Node, Any], ...]] = []
        #: The hint's comments kept beside their values (:func:`_kept_comments`), and the
        #: patch mappings being merged, innermost last (whose keys they are).
        self.notes: dict[tuple[int, Any], str] = {} if notes is None else notes
        self._patches: list[dict[Any, Any]] = []

    # -- finding the place ----------------------------------------------------------------

    def descend(self, node: yaml.Node, path: Path, patch: Any) -> tuple[yaml.Node, Any]:
        """The node at ``path``, or its deepest existing ancestor with ``patch`` nested under
        the missing keys."""
        self.root = node
        for position, part in enumerate(path):
            if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str":
                # (text, such as hub.extraConfig's code: nothing in it is a key or an item)
                raise FixError(f"{_where(path[:position])} is text: nblint does not edit inside it")
            if isinstance(part, int):
                if not isinstance(node, yaml.SequenceNode) or not 0 <= part < len(node.value):
                    raise FixError(f"no item {part} at {_where(path[:position])}")
                child = node.value[part]
                slot: Any = part
            else:
                if not isinstance(node, yaml.MappingNode):
                    raise FixError(f"{_where(path[:position])} is not a mapping")
                entry = self.entry(node, part, copy_merged=True)
                if entry is None or _is_empty(entry[1]):
                    nested: Any = patch
                    for key in reversed(path[position + 1 :]):
                        if isinstance(key, int):
                            raise FixError(f"no {_where(path[: position + 1])} to edit")
                        nested = {key: nested}
                    return node, {part: nested}
                child = entry[1]
                slot = entry[0]
            self.check_not_alias(node, child, slot)
            self._trail.append((node, part))
            node = child
        return node, patch

    def entry(
        self, mapping: yaml.MappingNode, key: Any, copy_merged: bool = False
    ) -> tuple[yaml.Node, yaml.Node] | None:
        """The entry of ``key``: the last one where the key is written twice (the one YAML
        loaders keep, Helm's included). With ``copy_merged``, a key the mapping only has through
        a merge key (``<<: *ref``) is first copied into it (:class:`_Shared`)."""
        found = [(k, v) for k, v in mapping.value if _is_key(k, key)]
        merged = _merged_entry(mapping, key)
        if found and merged is None:
            return found[-1]
        if found:
            # Written before a merge key that sets it too: go-yaml v2 (Kubernetes, Helm) keeps
            # the merged value, so an edit of the written one would change nothing.
            raise FixError(
                f"line {found[-1][0].start_mark.line + 1}: key {key!r} is replaced by the merge "
                "key (<<) after it, which also sets it; nblint does not edit it"
            )
        if copy_merged and merged is not None:
            raise _Shared(mapping, None, merged[1], merged[0], key)
        return None

    def written_twice(self, mapping: yaml.MappingNode, key_node: yaml.Node) -> bool:
        key = _construct(key_node)
        return sum(_is_key(k, key) for k, _ in mapping.value) > 1

    def check_not_alias(self, parent: yaml.Node, child: yaml.Node, slot: Any) -> None:
        """An alias composes to the anchored node itself, which lies outside its parent's text:
        it is copied to where it is used before the edit goes in (:class:`_Shared`). ``slot`` is
        the child's key node in a mapping, its index in a sequence."""
        if self._alias_uses is None:
            self._alias_uses = _alias_uses(self.root) if "*" in self.text else set()
        at = id(slot) if isinstance(slot, yaml.Node) else slot
        if (id(parent), at) in self._alias_uses:
            raise _Shared(parent, slot, child)
        if not parent.start_mark.index <= child.start_mark.index <= parent.end_mark.index:
            raise _Shared(parent, slot, child)
        if child.end_mark.index > parent.end_mark.index:
            raise _Shared(parent, slot, child)

    def check_used_elsewhere(self) -> None:
        """A change inside a value that another place uses too (an anchored node that an alias
        or a merge key uses elsewhere) would change that place as well: that use is first made
        a copy (:class:`_Shared`: an alias; a key the merging mapping takes from the changed
        mapping is copied into it, which then overrides the merged one), or, where the change
        adds a key that the merging mapping would take too, the merge is written out as that
        mapping's own keys (:class:`_Unmerge`). The edit is then planned again."""
        if not self._changed_under or ("*" not in self.text and "<<" not in self.text):
            return
        aliases, merges = _uses(self.root)
        for trail in self._changed_under:
            for collection, slot in trail:
                child = _child(collection, slot)
                for node in (collection, child):
                    if node is not None and id(node) in aliases:
                        parent, at = aliases[id(node)][0]
                        raise _Shared(parent, at, node)
                if not isinstance(collection, yaml.MappingNode) or isinstance(slot, int):
                    continue
                for merging, merge_key, source in merges.get(id(collection), ()):
                    if _takes_from(merging, collection, slot):
                        if child is None:
                            # A key the change adds: the merging mapping would take it too.
                            raise _Unmerge(merging, merge_key, source, collection)
                        entry = _merged_entry(collection, slot, own=True)
                        assert entry is not None
                        raise _Shared(merging, None, entry[1], entry[0], slot)

    # -- merging --------------------------------------------------------------------------

    def merge(self, node: yaml.Node, patch: Any, key: Any) -> None:
        if isinstance(patch, dict) and isinstance(node, yaml.MappingNode):
            self.merge_mapping(node, patch)
        elif isinstance(patch, list) and isinstance(node, yaml.SequenceNode):
            if self.strategic and key in MERGE_KEYS:
                self.merge_keyed(node, patch, MERGE_KEYS[key])
            elif self.strategic:
                if _construct(node) != patch:
                    raise _Replace()
            else:
                self.merge_union(node, patch)
        elif (
            not self.strategic
            and isinstance(patch, dict)
            and isinstance(node, yaml.SequenceNode)
            and all(isinstance(item, dict) and "name" in item for item in patch.values())
        ):
            # A map of named entries into a list of them (z2jh 4.3+ takes either form for
            # volumes and mounts): the entries join the list, which keeps its own form.
            self.merge_union(node, list(patch.values()))
        elif _construct(node) != patch:
            raise _Replace()

    def merge_union(self, node: yaml.SequenceNode, patch: list[Any]) -> None:
        """A Helm hint's list, added to the list the file has: a hint that names a list means
        "these items too" (its comment says to keep the others), and dropping the user's own
        volumes or tolerations would make the file worse. Items with the same ``name`` or
        ``key`` merge."""
        present = [_construct(item) for item in node.value]
        for item in patch:
            if item in present:
                continue
            identity = next(
                (k for k in ("name", "key") if isinstance(item, dict) and k in item), None
            )
            at = -1
            if identity is not None:
                at = next(
                    (
                        index
                        for index, value in enumerate(present[: len(node.value)])
                        if isinstance(value, dict) and value.get(identity) == item[identity]
                    ),
                    -1,
                )
            if at < 0:
                present.append(item)
            self.merge_item(node, at, item)

    def merge_mapping(self, node: yaml.MappingNode, patch: dict[Any, Any]) -> None:
        # A map's only key may be deleted when the patch adds another: the map is not left empty
        # (``securityContext: {runAsUser: 0}`` → ``{runAsNonRoot: true}``).
        refilled = any(
            value is not None and self.entry(node, key, copy_merged=False) is None
            for key, value in patch.items()
        )
        self._patches.append(patch)
        try:
            for key, value in patch.items():
                self._trail.append((node, key))
                try:
                    self.merge_entry(node, key, value, refilled)
                finally:
                    self._trail.pop()
        finally:
            self._patches.pop()

    def note(self, key: Any) -> str | None:
        """The kept comment of ``key`` of the patch mapping being merged."""
        return self.notes.get((id(self._patches[-1]), key)) if self._patches else None

    def merge_entry(self, node: yaml.MappingNode, key: Any, value: Any, refilled: bool) -> None:
        """``key: value`` of a patch merged into mapping ``node``."""
        entry = self.entry(node, key, copy_merged=value is not None)
        if entry is None:
            if value is not None:
                self.add_entry(node, key, value)
            return
        key_node, value_node = entry
        self.check_not_alias(node, value_node, key_node)
        kept = self.kept_after_deleting(value_node, value)
        if kept is not None:
            self.replace_value(key_node, value_node, kept)
            return
        if value is None:
            # A null the file already writes is what the patch's null means in Helm's merge (it
            # deletes the default below): deleting it would bring that default back.
            if not self.adds_only and not _is_empty(value_node):
                if self.written_twice(node, key_node):
                    raise FixError(
                        f"line {key_node.start_mark.line + 1}: key {key!r} is written twice; "
                        "deleting the last one would bring back the first"
                    )
                self.delete_entry(node, key_node, value_node, refilled)
            return
        try:
            self.merge(value_node, value, key)
        except _Replace:
            if not self.adds_only or _is_empty(value_node):
                self.replace_value(key_node, value_node, value)
            elif (number := _number_in_a_string(value_node, value)) is not None:
                # `cpu: "0.5"` where a number belongs: the user's value, as a number.
                self.add(value_node.start_mark.index, value_node.end_mark.index, number)

    def kept_after_deleting(self, node: yaml.Node, patch: Any) -> dict[Any, Any] | None:
        """What is left of mapping ``node`` when ``patch`` only deletes keys from it (``add:
        null``) and they cannot be cut out line by line: the map's only keys (nothing would be
        left under its key) or keys of a flow map. The map is then written again as what is
        left (``capabilities: {}``); None when the ordinary way does it."""
        if (
            self.adds_only
            or not isinstance(node, yaml.MappingNode)
            or not isinstance(patch, dict)
            or not patch
            or any(value is not None for value in patch.values())
        ):
            return None
        left = [
            (key_node, value_node)
            for key_node, value_node in node.value
            if not any(_is_key(key_node, key) for key in patch)
        ]
        if len(left) == len(node.value) or (left and not node.flow_style):
            return None
        kept = {}
        for key_node, value_node in left:
            key, value = _construct(key_node), _construct(value_node)
            if key is _UNKNOWN or value is _UNKNOWN or key == "<<":
                return None
            kept[key] = value
        return kept

    def merge_keyed(self, node: yaml.SequenceNode, patch: list[Any], merge_key: str) -> None:
        for item in patch:
            wanted = item.get(merge_key) if isinstance(item, dict) else None
            if wanted is None:
                raise FixError(f"an item of the fix has no {merge_key} to merge it by")
            at = next(
                (
                    index
                    for index, existing in enumerate(node.value)
                    if isinstance(existing, yaml.MappingNode)
                    and isinstance(found := _construct(existing), dict)
                    and found.get(merge_key) == wanted
                ),
                -1,
            )
            self.merge_item(node, at, item)

    def merge_item(self, node: yaml.SequenceNode, at: int, item: Any) -> None:
        """``item`` merged into the list's item ``at`` (the one it matched), or added (-1)."""
        self._trail.append((node, at))
        try:
            if at < 0:
                self.add_item(node, item)
                return
            match = node.value[at]
            self.check_not_alias(node, match, at)
            try:
                self.merge(match, item, None)
            except _Replace:
                raise FixError(
                    f"line {match.start_mark.line + 1}: cannot merge into this item"
                ) from None
        finally:
            self._trail.pop()

    # -- text changes ---------------------------------------------------------------------

    @property
    def replacements(self) -> list[Replacement]:
        """Every change; insertions at one place joined, the deeper (more indented) first: the
        end of a container's last list is also the end of the container, and a new item of the
        list must come before a new key of the container."""
        out = list(self._replacements)
        for at, pieces in self._insertions.items():
            ordered = sorted(pieces, key=lambda piece: (-piece[0], piece[1]))
            text = "".join(piece[2] for piece in ordered)
            block = any(piece[0] >= 0 for piece in pieces)  # flow pieces have no column
            out.append(Replacement(at, at, self._line_start(at) + text if block else text))
        return out

    def add(self, start: int, end: int, new: str, column: int = -1) -> None:
        self._changed_under.append(tuple(self._trail))
        if start == end:
            pieces = self._insertions.setdefault(start, [])
            pieces.append((column, len(pieces), new))
        else:
            self._replacements.append(Replacement(start, end, new))

    def inserted_at(self, at: int) -> bool:
        return at in self._insertions

    def separator(self, node: yaml.Node, close: int) -> str:
        """What goes before a new entry of a flow collection (``, `` unless it is the first)."""
        if self.inserted_at(close):
            return ", "
        if not node.value:
            return ""
        return " " if self.text[close - 1] == "," else ", "

    def add_entry(self, node: yaml.MappingNode, key: Any, value: Any) -> None:
        if node.flow_style or not node.value:
            if not node.value and not node.flow_style:
                raise FixError(f"line {node.start_mark.line + 1}: cannot add to an empty node")
            close = self._closing(node, "}")
            lined = self._entry_per_line(node, [k for k, _ in node.value])
            if lined is not None:
                # One entry per line (a JSON manifest as editors write it): the new one too.
                column, step = lined
                entry = self.flow_entry(node, key, value, column, step)
                self.add(close, close, f",\n{' ' * column}{entry}")
                return
            sep = self.separator(node, close)
            self.add(close, close, f"{sep}{self.flow_entry(node, key, value)}")
            return
        first_key = node.value[0][0]
        column = first_key.start_mark.column
        at = self.past_deeper_comments(self.content_end(node), column)
        self.add(at, at, self.block_entry(key, value, column), column)

    def add_item(self, node: yaml.SequenceNode, item: Any) -> None:
        if node.flow_style or not node.value:
            if not node.value and not node.flow_style:
                raise FixError(f"line {node.start_mark.line + 1}: cannot add to an empty node")
            close = self._closing(node, "]")
            lined = self._entry_per_line(node, node.value)
            if lined is not None:
                column, step = lined
                text = self.flow(item, node, column, step)
                self.add(close, close, f",\n{' ' * column}{text}")
                return
            sep = self.separator(node, close)
            self.add(close, close, sep + self.flow(item, node))
            return
        dash = self._dash_column(node)
        at = self.past_deeper_comments(self.content_end(node), dash)
        body = self.block(item, dash + 2)
        # A flush item (its dash at its key's column) is still deeper than that key.
        self.add(at, at, " " * dash + "- " + body[dash + 2 :], dash + 1)

    def keep_placeholders(self, key_node: yaml.Node, value_node: yaml.Node) -> None:
        """Refuse to write over (or delete) a value that is or holds a placeholder
        (``runAsUser: ${{UID}}`` of an OpenShift Template, a Flux ``${var}``, a ``{{ }}``
        template): its parameter or variable would silently stop doing anything. The check stage
        leaves such keys out of the fixes it can read; this holds for every other."""
        found = _placeholder(value_node, self.parameters)
        if found is not None:
            raise FixError(
                f"line {key_node.start_mark.line + 1}: {key_node.value} is the placeholder "
                f"{found}, filled in before the file is applied: nblint does not write over it"
            )

    def delete_entry(
        self, node: yaml.MappingNode, key_node: yaml.Node, value: yaml.Node, refilled: bool = False
    ) -> None:
        self.keep_placeholders(key_node, value)
        if node.flow_style:
            raise FixError(f"line {key_node.start_mark.line + 1}: cannot delete from a flow map")
        if len(node.value) == 1 and not refilled:
            raise FixError(f"line {key_node.start_mark.line + 1}: the key is the map's only one")
        start = self.text.rfind("\n", 0, key_node.start_mark.index) + 1
        if self.text[start : key_node.start_mark.index].strip():
            raise FixError(f"line {key_node.start_mark.line + 1}: the key shares its line")
        self.add(start, self.content_end_of_entry(value), "")

    def replace_value(self, key_node: yaml.Node, value_node: yaml.Node, value: Any) -> None:
        self.keep_placeholders(key_node, value_node)
        block = isinstance(value_node, (yaml.MappingNode, yaml.SequenceNode)) and not (
            value_node.flow_style
        )
        if block and isinstance(value, (dict, list)) and value:
            column = key_node.start_mark.column
            if isinstance(value, list) and isinstance(value_node, yaml.SequenceNode):
                indent = self._dash_column(value_node)
            elif isinstance(value, list):
                indent = column + (self.step if self.sequence_indent else 0)
            elif isinstance(value_node, yaml.MappingNode):
                indent = value_node.value[0][0].start_mark.column
            else:
                indent = column + self.step
            start = self.text.rfind("\n", 0, value_node.start_mark.index) + 1
            if self.text[start : value_node.start_mark.index].strip():
                raise FixError(f"line {value_node.start_mark.line + 1}: cannot replace this value")
            self.add(start, self.content_end(value_node), self.block(value, indent))
            return
        if _is_empty(value_node) and isinstance(value, (dict, list)) and value:
            # `key:` (or `key: ~`) becomes `key:` + a block below it.
            column = key_node.start_mark.column
            indent = column + (self.step if isinstance(value, dict) or self.sequence_indent else 0)
            line_end = self.content_end(key_node)
            comment_at = value_node.end_mark.index
            rest = self.text[comment_at:line_end].rstrip("\n")
            new_text = ":" + (rest if rest.strip().startswith("#") else "") + "\n"
            self.add(key_node.end_mark.index, line_end, new_text + self.block(value, indent))
            return
        end = self.content_end(value_node) if block else value_node.end_mark.index
        new = self.flow(value, value_node) if not block else self.flow(value, value_node) + "\n"
        if value_node.start_mark.index == value_node.end_mark.index:
            new = " " + new  # `key:` with nothing after it
        if block:
            # `key:` + a block collection on the lines below → `key: <flow value>` on one line.
            self.add(key_node.end_mark.index, end, ": " + new)
            return
        end = self._past_stale_comment(end)
        note = self.note(self._trail[-1][1]) if self._trail else None
        if note is not None and not isinstance(value, (dict, list)) and self._ends_line(end):
            new += f"   # {note}"
        self.add(value_node.start_mark.index, end, new)

    def _ends_line(self, at: int) -> bool:
        """Whether only blanks follow ``at`` on its line (a comment there ends no flow map)."""
        line_end = self.text.find("\n", at)
        return not self.text[at : len(self.text) if line_end < 0 else line_end].strip()

    def _past_stale_comment(self, end: int) -> int:
        """Where a replaced value's text ends, the comment after it on its line included: that
        comment spoke of the old value, and kept beside the new one it would be false
        (``timeout: 7200  # 2 hours idle`` → ``timeout: 3600``, not ``3600  # 2 hours idle``)."""
        line_end = self.text.find("\n", end)
        line_end = len(self.text) if line_end < 0 else line_end
        rest = self.text[end:line_end].rstrip("\r")
        return end + len(rest) if rest.lstrip().startswith("#") else end

    # -- rendering ------------------------------------------------------------------------

    def block_entry(self, key: Any, value: Any, column: int) -> str:
        entry = {key: value}
        note = self.note(key)
        if note is None:
            return self.block(entry, column)
        self.notes[(id(entry), key)] = note
        try:
            return self.block(entry, column)
        finally:
            del self.notes[(id(entry), key)]

    def block(self, value: Any, column: int) -> str:
        """``value`` as block YAML, every line indented by ``column``, ending in a newline; a
        scalar with a kept comment (:attr:`notes`) has it after it."""
        if not isinstance(value, (dict, list)) or not value:
            return " " * column + self.flow(value, None) + "\n"
        noted: dict[str, str] = {}
        if self.notes:
            value = self._with_tokens(value, noted)
        dumper = _IndentedDumper if self.sequence_indent else yaml.SafeDumper
        text = yaml.dump(
            value,
            Dumper=dumper,
            sort_keys=False,
            default_flow_style=False,
            indent=self.step,
            width=10_000,
            allow_unicode=True,
        )
        for token, written in noted.items():
            text = text.replace(token, written)
        pad = " " * column
        return "".join(pad + line if line.strip() else line for line in text.splitlines(True))

    def _with_tokens(self, value: Any, noted: dict[str, str]) -> Any:
        """A copy of ``value`` in which each scalar with a kept comment is a token, and in
        ``noted`` what each token is written as: the scalar and its comment (a block mapping's
        scalar ends its line)."""
        if isinstance(value, list):
            return [self._with_tokens(item, noted) for item in value]
        if not isinstance(value, dict):
            return value
        copy: dict[Any, Any] = {}
        for key, item in value.items():
            note = self.notes.get((id(value), key))
            if note is not None and not isinstance(item, (dict, list)):
                token = f"nblint-kept-comment-{len(noted)}-{id(value)}"
                noted[token] = f"{self.flow(item, None)}   # {note}"
                copy[key] = token
            else:
                copy[key] = self._with_tokens(item, noted)
        return copy

    def flow(
        self, value: Any, near: yaml.Node | None, column: int | None = None, step: int = 2
    ) -> str:
        """``value`` as flow text; written as JSON beside JSON, one entry per line (each line
        after the first indented from ``column`` by ``step``) when ``column`` is given."""
        if near is not None and self._json_like(near):
            if column is not None and isinstance(value, (dict, list)) and value:
                lines = json.dumps(value, ensure_ascii=False, indent=step).split("\n")
                return "\n".join([lines[0], *(" " * column + line for line in lines[1:])])
            return json.dumps(value, ensure_ascii=False)
        if not isinstance(value, (dict, list)):
            text = yaml.safe_dump([value], default_flow_style=True, width=10_000).strip()
            return text[1:-1]
        return yaml.safe_dump(
            value, default_flow_style=True, sort_keys=False, width=10_000, allow_unicode=True
        ).strip()

    def flow_entry(
        self,
        node: yaml.MappingNode,
        key: Any,
        value: Any,
        column: int | None = None,
        step: int = 2,
    ) -> str:
        if self._json_like(node):
            return f"{json.dumps(key)}: {self.flow(value, node, column, step)}"
        return self.flow({key: value}, node)[1:-1]

    def _entry_per_line(self, node: yaml.Node, starts: list[yaml.Node]) -> tuple[int, int] | None:
        """``(column of the entries, indent step)`` of a flow collection written one entry per
        line (each starts its own line, the closing bracket on a line of its own), else None."""
        if not starts or node.end_mark.line == starts[-1].end_mark.line:
            return None
        columns = set()
        for start in starts:
            index = start.start_mark.index
            line_start = self.text.rfind("\n", 0, index) + 1
            if self.text[line_start:index].strip():
                return None
            columns.add(start.start_mark.column)
        if len(columns) != 1:
            return None
        column = columns.pop()
        # The step: from the indent of the line the collection opens on to its entries'.
        opening = self.text.rfind("\n", 0, node.start_mark.index) + 1
        line = self.text[opening : node.start_mark.index]
        step = column - (len(line) - len(line.lstrip()))
        return (column, step if step > 0 else self.step)

    def _json_like(self, node: yaml.Node) -> bool:
        """Whether the collection around ``node`` is written as JSON (double-quoted keys)."""
        if isinstance(node, yaml.MappingNode) and node.value:
            return all(getattr(k, "style", None) == '"' for k, _ in node.value)
        return getattr(node, "style", None) == '"'

    # -- positions ------------------------------------------------------------------------

    def content_end(self, node: yaml.Node) -> int:
        """Where the text of ``node`` ends: after the line holding its last character (a trailing
        comment on that line included), never past the comments and blank lines that follow."""
        if isinstance(node, yaml.MappingNode) and node.value and not node.flow_style:
            key, value = node.value[-1]
            return max(self.content_end(key), self.content_end(value))
        if isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
            return self.content_end(node.value[-1])
        if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
            # A block scalar ends at the start of the line after its last content line.
            return int(node.end_mark.index)
        newline = self.text.find("\n", node.end_mark.index)
        return len(self.text) if newline < 0 else newline + 1

    def past_deeper_comments(self, at: int, column: int) -> int:
        """Where a new entry at ``column`` goes when the last one ends at ``at``: after the
        comment lines that follow, indented deeper than ``column`` (blank lines between them
        too). Those comments belong to the last entry's value, often its commented-out keys
        (``Authenticator:`` … ``# allowed_users:``); a new sibling before them would take them
        in, and uncommenting them would put them under the new key."""
        end = at
        while at < len(self.text):
            line_end = self.text.find("\n", at)
            line_end = len(self.text) if line_end < 0 else line_end + 1
            line = self.text[at:line_end]
            stripped = line.lstrip(" \t")
            if stripped.startswith("#") and len(line) - len(stripped) > column:
                end = line_end
            elif stripped.strip():
                break
            at = line_end
        return end

    def content_end_of_entry(self, value: yaml.Node) -> int:
        return self.content_end(value)

    def _line_start(self, at: int) -> str:
        """A newline when ``at`` is at the end of a last line without one."""
        return "\n" if at > 0 and self.text[at - 1 : at] != "\n" else ""

    def _closing(self, node: yaml.Node, bracket: str) -> int:
        close = node.end_mark.index - 1
        if self.text[close : close + 1] != bracket:
            raise FixError(f"line {node.start_mark.line + 1}: cannot find the closing {bracket}")
        # Before any space, newline or comment ahead of the bracket.
        while close > 0 and self.text[close - 1] in " \t\r\n":
            close -= 1
        return close

    def _dash_column(self, node: yaml.SequenceNode) -> int:
        first = node.value[0]
        dash = self.text.rfind("-", 0, first.start_mark.index)
        line_start = self.text.rfind("\n", 0, dash) + 1
        return dash - line_start


class _Replace(Exception):
    """The node must be replaced as a whole (a scalar that differs, a list Helm replaces)."""


MERGE_TAG = "tag:yaml.org,2002:merge"


class _Unmerge(Exception):
    """A change adds a key to ``source``, which ``merging`` merges (``merge_key: value``) and
    would take the key from: the merge is to be written out as ``merging``'s own keys."""

    def __init__(
        self, merging: yaml.MappingNode, merge_key: yaml.Node, value: yaml.Node, source: yaml.Node
    ) -> None:
        super().__init__()
        self.merging, self.merge_key, self.value, self.source = merging, merge_key, value, source


class _Shared(Exception):
    """The edit goes through a value shared with other places: ``node``, used in ``parent`` at
    ``slot`` (a key node or an index) through an alias; or, with ``key_node``, the entry
    ``key`` that ``parent`` (a mapping) only has through a merge key."""

    def __init__(
        self,
        parent: yaml.Node,
        slot: Any,
        node: yaml.Node,
        key_node: yaml.Node | None = None,
        key: Any = None,
    ) -> None:
        super().__init__()
        self.parent, self.slot, self.node, self.key_node, self.key = (
            parent,
            slot,
            node,
            key_node,
            key,
        )


def _alias_uses(root: yaml.Node | None) -> set[tuple[int, Any]]:
    """Where an alias is used: ``(id(parent), id(key node) or index)``. The composer gives an
    alias the anchored node itself, so a node met a second time, in document order, is an
    alias's use."""
    seen: set[int] = set()
    uses: set[tuple[int, Any]] = set()

    def visit(node: yaml.Node) -> None:
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if id(key) not in seen:
                    visit(key)
                if id(value) in seen:
                    uses.add((id(node), id(key)))
                else:
                    visit(value)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                if id(item) in seen:
                    uses.add((id(node), index))
                else:
                    visit(item)

    if root is not None:
        visit(root)
    return uses


def _merged_entry(
    mapping: yaml.MappingNode, key: Any, own: bool = False, depth: int = 0
) -> tuple[yaml.Node, yaml.Node] | None:
    """The entry of ``key`` that ``mapping`` gets through its merge keys, if that is where it
    gets it; with ``own``, the entry it gets either way (written or merged).

    As Kubernetes and Helm read YAML (go-yaml v2 under ``sigs.k8s.io/yaml``): the entries are
    taken in order, a merge key setting its keys over those written before it and the keys
    written after it overriding them; of a list of merged mappings the first that has the key
    gives it."""
    if depth > MAX_MERGE_DEPTH:
        raise FixError("merge keys (<<) nested too deep")
    found: tuple[yaml.Node, yaml.Node] | None = None
    merged = False
    for k, v in mapping.value:
        if k.tag == MERGE_TAG:
            sources = v.value if isinstance(v, yaml.SequenceNode) else [v]
            for source in sources:
                if isinstance(source, yaml.MappingNode):
                    hit = _merged_entry(source, key, True, depth + 1)
                    if hit is not None:
                        found, merged = hit, True
                        break
        elif _is_key(k, key):
            found, merged = (k, v), False
    return found if own or merged else None


#: Merge keys within merged mappings, deepest (a merge key that merges its own mapping loops).
MAX_MERGE_DEPTH = 64


def _takes_from(merging: yaml.MappingNode, source: yaml.MappingNode, key: Any) -> bool:
    """Whether ``merging`` takes ``key`` from ``source``, one of the mappings its merge keys
    name, once ``source`` has the key (go-yaml v2's order, see :func:`_merged_entry`)."""
    giver: yaml.Node | None = None
    for k, v in merging.value:
        if k.tag == MERGE_TAG:
            sources = v.value if isinstance(v, yaml.SequenceNode) else [v]
            for item in sources:
                if item is source:
                    giver = source
                    break
                if isinstance(item, yaml.MappingNode) and _merged_entry(item, key, True):
                    giver = item
                    break
        elif _is_key(k, key):
            giver = merging
    return giver is source


def _child(collection: yaml.Node, slot: Any) -> yaml.Node | None:
    """The value at ``slot`` of ``collection`` as the file has it (None: not there yet)."""
    if isinstance(collection, yaml.SequenceNode):
        ok = isinstance(slot, int) and 0 <= slot < len(collection.value)
        return collection.value[slot] if ok else None
    if isinstance(collection, yaml.MappingNode):
        entry = _merged_entry(collection, slot, own=True)
        return entry[1] if entry is not None else None
    return None


def _uses(
    root: yaml.Node | None,
) -> tuple[
    dict[int, list[tuple[yaml.Node, Any]]],
    dict[int, list[tuple[yaml.MappingNode, yaml.Node, yaml.Node]]],
]:
    """The other places that use a node: its alias uses, ``id(node)`` → ``(parent, key node or
    index)`` (the composer gives an alias the anchored node itself, so a node met a second
    time, in document order, is an alias's use); and the mappings that merge it,
    ``id(mapping)`` → ``(merging mapping, its << key node, the << value)``."""
    seen: set[int] = set()
    aliases: dict[int, list[tuple[yaml.Node, Any]]] = {}
    merges: dict[int, list[tuple[yaml.MappingNode, yaml.Node, yaml.Node]]] = {}

    def visit(node: yaml.Node) -> None:
        seen.add(id(node))
        children: list[tuple[Any, yaml.Node]] = []
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.tag != MERGE_TAG:
                    children.append((key, value))
                    continue
                sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
                for source in sources:
                    merges.setdefault(id(source), []).append((node, key, value))
                    if id(source) not in seen:
                        visit(source)
        elif isinstance(node, yaml.SequenceNode):
            children.extend(enumerate(node.value))
        for slot, child in children:
            if id(child) in seen:
                aliases.setdefault(id(child), []).append((node, slot))
            else:
                visit(child)

    if root is not None:
        visit(root)
    return aliases, merges


def _is_key(node: yaml.Node, key: Any) -> bool:
    """Whether the key ``node`` of a mapping is ``key`` as Kubernetes and Helm read keys
    (``sigs.k8s.io/yaml``: as text, so ``1:`` is the key ``"1"``; ``true:`` is not ``1``)."""
    if not isinstance(node, yaml.ScalarNode) or node.tag == MERGE_TAG:
        return False
    written = _construct(node)
    if written is _UNKNOWN:
        return False
    text = json_key(written)
    return text is not None and text == json_key(key)


def _number_in_a_string(node: yaml.Node, wanted: Any) -> str | None:
    """The number a quoted scalar says (``"0.5"``), where the fix wants a number there."""
    if isinstance(wanted, bool) or not isinstance(wanted, (int, float)):
        return None
    if not isinstance(node, yaml.ScalarNode) or node.style not in ("'", '"') or "\n" in node.value:
        return None
    try:
        said = yaml.load(node.value, Loader=_Loader)
    except yaml.YAMLError:
        return None
    if isinstance(said, bool) or not isinstance(said, (int, float)):
        return None
    return str(node.value).strip()


class _Recorder(yaml.SafeLoader):
    """PyYAML's composer, noting where each alias and each anchor is written."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        #: ``(parent start, parent kind, slot)`` → the alias's ``(start, end)``.
        self.aliases: dict[tuple[int, str, int], tuple[int, int]] = {}
        #: Where each anchor (``&name``) is written.
        self.anchored: list[tuple[int, str]] = []

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event: Any = self.peek_event()
        start, end = event.start_mark, event.end_mark
        if type(event) is yaml.AliasEvent and parent is not None:
            slot = _start(index) if isinstance(index, yaml.Node) else int(index)
            where = (_start(parent), type(parent).__name__, slot)
            self.aliases[where] = (int(start.index), int(end.index))
        elif getattr(event, "anchor", None) is not None:
            self.anchored.append((int(start.index), str(event.anchor)))
        node: Any = super().compose_node(parent, index)
        return node


def _recorded(text: str, document: int) -> _Recorder:
    # (after a broken document, the text the loader reads on in: see _composed)
    for position, _, loader in _composed(text, document, _Recorder):
        if position == document:
            return cast("_Recorder", loader)
    raise FixError(f"the file has no document {document + 1}")


def _copy_shared(text: str, document: int, shared: _Shared, planner: _Planner) -> Replacement:
    """The replacement that copies a shared value to where the edit goes (see
    :func:`plan_edit`): the alias replaced by the anchored node's text, or a merged key written
    into the merging mapping."""
    node = shared.node
    recorder = _recorded(text, document)
    if shared.key_node is None:
        parent = shared.parent
        slot = shared.slot.start_mark.index if isinstance(shared.slot, yaml.Node) else shared.slot
        span = recorder.aliases.get((parent.start_mark.index, type(parent).__name__, slot))
        if span is None:
            raise FixError(
                f"line {node.start_mark.line + 1}: the value is shared through a YAML alias "
                "nblint cannot find in the text"
            )
        start, end = span
        where = f"line {text.count(chr(10), 0, start) + 1}"
    else:
        parent = shared.parent
        where = f"line {parent.start_mark.line + 1}"
        start = end = -1
    body_start, column = _content_start(text, node, planner)
    body_end = planner.content_end(node) if _is_block(node) else int(node.end_mark.index)
    own = [name for at, name in recorder.anchored if body_start <= at < body_end]
    if own:
        raise FixError(
            f"{where}: the value is shared through a YAML alias and defines anchors of its own "
            f"({', '.join('&' + name for name in own)}): a copy would redefine them"
        )
    if shared.key_node is not None:
        return _copy_merged(text, shared, planner, body_start, body_end, column)
    if not _is_block(node):
        if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
            # A block scalar, rewritten as the flow scalar it says.
            return Replacement(start, end, planner.flow(_construct(node), None))
        return Replacement(
            start, end, _shifted(text[body_start:body_end], text_column(text, start) - column)
        )
    if getattr(parent, "flow_style", False):
        raise FixError(f"{where}: a block value shared through an alias in a flow collection")
    block = text[body_start:body_end]
    if isinstance(parent, yaml.SequenceNode):
        # `- *ref` → `- first line` + the rest at the item's column.
        target = text_column(text, start)
        copy = _shifted(block, target - column).rstrip("\r\n")
        return Replacement(start, end, copy)
    # `key: *ref` → `key:` + the block on the lines below (a trailing comment kept on `key:`).
    key_column = int(shared.slot.start_mark.column)
    target = key_column + _under_key(text, node, column, planner)
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if line_end > end and text[line_end - 1] == "\r":
        line_end -= 1  # the line's break is CRLF: it stays
    rest = text[end:line_end]
    comment = rest.strip() if rest.strip().startswith("#") else ""
    if rest.strip() and not comment:
        raise FixError(f"{where}: the alias shares its line with more than a comment")
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    lines = " " * target + _shifted(block, target - column).rstrip("\r\n")
    return Replacement(start, line_end, (" " + comment if comment else "") + "\n" + lines)


def _unmerged(text: str, document: int, unmerge: _Unmerge, planner: _Planner) -> Replacement:
    """The replacement that writes a merge key (``<<: *ref``) out as the merging mapping's own
    keys: the entries of the merged mapping, in their order, where the ``<<`` was (go-yaml v2
    sets merged keys where the ``<<`` is written, so the mapping reads as it did), but those
    the mapping writes itself after it. A change can then add a key to the anchored mapping
    without the merging one taking it."""
    merging, merge_key, source = unmerge.merging, unmerge.merge_key, unmerge.source
    line = merge_key.start_mark.line + 1
    why = (
        f"line {line}: this mapping merges the one at line {source.start_mark.line + 1} (<<), "
        "which the fix changes; nblint would write the merge out as its own keys"
    )
    if unmerge.value is not source or not isinstance(source, yaml.MappingNode):
        raise FixError(f"{why}, but it is one of a list of merged mappings")
    if merging.flow_style:
        raise FixError(f"{why}, but it is a flow mapping")
    recorder = _recorded(text, document)
    span = recorder.aliases.get((_start(merging), "MappingNode", _start(merge_key)))
    if span is None:
        raise FixError(f"{why}, but the merge is not an alias nblint can find in the text")
    line_end = text.find("\n", span[1])
    line_end = len(text) if line_end < 0 else line_end
    if line_end > span[1] and text[line_end - 1] == "\r":
        line_end -= 1
    rest = text[span[1] : line_end].strip()
    if rest and not rest.startswith("#"):
        raise FixError(f"{why}, but the merge shares its line with more than a comment")
    after = {
        json_key(_construct(k))
        for k, _ in merging.value
        if k.tag != MERGE_TAG and _start(k) > _start(merge_key)
    }
    before = {
        json_key(_construct(k))
        for k, _ in merging.value
        if k.tag != MERGE_TAG and _start(k) < _start(merge_key)
    }
    column = int(merge_key.start_mark.column)
    entries: list[str] = []
    for key, value in source.value:
        name = None if key.tag == MERGE_TAG else json_key(_construct(key))
        if name is not None and name in after:
            continue  # the mapping's own key overrides it
        if name is not None and name in before:
            raise FixError(
                f"{why}, but it also writes {name!r} before the merge, which replaces it"
            )
        start = _start(key)
        if source.flow_style:
            end = int(value.end_mark.index)
            if "\n" in text[start:end]:
                raise FixError(f"{why}, but the merged flow mapping spans lines")
            entry = text[start:end] + "\n"
        else:
            entry = text[start : planner.content_end(value)]
            if not entry.endswith("\n"):
                entry += "\n"
        if any(start <= at < start + len(entry) for at, _ in recorder.anchored):
            raise FixError(f"{why}, but the merged mapping defines anchors of its own")
        entries.append(_shifted(entry, column - int(key.start_mark.column)))
    if not entries:
        # The mapping overrides every key it merges: the merge goes, line and all.
        line_start = text.rfind("\n", 0, _start(merge_key)) + 1
        own_keys = [k for k, _ in merging.value if k.tag != MERGE_TAG]
        if text[line_start : _start(merge_key)].strip() or rest or not own_keys:
            raise FixError(f"{why}, but it overrides every key it merges")
        next_line = text.find("\n", line_end)
        return Replacement(line_start, len(text) if next_line < 0 else next_line + 1, "")
    new = "".join(entries[:1] + [" " * column + entry for entry in entries[1:]])
    new = new[:-2] if new.endswith("\r\n") else new.removesuffix("\n")
    if rest:
        new = rest + "\n" + " " * column + new
    return Replacement(_start(merge_key), line_end, new)


def _copy_merged(
    text: str, shared: _Shared, planner: _Planner, body_start: int, body_end: int, column: int
) -> Replacement:
    """The merged entry ``shared.key`` written into the merging mapping, after its last entry."""
    mapping, node, key_node = shared.parent, shared.node, shared.key_node
    assert key_node is not None
    if not isinstance(mapping, yaml.MappingNode) or mapping.flow_style:
        raise FixError(
            f"line {mapping.start_mark.line + 1}: {shared.key!r} comes from a merge key (<<) "
            "in a flow mapping"
        )
    key_column = int(mapping.value[0][0].start_mark.column)
    key_text = text[key_node.start_mark.index : key_node.end_mark.index]
    if _is_block(node):
        target = key_column + _under_key(text, node, column, planner)
        value = "\n" + " " * target + _shifted(text[body_start:body_end], target - column)
    elif isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        value = " " + planner.flow(_construct(node), None) + "\n"
    else:
        value = " " + _shifted(text[body_start:body_end], key_column - column) + "\n"
    at = planner.past_deeper_comments(planner.content_end(mapping), key_column)
    line_start = "\n" if at > 0 and text[at - 1] != "\n" else ""
    return Replacement(at, at, f"{line_start}{' ' * key_column}{key_text}:{value}")


def _start(node: yaml.Node) -> int:
    mark: Any = node.start_mark
    return int(mark.index)


def _is_block(node: yaml.Node) -> bool:
    return (
        isinstance(node, (yaml.MappingNode, yaml.SequenceNode))
        and not node.flow_style
        and bool(node.value)
    )


def _content_start(text: str, node: yaml.Node, planner: _Planner) -> tuple[int, int]:
    """Where ``node``'s own text starts, after its anchor and tag, and that place's column (a
    block collection: its first key, or its first item's dash)."""
    if isinstance(node, yaml.MappingNode) and _is_block(node):
        first = node.value[0][0]
        return int(first.start_mark.index), int(first.start_mark.column)
    if isinstance(node, yaml.SequenceNode) and _is_block(node):
        dash = text.rfind("-", 0, node.value[0].start_mark.index)
        return dash, text_column(text, dash)
    at = int(node.start_mark.index)
    while at < len(text) and text[at] in "&!":
        while at < len(text) and text[at] not in " \t\r\n":
            at += 1
        while at < len(text) and text[at] in " \t\r\n":
            at += 1
    return at, text_column(text, at)


def text_column(text: str, at: int) -> int:
    return at - (text.rfind("\n", 0, at) + 1)


def _under_key(text: str, node: yaml.Node, column: int, planner: _Planner) -> int:
    """How far the copy of a block collection goes under its key: as far as the anchored one
    is under the line of its anchor (``key: &ref``); else a step for a mapping, and a sequence
    as the file indents them."""
    anchor = _start(node)
    line_start = text.rfind("\n", 0, anchor) + 1
    line = text[line_start:anchor]
    if line.strip() and text.count("\n", 0, anchor) < text.count("\n", 0, _content_at(node, text)):
        offset = column - (len(line) - len(line.lstrip(" ")))
        if offset >= 0:
            return offset
    if isinstance(node, yaml.SequenceNode) and not planner.sequence_indent:
        return 0
    return planner.step


def _content_at(node: yaml.Node, text: str) -> int:
    if isinstance(node, yaml.MappingNode):
        return _start(node.value[0][0])
    return text.rfind("-", 0, _start(node.value[0]))


def _shifted(block: str, by: int) -> str:
    """``block`` with every line but the first moved ``by`` columns (never past column 0)."""
    lines = block.splitlines(True)
    out = lines[:1]
    for line in lines[1:]:
        if not line.strip():
            out.append(line)
        elif by >= 0:
            out.append(" " * by + line)
        else:
            indent = len(line) - len(line.lstrip(" "))
            out.append(line[min(indent, -by) :])
    return "".join(out)


class _IndentedDumper(yaml.SafeDumper):
    """Block sequences indented under their key (``key:\\n  - a``), as the file writes them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _sequence_indent(text: str) -> bool:
    """Whether the file indents block sequences under their key (``key:\\n  - a``, most
    Kubernetes YAML) rather than at the key's column (``key:\\n- a``, PyYAML's default)."""
    indented = flush = 0
    lines = text.splitlines()
    for previous, line in itertools.pairwise(lines):
        stripped = line.lstrip(" ")
        if not stripped.startswith("- ") and stripped != "-":
            continue
        head = previous.rstrip()
        if not head.endswith(":") or head.lstrip().startswith("#"):
            continue
        key_column = len(previous) - len(previous.lstrip(" "))
        dash_column = len(line) - len(stripped)
        if dash_column > key_column:
            indented += 1
        elif dash_column == key_column:
            flush += 1
    return indented >= flush


def _indent_step(text: str) -> int:
    """The file's indentation step (2 unless it consistently uses 4)."""
    steps: dict[int, int] = {}
    lines = text.splitlines()
    for previous, line in itertools.pairwise(lines):
        head = previous.rstrip()
        if not head.endswith(":") or head.lstrip().startswith(("#", "-")):
            continue
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith(("#", "-")):
            continue
        step = (len(line) - len(stripped)) - (len(previous) - len(previous.lstrip(" ")))
        if step > 0:
            steps[step] = steps.get(step, 0) + 1
    return max(steps, key=lambda s: steps[s]) if steps else 2


def _one_line(err: Exception) -> str:
    return " ".join(" ".join(str(err).split("\n")).split())


def _where(path: Path) -> str:
    from nblint.model.pod import format_path

    return format_path(path) or "the document"
