"""A base for small value classes: ``==``, ``hash`` and ``repr`` from their ``__slots__``.

Why not dataclasses: a ``@dataclass`` writes and compiles its methods when its module is imported,
1.5 to 4 M instructions each (frozen ones the most): the forty of a plain ``nblint check`` cost a
fifth of a single-file run. A subclass writes its ``__slots__`` and a typed ``__init__``; this
gives it what the dataclass gave: equality and a hash over every field, and a readable repr.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Record:
    """Compared, hashed and shown by its fields (the names in the subclass's ``__slots__``)."""

    __slots__: tuple[str, ...] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self.__slots__])

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{self.__class__.__qualname__}({shown})"
