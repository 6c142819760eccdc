"""Fix hints that are one edit, merged: several rules firing at one key (the notebook's
``container_security_context``) each suggest a snippet under the same parent, and the user makes
one edit, not four.

Snippets merge only when that is safe to read as one: each is a YAML mapping, the snippets share
their first key, and no key gets two different values. Lists of mappings merge item by item by
``name`` and ``mountPath``, as a strategic merge patch does for containers and mounts (two
items that share one of these but not the other clash); other lists must be equal. The
snippets are merged line by line, so that the comments the hints carry (``# whole pod (or a
profile's kubespawner_override)``) stay on their keys; the result is kept only when it parses to
exactly what merging the parsed snippets gives. Anything else is shown as it was written.
"""

from __future__ import annotations

import yaml

from nblint.model.edit import comment_at

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: List items with one of these keys merge by it (containers and volumes, mounts).
_MERGE_KEYS = ("name", "mountPath")


class _Conflict(Exception):
    """Two snippets set one key to different values: they are not one edit."""


def merge(snippets: list[str]) -> list[tuple[str, list[int]]]:
    """``snippets`` merged where they are one edit: ``(text, indices of the snippets in it)``,
    in the order of their first snippet. A snippet that merges with none is returned as is."""
    groups: list[_Group] = []
    out: list[tuple[str, list[int]]] = []
    for index, snippet in enumerate(snippets):
        parsed = _parse(snippet)
        if parsed is None:
            out.append((snippet, [index]))
            continue
        for group in groups:
            if group.take(index, snippet, parsed):
                break
        else:
            groups.append(_Group([index], [snippet], parsed, _tree(snippet)))
    out.extend((group.text(), group.indices) for group in groups)
    return sorted(out, key=lambda item: item[1][0])


class _Group:
    """Snippets merged so far (their indices and texts), as one value and, while their lines
    merge too, as one tree of lines."""

    __slots__ = ("indices", "lines", "texts", "value")

    def __init__(
        self, indices: list[int], texts: list[str], value: dict[str, Any], lines: _Node | None
    ) -> None:
        self.indices = indices
        self.texts = texts
        self.value = value
        self.lines = lines

    def take(self, index: int, snippet: str, value: dict[str, Any]) -> bool:
        if next(iter(self.value)) != next(iter(value)):
            return False
        try:
            combined = _merged(self.value, value)
        except _Conflict:
            return False
        lines = None
        other = _tree(snippet)
        if self.lines is not None and other is not None:
            try:
                lines = _merged_lines(self.lines, other)
            except _Conflict:
                lines = None
        if lines is not None and _load(lines.render()) != combined:
            lines = None  # the line merge misread something: fall back to the values
        if lines is None and any(_inner_comment(text) for text in [*self.texts, snippet]):
            return False  # merged without its comments, a hint would lose what they say
        self.indices.append(index)
        self.texts.append(snippet)
        self.value, self.lines = combined, lines
        return True

    def text(self) -> str:
        if len(self.texts) == 1:
            return self.texts[0]
        if self.lines is not None:
            return self.lines.render()
        comments = [line for text in self.texts for line in _leading_comments(text)]
        return "\n".join([*dict.fromkeys(comments), _dump(self.value)])


def _parse(snippet: str) -> dict[str, Any] | None:
    """The mapping a snippet holds, or None (a one-line hint is a sentence more often than a
    mapping)."""
    if len(snippet.strip("\n").splitlines()) < 2:
        return None
    value = _load(snippet)
    return value if isinstance(value, dict) and value else None


def _load(text: str) -> Any:
    # The C parser: a folded report parses every hint of every place it merges.
    try:
        return yaml.load(text, Loader=_SafeLoader)
    except yaml.YAMLError:
        return None


try:
    _SafeLoader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _SafeLoader = yaml.SafeLoader


def _leading_comments(snippet: str) -> list[str]:
    lines = snippet.strip("\n").splitlines()
    return [line.strip() for line in lines[: _first_key(lines)]]


def _first_key(lines: list[str]) -> int:
    return next((i for i, line in enumerate(lines) if not line.lstrip().startswith("#")), 0)


def _inner_comment(snippet: str) -> bool:
    """Whether a comment sits below the first key (on a key or between keys)."""
    lines = snippet.strip("\n").splitlines()
    return any("#" in line for line in lines[_first_key(lines) :])


def _merged(left: Any, right: Any) -> Any:
    if isinstance(left, dict) and isinstance(right, dict):
        out = dict(left)
        for key, value in right.items():
            out[key] = _merged(out[key], value) if key in out else value
        return out
    if isinstance(left, list) and isinstance(right, list) and left != right:
        keys = _list_keys(left + right)
        if not keys:
            raise _Conflict
        out_list = [dict(item) for item in left]
        for item in right:
            same = [i for i, old in enumerate(out_list) if any(old[k] == item[k] for k in keys)]
            if not same:
                out_list.append(item)
            elif len(same) == 1 and all(out_list[same[0]][k] == item[k] for k in keys):
                out_list[same[0]] = _merged(out_list[same[0]], item)
            else:
                raise _Conflict  # two mounts at one path, or one name for two volumes
        return out_list
    if left != right:
        raise _Conflict
    return left


def _list_keys(items: list[Any]) -> list[str]:
    """The keys that identify the items (every item has them): two items are one when they
    agree on all of them, and clash when they agree on only some."""
    if not all(isinstance(item, dict) for item in items):
        return []
    return [key for key in _MERGE_KEYS if all(key in item for item in items)]


# -- merging line by line, comments kept -----------------------------------------------------


class _Node:
    """One line of a snippet (``key: value  # comment`` or ``- name: x``), the comment lines
    above it, and the lines nested under it. (Plain classes here, not dataclasses: importing
    ``dataclasses`` costs the text report's start-up more than all of this module.)"""

    __slots__ = ("above", "children", "line")

    def __init__(
        self, line: str = "", above: list[str] | None = None, children: list[_Node] | None = None
    ) -> None:
        self.line = line
        self.above = [] if above is None else above
        self.children = [] if children is None else children

    @property
    def indent(self) -> int:
        return len(self.line) - len(self.line.lstrip(" "))

    @property
    def key(self) -> str:
        """What identifies the line among its siblings: the key, or a list item's first line."""
        text = _code(self.line).strip()
        if text.startswith("- "):
            return text
        return text.split(":", 1)[0]

    @property
    def value(self) -> str:
        text = _code(self.line).strip()
        return "" if text.startswith("- ") else text.split(":", 1)[1].strip()

    def render(self) -> str:
        out: list[str] = []
        self._render(out)
        return "\n".join(out)

    def _render(self, out: list[str]) -> None:
        out.extend(self.above)
        if self.line:
            out.append(self.line)
        for child in self.children:
            child._render(out)


def _code(line: str) -> str:
    """``line`` without a trailing comment (see :func:`comment_at`)."""
    at = comment_at(line)
    return line if at < 0 else line[:at].rstrip()


def _tree(snippet: str) -> _Node | None:
    """The snippet as a tree of lines by indentation, or None when a line is not a simple
    ``key: value`` or list item (a block scalar, a multi-line flow value)."""
    root = _Node()
    stack = [root]
    above: list[str] = []
    for line in snippet.strip("\n").splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            above.append(line)
            continue
        code = _code(line).strip()
        if not code.startswith("- ") and ":" not in code:
            return None
        if code.endswith(("|", ">", "|-", ">-")):
            return None
        node = _Node(line, above)
        above = []
        while len(stack) > 1 and stack[-1].indent >= node.indent:
            stack.pop()
        stack[-1].children.append(node)
        stack.append(node)
    return root if not above else None


def _merged_lines(left: _Node, right: _Node) -> _Node:
    out = _Node(left.line, [*left.above, *(c for c in right.above if c not in left.above)])
    out.children = [*left.children]
    for child in right.children:
        same = next((i for i, old in enumerate(out.children) if old.key == child.key), None)
        if same is None:
            out.children.append(child)
            continue
        old = out.children[same]
        if old.value or child.value:
            # `drop: [ALL]` here, `drop:` with an item there: one edit when they say the same.
            if _subtree(old) != _subtree(child) or _subtree(old) is None:
                raise _Conflict
            if _comment(old.line) is None and _comment(child.line) is not None:
                out.children[same] = child  # the same value, with the comment the other has
            continue
        merged = _merged_lines(old, child)
        if _comment(old.line) is None and _comment(child.line) is not None:
            merged.line = child.line  # keep the comment the other hint has on this key
        out.children[same] = merged
    return out


def _subtree(node: _Node) -> Any:
    import textwrap

    return _load(textwrap.dedent(_Node(children=[node]).render()))


def _comment(line: str) -> str | None:
    code = _code(line)
    return line[len(code) :].strip() or None


# -- writing merged values (hints without comments below their first key) --------------------


class _Dumper(yaml.SafeDumper):
    """Written as the rules write their hints: lists indented under their key, mappings in
    block style, lists of plain values on one line (``drop: [ALL]``)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _block_mapping(dumper: yaml.SafeDumper, value: dict[Any, Any]) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=False)


def _list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    plain = all(not isinstance(item, (dict, list)) for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=plain)


_Dumper.add_representer(dict, _block_mapping)
_Dumper.add_representer(list, _list)


def _dump(value: dict[str, Any]) -> str:
    return yaml.dump(
        value, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000
    ).rstrip("\n")
