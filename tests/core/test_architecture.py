"""The engine stays pure Python: no Qt, no window, no command line, no test helpers."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import factdesk.core
from factdesk.core import jsonio

CORE_DIR = Path(factdesk.core.__file__).resolve().parent
PACKAGE_ROOT = CORE_DIR.parent.parent
REPO = Path(__file__).resolve().parents[2]
FORBIDDEN = (
    "PySide6",
    "PySide2",
    "PyQt5",
    "PyQt6",
    "shiboken6",
    "factdesk.ui",
    "factdesk.cli",
    "factdesk.testing",
)


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


def _readme() -> str:
    return (REPO / "README.md").read_text(encoding="utf-8")


def _code_blocks(markdown: str) -> list[tuple[str, str]]:
    return re.findall(r"^```(\w*)\n(.*?)^```", markdown, flags=re.S | re.M)


def test_readme_gives_two_commands_then_the_schema_then_system_packages() -> None:
    readme = _readme()
    headings = re.findall(r"^## (.+)$", readme, flags=re.M)
    assert headings[:2] == ["JSON schema version 1", "System packages"]
    intro = readme[: readme.index("\n## ")]
    commands = [body.strip() for lang, body in _code_blocks(intro)]
    assert len(commands) == 2
    install, test = commands
    assert "\n" not in install and "\n" not in test
    assert "pip install ." in install and install.endswith("factdesk")
    assert 'pip install ".[test]"' in test and "pytest" in test


def test_ci_runs_the_readme_test_command() -> None:
    readme = _readme()
    test_command = _code_blocks(readme[: readme.index("\n## ")])[1][1].strip()
    ci_lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines


def test_readme_json_example_follows_the_schema() -> None:
    readme = _readme()
    section = readme[readme.index("## JSON schema version 1") : readme.index("## System packages")]
    (example,) = [body for lang, body in _code_blocks(section) if lang == "json"]
    data = json.loads(example)
    assert jsonio.validate(data) == []
    for key in ("version", "documents", "passages", "links", "groups", "derivation", "errors"):
        assert key in data
