"""``hub.extraConfig``: the settings nblint can read in it without running it.

The hub executes each snippet (in key order) after the chart's configuration and ``hub.config``.
nblint never executes input. It parses each snippet into a Python syntax tree (``ast.parse``
builds the tree only) and reads the statements that are plain literal assignments to a
configuration trait, ``c.<Class>.<trait> = <literal>`` (strings, numbers, booleans, None, and
lists, tuples, sets and dicts of them, evaluated by ``ast.literal_eval``). Those are applied as the
hub applies them, with their own line as provenance. Docstrings and imports change nothing.
Anything else (a loop, a function, ``c.KubeSpawner.volumes.append(…)``, a value computed from
a name) is a statement nblint does not read, and the pods are drawn as if it changed nothing.
Where such a statement sets or changes a spawner trait (``c.KubeSpawner.uid = 0`` under an ``if``,
in a function, ``c.KubeSpawner.volumes.append(…)``) nblint names each of those places
(:attr:`ExtraConfig.unapplied`): the pods may differ from the ones it drew there; the caveat
finding covers the rest.
"""

from __future__ import annotations

from nblint.dialects.z2jh.helm import key_text
from nblint.model.pod import CodeLine as CodeLine  # a line of a snippet, in a values path
from nblint.model.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    import ast
    from typing import Any

#: A snippet longer than this is not parsed, and is said so (:attr:`ExtraConfig.too_long`):
#: parsing is the one cost that grows with the input here (about a second a megabyte), and no
#: release can hold a longer one: the chart puts every value into the hub's Secret, and the API
#: server refuses a Secret of more than 1 MiB (1,048,576 bytes; a character is a byte or more).
LONGEST_SNIPPET = 1_048_576


class _InSnippet(Record):
    """A place in ``hub.extraConfig`` code: line ``line`` of snippet ``snippet``."""

    __slots__ = ()
    snippet: Any
    line: int

    @property
    def path(self) -> tuple[Any, ...]:
        """The values path of the line, for provenance."""
        return ("hub", "extraConfig", self.snippet, CodeLine(self.line))


class Assignment(_InSnippet):
    """``c.<section>.<trait> = <value>`` at ``line`` of snippet ``snippet``."""

    __slots__ = ("line", "section", "snippet", "trait", "value")

    def __init__(self, section: str, trait: str, value: Any, snippet: Any, line: int) -> None:
        self.section = section
        self.trait = trait
        self.value = value
        #: The snippet's key, as written.
        self.snippet = snippet
        self.line = line


class TraitWrite(_InSnippet):
    """A place in a statement nblint did not read that sets or changes ``c.<section>.<trait>``
    (a spawner's): at ``line`` of snippet ``snippet``, in the top-level statement at line
    ``statement``; ``how`` says why nblint did not apply it (``inside an `if```), ``text`` is the
    place's first line as written."""

    __slots__ = ("how", "line", "section", "snippet", "statement", "text", "trait")

    def __init__(
        self,
        section: str,
        trait: str,
        snippet: Any,
        line: int,
        statement: int,
        how: str,
        text: str,
    ) -> None:
        self.section = section
        self.trait = trait
        self.snippet = snippet
        self.line = line
        self.statement = statement
        self.how = how
        self.text = text


class ExtraConfig(Record):
    """What nblint read from every snippet, in the order the hub runs them."""

    __slots__ = (
        "assignments",
        "broken",
        "pod_hooks",
        "root_user",
        "too_long",
        "unapplied",
        "unread",
        "unread_at",
        "unread_targets",
    )

    def __init__(
        self,
        assignments: list[Assignment] | None = None,
        unread: list[tuple[Any, int]] | None = None,
        broken: list[tuple[Any, int, str]] | None = None,
        unread_targets: set[tuple[str, str]] | None = None,
        pod_hooks: list[tuple[str, Any, int]] | None = None,
        too_long: list[tuple[Any, int]] | None = None,
    ) -> None:
        self.assignments: list[Assignment] = [] if assignments is None else assignments
        #: ``(snippet, line)`` of each statement nblint did not read.
        self.unread: list[tuple[Any, int]] = [] if unread is None else unread
        #: ``(snippet, line, why)`` of snippets that are not Python the hub can run (it stops
        #: there).
        self.broken: list[tuple[Any, int, str]] = [] if broken is None else broken
        #: ``(section, trait)`` that a statement nblint did not read assigns.
        self.unread_targets: set[tuple[str, str]] = (
            set() if unread_targets is None else unread_targets
        )
        #: ``(c.Section.trait, snippet, line)`` of each statement nblint did not read that sets
        #: a hook the spawner runs on every spawn (:data:`POD_HOOKS`).
        self.pod_hooks: list[tuple[str, Any, int]] = [] if pod_hooks is None else pod_hooks
        #: ``(snippet, length)`` of each snippet longer than :data:`LONGEST_SNIPPET`, not read at
        #: all (its statements are in no other list).
        self.too_long: list[tuple[Any, int]] = [] if too_long is None else too_long
        #: ``(snippet, line, text)`` of each place in a statement nblint did not read that sets
        #: the user to uid 0 (:func:`_root_user`): a hook's ``run_as_user=0``, a trait set to 0
        #: inside a condition. nblint does not know when it runs, only that it may.
        self.root_user: list[tuple[Any, int, str]] = []
        #: Each place a statement nblint did not read sets or changes a spawner trait (not a pod
        #: hook's, which :attr:`pod_hooks` holds), in snippet order.
        self.unapplied: list[TraitWrite] = []
        #: ``(section, trait) → (snippet, line)``: the first statement nblint did not read that
        #: assigns it (of :attr:`unread_targets`).
        self.unread_at: dict[tuple[str, str], tuple[Any, int]] = {}

    def of(self, section: str) -> list[Assignment]:
        return [a for a in self.assignments if a.section == section]

    def last(self, section: str, trait: str) -> Assignment | None:
        found = [a for a in self.assignments if (a.section, a.trait) == (section, trait)]
        return found[-1] if found else None


#: Spawner traits that hold code run at every spawn and can change the user pod: KubeSpawner's
#: ``modify_pod_hook`` gets the pod it built and returns the one created; ``pre_spawn_hook``
#: runs before it, on the spawner's own settings.
POD_HOOKS = frozenset(
    (section, trait)
    for section in ("KubeSpawner", "Spawner")
    for trait in ("modify_pod_hook", "pre_spawn_hook")
)
#: The hub's spawner class given as code (a class object, not a name nblint reads): a spawner of
#: the team's own builds the user pods, as a hook changes them.
SPAWNER_CLASS = ("JupyterHub", "spawner_class")


def read(snippets: Any) -> ExtraConfig:
    """What the ``hub.extraConfig`` mapping sets, read without running it."""
    out = ExtraConfig()
    if not isinstance(snippets, dict):
        return out
    # The hub runs them sorted by name (the names as text: JSON keys).
    for name in sorted(snippets, key=key_text):
        code = snippets[name]
        if code is None:
            continue
        _read_snippet(name, code, out)
    return out


def _read_snippet(name: Any, code: Any, out: ExtraConfig) -> None:
    # Imported here, as in the helpers below: ast costs a check of a values file without
    # extraConfig about a twentieth of its start-up.
    import ast

    if not isinstance(code, str):
        out.broken.append((name, 1, f"not Python text but {type(code).__name__}"))
        return
    if len(code) > LONGEST_SNIPPET:
        out.too_long.append((name, len(code)))
        return
    try:
        tree = ast.parse(code, mode="exec")
    except SyntaxError as err:
        out.broken.append((name, err.lineno or 1, err.msg))
        return
    except (ValueError, RecursionError, MemoryError) as err:  # NUL bytes, absurd nesting
        out.broken.append((name, 1, type(err).__name__))
        return
    for statement in tree.body:
        found = _assignment(statement, name)
        if found is not None:
            out.assignments.append(found)
        elif not _inert(statement):
            out.unread.append((name, statement.lineno))
            out.root_user.extend((name, line, text) for line, text in _root_user(statement, code))
            out.unapplied.extend(_trait_writes(statement, name, code))
            for target in _assigned_traits(statement):
                out.unread_targets.add(target)
                out.unread_at.setdefault(target, (name, statement.lineno))
                if target in POD_HOOKS or (
                    target == SPAWNER_CLASS and not _names_kubespawner(statement)
                ):
                    out.pod_hooks.append((f"c.{target[0]}.{target[1]}", name, statement.lineno))


#: Names under which code gives a container or pod its user: the Kubernetes client's
#: ``V1SecurityContext(run_as_user=…)``, a manifest's ``runAsUser``, KubeSpawner's ``uid``.
_USER_KEYWORDS = frozenset(("run_as_user", "runAsUser"))
_USER_ATTRIBUTES = frozenset(("run_as_user", "uid"))


def _root_user(statement: ast.stmt, code: str) -> list[tuple[int, str]]:
    """``(line, text)`` of each place in ``statement`` that sets a user to the literal 0:
    ``run_as_user=0`` (a keyword), ``{"runAsUser": 0}`` (a dict), ``….run_as_user = 0``,
    ``….uid = 0`` (``c.KubeSpawner.uid``, ``spawner.uid``) or ``…["runAsUser"] = 0``."""
    import ast

    def zero(node: ast.expr | None) -> bool:
        return isinstance(node, ast.Constant) and type(node.value) is int and node.value == 0

    found: list[tuple[int, str]] = []
    for node in ast.walk(statement):
        if isinstance(node, ast.keyword):
            if node.arg in _USER_KEYWORDS and zero(node.value):
                found.append((node.lineno, f"{node.arg}=0"))
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=False):
                if isinstance(key, ast.Constant) and key.value in _USER_KEYWORDS and zero(value):
                    found.append((key.lineno, f"{key.value!r}: 0"))
        elif isinstance(node, ast.Assign) and zero(node.value):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr in _USER_ATTRIBUTES:
                    pass
                elif not (
                    isinstance(target, ast.Subscript)
                    and isinstance(target.slice, ast.Constant)
                    and target.slice.value in _USER_KEYWORDS
                ):
                    continue
                text = ast.get_source_segment(code, node) or "= 0"
                found.append((node.lineno, text.splitlines()[0][:80]))
    return sorted(found)


def _names_kubespawner(statement: ast.stmt) -> bool:
    """Whether ``statement`` assigns the KubeSpawner class itself (``= KubeSpawner``,
    ``= kubespawner.KubeSpawner``): the pods are KubeSpawner's, as nblint draws them."""
    import ast

    value = getattr(statement, "value", None)
    name = value.attr if isinstance(value, ast.Attribute) else getattr(value, "id", None)
    return name == "KubeSpawner"


def _assignment(statement: ast.stmt, snippet: str) -> Assignment | None:
    import ast

    if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
        return None
    target = _trait_target(statement.targets[0])
    if target is None:
        return None
    try:
        value = ast.literal_eval(statement.value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
    return Assignment(target[0], target[1], _plain(value), snippet, statement.lineno)


def _trait_target(node: ast.expr) -> tuple[str, str] | None:
    """``c.Section.trait`` → ``("Section", "trait")``."""
    import ast

    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Attribute)
        and isinstance(node.value.value, ast.Name)
        and node.value.value.id == "c"
    ):
        return node.value.attr, node.attr
    return None


def _assigned_traits(statement: ast.stmt) -> list[tuple[str, str]]:
    """Every ``c.Section.trait`` a statement nblint does not read assigns (anywhere in it)."""
    import ast

    found = []
    for node in ast.walk(statement):
        for target in _targets(node):
            trait = _trait_target(target)
            if trait is not None:
                found.append(trait)
    return found


def _targets(node: ast.AST) -> list[ast.expr]:
    """What statement ``node`` assigns to (``a = b = …``, ``a += …``, ``a: T = …``); none for
    any other node."""
    import ast

    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        return [node.target]
    return []


#: The sections whose traits build the user pods.
_SPAWNER_SECTIONS = frozenset(("KubeSpawner", "Spawner"))
#: Methods that change a list, dict or set trait in place (``c.KubeSpawner.volumes.append``).
_MUTATORS = frozenset(
    ("append", "extend", "insert", "update", "setdefault", "pop", "remove", "clear", "add")
)
#: Why nblint did not apply a trait set in these blocks (the outermost one is named).
_BLOCKS = {
    "If": "inside an `if`",
    "For": "inside a `for` loop",
    "AsyncFor": "inside a `for` loop",
    "While": "inside a `while` loop",
    "With": "inside a `with` block",
    "AsyncWith": "inside a `with` block",
    "Try": "inside a `try`",
    "TryStar": "inside a `try`",
    "Match": "inside a `match`",
    "IfExp": "in a conditional expression",
}


def _trait_writes(statement: ast.stmt, snippet: Any, code: str) -> list[TraitWrite]:
    """Every place in ``statement`` (which nblint did not read) that sets or changes a spawner
    trait: an assignment to ``c.Spawner.X`` or ``c.KubeSpawner.X`` (``=``, ``+=``), to an item of
    one (``c.KubeSpawner.environment["A"] = …``), or a call that changes one in place
    (``.append(…)``, ``.update(…)``). A function's body runs only when it is called; a block
    (``if``, ``for``, ``with``, ``try``…) only when its condition says so: the outermost one is
    what ``how`` names, a function before any block."""
    import ast

    found: list[TraitWrite] = []

    def trait_of(node: ast.expr) -> tuple[str, str] | None:
        if isinstance(node, ast.Subscript):
            node = node.value
        target = _trait_target(node)
        if target is None or target[0] not in _SPAWNER_SECTIONS or target in POD_HOOKS:
            return None
        return target

    def add(node: ast.AST, target: tuple[str, str], how: str) -> None:
        text = ast.get_source_segment(code, node) or f"c.{target[0]}.{target[1]}"
        line = getattr(node, "lineno", statement.lineno)
        found.append(
            TraitWrite(
                target[0],
                target[1],
                snippet,
                line,
                statement.lineno,
                how,
                text.splitlines()[0][:80],
            )
        )

    def visit(node: ast.AST, how: str | None) -> None:
        kind = type(node).__name__
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            name = getattr(node, "name", None)
            how = (
                f"in the body of function `{name}`, which runs only when something calls it"
                if name
                else "in a lambda, which runs only when something calls it"
            )
        elif isinstance(node, ast.ClassDef):
            how = how or f"in the body of class `{node.name}`"
        elif kind in _BLOCKS and how is None:
            how = _BLOCKS[kind]
        for target in _targets(node):
            trait = trait_of(target)
            if trait is not None:
                add(node, trait, how or _top_level_how(node, target))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _MUTATORS
        ):
            trait = trait_of(node.func.value)
            if trait is not None:
                add(node, trait, how or f"by `.{node.func.attr}(…)`, which changes it in place")
        for child in ast.iter_child_nodes(node):
            visit(child, how)

    visit(statement, None)
    return found


def _top_level_how(node: ast.AST, target: ast.expr) -> str:
    """Why nblint did not apply a trait a top-level statement sets."""
    import ast

    if isinstance(target, ast.Subscript):
        return "by item assignment, which changes it in place"
    if isinstance(node, ast.AugAssign):
        return "by an augmented assignment, which changes it in place"
    if isinstance(node, ast.Assign) and len(node.targets) > 1:
        return "in a chained assignment, which nblint does not read"
    return "to a value nblint does not evaluate (it reads literals only)"


def _inert(statement: ast.stmt) -> bool:
    """Statements that set nothing: a docstring, ``pass``, an import."""
    import ast

    if isinstance(statement, (ast.Pass, ast.Import, ast.ImportFrom)):
        return True
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)


def _plain(value: Any) -> Any:
    """A literal as configuration holds it: tuples and sets as lists (traitlets' List and Set
    accept either; nblint's trees are lists)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(item) for item in value), key=repr)
    return value
