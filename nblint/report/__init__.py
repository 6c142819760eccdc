"""Stage 5: print findings. One module per output format, each exposing ``render(...)``."""

from __future__ import annotations

FORMATS = ("text", "json", "sarif", "github")
