"""Where a field of an effective pod came from (:class:`Origin`, re-exported by
:mod:`nblint.model.pod`).

No ``from __future__ import annotations`` here, on purpose: ``typing.NamedTuple`` compiles each
field annotation written as a string, and the first compile of a run costs ~10 M instructions,
a twentieth of a cold check.
"""

from typing import NamedTuple


class Origin(NamedTuple):
    """Where a field of an effective pod came from.

    ``file``/``line``/``column`` is the place the user edits (1-based). ``note`` says how the field
    got its value when that place does not show it literally, e.g. ``"chart default of z2jh 4.4.0"``
    or ``"API-server defaulting of hostPort from hostNetwork: true"``. (A named tuple: one is
    made for every finding, and a frozen dataclass is several times slower to make.)
    """

    file: str
    line: int
    column: int
    note: str = ""
