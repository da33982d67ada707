"""The engine stays pure Python: no Qt and no dependence on the window or the command line."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import factdesk.core

CORE_DIR = Path(factdesk.core.__file__).resolve().parent
PACKAGE_ROOT = CORE_DIR.parent.parent
REPO = Path(__file__).resolve().parents[2]
FORBIDDEN = ("PySide6", "PySide2", "PyQt5", "PyQt6", "shiboken6", "factdesk.ui", "factdesk.cli")


def _imported_modules(source: Path) -> set[str]:
    tree = ast.parse(source.read_text(encoding="utf-8"), filename=str(source))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_core_module_imports_qt_or_the_interface() -> None:
    modules = sorted(CORE_DIR.rglob("*.py"))
    assert modules, "factdesk.core has modules"
    offenders = {
        f"{path.relative_to(CORE_DIR)}: {name}"
        for path in modules
        for name in _imported_modules(path)
        if name.startswith(FORBIDDEN)
    }
    assert offenders == set()


def test_import_linter_contracts_hold() -> None:
    env = dict(os.environ, PYTHONPATH=str(PACKAGE_ROOT))
    code = (
        "import sys\n"
        "from importlinter.cli import lint_imports\n"
        "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
