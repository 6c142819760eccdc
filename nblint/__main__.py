"""``python -m nblint``."""

from nblint.cli import console

console()
