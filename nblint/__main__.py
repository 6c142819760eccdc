"""``python -m nblint``."""

from nblint.cli import main

main()
