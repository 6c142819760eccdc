"""Where a trait's value came from (:class:`Source`) and what a spawn would refuse
(:class:`SpawnProblem`), both re-exported by :mod:`nblint.dialects.z2jh.traits`.

The classes below are for the type checker; the run makes the same named tuples with
``collections.namedtuple``, as ``typing.NamedTuple`` itself does, without importing ``typing``
(see :mod:`nblint`).
"""

from __future__ import annotations

from collections import namedtuple

from nblint.model.pod import format_path

#: A path into the z2jh values (relative to the z2jh root).
ValuesPath = tuple[str | int, ...]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple

    class Source(NamedTuple):
        """Where a value came from: a values path, and why when the path does not say it.

        ``extends``: deeper pod fields map to deeper values paths (the value was copied
        verbatim). (A named tuple: a few thousand are made per run, and a frozen dataclass is
        slow to make.)
        """

        path: ValuesPath
        note: str = ""
        extends: bool = True

    class SpawnProblem(NamedTuple):
        """A value the hub or KubeSpawner would refuse when a user spawns (``4Gi`` memory, …)."""

        path: ValuesPath
        message: str
        #: A values snippet that works, for this very cause; None: no fix is shown (the rule's
        #: causes differ too much for one general fix to fit them).
        fix: str | None = None
        #: The rule it is reported under: a failing spawn, or a setting the hub ignores.
        rule: str = "z2jh-spawn-failure"

else:
    Source = namedtuple("Source", ["path", "note", "extends"], defaults=["", True])
    SpawnProblem = namedtuple(
        "SpawnProblem", ["path", "message", "fix", "rule"], defaults=[None, "z2jh-spawn-failure"]
    )


#: Marks a values path in a :class:`Source` note (:func:`key_in_note`): the note shows it from
#: the top of the file that holds it (:func:`shown_note`), as the fix beside it is nested.
KEY_MARK = "\x1f"


def key_in_note(path: ValuesPath) -> str:
    """``path`` (from the z2jh root) as a note names it: marked, for :func:`shown_note`."""
    return f"{KEY_MARK}{format_path(path)}{KEY_MARK}"


def shown_note(note: str, under: ValuesPath) -> str:
    """``note`` with each values path :func:`key_in_note` marked shown below ``under``, the keys
    the z2jh values sit under in their file (``jupyterhub`` of binderhub's values): the path a
    user finds in that file, the one the fix beside the note is nested under."""
    if KEY_MARK not in note:
        return note
    prefix = f"{format_path(under)}." if under else ""
    parts = note.split(KEY_MARK)
    return "".join(f"{prefix}{part}" if odd % 2 else part for odd, part in enumerate(parts))
