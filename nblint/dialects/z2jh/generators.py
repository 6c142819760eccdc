"""The ConfigMaps and Secrets a kustomization generates (``configMapGenerator``,
``secretGenerator``), read as the objects a Flux HelmRelease's ``spec.valuesFrom`` takes values
from (:mod:`.values_from`): a values file that a generator packs is that object's key.

kustomize (``api/types/generatorargs.go``, ``kv.go``): each entry builds one object named
``name`` (a hash of its content is appended unless ``generatorOptions`` or the entry's
``options`` say ``disableNameSuffixHash: true``; kustomize rewrites the references it knows to the
new name, and those of a custom resource such as a HelmRelease's ``valuesFrom`` through a
``nameReference`` configuration: nblint matches the name as written). Its keys:

* ``files``: ``key=path`` (the file's text at ``key``) or ``path`` (at the file's base name), the
  path relative to the kustomization (nblint reads a YAML or JSON file only: :func:`is_read`);
* ``literals``: ``key=value``, the value as written (one pair of enclosing quotes removed);
* ``envs`` (and the deprecated ``env``): files of ``key=value`` lines, which nblint does not
  read.

The object is in the entry's ``namespace``, else the kustomization's ``namespace:``. ``behavior``
(``create`` by default) ``merge`` or ``replace`` changes the object of that name an overlay's base
generates: ``merge`` keeps the base's keys its entry does not write, ``replace`` drops them.
A Secret's ``files`` and ``literals`` hold text (kustomize base64-encodes it in ``data``).

Imported only for a document that holds a generator (:func:`has_generators`).
"""

from __future__ import annotations

from nblint.model.pod import Path
from nblint.model.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The generator fields of a kustomization, and the kind each builds.
FIELDS = (("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret"))
#: The kustomization group (``kind`` and ``apiVersion`` are optional in one).
GROUP = "kustomize.config.k8s.io/"


def has_generators(document: Any) -> bool:
    """Whether ``document`` is a kustomization with a ConfigMap or Secret generator (cheap)."""
    if not isinstance(document, dict) or not (
        isinstance(document.get("configMapGenerator"), list)
        or isinstance(document.get("secretGenerator"), list)
    ):
        return False
    kind, api = document.get("kind"), document.get("apiVersion")
    return kind in (None, "Kustomization", "Component") and (
        api is None or (isinstance(api, str) and api.startswith(GROUP))
    )


class PackedFile(Record):
    """One ``files`` entry: the key it is packed at, the path as written, and where."""

    __slots__ = ("key", "path", "written")

    def __init__(self, key: str, written: str, path: Path) -> None:
        self.key = key
        self.written = written
        self.path = path


class Generated(Record):
    """One generator entry: the object it builds, and where its data comes from."""

    __slots__ = ("behavior", "envs", "files", "kind", "literals", "name", "namespace", "path")

    def __init__(
        self,
        kind: str,
        name: str,
        namespace: str | None,
        behavior: str,
        path: Path,
        files: list[PackedFile],
        literals: list[tuple[str, str, Path]],
        envs: bool,
    ) -> None:
        self.kind = kind
        self.name = name
        self.namespace = namespace
        #: ``create``, ``merge`` or ``replace``.
        self.behavior = behavior
        #: The entry's path in the kustomization (``configMapGenerator.1``).
        self.path = path
        self.files = files
        #: ``(key, value, path of the literal)``.
        self.literals = literals
        #: Whether it also reads env files (keys nblint does not know).
        self.envs = envs


def generated(document: Any) -> list[Generated]:
    """Every ConfigMap and Secret the kustomization ``document`` generates, in its order
    (entries with no name left out: kustomize refuses them)."""
    if not has_generators(document):
        return []
    own_namespace = _text(document.get("namespace"))
    found: list[Generated] = []
    for field, kind in FIELDS:
        entries = document.get(field)
        for i, entry in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(entry, dict) or _text(entry.get("name")) is None:
                continue
            where: Path = (field, i)
            behavior = _text(entry.get("behavior")) or "create"
            packed: list[PackedFile] = []
            written = entry.get("files")
            for j, source in enumerate(written if isinstance(written, list) else []):
                text = _text(source)
                if text is None:
                    continue
                if text.count("=") > 1:
                    continue  # kustomize refuses it
                key, _, path = text.partition("=") if "=" in text else ("", "", text)
                key = key if "=" in text else path.rstrip("/").rsplit("/", 1)[-1]
                if key and path:
                    packed.append(PackedFile(key, path, (*where, "files", j)))
            literals: list[tuple[str, str, Path]] = []
            given = entry.get("literals")
            for j, literal in enumerate(given if isinstance(given, list) else []):
                if not isinstance(literal, str) or "=" not in literal:
                    continue
                key, value = literal.split("=", 1)
                if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                    value = value[1:-1]
                literals.append((key.strip(), value, (*where, "literals", j)))
            found.append(
                Generated(
                    kind,
                    str(entry["name"]).strip(),
                    _text(entry.get("namespace")) or own_namespace,
                    behavior,
                    where,
                    packed,
                    literals,
                    bool(entry.get("envs") or entry.get("env")),
                )
            )
    return found


#: The packed files nblint reads: YAML (a generator packs images and HTML pages as often).
READ_SUFFIXES = (".yaml", ".yml", ".json")


def is_read(written: str) -> bool:
    """Whether nblint reads the packed file ``written`` (a YAML or JSON file's name)."""
    return written.lower().endswith(READ_SUFFIXES)


def references(document: Any) -> tuple[str, ...]:
    """The YAML files (relative to the kustomization) its generators pack: the run reads those
    beside it (``Dialect.references``)."""
    return tuple(
        dict.fromkeys(
            f.written for entry in generated(document) for f in entry.files if is_read(f.written)
        )
    )


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None
