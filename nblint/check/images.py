"""What the notebook-images table knows about an image reference.

``quay.io/jupyter/scipy-notebook:2024-10-07`` → the table entry for the docker-stacks images
(user jovyan, uid 1000, gid 100, HOME /home/jovyan, …), or ``None`` when the table does not know
the image: nblint then says it cannot tell instead of guessing from words such as "cuda".
"""

from __future__ import annotations

import re
from functools import lru_cache

from nblint.check import tables
from nblint.model.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class ImageRef(Record):
    """A container image reference, split as a container runtime reads it."""

    __slots__ = ("digest", "repository", "tag")

    def __init__(self, repository: str, tag: str | None, digest: str | None) -> None:
        self.repository = (
            repository  # registry/namespace/name, docker.io and library/ made explicit
        )
        self.tag = tag
        self.digest = digest


def image_name(image: Any) -> str | None:
    """``image`` as written without its tag or digest (``quay.io/x/nb:latest`` →
    ``quay.io/x/nb``): what a hint pins, the same image."""
    if not isinstance(image, str) or not image:
        return None
    image = image.split("@", 1)[0]
    colon = image.rfind(":")
    return image[:colon] if colon > image.rfind("/") else image


def parse_image(image: str) -> ImageRef:
    """Split and normalise an image reference the way a container runtime reads it."""
    digest = None
    if "@" in image:
        image, digest = image.split("@", 1)
    tag = None
    slash = image.rfind("/")
    colon = image.rfind(":")
    if colon > slash:
        image, tag = image[:colon], image[colon + 1 :]
    parts = image.split("/")
    if len(parts) == 1 or not ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = ["docker.io", *parts]
    if parts[0] == "docker.io" and len(parts) == 2:
        parts = ["docker.io", "library", parts[1]]
    return ImageRef("/".join(parts), tag, digest)


def _expand_braces(pattern: str) -> list[str]:
    match = re.search(r"\{([^{}]*)\}", pattern)
    if not match:
        return [pattern]
    out = []
    for option in match[1].split(","):
        out.extend(_expand_braces(pattern[: match.start()] + option + pattern[match.end() :]))
    return out


class Glob:
    """A compiled :func:`glob`: its alternatives without a wildcard as a set of names (most
    patterns of the tables list names: ``docker.io/{library,bitnami}/{postgres,…}``), the
    others as one regular expression, compiled only when there are any (a regex of hundreds
    of names costs more to compile than a run spends matching it)."""

    __slots__ = ("_literals", "_regex")

    def __init__(self, literals: frozenset[str], regex: re.Pattern[str] | None) -> None:
        self._literals = literals
        self._regex = regex

    def match(self, text: str) -> bool:
        """Whether the whole of ``text`` matches."""
        if text in self._literals:
            return True
        return self._regex is not None and self._regex.match(text) is not None


@lru_cache(maxsize=256)
def glob(pattern: str) -> Glob:
    """Shell-style glob with ``{a,b}``; ``*`` stays within a path segment, ``**`` does not."""
    literals = set()
    alternatives = []
    for expanded in _expand_braces(pattern):
        if "*" not in expanded and "?" not in expanded:
            literals.add(expanded)
            continue
        regex = ""
        i = 0
        while i < len(expanded):
            if expanded.startswith("**", i):
                regex, i = regex + ".*", i + 2
            elif expanded[i] == "*":
                regex, i = regex + "[^/]*", i + 1
            elif expanded[i] == "?":
                regex, i = regex + "[^/]", i + 1
            else:
                regex, i = regex + re.escape(expanded[i]), i + 1
        alternatives.append(regex)
    compiled = re.compile("(?:" + "|".join(alternatives) + r")\Z") if alternatives else None
    return Glob(frozenset(literals), compiled)


def _version(text: str) -> tuple[int, ...] | None:
    match = re.match(r"v?(\d+)\.(\d+)(?:\.(\d+))?", text)
    if not match:
        return None
    return tuple(int(part or 0) for part in match.groups())


def _tag_version_matches(constraint: str, tag: str | None) -> bool:
    version = _version(tag or "")
    match = re.fullmatch(r"(>=|<=|>|<|==)\s*v?([\d.]+)", constraint.strip())
    if version is None or not match:
        return False
    wanted = _version(match[2]) or ()
    op = match[1]
    return {
        ">=": version >= wanted,
        "<=": version <= wanted,
        ">": version > wanted,
        "<": version < wanted,
        "==": version == wanted,
    }[op]


@lru_cache(maxsize=256)
def _literal_prefixes(pattern: str) -> tuple[str, ...]:
    """What every match of ``pattern`` starts with, per alternative (up to the first wildcard)."""
    return tuple(re.split(r"[*?]", expanded, maxsplit=1)[0] for expanded in _expand_braces(pattern))


def _matches(entry: dict[str, Any], ref: ImageRef) -> bool:
    pattern = str(entry.get("pattern", ""))
    # Most entries are ruled out by their literal start, without compiling their glob.
    if not ref.repository.startswith(_literal_prefixes(pattern)):
        return False
    if not glob(pattern).match(ref.repository):
        return False
    tags = entry.get("tags")
    if tags and not (ref.tag and any(glob(t).match(ref.tag) for t in tags)):
        return False
    constraint = entry.get("tag_version")
    return not constraint or _tag_version_matches(str(constraint), ref.tag)


def release_rows(image: Any) -> list[dict[str, Any]]:
    """The table rows of :func:`versioned_family`'s family that ``image``'s repository fits,
    every release's: what they agree on holds for the image whatever release it is."""
    if not isinstance(image, str) or not image or lookup(image) is not None:
        return []
    ref = parse_image(image)
    return [
        entry
        for entry in tables.entries("notebook-images", "images")
        if entry.get("tag_version")
        and ref.repository.startswith(_literal_prefixes(str(entry.get("pattern", ""))))
        and glob(str(entry.get("pattern", ""))).match(ref.repository)
    ]


def versioned_family(image: Any) -> str | None:
    """The family of the table rows whose repository pattern ``image`` fits but which tell its
    versions apart by tag (``tag_version``) and none of which its tag fits (``latest``, no tag,
    a tag that names no version): the table knows the image, not which release it is. None
    when a row fits it, or when no row's repository does."""
    if not isinstance(image, str) or not image or lookup(image) is not None:
        return None
    ref = parse_image(image)
    for entry in tables.entries("notebook-images", "images"):
        if not entry.get("tag_version"):
            continue
        pattern = str(entry.get("pattern", ""))
        if ref.repository.startswith(_literal_prefixes(pattern)) and glob(pattern).match(
            ref.repository
        ):
            family = entry.get("family")
            return str(family) if family else None
    return None


def lookup(image: Any) -> dict[str, Any] | None:
    """The first table entry for ``image``, or None when the table cannot tell."""
    if not isinstance(image, str) or not image:
        return None
    entries = tables.entries("notebook-images", "images")
    # Several rules ask about the same image of every pod: answer each image once per table.
    memo = _memo.get(id(entries))
    if memo is None:
        _memo.clear()
        memo = _memo[id(entries)] = ({}, entries)
    answers = memo[0]
    if image not in answers:
        ref = parse_image(image)
        # A placeholder in the name (`${REGISTRY}/team/notebook`) names no image nblint knows.
        placeholder = "${" in ref.repository or "{{" in ref.repository
        answers[image] = (
            None if placeholder else next((e for e in entries if _matches(e, ref)), None)
        )
    return answers[image]


def read_only_root(image: Any, entry: dict[str, Any] | None) -> dict[str, Any] | None:
    """What a read-only root filesystem takes for ``image`` beyond volumes at its writable
    paths: the first case of its entry's ``read_only_root`` whose ``tag_version`` fits
    (``{hint: s6}`` or ``{refused: why}``), or None when the table says nothing."""
    if not isinstance(image, str) or not entry:
        return None
    tag = parse_image(image).tag
    for case in entry.get("read_only_root") or ():
        if not isinstance(case, dict):
            continue
        constraint = case.get("tag_version")
        if constraint is None or _tag_version_matches(str(constraint), tag):
            return case
    return None


#: id(table entries) → (image → entry, the entries themselves, kept alive so the id stays theirs)
_memo: dict[int, tuple[dict[str, dict[str, Any] | None], list[dict[str, Any]]]] = {}


def replacement(image: Any, entry: dict[str, Any]) -> str | None:
    """The image to suggest instead of ``image`` (whose table entry is ``entry``), by what it is:
    the entry's first ``replacement`` whose repository and tag globs fit. Only an image that a
    row of confidence ``source`` or ``derived`` describes as starting as its own user is ever
    suggested; otherwise None (nblint does not know what would do)."""
    if not isinstance(image, str):
        return None
    ref = parse_image(image)
    for option in entry.get("replacement") or ():
        if not isinstance(option, dict):
            continue
        when = option.get("when")
        if when is not None and not glob(str(when)).match(ref.repository):
            continue
        tags = option.get("tags")
        if tags is not None and not any(glob(str(t)).match(ref.tag or "") for t in tags):
            continue
        suggested = option.get("image")
        if not isinstance(suggested, str):
            return None
        suggested = suggested.replace("{name}", ref.repository.rsplit("/", 1)[-1])
        vouched = lookup(suggested)
        if vouched is None or vouched.get("confidence") == "unverified":
            return None
        if vouched.get("starts_as_root") or vouched.get("uid") in (0, None):
            return None
        return suggested
    return None


#: The facts that make two images the same kind: what a workload built around one (its ports,
#: probes, Service, volumes at HOME) needs of the other.
KIND_FACTS = ("server", "port", "home")


def kind(entry: dict[str, Any]) -> str:
    """What the image of table row ``entry`` is, in words: ``rstudio on port 8787 with HOME
    /home/rstudio``; a fact the row does not state is said to be unknown."""
    server = entry.get("server")
    port = entry.get("port")
    home = entry.get("home")
    if server is None:
        serves = "an unknown server"
    elif server == "none":
        serves = "no server"
    else:
        serves = f"{server} on port {port}" if port is not None else f"{server} on an unknown port"
    return f"{serves} with HOME {home}" if home else f"{serves} and keeps no user's HOME"


def same_kind(entry: dict[str, Any], other: dict[str, Any]) -> bool:
    """Whether the images of rows ``entry`` and ``other`` serve the same server on the same port
    and keep the user's work in the same HOME, each stated by both rows: only then can one
    replace the other in a workload without its ports, probes and volumes pointing at nothing."""
    if entry.get("server") == "none" and other.get("server") == "none":
        facts: tuple[str, ...] = ("server", "home")  # no server, no port to agree on
    else:
        facts = KIND_FACTS
    return all(entry.get(fact) is not None and entry.get(fact) == other.get(fact) for fact in facts)


def swap(image: Any, entry: dict[str, Any]) -> str | None:
    """The :func:`replacement` of ``image`` that a fix may apply: one of the same kind
    (:func:`same_kind`); None when there is none (any other is advice only)."""
    suggested = replacement(image, entry)
    if suggested is None:
        return None
    vouched = lookup(suggested)
    return suggested if vouched is not None and same_kind(entry, vouched) else None


def start_runs(container: dict[str, Any], entry: dict[str, Any]) -> bool:
    """Whether ``container`` runs its image's own start, which row ``entry`` says needs root
    (``start_from``): a CMD is replaced by the container's command or args (z2jh's
    ``jupyterhub-singleuser`` is args), an ENTRYPOINT only by its command. Without the fact,
    as the row says: it runs."""
    start = entry.get("start_from")
    if start == "cmd":
        return not container.get("command") and not container.get("args")
    if start == "entrypoint":
        return not container.get("command")
    return True
