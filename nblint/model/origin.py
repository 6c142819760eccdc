"""Where a field of an effective pod came from (:class:`Origin`, re-exported by
:mod:`nblint.model.pod`).

The class below is for the type checker; the run makes the same named tuple with
``collections.namedtuple``, as ``typing.NamedTuple`` itself does, without importing ``typing``
(see :mod:`nblint`).
"""

from __future__ import annotations

from collections import namedtuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple

    class Origin(NamedTuple):
        """Where a field of an effective pod came from.

        ``file``/``line``/``column`` is the place the user edits (1-based). ``note`` says how the
        field got its value when that place does not show it literally, e.g. ``"chart default of
        z2jh 4.4.0"`` or ``"API-server defaulting of hostPort from hostNetwork: true"``. (A named
        tuple: one is made for every finding, and a frozen dataclass is several times slower to
        make.)
        """

        file: str
        line: int
        column: int
        note: str = ""

else:
    Origin = namedtuple("Origin", ["file", "line", "column", "note"], defaults=[""])


#: The note of a request the API server copied from its container's limit (``SetDefaults_Pod``).
REQUEST_FROM_LIMIT = "API-server defaulting: a request defaults to its limit"
