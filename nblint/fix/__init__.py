"""Applying fixes: the merges that put a fix hint into its input, as the user would.

* :mod:`.merge` — a strategic-merge patch (manifests, Notebooks: containers merge by name, mounts
  by mountPath, ``null`` deletes) and Helm's merge of values files (maps merge, lists replace).
"""
