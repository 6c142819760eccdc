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

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # libyaml is ~10x faster; fall back to pure Python where it is missing.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Pos = tuple[int, int]

#: More nodes than this after alias expansion is refused ("billion laughs").
MAX_EXPANDED_NODES = 2_000_000
#: Deeper nesting than this is refused: no real manifest comes close.
MAX_DEPTH = 200

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
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
#: A Helm template action that names chart data: in a values file Helm does not render it.
_HELM_ACTION = re.compile(
    r"\{\{-?\s*(?:\$?\.(?:Values|Release|Chart|Capabilities|Files|Template)\b"
    r"|(?:include|tpl|template|toYaml|required|default)\s)"
)
HELM_TEMPLATE_IN_YAML = (
    "Helm template syntax ({{ … }}) is not YAML: lint the rendered output "
    "(helm template … | nblint check -)"
)
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_SCALAR_CONSTRUCTORS = yaml.constructor.SafeConstructor.yaml_constructors
_TEXT_TAGS = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary", "tag:yaml.org,2002:value"}


class YMap(dict[Any, Any]):
    """A mapping with the position of itself, of each key and of each value."""

    __slots__ = ("key_pos", "pos")

    def __init__(self, pos: Pos = (0, 0)) -> None:
        super().__init__()
        self.pos = pos
        self.key_pos: dict[Any, Pos] = {}


class YList(list[Any]):
    """A sequence with the position of itself and of each item."""

    __slots__ = ("item_pos", "pos")

    def __init__(self, pos: Pos = (0, 0)) -> None:
        super().__init__()
        self.pos = pos
        self.item_pos: list[Pos] = []


@dataclass
class LoadProblem:
    """Something in the input that stops (part of) it from being read as intended."""

    #: parse-error | duplicate-key | unsafe-tag | too-large | recursive-alias | helm-template |
    #: sops-encrypted | not-a-mapping | empty-file | unreadable (the pipeline maps each to a rule)
    kind: str
    message: str
    line: int
    column: int


@dataclass
class Document:
    index: int
    root: Any
    line: int  # where the document starts
    problems: list[LoadProblem] = field(default_factory=list)


def _pos(node: yaml.Node) -> Pos:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self) -> None:
        self.problems: list[LoadProblem] = []
        self._built: dict[int, Any] = {}
        self._sizes: dict[int, int] = {}
        self._in_progress: set[int] = set()
        self._budget = MAX_EXPANDED_NODES

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        if node.__class__ is yaml.ScalarNode:
            # Most nodes: no memo needed, an alias to a scalar is charged like a copy.
            self._budget -= 1
            if self._budget < 0:
                self._charge(0)
            if depth > MAX_DEPTH:
                raise _Refused("too-large", f"nesting deeper than {MAX_DEPTH} levels", node)
            return self._scalar(node)
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
            value: Any
            if isinstance(node, yaml.MappingNode):
                value = self._mapping(node, depth)
            elif isinstance(node, yaml.SequenceNode):
                value = self._sequence(node, depth)
            else:
                assert isinstance(node, yaml.ScalarNode)
                value = self._scalar(node)
        finally:
            self._in_progress.discard(key)
        self._built[key] = value
        self._sizes[key] = before - self._budget
        return value

    def _charge(self, count: int) -> None:
        self._budget -= count
        if self._budget < 0:
            raise _Refused("too-large", "more than 2,000,000 nodes after alias expansion", None)

    def _check_tag(self, node: yaml.Node, allowed: set[str]) -> None:
        if node.tag not in allowed:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise _Refused(
                "unsafe-tag", f"YAML tag {tag} is refused (only plain data is read)", node
            )

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag != _STR:
            self._check_tag(node, _SAFE_SCALAR_TAGS)
        if tag == _STR or tag in _TEXT_TAGS:
            if "{{" in node.value and _HELM_ACTION.search(node.value):
                self.problems.append(
                    LoadProblem(
                        "helm-template",
                        f"Helm template {_clip(node.value)!r} in a values file: Helm passes "
                        "values on as written (only a chart's tpl renders them), so nblint checks "
                        "the literal text",
                        *_pos(node),
                    )
                )
            return node.value
        return _SCALAR_CONSTRUCTORS[node.tag](_CONSTRUCTOR, node)

    def _sequence(self, node: yaml.SequenceNode, depth: int) -> YList:
        self._check_tag(node, {_SEQ})
        out = YList(_pos(node))
        for item in node.value:
            out.append(self.build(item, depth + 1))
            mark = item.start_mark
            out.item_pos.append((mark.line + 1, mark.column + 1))
        return out

    def _mapping(self, node: yaml.MappingNode, depth: int) -> YMap:
        self._check_tag(node, {_MAP})
        out = YMap(_pos(node))
        merged: list[tuple[Any, Any, Pos]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.extend(self._merge_sources(value_node, depth))
                continue
            key = self.build(key_node, depth + 1)
            if isinstance(key, (dict, list)):
                raise _Refused("parse-error", "a mapping or list cannot be a mapping key", key_node)
            if key in out.key_pos:
                first = out.key_pos[key]
                self.problems.append(
                    LoadProblem(
                        "duplicate-key",
                        f"duplicate key {key!r} (first at line {first[0]}); "
                        "the last one wins here, but Kubernetes and Helm may disagree",
                        *_pos(key_node),
                    )
                )
            out[key] = self.build(value_node, depth + 1)
            mark = key_node.start_mark
            out.key_pos[key] = (mark.line + 1, mark.column + 1)
        # Merge keys (``<<: *anchor``) fill in only what the mapping does not set itself.
        for key, value, kpos in merged:
            if key not in out:
                out[key] = value
                out.key_pos[key] = kpos
        return out

    def _merge_sources(self, node: yaml.Node, depth: int) -> list[tuple[Any, Any, Pos]]:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        entries: list[tuple[Any, Any, Pos]] = []
        for source in sources:
            built = self.build(source, depth + 1)
            if not isinstance(built, YMap):
                raise _Refused("parse-error", "a merge key (<<) must refer to a mapping", source)
            for key, value in built.items():
                entries.append((key, value, built.key_pos[key]))
        return entries


class _Refused(Exception):
    def __init__(self, kind: str, message: str, node: yaml.Node | None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.pos = _pos(node) if node is not None else (1, 1)


def parse_documents(text: str) -> tuple[list[Document], list[LoadProblem]]:
    """Every document of ``text``, and the problems that stopped any from being read.

    Documents before a syntax error are kept; a refused document (unsafe tag, alias bomb) is
    dropped while the others are kept.
    """
    documents: list[Document] = []
    problems: list[LoadProblem] = []
    loader = _Loader(text)
    index = 0
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                break
            builder = _Builder()
            try:
                root = builder.build(node)
            except _Refused as refused:
                problems.append(
                    _helm_problem(text, LoadProblem(refused.kind, refused.message, *refused.pos))
                )
            else:
                encrypted = _sops_problem(root)
                if encrypted is not None:
                    problems.append(encrypted)
                else:
                    if not isinstance(root, dict) and root is not None:
                        builder.problems.append(_not_a_mapping(root, index, _pos(node)))
                    documents.append(Document(index, root, _pos(node)[0], builder.problems))
            index += 1
    except yaml.MarkedYAMLError as err:
        problems.append(_helm_problem(text, _syntax_problem(err, text)))
    except yaml.YAMLError as err:
        problems.append(LoadProblem("parse-error", f"invalid YAML: {err}", 1, 1))
    except RecursionError:
        problems.append(LoadProblem("too-large", "YAML nested too deeply to read", 1, 1))
    finally:
        loader.dispose()
    return documents, problems


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _helm_problem(text: str, problem: LoadProblem) -> LoadProblem:
    """A read failure caused by Helm template syntax is reported as such, at its ``{{``.

    Unquoted ``{{ .Values.x }}`` is a YAML flow mapping (or a syntax error), so chart templates
    fail to read; saying "Helm template" is more useful than the parser's complaint. The failure
    is blamed on templating when its own line holds ``{{``, or when some line is a template
    action on its own (``{{- if .Values.x }}``).
    """
    if problem.kind != "parse-error" or "{{" not in text:
        return problem
    lines = text.splitlines()
    own = lines[problem.line - 1] if 0 < problem.line <= len(lines) else ""
    if "{{" in own and not own.lstrip().startswith("#"):
        column = own.index("{{") + 1
        return LoadProblem("helm-template", HELM_TEMPLATE_IN_YAML, problem.line, column)
    for number, line in enumerate(lines, 1):
        if line.lstrip().startswith("{{"):
            column = line.index("{{") + 1
            return LoadProblem("helm-template", HELM_TEMPLATE_IN_YAML, number, column)
    return problem


def _sops_problem(root: Any) -> LoadProblem | None:
    """A sops-encrypted document: its values are ciphertext, so it is reported, not checked."""
    metadata = root.get("sops") if isinstance(root, YMap) else None
    if not isinstance(metadata, dict) or "mac" not in metadata:
        return None
    return LoadProblem(
        "sops-encrypted",
        "sops-encrypted document: its values are ciphertext and were not checked; "
        "lint the decrypted values (sops -d FILE | nblint check -)",
        *root.key_pos["sops"],
    )


def _not_a_mapping(root: Any, index: int, pos: Pos) -> LoadProblem:
    what = "a list" if isinstance(root, list) else f"a single value ({_clip(repr(root), 40)})"
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
    lines = text.splitlines() or [""]
    if line > len(lines):
        return len(lines), len(lines[-1]) + 1
    return line, column


def _syntax_problem(err: yaml.MarkedYAMLError, text: str) -> LoadProblem:
    """Place a syntax error where the user must edit.

    An unterminated quote or flow collection is reported by PyYAML at the end of the file; the
    line to fix is where it started (the error's context mark). Other errors are placed at the
    problem itself.
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
    elif mark is None:
        mark = started
    elif text[mark.index : mark.index + 1] == "\t":
        reason = "a tab character cannot indent YAML; use spaces"
    line, column = _within(text, mark.line + 1, mark.column + 1) if mark else (1, 1)
    if "maximum nesting depth" in reason:  # libyaml's own bound (1000 levels)
        return LoadProblem("too-large", "YAML nested too deeply to read", line, column)
    return LoadProblem("parse-error", f"invalid YAML: {reason}", line, column)


def to_plain(value: Any) -> Any:
    """A copy made of plain ``dict``/``list`` (for dumping and for mutation)."""
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    return value
