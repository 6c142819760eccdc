"""Every finding sits at a key on the path it names, or at that path's nearest written parent.

Walks every finding of the examples and of ``../shared/corpus`` (one finding per pod, unfolded)
and checks its line and column against the file's own YAML tree:

* the place holds a key or a list item of that file, or a statement of a ``hub.extraConfig``
  snippet (no finding lands on a comment, a blank line or 1:1 where line 1 holds no key);
* for z2jh values, the key there lies on the values path the finding names — the values path
  its pod field was built from (``ValuesProvenance.values_path``), or, for a finding on the
  values themselves, that path — and is the deepest key the release's files wrote on it (the
  nearest written parent, as DEVELOPERS.md's *Provenance* says);
* no z2jh pod field that a finding names is untraced (mapped to no values key by the pod
  builder, so placed at the top of ``singleuser`` by default).

Findings about the input itself (parse errors, empty files: group ``nblint``) are placed by the
loader and left out; ``helm-template`` is in, at its first template expression.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SHARED, needs_shared, run

from nblint.dialects.z2jh.pods import ValuesProvenance
from nblint.load.yaml_tree import YList, YMap, parse_documents
from nblint.model.finding import Finding
from nblint.model.pod import EffectivePod

EXAMPLES = sorted((ROOT / "examples").rglob("*.yaml"))
#: Loader findings about the input as a whole; their place is the parser's.
INPUT_RULES = {
    "parse-error",
    "empty-file",
    "document-not-a-mapping",
    "unreadable-file",
    "input-too-large",
    "unsafe-yaml-tag",
    "duplicate-key",
    "suppression-without-reason",
    "unused-suppression",
    "sops-encrypted",
    "internal-error",
}


def key_places(text: str) -> dict[tuple[int, int], list[tuple[Any, ...]]]:
    """(line, column) → the tree paths of the keys and list items written there."""
    places: dict[tuple[int, int], list[tuple[Any, ...]]] = {}

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        if type(node) is YMap:
            for key, pos in node.key_pos.items():
                places.setdefault(pos, []).append((*path, key))
                walk(node[key], (*path, key))
        elif type(node) is YList:
            for index, pos in enumerate(node.item_pos):
                places.setdefault(pos, []).append((*path, index))
                walk(node[index], (*path, index))

    documents, _ = parse_documents(text)
    for document in documents:
        walk(document.root, ())
    return places


def code_lines(text: str) -> set[int]:
    """The lines of literal block scalars (``hub.extraConfig`` snippets), whose statements
    findings may point at."""
    lines: set[int] = set()

    def walk(node: Any) -> None:
        if type(node) is YMap:
            for key, (start, _) in (node.block_start or {}).items():
                lines.update(range(start, start + len(str(node[key]).splitlines())))
            for value in node.values():
                walk(value)
        elif type(node) is YList:
            for item in node:
                walk(item)

    documents, _ = parse_documents(text)
    for document in documents:
        walk(document.root)
    return lines


#: What :func:`named_values_path` gives for a pod field traced to no values key.
UNTRACED_PATH = ("<untraced>",)


def named_values_path(finding: Finding, pod: EffectivePod | None) -> tuple[Any, ...] | None:
    """The z2jh values path a finding names (relative to the z2jh root), or None."""
    if pod is None or finding.field is None:
        return None
    provenance = pod.provenance
    if not isinstance(provenance, ValuesProvenance):
        return None
    if finding.field.startswith("values."):
        configuration = pod.configuration
        assert configuration is not None
        return _resolve(configuration.values, finding.field[len("values.") :])
    parts = _resolve(pod.pod, finding.field)
    if not provenance.traced(parts):
        return UNTRACED_PATH
    return provenance.values_path(parts)[0]


def _resolve(tree: Any, text: str) -> tuple[Any, ...]:
    """The path ``format_path`` wrote as ``text`` (keys may hold dots: ``nvidia.com/gpu``),
    read along ``tree``; past what ``tree`` holds, split at dots."""
    parts: list[Any] = []
    node = tree
    while text:
        if text.startswith("["):
            end = text.index("]")
            index = int(text[1:end])
            parts.append(index)
            node = node[index] if isinstance(node, list) and index < len(node) else None
            text = text[end + 1 :].removeprefix(".")
            continue
        keys = [str(k) for k in node] if isinstance(node, dict) else []
        key = max(
            (k for k in keys if text == k or text.startswith((k + ".", k + "["))),
            key=len,
            default=None,
        )
        if key is None:
            head = text.split(".", 1)[0].split("[", 1)[0]
            parts.append(head)
            node = None
            text = text[len(head) :].removeprefix(".")
            continue
        parts.append(key)
        node = node.get(key) if isinstance(node, dict) else None
        text = text[len(key) :].removeprefix(".")
    return tuple(parts)


def _pod_of(finding: Finding, pods: list[EffectivePod]) -> EffectivePod | None:
    for pod in pods:
        same_object = (pod.file, pod.object) == (finding.file, finding.object)
        same_pod = (pod.profile, pod.options) == (finding.profile, finding.options)
        if same_object and (finding.profile is None or same_pod):
            return pod
    return None


def misplaced(paths: list[Path]) -> Iterator[str]:
    result = run(*paths)
    places_of: dict[str, dict[tuple[int, int], list[tuple[Any, ...]]]] = {}
    for finding in result.findings:
        if finding.rule in INPUT_RULES:
            continue
        text = result.texts.get(finding.file)
        if text is None:
            continue
        places = places_of.get(finding.file)
        if places is None:
            places = places_of[finding.file] = key_places(text)
        where = f"{finding.file}:{finding.line}:{finding.column} {finding.rule}"
        if finding.rule == "helm-template":
            line = text.splitlines()[finding.line - 1]
            # The expression itself, or the value (a quoted scalar of a values file) holding it.
            rest = line[finding.column - 1 :]
            if not rest.startswith("{%") and "{{" not in rest:
                yield f"{where}: no template expression starts there"
            continue
        written = places.get((finding.line, finding.column))
        if not written and finding.line in code_lines(text):
            continue  # a statement of a hub.extraConfig snippet
        if not written:
            yield f"{where}: no key or list item there ({finding.field})"
            continue
        pod = _pod_of(finding, result.pods)
        values_path = named_values_path(finding, pod)
        if values_path == UNTRACED_PATH:
            yield f"{where}: {finding.field} is traced to no values key"
            continue
        if values_path is None or pod is None or pod.configuration is None:
            continue
        root = getattr(pod.configuration, "root", ())
        full = (*root, *values_path)
        on_path = [p for p in written if full[: len(p)] == p]
        if not on_path and not any(len(p) == len(root) + 1 for p in written):
            # Nothing on the path is written: the z2jh root itself, placed at its first key.
            yield f"{where}: the key there ({written}) is not on {full} ({finding.field})"
            continue
        if not on_path:
            if any(full[: len(p)] == p for ps in places.values() for p in ps):
                yield f"{where}: at the z2jh root, but {full} is written in part"
            continue
        deepest = max(len(p) for p in on_path)
        deeper_written = [
            p for ps in places.values() for p in ps if len(p) > deepest and full[: len(p)] == p
        ]
        if deeper_written and finding.file == pod.file:
            yield f"{where}: {deeper_written[0]} is written deeper on {full} ({finding.field})"


def test_every_example_finding_is_at_a_key_on_its_path() -> None:
    assert list(misplaced(EXAMPLES)) == []


@needs_shared
@pytest.mark.parametrize("corpus", ["z2jh", "kubeflow"])
def test_every_corpus_finding_is_at_a_key_on_its_path(corpus: str) -> None:
    files = sorted((SHARED / "corpus" / corpus).rglob("*.yaml"))
    assert files
    assert list(misplaced(files)) == []
