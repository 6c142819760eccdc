"""The bottom layer: the objects every stage hands to the next, and what they all share.

* :mod:`.pod` — effective pods, their provenance, paths into them;
* :mod:`.finding` — findings, problems reported by the loader and the dialects, fix choice;
* :mod:`.document` — what the run hands a dialect (a recognised document, the run index) and what
  a dialect hands back;
* :mod:`.rule` — rules as data, and the PSA policy;
* :mod:`.schema` — the one JSON Schema evaluator (rule checks, config and rule files, z2jh
  values);
* :mod:`.result` — what a run produced, and what a report is written from;
* :mod:`.template`, :mod:`.fingerprint`, :mod:`.data`, :mod:`.cache` — message templates,
  stable finding identities, where nblint's data lives, and the on-disk cache.

Nothing here imports any other part of nblint.
"""
