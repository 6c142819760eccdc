"""``nblint fix``: apply the findings' edits, check again, and never leave a file worse.

Rounds, as ruff does it: check, apply every applicable edit (safe ones; unsafe ones too with
``--unsafe-fixes``), check the new texts, and go on while a round changes something (a new image
may bring its own uid to set). Nothing is written here: the caller gets the texts.

"Worse" means a finding that was not there before (same rule, file, object, profile and
container), in any file, or advice that now says something else (see :class:`Known`). Files that
end worse are done again from their original text one edit at a time, keeping only the edits that
add no finding; an edit that cannot be placed is reported, never forced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from nblint.fix.apply import FixError, Replacement, apply_edit
from nblint.model.edit import DISPLAY_ONLY, SAFE, UNSAFE, Edit
from nblint.model.finding import Finding
from nblint.model.result import RunResult

#: Rounds before giving up on a fix that keeps changing the file.
MAX_ROUNDS = 6

#: Edits tried one by one in a file that ended worse, at most.
MAX_EDITS_ONE_AT_A_TIME = 200

#: ``texts`` (path → text to read instead of the file) → the run's result.
Check = Callable[[dict[str, str]], RunResult]


@dataclass
class FixOutcome:
    before: RunResult
    after: RunResult
    #: The fixed text of every file that changed.
    texts: dict[str, str] = field(default_factory=dict)
    #: The text each changed file had.
    originals: dict[str, str] = field(default_factory=dict)
    #: Findings whose edit was applied (from any round).
    applied: list[Finding] = field(default_factory=list)
    #: Edits that could not be placed, with why.
    failed: list[tuple[Finding, str]] = field(default_factory=list)
    #: Edits left out because they added a finding.
    rejected: list[Finding] = field(default_factory=list)
    #: The rules of the findings each left-out edit added (what ``nblint fix`` says).
    added: dict[Edit, list[str]] = field(default_factory=dict)
    #: Findings whose narrow edit (a profile's) waited for a wider edit of the same rule
    #: (:attr:`Edit.narrow`): fixed by it when they are gone after.
    deferred: list[Finding] = field(default_factory=list)


def finding_key(finding: Finding, layers: dict[str, str] | None = None) -> tuple[Any, ...]:
    """What a finding is about, to tell one the fixes added from one they left. A finding of a
    release given in layers is the release's, whichever layer it is placed in: an edit that
    adds the key it was anchored at moves it from the last layer to that one (``layers``: each
    layer file's release, :attr:`RunResult.layers_of`)."""
    file = layers.get(finding.file, finding.file) if layers else finding.file
    return (finding.rule, file, finding.object, finding.profile, finding.container)


class Known:
    """The findings a fix started from, for telling what it added.

    A finding is new when its rule, file, object, profile and container were not there (a new
    problem, in any file: an edit of one layer of a release changes what the others give), or
    when a finding no fix changes (advice: its own edit is never applied) now says something else
    at the same field: another edit changed its verdict (the hub's authenticator went from none
    to `dummy`). Its verdict is its message's head, before the first ``(`` or ``:`` that explains
    it (the explanation may change with the file: where a null now sits)."""

    def __init__(self, findings: Iterable[Finding], layers: dict[str, str] | None = None) -> None:
        #: Each layer file's release (see :func:`finding_key`).
        self.layers = layers
        self.keys: set[tuple[Any, ...]] = set()
        self.said: dict[tuple[Any, ...], set[str]] = {}
        for finding in findings:
            key = finding_key(finding, layers)
            self.keys.add(key)
            if _judged_by_verdict(finding):
                self.said.setdefault((*key, finding.field), set()).add(verdict(finding))

    def __contains__(self, finding: object) -> bool:
        assert isinstance(finding, Finding)
        key = finding_key(finding, self.layers)
        if key not in self.keys:
            return False
        if not _judged_by_verdict(finding):
            return True
        said = self.said.get((*key, finding.field))
        return said is None or verdict(finding) in said


def _judged_by_verdict(finding: Finding) -> bool:
    """Advice about a problem (an error or a warning no fix changes): a note (info) only says
    what nblint read, which an edit may change (where the values now are) for the better."""
    return finding.applicability == DISPLAY_ONLY and finding.severity != "info"


def verdict(finding: Finding) -> str:
    """What an advice finding says, without why (see :class:`Known`)."""
    return finding.message.split(" (", 1)[0].split(": ", 1)[0]


def fixed(outcome: FixOutcome) -> list[Finding]:
    """The findings whose edit was applied and that are gone from the fixed files: an edit that
    was written but left its finding in place (at the same field) fixed nothing."""
    layers = outcome.before.layers_of
    remaining = {(*finding_key(f, layers), f.field) for f in outcome.after.findings}
    return [f for f in outcome.applied if (*finding_key(f, layers), f.field) not in remaining]


def applicable(finding: Finding, unsafe: bool) -> bool:
    return finding.edit is not None and (
        finding.applicability == SAFE or (unsafe and finding.applicability == UNSAFE)
    )


def placeable(finding: Finding, texts: dict[str, str]) -> bool:
    """Whether the edit of ``finding`` can be placed in the text it is for (``texts``) and
    changes it: a fix that cannot, or that changes nothing, is no fix to count."""
    edit = finding.edit
    if edit is None or edit.file not in texts:
        return False
    try:
        _, replacements = apply_edit(texts[edit.file], edit)
    except FixError:
        return False
    return bool(replacements)


def fix(
    check: Check, unsafe: bool, chosen: Callable[[Finding], bool] = lambda f: True
) -> FixOutcome:
    """Apply the fixes the findings of ``check({})`` carry (see the module docstring)."""
    before = check({})
    outcome = FixOutcome(before, before)
    known = Known(before.findings, before.layers_of)
    texts: dict[str, str] = {}
    result = before
    restarted: set[str] = set()
    for _ in range(MAX_ROUNDS):
        wanted = [f for f in result.findings if applicable(f, unsafe) and chosen(f)]
        changed = _restart_for_new_image(wanted, texts, before, outcome, restarted)
        if not changed:
            changed = _apply_all(wanted, texts, result, outcome)
        if not changed:
            break
        texts.update(changed)
        result = check(texts)
    added = [f for f in result.findings if f not in known]
    worse = {f.file for f in added if f.file in texts}
    if any(f.file not in texts for f in added):
        # (in a file no edit changed: any of them may have done it, another layer's null gone)
        worse = set(texts)
    if worse:
        for path in sorted(worse):
            texts.pop(path)
        outcome.applied = [f for f in outcome.applied if f.file not in worse]
        texts.update(_one_at_a_time(check, unsafe, chosen, texts, worse, known, outcome))
        result = check(texts)
        # Every finding still there whose edit was left out says so (one edit may serve several
        # findings: one pod-level setting for each container).
        left_out = {f.edit for f in outcome.rejected}
        outcome.rejected = [f for f in result.findings if f.edit is not None and f.edit in left_out]
    # A finding a wider edit reached (its own narrow edit never applied) was fixed by it.
    layers = before.layers_of
    served = {finding_key(f, layers) for f in outcome.applied}
    outcome.applied += [f for f in outcome.deferred if finding_key(f, layers) not in served]
    _say_what_changed_nothing(result, outcome, unsafe, chosen)
    outcome.after = result
    outcome.texts = {p: t for p, t in texts.items() if t != before.texts.get(p)}
    outcome.originals = {p: before.texts.get(p, "") for p in outcome.texts}
    return outcome


#: Why a finding whose edit was applied is still there.
CHANGES_NOTHING = (
    "its fix changes nothing in the file: the file already sets what it would add (a value of "
    "the wrong type, or one a fix that only adds may not change)"
)


def _say_what_changed_nothing(
    result: RunResult, outcome: FixOutcome, unsafe: bool, chosen: Callable[[Finding], bool]
) -> None:
    """A finding still there whose edit changes nothing is reported, not left unexplained."""
    said = {id(f) for f, _ in outcome.failed} | {id(f) for f in outcome.rejected}
    refused = {f.edit for f, _ in outcome.failed} | {f.edit for f in outcome.rejected}
    for finding in result.findings:
        if not (applicable(finding, unsafe) and chosen(finding)) or id(finding) in said:
            continue
        if finding.edit in refused:
            continue
        edit = finding.edit
        assert edit is not None
        try:
            _, replacements = apply_edit(result.texts.get(edit.file, ""), edit)
        except FixError:
            continue
        if not replacements:
            outcome.failed.append((finding, CHANGES_NOTHING))


def _restart_for_new_image(
    wanted: list[Finding],
    texts: dict[str, str],
    before: RunResult,
    outcome: FixOutcome,
    restarted: set[str],
) -> dict[str, str]:
    """Files an earlier round edited that now get an edit that goes alone (a new image), done
    again from their original text with only those edits: the earlier rounds' fixes were made
    for the old image's user, HOME and writable paths (a cache mount at /root/.cache stayed
    beside the new image's /home/jovyan/.cache). The next rounds fix the file for the image it
    ends up with. Once per file; an alone edit that cannot be placed in the original goes the
    ordinary way."""
    alone: dict[str, list[Finding]] = {}
    for finding in wanted:
        edit = finding.edit
        if edit is not None and edit.alone and edit.file in texts and edit.file not in restarted:
            alone.setdefault(edit.file, []).append(finding)
    changed: dict[str, str] = {}
    for path, findings in alone.items():
        original = before.texts.get(path)
        if original is None:
            continue
        text = original
        try:
            for edit in dict.fromkeys(f.edit for f in findings if f.edit is not None):
                text, _ = apply_edit(text, edit)
        except FixError:
            continue
        restarted.add(path)
        outcome.applied = [f for f in outcome.applied if f.file != path] + findings
        changed[path] = text
    return changed


def _apply_all(
    wanted: Iterable[Finding], texts: dict[str, str], result: RunResult, outcome: FixOutcome
) -> dict[str, str]:
    """The new text of each file ``wanted``'s edits change."""
    changed: dict[str, str] = {}
    seen: set[Edit] = set()
    refused: dict[Edit, str] = {}
    # An edit that changes nothing fixes nothing: its findings are not counted as applied
    # (`_say_what_changed_nothing` says why they remain).
    idle: set[Edit] = set()
    wanted = list(wanted)
    # A file with an edit that goes alone gets only those this round.
    alone = {f.edit.file for f in wanted if f.edit is not None and f.edit.alone}
    wanted = [f for f in wanted if f.edit is None or f.edit.file not in alone or f.edit.alone]
    # A narrow edit (a profile's) that only adds waits while an edit of the same rule goes wider
    # in the same file: the next round's check says whether that one reached its pod too. It is
    # applied in this round after all when no wider one changed the file, and so is one that
    # changes what the profile writes (its `allow_privilege_escalation: true` is not left there,
    # overridden unseen).
    # Only one that writes what the wider one writes (the same settings, the same values): a
    # profile's limits at least its own guarantees are no copy of the hub-wide defaults, and the
    # next round's check (of the rules chosen) may not see what they are for.
    wider: dict[tuple[str, str], list[Any]] = {}
    for f in wanted:
        if f.edit is not None and not f.edit.narrow:
            wider.setdefault((f.rule, f.edit.file), []).append(_settings(f.edit, _WIDE))
    waiting = [
        f
        for f in wanted
        if f.edit is not None
        and f.edit.narrow
        and _settings(f.edit, _NARROW) in wider.get((f.rule, f.edit.file), ())
    ]
    if waiting:
        ids = {id(f) for f in waiting}
        wanted = [f for f in wanted if id(f) not in ids]
    widened: set[tuple[str, str]] = set()
    for finding in [*wanted, *waiting]:
        held = finding.edit
        if (
            held is not None
            and held.narrow
            and (finding.rule, held.file) in widened
            and _only_adds(changed.get(held.file, texts.get(held.file)), held)
        ):
            outcome.deferred.append(finding)
            continue
        edit = finding.edit
        assert edit is not None
        if edit in refused:
            outcome.failed.append((finding, refused[edit]))
            continue
        if edit in seen:
            if edit not in idle:
                outcome.applied.append(finding)
            continue
        seen.add(edit)
        current = changed.get(edit.file, texts.get(edit.file, result.texts.get(edit.file)))
        if current is None:
            outcome.failed.append((finding, f"{edit.file} was not read"))
            continue
        try:
            new, replacements = apply_edit(current, edit)
        except FixError as err:
            refused[edit] = str(err)
            outcome.failed.append((finding, str(err)))
            continue
        if not replacements:
            idle.add(edit)
            continue
        changed[edit.file] = new
        outcome.applied.append(finding)
        if not edit.narrow:
            widened.add((finding.rule, edit.file))
    return {path: text for path, text in changed.items() if text != texts.get(path)}


#: Where a z2jh edit's settings sit: a profile's (``kubespawner_override``), the hub-wide ones.
_NARROW = "kubespawner_override"
_WIDE = ("hub", "config", "KubeSpawner")


def _settings(edit: Edit, under: str | tuple[str, ...]) -> Any:
    """What ``edit`` writes below ``under`` (the key of a profile's settings, or the path of
    the hub-wide ones), wherever it is merged; None when it writes nothing there."""
    import yaml

    try:
        patch: Any = yaml.safe_load(edit.patch)
    except yaml.YAMLError:
        return None
    tree: Any = patch
    for part in reversed(edit.path):
        tree = {part: tree}
    if isinstance(under, str):
        stack = [tree]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                if under in node:
                    return node[under]
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
        return None
    for part in under:
        tree = tree.get(part) if isinstance(tree, dict) else None
    return tree


def _only_adds(text: str | None, edit: Edit) -> bool:
    """Whether ``edit`` only adds to ``text`` (changes nothing it writes)."""
    if text is None:
        return False
    try:
        _, replacements = apply_edit(text, edit)
    except FixError:
        return False
    return bool(replacements) and all(r.start == r.end for r in replacements)


def _one_at_a_time(
    check: Check,
    unsafe: bool,
    chosen: Callable[[Finding], bool],
    texts: dict[str, str],
    files: set[str],
    known: Known,
    outcome: FixOutcome,
) -> dict[str, str]:
    """The files in ``files`` fixed edit by edit, each edit kept only if it adds no finding."""
    kept: dict[str, str] = {}
    result = check(texts)
    tried: set[Edit] = set()
    # Left out for a finding it added: tried again once another edit is kept (runAsNonRoot adds
    # notebook-run-as-root-refused until the fix of a container's runAsUser: 0 is in).
    refused_for_now: set[Edit] = set()
    for _ in range(MAX_EDITS_ONE_AT_A_TIME):
        progress = False
        for finding in result.findings:
            edit = finding.edit
            if edit is None or edit.file not in files or edit in tried:
                continue
            if not (applicable(finding, unsafe) and chosen(finding)):
                continue
            tried.add(edit)
            current = kept.get(edit.file, result.texts.get(edit.file, ""))
            try:
                new, replacements = apply_edit(current, edit)
            except FixError as err:
                outcome.failed.append((finding, str(err)))
                continue
            if not replacements:
                continue
            trial = check({**texts, **kept, edit.file: new})
            # (in any file: the other files are as they were, or as edits that added nothing
            # left them)
            added = [f.rule for f in trial.findings if f not in known]
            if added:
                outcome.rejected.append(finding)
                outcome.added[edit] = sorted(set(added))
                refused_for_now.add(edit)
                continue
            kept[edit.file] = new
            outcome.applied.append(finding)
            tried -= refused_for_now
            refused_for_now.clear()
            result, progress = trial, True
            break
        if not progress:
            break
    return kept


def bytes_outside(old: str, new: str, edited: list[Replacement]) -> int:
    """How much of ``old`` that ``new`` no longer has lies outside the ``edited`` spans: the
    characters of every line a line diff drops or changes, unless the line meets an edited span.
    A pure insertion drops nothing; a tool that reflows, requotes or loses a comment elsewhere
    drops those lines (how ``bench/fix_keep.py`` compares ways of editing)."""
    import difflib

    starts = [0]
    for line in old.splitlines(True):
        starts.append(starts[-1] + len(line))
    old_lines, new_lines = old.splitlines(True), new.splitlines(True)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    count = 0
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag in ("equal", "insert"):
            continue
        for index in range(i1, i2):
            begin, end = starts[index], starts[index + 1]
            # An insertion at the very end of a file without a final newline gives its last line
            # one: that line is where the edit is.
            at_end = index == len(old_lines) - 1
            if not any(
                (r.start < end or (at_end and r.start == end)) and begin < max(r.end, r.start + 1)
                for r in edited
            ):
                count += end - begin
    return count


def describe_changes(result: RunResult) -> None:
    """Set each finding's :attr:`~Finding.changes`: the text its edit replaces, as regions of
    the file as it is (SARIF ``fixes``). An edit that cannot be placed leaves none."""
    for finding in result.findings:
        edit = finding.edit
        text = result.texts.get(edit.file) if edit is not None else None
        if edit is None or text is None:
            continue
        try:
            _, replacements = apply_edit(text, edit)
        except FixError:
            continue
        finding.changes = tuple(
            (*_line_column(text, r.start), *_line_column(text, r.end), r.new) for r in replacements
        )


def _line_column(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1
