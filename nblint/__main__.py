"""``python -m nblint``."""

from nblint.cli import entry

entry()
