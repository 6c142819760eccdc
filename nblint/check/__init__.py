"""Stage 4: rules over effective pods.

* :mod:`.rules` reads rule files (``rules/``, a team's ``--rules-dir``) into
  :class:`nblint.model.rule.Rule` objects;
* :mod:`.engine` prepares the active rules once per run (a :class:`~.engine.Plan`) and evaluates
  them on each pod, placing each violation at the line to edit;
* :mod:`.builtins` holds one module per check written in Python where data cannot say it;
  :mod:`.podview`, :mod:`.images` and :mod:`.tables` answer the questions they share.
"""
