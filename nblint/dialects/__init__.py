"""Stage 3: the dialects nblint reads, and the one place that lists them.

A dialect is a package here that declares, in one :class:`Dialect` object, everything the rest
of nblint needs to know about it: how its documents are recognised (a cheap test on the parsed
document, imported with the registry), its normaliser (a function ``(Recognised, RunIndex,
settings) -> Normalised``, imported on first use), what it contributes to the run-wide index and
how a file that may contribute is spotted, the keys and labels of its fix hints, and whether its
documents must be checked together. Adding a dialect means adding its package and one line to
:data:`nblint.dialects.registry.DIALECTS` (``tests/test_layers.py`` lists the files it may touch).
"""
