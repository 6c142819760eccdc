"""Machine-readable fixes: where a fix hint goes in the file the user wrote, and how safe it is.

A dialect knows where each hint belongs (a Deployment's pod template, a z2jh layer or the profile
choice a finding belongs to, a PodDefault's own spec); it says so with an :class:`Edit`, which
``nblint fix`` (:mod:`nblint.fix`) only executes. A :class:`Placement` is the dialect's answer,
attached to each effective pod by its normaliser, so that the check stage can turn the hint it
chose into an edit without knowing any dialect.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from nblint.model.pod import Path
from nblint.model.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Protocol

#: How a fix may be applied, as ruff says it: ``safe`` changes nothing a compliant workload
#: relies on (``nblint fix``), ``unsafe`` may break the workload (``--unsafe-fixes``),
#: ``display-only`` is advice nblint cannot apply (a hint with no edit, or one needing a person).
SAFE, UNSAFE, DISPLAY_ONLY = "safe", "unsafe", "display-only"
APPLICABILITIES = (SAFE, UNSAFE, DISPLAY_ONLY)

#: Merge kinds an edit uses: a strategic-merge patch (lists of containers, volumes, mounts, env
#: and ports merge by key) or Helm's merge of values files (every list replaced; also how a
#: ``kubespawner_override`` entry merges into a trait).
STRATEGIC, HELM = "strategic", "helm"


class Edit(Record):
    """Merge ``patch`` (YAML text) at ``path`` of document ``document`` of ``file``."""

    __slots__ = ("adds_only", "alone", "document", "file", "merge", "narrow", "patch", "path")

    def __init__(
        self,
        file: str,
        document: int,
        path: Path,
        merge: str,
        patch: str,
        adds_only: bool = False,
        alone: bool = False,
        narrow: bool = False,
    ) -> None:
        self.file = file
        #: The document's position in its file (0-based, as the loader counts them).
        self.document = document
        #: Where the patch is merged, in document coordinates (keys and list indexes). Keys that
        #: do not exist yet are created.
        self.path = path
        self.merge = merge
        self.patch = patch
        #: Only add what the file does not have: never change a value it sets (a hint that gives
        #: every resource its value must not overwrite the ones the user chose).
        self.adds_only = adds_only
        #: Applied in a round of its own, before the file's other edits: what they say depends on
        #: it (another image has another user and HOME).
        self.alone = alone
        #: Merged where it reaches only some of the input's pods (a z2jh profile's
        #: ``kubespawner_override``): in a round where an edit for the same rule goes wider in
        #: the same file, it waits for the next round's check, which says whether the wider one
        #: already reached its pod (one problem, one edit).
        self.narrow = narrow

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "document": self.document,
            "path": list(self.path),
            "merge": self.merge,
            "patch": self.patch,
            "adds_only": self.adds_only,
            "alone": self.alone,
        }


class PlacedFix(Record):
    """A hint as the user reads it (``text``) and as ``nblint fix`` applies it (``edit``)."""

    __slots__ = ("edit", "text")

    def __init__(self, text: str, edit: Edit | None) -> None:
        self.text = text
        self.edit = edit


if TYPE_CHECKING:
    # A Protocol is for the type checker only (see nblint/__init__.py).
    class Placement(Protocol):
        """Where the hints for one effective pod go (implemented by each dialect)."""

        def place(
            self,
            hint: str,
            path: Path,
            anchor: Path | None,
            template_hint: Callable[[], str | None] = lambda: None,
        ) -> PlacedFix:
            """The hint ``hint`` (rendered, in the rule file's coordinates) for a finding at pod
            ``path``; ``anchor`` is the pod path of what the fix is about when that is not the
            offending field (the GPU that needs a toleration). A path starting with ``values``
            is a path into the configuration behind the pod (z2jh values). ``template_hint`` gives
            the rule's hint as a patch of the pod template, for a dialect that writes a container's
            own spec (z2jh ``singleuser.extraContainers``)."""
            ...

        def shown(self, hint: str) -> str:
            """The hint ``hint`` (rendered, in the rule file's coordinates) as the user reads it
            when it is only shown, never applied (a container without a plain name): at the
            object's own level, as :meth:`place` would show it."""
            ...


def indent_under(text: str, keys: Path) -> str:
    """``text`` (a YAML mapping) nested under ``keys``: ``spec: template: …``, comments kept."""
    if not keys:
        return text
    head = "".join(f"{'  ' * depth}{key}:\n" for depth, key in enumerate(keys))
    pad = "  " * len(keys)
    body = "\n".join(pad + line if line.strip() else line for line in text.splitlines())
    return head + body


def comment_at(line: str) -> int:
    """Where the comment of YAML ``line`` starts (its ``#``, at the line's start or after a space,
    outside quotes), or -1."""
    quote = ""
    for index, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1] in " \t"):
            return index
    return -1


@lru_cache(maxsize=1024)
def parsed_hint(text: str) -> Any:
    """A fix hint's YAML as a tree (shared: never change it), parsed once per text, with the C
    loader: many findings carry the same hint. Raises ``yaml.YAMLError``."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)


#: The keys a strategic merge matches list items by: an item left holding only its key merges
#: nothing.
_ITEM_KEYS = frozenset(("name", "mountPath", "containerPort", "devicePath", "ip"))


def without_keys(text: str, paths: list[Path]) -> str | None:
    """Fix hint ``text`` (YAML) with the entries at ``paths`` (keys and list indexes) taken out,
    and with them what would be left empty (a mapping, a list, a list item that holds only the
    key it merges by); the rest of the text, comments included, as written. None when nothing
    is left, or when the text is not the block YAML this can cut."""
    import yaml

    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    targets = {tuple(path) for path in paths}
    cuts: list[tuple[int, int]] = []
    try:
        if root is None or not _cut(root, (), targets, cuts):
            return None
    except _Uncut:
        return None
    lines = text.splitlines(keepends=True)
    for first, last in sorted(cuts, reverse=True):
        del lines[first : last + 1]
    return "".join(lines)


class _Uncut(Exception):
    """A target inside a flow collection: :func:`without_keys` cuts whole lines only."""


def _cut(
    node: Any, at: Path, targets: set[Path], cuts: list[tuple[int, int]], item: bool = False
) -> bool:
    """Whether anything of ``node`` (at hint path ``at``; ``item``: a list's item) is left once
    ``targets`` are cut; the line ranges to cut are added to ``cuts`` (those of a node left
    empty are its parent's to cut)."""
    import yaml

    if not isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        return True
    if node.flow_style:
        if any(len(path) > len(at) and path[: len(at)] == at for path in targets):
            raise _Uncut
        return True
    local: list[tuple[int, int]] = []
    left: list[Any] = []
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            here = (*at, key_node.value)
            if here in targets or not _cut(value_node, here, targets, local):
                local.append((key_node.start_mark.line, _last_line(value_node)))
            else:
                left.append(key_node.value)
        # A list item left with only the key it merges by merges nothing.
        if not left or (item and len(left) < len(node.value) and set(left) <= _ITEM_KEYS):
            return not node.value
    else:
        for index, entry in enumerate(node.value):
            here = (*at, index)
            if here in targets or not _cut(entry, here, targets, local, item=True):
                local.append((entry.start_mark.line, _last_line(entry)))
            else:
                left.append(index)
        if not left:
            return not node.value
    cuts.extend(local)
    return True


def _last_line(node: Any) -> int:
    """The last line (0-based) a block node's text is on."""
    import yaml

    if (
        isinstance(node, (yaml.MappingNode, yaml.SequenceNode))
        and node.value
        and not (node.flow_style)
    ):
        last = node.value[-1]
        return _last_line(last[1] if isinstance(last, tuple) else last)
    end = node.end_mark
    return end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line
