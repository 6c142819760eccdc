"""The layers hold, and a dialect is one seam.

* The import contracts of ``pyproject.toml`` (``[tool.importlinter]``): cli → run → {dialects,
  check, report, fix} → load → model, nothing importing upward, the dialects independent of each
  other, reports reading only the model. Checked by import-linter itself.
* A dialect is its package plus a few declared places. A new dialect touches:

  - ``nblint/dialects/<name>/`` — its :class:`~nblint.dialects.base.Dialect` declaration, its
    recogniser, normaliser and (if others read from it) indexer;
  - ``nblint/dialects/registry.py`` — one import and one entry in ``DIALECTS``;
  - ``rules/**.yaml`` — fix hints under its fix keys, where a rule has one for it;
  - ``nblint/cli/common.py``, ``nblint/run/config.py`` and ``schemas/config.schema.json`` — only
    if it has settings of its own (command-line options, configuration keys);
  - ``tests/fixtures/<name>/`` and its tests; README and DEVELOPERS.

  :data:`MAY_NAME_A_DIALECT` lists the product modules outside a dialect's package that may spell
  its name or fix keys; the test fails when another module starts to.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest
from conftest import ROOT

from nblint.dialects.registry import DIALECTS

pytest.importorskip("importlinter")

#: Modules outside the dialect packages that may spell a dialect's name or fix keys, and why.
MAY_NAME_A_DIALECT = {
    "nblint/dialects/registry.py": "lists every dialect",
    "nblint/cli/options.py": "a dialect's own command-line options",
    "nblint/run/config.py": "a dialect's own configuration keys",
    "nblint/cli/docs.py": "upstream references per rule group (two groups share a dialect's name)",
}


def test_import_contracts_hold() -> None:
    from importlinter.cli import lint_imports

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0
    finally:
        os.chdir(cwd)


def _names(dialect_name: str) -> set[str]:
    dialect = next(d for d in DIALECTS if d.name == dialect_name)
    return {dialect.name, *(key for key, _ in dialect.fix_labels)}


def _spelled(path: Path, names: set[str]) -> bool:
    """Whether a string constant of ``path`` is one of ``names``, or names one container's hint
    (``z2jh:block-cloud-metadata``), or the module imports a dialect's package by name."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            if text in names or any(text.startswith(f"{name}:") for name in names):
                return True
        if isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            if parts[:2] == ["nblint", "dialects"] and len(parts) > 2 and parts[2] in names:
                return True
    return False


@pytest.mark.parametrize("dialect", [d.name for d in DIALECTS])
def test_only_its_package_and_the_declared_places_name_a_dialect(dialect: str) -> None:
    names = _names(dialect)
    package = next(
        (ROOT / "nblint" / "dialects" / part)
        for part in ("manifest", "kubeflow", "cluster", "z2jh")
        if (ROOT / "nblint" / "dialects" / part / "__init__.py")
        .read_text()
        .count(f'name="{dialect}"')
    )
    found = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "nblint").rglob("*.py")
        if package not in path.parents and _spelled(path, names)
    )
    assert set(found) <= set(MAY_NAME_A_DIALECT), found


def test_every_fix_key_a_shipped_rule_uses_belongs_to_a_dialect() -> None:
    from conftest import RULES

    from nblint.model.finding import INPUT_FIX_LABELS

    # ... or to an input the loader could not read as text (parse-error's binary-file).
    known = {"any", *INPUT_FIX_LABELS} | {key for d in DIALECTS for key, _ in d.fix_labels}
    used: set[str] = set()
    for rule in RULES.values():
        used.update(key.partition(":")[0] for key in rule.fix)
        for impl in rule.implementations:
            for violation in impl.violations:
                used.update(key.partition(":")[0] for key in violation.fix or {})
    assert used <= known, sorted(used - known)
