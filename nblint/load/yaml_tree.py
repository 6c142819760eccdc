"""Safe YAML → Python trees that remember where every key and item was written.

PyYAML's composer (the libyaml one when available) gives nodes with marks; this module turns them
into :class:`YMap`/:class:`YList` — ordinary ``dict``/``list`` subclasses, so every later stage can
treat them as plain data — that also carry 1-based ``(line, column)`` positions. It never
constructs Python objects from tags: only the YAML core schema's scalars are built, any other tag
(``!!python/object``…) is refused with a :class:`LoadProblem`.

Why not ``yaml.safe_load``: it keeps no positions, silently lets the last duplicate key win, and
expands aliases without bound.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Generator, Iterator
from functools import cache

import yaml

from nblint.load.plain_scalars import FLOAT_TAG, INT_TAG, MERGE_TAG, STR_TAG, plain_scalar
from nblint.model.finding import clipped
from nblint.model.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

try:  # libyaml is ~10x faster; fall back to pure Python where it is missing.
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

Pos = tuple[int, int]

#: More nodes than this after alias expansion is refused ("billion laughs").
MAX_EXPANDED_NODES = 2_000_000
#: Deeper nesting than this is refused: no real manifest comes close.
MAX_DEPTH = 200
#: A number (or boolean, or null) written in more characters than this is refused.
MAX_NUMBER_TEXT = 1000

_STR = STR_TAG  # (the very object plain_scalar gives: text is told by identity)
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = MERGE_TAG
_SAFE_SCALAR_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    _STR,
    # Kubernetes decodes YAML through JSON, so timestamps and binary stay text.
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:binary",
    "tag:yaml.org,2002:value",
}
_TAG_WORDS = {
    "tag:yaml.org,2002:int": "number",
    "tag:yaml.org,2002:float": "number",
    "tag:yaml.org,2002:bool": "boolean",
    "tag:yaml.org,2002:null": "null",
}
#: Tags of plain data, on any kind of node.
_DATA_TAGS = _SAFE_SCALAR_TAGS | {_MAP, _SEQ}
_KIND = {yaml.ScalarNode: "a scalar", yaml.MappingNode: "a mapping", yaml.SequenceNode: "a list"}
# Read once per node: bound here rather than looked up in the yaml module each time.
_ScalarNode = yaml.ScalarNode
_MappingNode = yaml.MappingNode


#: After this many documents of a file that do not parse, the rest of it is not read (reading
#: on after each costs a pass over the text).
MAX_BROKEN_DOCUMENTS = 100
_GAVE_UP = (
    f"invalid YAML: {MAX_BROKEN_DOCUMENTS} documents of this file before this line do not parse; "
    "nblint read no further"
)


#: A Helm template action that names chart data: in a values file Helm does not render it.
@cache
def _line_break() -> re.Pattern[str]:
    """What YAML (libyaml) counts as a line break."""
    return re.compile("\r\n|[\r\n\x85\u2028\u2029]")


@cache
def _helm_action() -> re.Pattern[str]:
    return re.compile(
        r"\{\{-?\s*(?:\$?\.(?:Values|Release|Chart|Capabilities|Files|Template)\b"
        r"|(?:include|tpl|template|toYaml|required|default)\s)"
    )


HELM_TEMPLATE_IN_YAML = (
    "Helm template syntax ({{ … }}) is not YAML: lint the rendered output "
    "(helm template … | nblint check -)"
)
#: Plain scalar text → its implicit tag (``"true"`` → bool, ``"name"`` → str), for the whole
#: process: the tag depends on the text alone, and a few hundred texts (keys, ``true``, ``1000``)
#: make up most of any corpus. Bounded: long texts (which rarely repeat) are not remembered, and
#: once full it stops growing.
_PLAIN_TAGS: dict[str, str] = {}
_MEMO_MAX_ENTRIES = 10_000
_MEMO_MAX_TEXT = 64


def _quote_what_go_yaml_reads_otherwise() -> None:
    """Make PyYAML's safe dumper quote text that go-yaml v2 would read as something else: it
    writes text plain when PyYAML would read it back as text, and ``y``, ``n``, ``0o17`` and
    ``1e3`` are text to PyYAML but a boolean or a number to kubectl and Helm. Every hint and fix
    nblint writes is dumped by it (or a subclass): a value copied from the input (``value:
    "y"``) must stay text. Its resolvers are the safe dumper's own; the loaders are untouched."""
    for tag, pattern, first in (
        ("tag:yaml.org,2002:bool", r"^(?:y|Y|n|N)$", "yYnN"),
        ("tag:yaml.org,2002:int", r"^[-+]?0o[0-7_]+$", "-+0"),
        (
            "tag:yaml.org,2002:float",
            r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$",
            "-+.0123456789",
        ),
    ):
        yaml.SafeDumper.add_implicit_resolver(tag, re.compile(pattern), list(first))


_quote_what_go_yaml_reads_otherwise()


class _Loader(_SafeLoader):
    """The safe loader, with the implicit tag of each plain scalar resolved as Helm and kubectl
    resolve it (go-yaml v2, :mod:`nblint.load.plain_scalars`), once per text.

    The composer asks for the tag of every node it makes. This loader has no path resolvers, so
    a collection or a quoted scalar gets the default tag of its kind.
    """

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        if kind is _ScalarNode:
            if not implicit[0]:  # quoted, or a block scalar: text
                return _STR
            tag = _PLAIN_TAGS.get(value)
            if tag is None:
                tag = plain_scalar(value)[
                    0
                ]  # (_STR itself: the tree builder tells text by identity)
                if len(value) <= _MEMO_MAX_TEXT and len(_PLAIN_TAGS) < _MEMO_MAX_ENTRIES:
                    _PLAIN_TAGS[value] = tag
            return tag
        return _MAP if kind is _MappingNode else _SEQ

    # The composer calls these around every node to follow paths for path resolvers; with none,
    # there is nothing to follow. Builtins that ignore their arguments rather than methods that
    # do: called from C, they make no Python frame (two calls per node of every file).
    descend_resolver = staticmethod(operator.is_)  # type: ignore[assignment]  # (returns a bool)
    ascend_resolver = staticmethod(bool)  # type: ignore[assignment]  # (called with no argument)


#: (tag, text) → the value of a null/bool/int/float scalar, bounded like ``_PLAIN_TAGS``
#: (the values are immutable, so one object can stand for every occurrence).
_TYPED_SCALARS: dict[tuple[str, str], Any] = {}
_UNKNOWN = object()
_TEXT_TAGS = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary", "tag:yaml.org,2002:value"}


def _typed_value(tag: str, text: str) -> Any:
    """The value of a null/bool/int/float scalar, as go-yaml's decoder gives it (decode.go
    ``scalar``, resolve.go ``resolve``): its text resolved as if plain, which must give ``tag``
    (an explicit ``!!float`` takes an int); else ``_UNKNOWN``."""
    resolved, value = plain_scalar(text)
    if resolved == tag or (tag == FLOAT_TAG and resolved == INT_TAG):
        return value  # (a whole float is an int to JSON anyway)
    return _UNKNOWN


class YMap(dict):  # dict[Any, Any] to mypy; `Any` is for it only (see nblint/__init__.py)
    """A mapping with the position of itself, of each key and of each value."""

    __slots__ = ("block_start", "key_pos", "null_comments", "pos")

    def __init__(self, pos: Pos = (0, 0)) -> None:
        self.pos = pos  # (no dict.__init__: a new dict is already empty)
        self.key_pos: dict[Any, Pos] = {}
        #: Key → ``(line, column)`` where the text of its value starts, for literal block
        #: scalars (``key: |``), whose lines are the file's: a line of code (or of YAML held as
        #: text) in one can be pointed at.
        self.block_start: dict[Any, Pos] | None = None
        #: Key → the comment on its line, for a key written ``null`` (or left empty) with one
        #: (``uid: # let openshift set the value``): why it is null, which a fix must not write
        #: over unread. Read from the text only for nulls (few).
        self.null_comments: dict[Any, str] | None = None


class YList(list):  # list[Any], as YMap
    """A sequence with the position of itself and of each item."""

    __slots__ = ("item_pos", "pos")

    def __init__(self, pos: Pos = (0, 0)) -> None:
        self.pos = pos  # (no list.__init__: a new list is already empty)
        self.item_pos: list[Pos] = []


class LoadProblem(Record):
    """Something in the input that stops (part of) it from being read as intended."""

    __slots__ = ("column", "fix_key", "kind", "line", "message")

    def __init__(
        self, kind: str, message: str, line: int, column: int, fix_key: str | None = None
    ) -> None:
        #: parse-error | duplicate-key | unsafe-tag | too-large | recursive-alias | helm-template |
        #: helmfile-template | sops-encrypted | sops-partly-encrypted | not-a-mapping |
        #: empty-file | unreadable (the pipeline maps each to a rule)
        self.kind = kind
        self.message = message
        self.line = line
        self.column = column
        #: The key of the rule's hint that fits this problem better than its ``any`` one (a
        #: binary file gets no advice about YAML syntax).
        self.fix_key = fix_key


class Document(Record):
    """One YAML document of a file: its positioned tree and what was wrong while reading it."""

    __slots__ = ("index", "line", "problems", "root")

    def __init__(
        self, index: int, root: Any, line: int, problems: list[LoadProblem] | None = None
    ) -> None:
        self.index = index
        self.root = root
        self.line = line  # where the document starts
        self.problems: list[LoadProblem] = [] if problems is None else problems


def _pos(node: yaml.Node) -> Pos:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _TextLines:
    """A file's text, split into lines once, by the first document that needs them."""

    __slots__ = ("_lines", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: list[str] | None = None

    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = _line_break().split(self.text)
        return self._lines


class _Builder:
    def __init__(self, may_alias: bool = True, text: _TextLines | None = None) -> None:
        self.problems: list[LoadProblem] = []
        #: The file's lines, split when a literal block first needs them (see
        #: :meth:`_block_start`).
        self._text = text or _TextLines("")
        # Without an anchor (``&``) in the text no node is reached twice, so the memo that makes
        # an alias cost its size and catches recursive ones is not needed.
        self._may_alias = may_alias
        self._built: dict[int, Any] = {}
        self._sizes: dict[int, int] = {}
        self._in_progress: set[int] = set()
        self._budget = MAX_EXPANDED_NODES

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        if node.__class__ is _ScalarNode:
            # Most nodes: no memo needed, an alias to a scalar is charged like a copy.
            self._budget -= 1
            if self._budget < 0:
                self._charge(0)
            if depth > MAX_DEPTH:
                raise _Refused("too-large", f"nesting deeper than {MAX_DEPTH} levels", node)
            if node.tag == _STR:
                if "{{" in node.value:
                    self._note_helm_template(node)
                return node.value
            return self._typed_scalar(node)
        if not self._may_alias:
            if depth > MAX_DEPTH:
                raise _Refused("too-large", f"nesting deeper than {MAX_DEPTH} levels", node)
            self._budget -= 1
            if self._budget < 0:
                self._charge(0)
            if node.__class__ is _MappingNode:
                return self._mapping(node, depth)
            return self._sequence(node, depth)
        key = id(node)
        if key in self._built:
            # An alias is a second reference to the same tree: charge its whole size, so that
            # aliases of aliases cannot expand into billions of nodes downstream.
            self._charge(self._sizes[key])
            return self._built[key]
        if key in self._in_progress:
            raise _Refused("recursive-alias", "recursive YAML alias", node)
        if depth > MAX_DEPTH:
            raise _Refused("too-large", f"nesting deeper than {MAX_DEPTH} levels", node)
        before = self._budget
        self._charge(1)
        self._in_progress.add(key)
        try:
            value = self._collection(node, depth)
        finally:
            self._in_progress.discard(key)
        self._built[key] = value
        self._sizes[key] = before - self._budget
        return value

    def _null_comment(self, out: YMap, key: Any, key_node: yaml.Node) -> None:
        """Keep the comment on the line of ``key``, written null, in ``out.null_comments``."""
        text = self._text.text
        start = key_node.end_mark.index
        end = text.find("\n", start)
        rest = text[start : end if end >= 0 else len(text)]
        if "#" not in rest:
            return  # (most nulls)
        found = _null_comment().match(rest)
        if found is not None and found.group(1).strip():
            if out.null_comments is None:
                out.null_comments = {}
            out.null_comments[key] = found.group(1).strip()

    def _block_start(self, node: yaml.ScalarNode) -> Pos:
        """Where a literal block's text starts: the line after its indicator (1-based), and the
        column of its indentation, read from the first line that is not blank."""
        first = node.start_mark.line + 1  # 0-based: the line after the `|`
        for line in self._text.lines()[first : node.end_mark.line + 1]:
            if line.strip():
                return (first + 1, len(line) - len(line.lstrip(" ")) + 1)
        return (first + 1, node.start_mark.column + 1)

    def _charge(self, count: int) -> None:
        self._budget -= count
        if self._budget < 0:
            raise _Refused("too-large", "more than 2,000,000 nodes after alias expansion", None)

    def _refuse_tag(self, node: yaml.Node) -> None:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        if node.tag in _DATA_TAGS:  # a plain-data tag on the wrong kind of node (`!!map x`)
            kind = _KIND[type(node)]
            raise _Refused("parse-error", f"invalid YAML: {tag} cannot tag {kind}", node)
        raise _Refused("unsafe-tag", f"YAML tag {tag} is refused (only plain data is read)", node)

    def _typed_scalar(self, node: yaml.ScalarNode) -> Any:
        """A scalar whose tag is not ``!!str``: a core-schema value, or text that stays text."""
        tag = node.tag
        if tag not in _SAFE_SCALAR_TAGS:
            self._refuse_tag(node)
        if tag in _TEXT_TAGS:
            if "{{" in node.value:
                self._note_helm_template(node)
            return node.value
        key = (tag, node.value)
        value = _TYPED_SCALARS.get(key, _UNKNOWN)
        if value is _UNKNOWN:
            if len(node.value) > MAX_NUMBER_TEXT:
                # No Kubernetes number is this long (`0000…1` is one to go-yaml: a leading
                # zero is octal); said rather than checked as if it were an ordinary value.
                raise _Refused(
                    "too-large",
                    f"a {_TAG_WORDS.get(tag, 'value')} written in {len(node.value):,} "
                    f"characters (more than {MAX_NUMBER_TEXT:,}) is refused",
                    node,
                )
            value = _typed_value(tag, node.value)
            if value is _UNKNOWN:
                # `!!int abc`: the API server's parser refuses the document as well.
                kind = tag.rsplit(":", 1)[-1]
                raise _Refused(
                    "parse-error",
                    f"invalid YAML: {clipped(node.value, 60)!r} is not a valid !!{kind}",
                    node,
                )
            if len(node.value) <= _MEMO_MAX_TEXT and len(_TYPED_SCALARS) < _MEMO_MAX_ENTRIES:
                _TYPED_SCALARS[key] = value
        return value

    def _note_helm_template(self, node: yaml.ScalarNode) -> None:
        if _helm_action().search(node.value):
            self.problems.append(
                LoadProblem(
                    "helm-template",
                    f"Helm template {clipped(node.value, 60)!r} in a values file: Helm passes "
                    "values on as written (only a chart's tpl renders them), so nblint checks "
                    "the literal text",
                    *_pos(node),
                )
            )

    def _collection(self, node: yaml.Node, depth: int) -> YMap | YList:
        if node.__class__ is _MappingNode:
            return self._mapping(node, depth)
        return self._sequence(node, depth)

    # ``node`` is a SequenceNode (the callers ruled out a mapping), typed as the Node they hold:
    # only a Node's attributes are read, and a typing.cast would import typing.
    def _sequence(self, node: yaml.Node, depth: int) -> YList:
        if node.tag != _SEQ:
            self._refuse_tag(node)
        mark = node.start_mark
        out = YList((mark.line + 1, mark.column + 1))
        item_pos = out.item_pos
        build = self.build
        # As in _mapping: a plain text item is taken here, saving a call to build(), and the
        # budget is counted in a local while no build() call needs it.
        items_within_depth = depth < MAX_DEPTH
        direct = items_within_depth and not self._may_alias
        depth += 1
        budget = self._budget
        for item in node.value:
            if (
                item.tag is _STR  # (only resolve() gives this very object: a scalar's tag)
                and items_within_depth
                and budget > 0
                and "{{" not in item.value
            ):
                budget -= 1
                out.append(item.value)
            elif item.__class__ is not _ScalarNode and direct and budget > 0:
                # A mapping or list, as build() would take it (without an alias, nothing to
                # remember), saving that call.
                self._budget = budget - 1
                if item.__class__ is _MappingNode:
                    out.append(self._mapping(item, depth))
                else:
                    out.append(self._sequence(item, depth))
                budget = self._budget
            else:
                self._budget = budget
                out.append(build(item, depth))
                budget = self._budget
            mark = item.start_mark
            item_pos.append((mark.line + 1, mark.column + 1))
        self._budget = budget
        return out

    def _mapping(self, node: yaml.MappingNode, depth: int) -> YMap:
        if node.tag != _MAP:
            self._refuse_tag(node)
        mark = node.start_mark
        out = YMap((mark.line + 1, mark.column + 1))
        key_pos = out.key_pos
        build = self.build
        #: Keys a merge key (``<<``) set, and where that ``<<`` is written (None: no merge key).
        merged: dict[Any, Pos] | None = None
        # Most keys and many values are plain text: for those, what build() would do is done
        # here, saving a call each (their depth is within bounds and the budget has room). The
        # budget is counted in a local, handed back to ``self`` around each call that uses it.
        children_within_depth = depth < MAX_DEPTH
        direct = children_within_depth and not self._may_alias
        budget = self._budget
        for key_node, value_node in node.value:
            if (
                key_node.tag is _STR  # (only resolve() gives this very object: a scalar's tag)
                and children_within_depth
                and budget > 0
                and "{{" not in key_node.value
            ):
                budget -= 1
                key = key_node.value
            elif key_node.tag == _MERGE:
                # As Kubernetes and Helm read it (go-yaml v2 under sigs.k8s.io/yaml): a merge
                # key sets its keys where it is written, over the keys written before it; the
                # keys written after it override them.
                self._budget = budget
                entries = self._merge_sources(key_node, value_node, depth)
                budget = self._budget
                if merged is None:
                    merged = {}
                here = _pos(key_node)
                for key, value, kpos in entries:
                    if key in key_pos and key not in merged:
                        self._note_merged_over(key, key_pos[key], here)
                    out[key] = value
                    key_pos[key] = kpos
                    merged[key] = here
                continue
            else:
                self._budget = budget
                key = build(key_node, depth + 1)
                budget = self._budget
                if isinstance(key, (dict, list)):
                    raise _Refused(
                        "parse-error", "a mapping or list cannot be a mapping key", key_node
                    )
                if key_node.tag == FLOAT_TAG and key.__class__ is int:
                    # A key is made text from go-yaml's float64, not through JSON's number
                    # (`1e6:` is the key "1e+06": nblint.model.keys.json_key)
                    key = float(key)
            if key in key_pos:
                if merged is not None and key in merged:
                    del merged[key]  # a key written after the merge key overrides it
                else:
                    self._note_duplicate(key, key_pos[key], key_node)
            if value_node.__class__ is _ScalarNode:
                value = _UNKNOWN
                if children_within_depth and budget > 0:
                    tag = value_node.tag
                    if tag is _STR:
                        value = value_node.value
                        if "{{" in value:
                            value = _UNKNOWN
                    else:  # a number, bool or null whose text was built before: the same value
                        value = _TYPED_SCALARS.get((tag, value_node.value), _UNKNOWN)
                if value is _UNKNOWN:
                    self._budget = budget
                    value = out[key] = build(value_node, depth + 1)
                    budget = self._budget
                else:
                    budget -= 1
                    out[key] = value
                if value is None:
                    self._null_comment(out, key, key_node)
                if value_node.style == "|":
                    if out.block_start is None:
                        out.block_start = {}
                    out.block_start[key] = self._block_start(value_node)
            elif direct and budget > 0:
                # A mapping or list, as build() would take it (without an alias, nothing to
                # remember), saving that call.
                self._budget = budget - 1
                if value_node.__class__ is _MappingNode:
                    out[key] = self._mapping(value_node, depth + 1)
                else:
                    out[key] = self._sequence(value_node, depth + 1)
                budget = self._budget
            else:
                self._budget = budget
                out[key] = build(value_node, depth + 1)
                budget = self._budget
            mark = key_node.start_mark
            key_pos[key] = (mark.line + 1, mark.column + 1)
        self._budget = budget
        return out

    def _note_duplicate(self, key: Any, first: Pos, key_node: yaml.Node) -> None:
        self.problems.append(
            LoadProblem(
                "duplicate-key",
                f"duplicate key {key!r} (first at line {first[0]}): `kubectl apply -f` and "
                "Helm keep this value and drop the first (nblint checks this one); a strict "
                "reader such as kustomize refuses the file",
                *_pos(key_node),
            )
        )

    def _note_merged_over(self, key: Any, written: Pos, merge: Pos) -> None:
        self.problems.append(
            LoadProblem(
                "duplicate-key",
                f"key {key!r} is replaced by the merge key (<<) at line {merge[0]}, which also "
                "sets it: Kubernetes and Helm (go-yaml v2) let a merge key override the keys "
                "written before it; write the key after the <<",
                *written,
            )
        )

    def _merge_sources(
        self, key_node: yaml.Node, node: yaml.Node, depth: int
    ) -> list[tuple[Any, Any, Pos]]:
        """The entries a merge key sets, in the order that leaves each key as go-yaml v2 does
        when each overwrites the one before: of a list, the earlier mapping wins."""
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        entries: list[tuple[Any, Any, Pos]] = []
        for source in sources:
            built = self.build(source, depth + 1)
            if not isinstance(built, YMap):
                # Placed at the `<<` the user wrote: an alias has no position of its own (its
                # node is the anchored one, perhaps far above).
                raise _Refused(
                    "parse-error",
                    "a merge key (<<) must refer to a mapping or a list of mappings",
                    key_node,
                )
            entries[:0] = [(key, value, built.key_pos[key]) for key, value in built.items()]
        return entries


class _Refused(Exception):
    def __init__(self, kind: str, message: str, node: yaml.Node | None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.pos = _pos(node) if node is not None else (1, 1)


def parse_documents(text: str) -> tuple[list[Document], list[LoadProblem]]:
    """Every document of ``text``, and the problems that stopped any from being read (see
    :func:`iter_documents`)."""
    documents: list[Document] = []
    problems: list[LoadProblem] = []
    for item in iter_documents(text):
        if isinstance(item, Document):
            documents.append(item)
        else:
            problems.append(item)
    return documents, problems


def iter_documents(
    text: str, helmfile: bool = False, layer: bool = False
) -> Iterator[Document | LoadProblem]:
    """The documents of ``text`` one at a time, each built only when asked for, and the
    problems that stopped any from being read, in file order.

    A run checks each document and drops its tree before the next is built, so that a file of
    thousands of manifests never has more than one of them in memory. A document with a syntax
    error is that problem, and reading goes on at the next document marker after it, each
    document at its own line and with its own number (:func:`_read_on`; kubectl decodes each
    document on its own), unless the error is a template's (the file is a template: nothing
    after it is read); a refused document (unsafe tag, alias bomb) is dropped while the others
    are kept. ``helmfile``: the file is named as a helmfile template (``*.gotmpl``), which is how a
    template in it is named. ``layer``: the file is a layer of a release (``-f``, a values file
    an installer names), so a document sops encrypted whole is a :class:`Document` all the same,
    its ``sops-encrypted`` problem among its problems: its keys are plaintext, its ``ENC[…]``
    values unknown text, as a partly encrypted file's (read alone, it is only that problem).
    """
    if "#@" in text:  # (cheaper than the regex on the many files without)
        ytt = _ytt_template(text)
        if ytt is not None:
            yield ytt
            return
    state = False
    if helmfile and "{{" in text:
        if _helmfile_state().search(text):
            # A helmfile itself (`helmfile.yaml.gotmpl`): read where its templates are values.
            masked = _masked_helmfile(text)
            if isinstance(masked, LoadProblem):
                yield masked
                return
            text, state = masked, True
        else:
            rendered = _helmfile_template(text)
            if rendered is not None:
                yield rendered
                return
    problem, index = yield from _documents_in(text, 0, state, helmfile, layer)
    resumed = (text, 0, 1)
    broken = 0
    while problem is not None:
        # A syntax error stops the parser for good: reading goes on at the next document
        # marker after it, in the text with the lines before that marker emptied (a rare path:
        # only after an error; each costs a pass over the text, hence the bound).
        found = _read_on(*resumed, problem, keep_offsets=False)
        if found is None:
            return
        broken += 1
        if broken == MAX_BROKEN_DOCUMENTS:
            yield LoadProblem("parse-error", _GAVE_UP, found[2], 1)
            return
        resumed = found
        problem, index = yield from _documents_in(found[0], index, state, helmfile, layer)


def _documents_in(
    text: str, index: int, state: bool, helmfile: bool, layer: bool
) -> Generator[Document | LoadProblem, None, tuple[LoadProblem | None, int]]:
    """:func:`iter_documents` of ``text``, the first document numbered ``index``; returns the
    syntax error that stopped it when reading may go on after it (:func:`_read_on`), and the
    number of the next document."""
    loader = _Loader(text)
    may_alias = "&" in text  # an alias needs an anchor, and an anchor is written with &
    lines = _TextLines(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                break
            builder = _Builder(may_alias=may_alias, text=lines)
            pos = _pos(node)
            try:
                root = builder.build(node)
            except _Refused as refused:
                problem = LoadProblem(refused.kind, refused.message, *refused.pos)
                if state and "{{" in _line(text, problem.line):
                    yield _unknowable_helmfile(text, problem.line)
                else:
                    yield _helm_problem(text, problem, helmfile)
            else:
                node = None  # its composed nodes are done with once the tree is built
                encrypted = _sops_problem(root)
                if encrypted is not None and encrypted.kind == "sops-encrypted" and not layer:
                    yield encrypted
                else:
                    if encrypted is not None:
                        builder.problems.append(encrypted)
                    if not isinstance(root, dict) and root is not None and not _foreign(root):
                        builder.problems.append(_not_a_mapping(root, index, pos))
                    yield Document(index, root, pos[0], builder.problems)
            index += 1
    except yaml.MarkedYAMLError as err:
        problem = _syntax_problem(err, text)
        if state and "{{" in _line(text, problem.line):
            yield _unknowable_helmfile(text, problem.line)  # a template YAML cannot hold there
        else:
            problem = _helm_problem(text, problem, helmfile)
            yield problem
            # The broken document is numbered too (a fix addresses a document by its number).
            return problem, index + 1
    except yaml.YAMLError as err:
        yield LoadProblem("parse-error", f"invalid YAML: {err}", 1, 1)
    except RecursionError:
        yield LoadProblem("too-large", "YAML nested too deeply to read", 1, 1)
    finally:
        loader.dispose()
    return None, index


def _read_on(
    text: str, start: int, start_line: int, problem: LoadProblem, keep_offsets: bool
) -> tuple[str, int, int] | None:
    """Where to read on after the syntax error ``problem``, as kubectl does, which decodes each
    document on its own: at the first document marker after the error's line (a ``---`` line,
    or the line after a ``...`` one), in ``text`` with every character before it that is no
    line break written over by a space (``keep_offsets``: every line, column and offset stays
    the file's, for a fix), or removed (every line and column stays the file's: what the loader
    reads, which never gives an offset; the parser then skips one character per line, not the
    whole of what it read before). ``start``: where line ``start_line`` starts in ``text``, all
    before it already written over. The text, and where its marker's line starts and which line
    that is; None when there is no such marker, or when the error is a template's: a file
    written as a template is read only once rendered (its templates may drop or repeat
    documents)."""
    if problem.kind not in ("parse-error", "too-large") or problem.line < start_line:
        return None
    # The start of the line after the error's (a count of lines skipped without a Python loop).
    skipped = _lines(problem.line - start_line + 1).match(text, start)
    if skipped is None:
        return None
    marker = _marker().search(text, skipped.end())
    if marker is None:
        return None
    at = marker.start()
    line = problem.line + 1 + len(_line_break().findall(text, skipped.end(), at))
    if marker.group() == "...":
        after = _line_break().search(text, at)
        if after is None:
            return None
        at, line = after.end(), line + 1
    emptied = _blank().sub(" " if keep_offsets else "", text[start:at])
    return text[:start] + emptied + text[at:], start + len(emptied), line


def _lines(count: int) -> re.Pattern[str]:
    """``count`` lines, each to its line break (see :func:`_line_break`); not cached here (a
    pattern per count), ``re`` keeps the last few."""
    return re.compile(rf"(?:[^\r\n\x85\u2028\u2029]*(?:\r\n|[\r\n\x85\u2028\u2029])){{{count}}}")


@cache
def _marker() -> re.Pattern[str]:
    """A document marker (``---`` or ``...``) at the start of a line."""
    return re.compile(r"(?<=[\r\n\x85\u2028\u2029])(?:---|\.\.\.)(?=[ \t\r\n\x85\u2028\u2029]|\Z)")


@cache
def _blank() -> re.Pattern[str]:
    """A character that is no line break (see :func:`_line_break`)."""
    return re.compile("[^\r\n\x85\u2028\u2029]")


def read_on_after(text: str, err: yaml.YAMLError) -> str | None:
    """The text to read on in after ``err`` stopped a parse of ``text``, as
    :func:`iter_documents` reads on (None: it stops there), for a fix to find the documents
    after a broken one at the positions the loader gave them."""
    if not isinstance(err, yaml.MarkedYAMLError):
        return None
    problem = _helm_problem(text, _syntax_problem(err, text))
    found = _read_on(text, 0, 1, problem, keep_offsets=True)
    return None if found is None else found[0]


#: The rest of a line after a key written null (or left empty), with a comment: the comment.
@cache
def _null_comment() -> re.Pattern[str]:
    return re.compile(r"[\"']?[ \t]*:[ \t]*(?:(?:null|Null|NULL|~)[ \t]+)?#(.*)")


#: A template expression: Go's (Helm's) or Jinja's ``{{ … }}``, a Jinja statement ``{% … %}``,
#: or a Terraform template directive ``%{ … }``.
@cache
def _template_start() -> re.Pattern[str]:
    return re.compile(r"\{\{|\{%|%\{")


#: Go template actions start with a dot, a variable, a dash or one of its keywords, or call a
#: function with Go's argument syntax: a name, a space, then a double-quoted or raw string, a
#: field or a variable (``{{ requiredEnv "X" }}``), which Jinja does not parse (it calls with
#: parentheses: ``{{ lookup('env', 'X') }}``).
@cache
def _go_action() -> re.Pattern[str]:
    return re.compile(
        r"\{\{-?\s*(?:[.$]|(?:if|else|end|range|with|define|block|template|include|tpl|toYaml|"
        r"required|default|printf|getenv|env)\b|[A-Za-z_]\w*[ \t]+[\"`.$])"
    )


#: helmfile's own template functions and values (its "Template Functions" page): a Go template
#: that uses them is rendered by helmfile (``values.yaml.gotmpl``), whatever the file's name.
@cache
def _helmfile_action() -> re.Pattern[str]:
    return re.compile(
        r"\{\{[^}]*(?:\b(?:requiredEnv|fetchSecretValue|expandSecretRefs|readFile|readDir|"
        r"readDirEntries|isFile|isDir)\b|\.(?:StateValues|Environment)\b)"
    )


#: An Argo CD ApplicationSet (its own top-level kind), whose templates its controller fills in.
@cache
def _application_set() -> re.Pattern[str]:
    return re.compile(r"^kind:[ \t]*[\"']?ApplicationSet\b", re.MULTILINE)


APPLICATION_SET_TEMPLATE = (
    "Argo CD ApplicationSet template syntax ({{ … }}) is not YAML: the ApplicationSet "
    "controller fills in templates only inside the strings of the object it reads, so quote "
    "each one ('{{ … }}'; one that writes keys, such as a Go template range, belongs in "
    "spec.templatePatch, with goTemplate: true), then lint the Applications it generates "
    "(argocd appset generate FILE -o yaml | nblint check -)"
)

HELMFILE_TEMPLATE = (
    "Go template syntax of helmfile ({{ … }}) is not YAML: lint the rendered output "
    "(helmfile write-values writes the rendered values files, helmfile template the manifests; "
    "then nblint check them)"
)


def _helmfile_template(text: str) -> LoadProblem | None:
    """A helmfile ``*.gotmpl`` values file with a template expression outside its comments is
    checked only once rendered, as a ytt file is: helmfile renders the whole file before Helm
    reads it, so even a quoted ``'{{ .Values.x }}'`` that parses is not what Helm receives.
    Reported at its first expression."""
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("#"):
            continue
        found = _template_start().search(line)
        if found is not None and found.group() == "{{":
            return LoadProblem("helm-template", HELMFILE_TEMPLATE, number, found.start() + 1)
    return None


#: A helmfile's own top-level keys: a ``*.gotmpl`` file that has one is a helmfile
#: (``helmfile.yaml.gotmpl``), not a values file.
@cache
def _helmfile_state() -> re.Pattern[str]:
    return re.compile(
        r"^(?:releases|environments|bases|helmfiles|repositories|helmDefaults):", re.M
    )


#: A line's value that starts with a template (``key: {{ … }}…``, ``- {{ … }}``): YAML reads
#: ``{`` there as a flow mapping, helmfile as the text it renders.
@cache
def _template_value() -> re.Pattern[str]:
    return re.compile(
        r"^(?P<lead>[ \t]*(?:-[ \t]+)*(?:(?:[\w.\-/]+|\"[^\"\n]*\"|'[^'\n]*')[ \t]*:[ \t]+)?)"
        r"(?P<value>\{\{.*?)[ \t]*$"
    )


HELMFILE_STATE_TEMPLATE = (
    "helmfile renders this helmfile as a Go template before it reads it, and this template "
    "decides what the file holds (it may add, drop or repeat parts of it): nblint cannot know "
    "what it renders to and did not read the file; lint the rendered state (helmfile build "
    "prints it, helmfile write-values writes each release's values; then nblint check them)"
)


def _masked_helmfile(text: str) -> str | LoadProblem:
    """A helmfile written as a Go template (``helmfile.yaml.gotmpl``, which helmfile v1 renders
    before it reads it), as YAML nblint can read: each template that is a value, or part of one,
    stays as its text (a value that starts with one is quoted, as YAML would not read it), so
    that nblint takes it for a value it cannot know. A template anywhere else (a line of its
    own, ``{{ if … }}``, ``{{ range … }}``, ``{{ readFile … }}``; a key; one that spans lines)
    decides what the file holds: the problem of :func:`_unknowable_helmfile`, at its line."""
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        if "{{" not in line or line.lstrip().startswith("#"):
            continue
        if line.count("{{") != line.count("}}") or line.rfind("{{") > line.rfind("}}"):
            return _unknowable_helmfile(text, number)
        found = _template_value().match(line)
        if found is not None:
            lead, value = found.group("lead"), found.group("value")
            if not lead.strip() or re.search(r"\}\}[^'\"]*:(?:[ \t]|$)", value):
                # A template on a line of its own, or a key (`- {{ .Values.k }}: 1`).
                return _unknowable_helmfile(text, number)
            lines[number - 1] = lead + "'" + value.replace("'", "''") + "'"
        elif line.lstrip().startswith(("{{", "- {{")):
            return _unknowable_helmfile(text, number)
    return "\n".join(lines)


def _line(text: str, number: int) -> str:
    lines = text.split("\n")
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _unknowable_helmfile(text: str, number: int) -> LoadProblem:
    """One info for a helmfile template nblint cannot read, at the template's line."""
    line = _line(text, number)
    column = line.find("{{") + 1 if "{{" in line else 1
    return LoadProblem("helmfile-template", HELMFILE_STATE_TEMPLATE, number, column)


def _helm_problem(text: str, problem: LoadProblem, helmfile: bool = False) -> LoadProblem:
    """A read failure caused by template syntax is reported as such, at the first template
    expression that YAML cannot read (not the parser's first complaint, which can be far below
    it, nor a quoted ``"{{ x }}"`` above it, which is YAML: :func:`_breaking`).

    Unquoted ``{{ .Values.x }}`` is a YAML flow mapping (or a syntax error), and a Jinja
    ``{% if %}`` line is no YAML at all, so templates fail to read; saying which template
    language it is, and where it breaks the file, is more useful than the parser's complaint. The
    failure is blamed on templating when its own line holds a template expression, or when some
    line is a template statement on its own (``{{- if .Values.x }}``, ``{% for x in y %}``).
    """
    if problem.kind != "parse-error" or (
        "{{" not in text and "{%" not in text and "%{" not in text
    ):
        return problem
    lines = text.splitlines(keepends=True)
    found_at: list[tuple[int, int]] = []  # (line index, column index) of each template line
    blamed = False
    for number, line in enumerate(lines, 1):
        if line.lstrip().startswith("#"):
            continue
        found = _template_start().search(line)
        if found is None:
            continue
        found_at.append((number - 1, found.start()))
        blamed = blamed or number == problem.line or line.lstrip().startswith(("{{", "{%", "%{"))
    if not found_at or not blamed:
        return problem
    # The first line whose templates stop the text from reading (a quoted "{{ x }}" before it
    # is YAML); in a text too large to parse again a few times, the parser's own line when it
    # holds a template, else the first expression.
    if len(text) <= _BISECT_MAX_CHARS:
        chosen = _breaking(lines, [index for index, _ in found_at])
    else:
        mine = [i for i, (index, _) in enumerate(found_at) if index == problem.line - 1]
        chosen = mine[0] if mine else 0
    at, column = found_at[chosen]
    expression = lines[at][column:].rstrip("\r\n")
    message = _template_message(text, expression, helmfile)
    return LoadProblem("helm-template", message, at + 1, column + 1)


#: The largest text whose refused template is placed by parsing it again (:func:`_breaking`).
_BISECT_MAX_CHARS = 1 << 20


def _breaking(lines: list[str], candidates: list[int]) -> int:
    """Which of the template lines ``candidates`` (indexes into ``lines``, in order) is the
    first whose template syntax YAML cannot read: a quoted ``"{{ x }}"`` or a block scalar's is
    text, an unquoted ``{{ x }}`` a flow mapping that breaks the parse, a ``{% if %}`` line no
    YAML at all. With each expression written over by letters (a statement alone on its line by a
    comment), the text parses; the first line whose own text, given back with those before it,
    stops it from parsing is the one. Found by bisection (a few parses, on a file that failed to
    parse only). 0, the first expression, when the text does not parse even so (something else
    is broken too)."""
    neutral = [_neutral(lines[index]) for index in candidates]

    def parses(restored: int) -> bool:
        text = lines[:]
        for position, index in enumerate(candidates[restored:], restored):
            text[index] = neutral[position]
        return _parses("".join(text))

    if not parses(0):
        return 0
    low, high = 0, len(candidates)  # parses(low) holds; parses(high) does not (the file failed)
    while high - low > 1:
        middle = (low + high) // 2
        if parses(middle):
            low = middle
        else:
            high = middle
    return high - 1


def _parses(text: str) -> bool:
    """Whether ``text`` reads as :func:`iter_documents` reads it (parsed and built), without
    saying why not."""
    loader = _Loader(text)
    lines = _TextLines(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                break
            _Builder(may_alias="&" in text, text=lines).build(node)
    except (yaml.YAMLError, _Refused, RecursionError):
        return False
    finally:
        loader.dispose()
    return True


@cache
def _expression() -> re.Pattern[str]:
    return re.compile(r"\{\{.*?\}\}|\{%.*?%\}|%\{.*?\}")


def _neutral(line: str) -> str:
    """``line`` with its template expressions written over by letters of their length (columns
    kept), or, when they are all the line holds, as a comment."""
    body = line.rstrip("\r\n")
    end = line[len(body) :]
    rest = _expression().sub("", body)
    if not rest.strip():
        indent = len(body) - len(body.lstrip())
        return body[:indent] + "#" + end
    return _expression().sub(lambda m: "x" * len(m.group()), body) + end


def _template_message(text: str, expression: str, helmfile: bool = False) -> str:
    """Which template language the file is written in, and what to do about it. A helmfile
    ``*.gotmpl`` file is a Go template whatever its expressions look like (helmfile renders it
    before Helm sees it)."""
    if helmfile and "{{" in text:
        return HELMFILE_TEMPLATE
    if expression.startswith("%{"):
        language = "Terraform template syntax (%{ … }, ${ … })"
        render = "render it with Terraform's templatefile"
    elif "{%" not in text and _application_set().search(text):
        # Its `{{ }}` (fasttemplate `{{name}}` or, with goTemplate, Go's) are the controller's.
        return APPLICATION_SET_TEMPLATE
    elif (placeholder := _bare_placeholder(text, expression)) is not None:
        return (
            f"template placeholder {placeholder} (filled in by a script or a template engine) "
            "is not YAML: lint the rendered output (fill it in as the deployment does, then "
            "nblint check -)"
        )
    elif "{%" in text or not (_go_action().match(expression) or _go_action().search(text)):
        # Judged by the whole text: `{{name}}` reads as either language, the `{{range $k, $v
        # := m}}`, `{{ .Field }}` or `{{end}}` beside it as Go's alone.
        language = "Jinja template syntax ({% … %}, {{ … }})"
        render = "render it with the tool it is written for, such as Ansible"
    elif _helmfile_action().search(text):
        return HELMFILE_TEMPLATE
    elif _helm_action().search(text):
        return HELM_TEMPLATE_IN_YAML
    else:
        language = "Go template syntax ({{ … }})"
        render = "render it with the tool it is written for, such as gomplate"
    return f"{language} is not YAML: lint the rendered output ({render}, then nblint check -)"


#: A bare placeholder, ``{{NAME}}``: a name alone, no space, no filter, no call.
@cache
def _placeholder() -> re.Pattern[str]:
    return re.compile(r"\{\{[A-Za-z_][\w.-]*\}\}")


def _bare_placeholder(text: str, expression: str) -> str | None:
    """The placeholder ``expression`` starts with when every template expression of ``text``
    (outside its comments) is a bare ``{{NAME}}``, as a script (sed, envsubst-like) or any
    template engine fills in: nothing says which tool (no Jinja statement, filter or spacing,
    no Go action)."""
    found = _placeholder().match(expression)
    if found is None or "{%" in text or "%{" in text:
        return None
    for line in text.splitlines():
        if "{{" in _placeholder().sub("", line) and not line.lstrip().startswith("#"):
            return None
    return found.group()


#: A ytt (Carvel) annotation: on a line of its own, a statement (``#@ load(…)``, ``#@ if …``,
#: ``#@ for …``, ``#@ def …``, ``#@ end``) or a named annotation (``#@data/values``,
#: ``#@overlay/match by=…``); or, as the value of a key, a list item or a document start, an
#: expression (``name: #@ data.values.image``, ``- #@ x``, ``--- #@ template.replace(…)``).
#: A ``#@`` anywhere else (inside an ordinary comment, a quoted text) is not one.
@cache
def _ytt_annotation() -> re.Pattern[str]:
    key = r"""(?:"[^"\n]*"|'[^'\n]*'|[^\s#'"{}\[\],&*!|>%@`-](?:[^:#'"\n]|:(?=\S))*)"""
    return re.compile(
        r"^[ \t]*(?:"
        r"(#@)[ \t]*(?:load\(|(?:if|elif|for|def)[ \t]|else[ \t]*:|end\b)"
        r"|(#@)[a-z_]+/[a-z]"
        rf"|(?:---[ \t]+|(?:-[ \t]+)*{key}[ \t]*:[ \t]+|(?:-[ \t]+)+)(#@)[ \t]*\S"
        r")",
        re.M,
    )


@cache
def _ytt_data_values() -> re.Pattern[str]:
    """A ytt data values file's (or schema's) own annotation, on a line of its own."""
    return re.compile(r"^[ \t]*#@data/values(?:-schema)?[ \t]*$", re.M)


YTT_TEMPLATE = (
    "ytt template (#@ annotations): ytt fills in its values, and may add or drop whole parts, "
    "before anything reads it, so nblint cannot check it as written: lint the rendered output "
    "(ytt -f FILE -f VALUES | nblint check -)"
)


def _ytt_template(text: str) -> LoadProblem | None:
    """A file written for ytt is checked only once rendered, as other template languages are.

    Its annotations are YAML comments, so the file parses, but what it says is not what the
    cluster or Helm receives: ``name: #@ data.values.image`` reads as null, and ``#@ if`` /
    ``#@ for`` decide which parts exist at all. Reported at its first annotation.
    """
    found = _ytt_annotation().search(text)
    if found is None or _ytt_data_values().search(text):
        # (A data values file, or its schema, is data ytt reads, never rendered into objects:
        # read as the YAML it is, which no dialect claims.)
        return None
    start = next(found.start(group) for group in (1, 2, 3) if found.start(group) >= 0)
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return LoadProblem("helm-template", YTT_TEMPLATE, line, column)


def _sops_problem(root: Any) -> LoadProblem | None:
    """What sops did to a document: encrypted it whole (its values are ciphertext, so it is
    reported, not checked), or only some of its values (sops's ``encrypted_regex`` and kin): the
    plaintext is checked as usual, and what was encrypted is named."""
    metadata = root.get("sops") if isinstance(root, YMap) else None
    if not isinstance(metadata, dict) or "mac" not in metadata:
        return None
    where = root.key_pos["sops"]
    encrypted: list[str] = []
    plaintext = False
    for key, value in root.items():
        if key != "sops":
            found, plain = _encrypted_parts(value, str(key))
            encrypted += found
            plaintext = plaintext or plain
    if not plaintext:
        return LoadProblem(
            "sops-encrypted",
            "sops-encrypted document: its values are ciphertext and were not checked; "
            "lint the decrypted values (sops -d FILE | nblint check -)",
            *where,
        )
    if not encrypted:
        return None
    named = ", ".join(encrypted[:_NAMED_ENCRYPTED])
    if len(encrypted) > _NAMED_ENCRYPTED:
        named += f" and {len(encrypted) - _NAMED_ENCRYPTED} more"
    return LoadProblem(
        "sops-partly-encrypted",
        f"partly sops-encrypted: the plaintext was checked, but not what sops encrypted, "
        f"which nblint cannot know: {named}",
        *where,
    )


#: How many encrypted keys a finding names before it counts the rest.
_NAMED_ENCRYPTED = 20


@cache
def _encrypted() -> re.Pattern[str]:
    return re.compile(r"^ENC\[[A-Z0-9_]+,data:")


def _encrypted_parts(value: Any, path: str) -> tuple[list[str], bool]:
    """The paths of the encrypted values in ``value`` (a list encrypted through and through is
    named once: sops encrypts the whole value of a key it matches), and whether ``value`` holds
    any plaintext."""
    if isinstance(value, str) and _encrypted().match(value):
        return [path], False
    if isinstance(value, dict):
        children = [(f"{path}.{key}", item) for key, item in value.items()]
    elif isinstance(value, list):
        children = [(f"{path}[{index}]", item) for index, item in enumerate(value)]
    else:
        return [], value is not None
    named: list[str] = []
    plaintext = False
    for child_path, item in children:
        found, plain = _encrypted_parts(item, child_path)
        named += found
        plaintext = plaintext or plain
    if isinstance(value, list) and named and not plaintext:
        return [path], False
    return named, plaintext


def _foreign(root: Any) -> bool:
    """A document that is clearly not Kubernetes (an Ansible playbook): the run skips and counts
    it (``skip_label``), no problem. Imported here, for the rare document that is no mapping."""
    from nblint.load.foreign import foreign_label

    return foreign_label(root) is not None


def _not_a_mapping(root: Any, index: int, pos: Pos) -> LoadProblem:
    what = "a list" if isinstance(root, list) else f"a single value ({clipped(repr(root), 40)})"
    return LoadProblem(
        "not-a-mapping",
        f"document {index + 1} is {what}, not a mapping: a manifest or values file is a "
        "mapping, so nothing in it was checked",
        *pos,
    )


_FLOW_CONTEXTS = {
    "while parsing a flow sequence": "[ … ] list",
    "while parsing a flow mapping": "{ … } mapping",
}


def _within(text: str, line: int, column: int) -> Pos:
    """A parser mark clamped into the text: "end of stream" may sit past the last line."""
    if line <= text.count("\n"):  # (there are at least as many lines: no list of them)
        return line, column
    lines = text.splitlines() or [""]
    if line > len(lines):
        return len(lines), len(lines[-1]) + 1
    return line, column


def _syntax_problem(err: yaml.MarkedYAMLError, text: str) -> LoadProblem:
    """Place a syntax error where the user must edit.

    An unterminated quote or flow collection is reported by PyYAML at the end of the file; the
    line to fix is where it started (the error's context mark). So is text where a mapping needs
    a key (a line that lost its ``:``, shell commands pasted after the manifest): the parser
    notices it only at the next token, lines later, and the text starts at the context mark.
    Other errors are placed at the problem itself (a key indented wrong is wrong where it is).
    """
    mark = err.problem_mark
    reason = err.problem or "invalid YAML"
    started = err.context_mark
    if started is not None and err.context == "while scanning a quoted scalar":
        reason = f"a quoted string is never closed ({reason})"
        mark = started
    elif started and mark and err.context in _FLOW_CONTEXTS and mark.line > started.line:
        # An unclosed [ or { is noticed lines later; the line to edit is where it opened.
        reason = f"this {_FLOW_CONTEXTS[err.context]} is never closed ({reason})"
        mark = started
    elif started and mark and err.context == "while scanning a simple key":
        noticed = _within(text, mark.line + 1, mark.column + 1)[0]
        by = f" by line {noticed}" if noticed > started.line + 2 else ""
        reason = f"text that is not a `key: value` starts here ({reason}{by})"
        mark = started
    elif mark is None:
        mark = started
    elif text[mark.index : mark.index + 1] == "\t":
        reason = "a tab character cannot indent YAML; use spaces"
    line, column = _within(text, mark.line + 1, mark.column + 1) if mark else (1, 1)
    if "maximum nesting depth" in reason:  # libyaml's own bound (1000 levels)
        return LoadProblem("too-large", "YAML nested too deeply to read", line, column)
    placeholder = _brace_placeholder(_line(text, line))
    if placeholder is not None:
        # `image_prefix: {dockerId}/{imagePrefix}-` (field test 21a): a template whose
        # placeholders a script fills in; the file is YAML only once it has.
        reason += (
            f" (`{placeholder}` looks like a placeholder that a script fills in before the file is "
            "applied: check the file once filled in, or quote the value)"
        )
    return LoadProblem("parse-error", f"invalid YAML: {reason}", line, column)


def _brace_placeholder(line: str) -> str | None:
    """A ``{name}`` placeholder written unquoted as (the start of) a value on ``line``, which
    YAML reads as a flow mapping: what template scripts (`sed`, Python's ``str.format``) fill."""
    if "{" not in line:
        return None
    found = _brace_value().search(line)
    return found.group(1) if found else None


@cache
def _brace_value() -> re.Pattern[str]:
    return re.compile(r"(?:^|[:\-]\s)\s*(\{[A-Za-z_][A-Za-z0-9_.]*\})(?!\s*[,}])")


def to_plain(value: Any) -> Any:
    """A copy made of plain ``dict``/``list`` (for dumping and for mutation)."""
    # Scalars (most of a tree) are taken as they are, without a call each.
    if isinstance(value, dict):
        return {k: to_plain(v) if isinstance(v, (dict, list)) else v for k, v in value.items()}
    if isinstance(value, list):
        return [to_plain(v) if isinstance(v, (dict, list)) else v for v in value]
    return value
