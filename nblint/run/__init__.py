"""The run: every input through load → recognise → normalise → check, and what ``nblint check``
does around it to work as a CI gate.

* :mod:`.pipeline` — the :class:`~.pipeline.Runner`: reads every input, builds the run-wide index,
  then normalises and checks each document (one at a time: a large input's trees are dropped as
  soon as they are checked);
* :mod:`.parallel` — the same over several processes (``--jobs``), with the same result;
* :mod:`.config`, :mod:`.gate` — the project's configuration, its z2jh releases, per-file ignores;
* :mod:`.suppress`, :mod:`.baseline` — ``# nblint: disable`` comments and baselines.
"""
