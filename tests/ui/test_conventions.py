"""Naming conventions of the Qt layer, checked on the source of every module in factdesk.ui.

Slots are named after the object and the signal they answer (``_on_<source>_<event>``),
signals read as something that already happened, camelCase is kept for Qt overrides and
custom item roles are named constants.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import Signal

import factdesk.ui

UI_DIR = Path(factdesk.ui.__file__).parent
MODULES = sorted(p.stem for p in UI_DIR.glob("*.py") if p.stem != "__init__")

SLOT_NAME = re.compile(r"_on_[a-z0-9]+(?:_[a-z0-9]+)+")
# callables that connect their slot argument to a signal, besides ``connect`` itself
CONNECTING_HELPERS = {"connect", "_action", "a"}
# past participles that do not end in "ed"
IRREGULAR_PAST = {"shown", "begun", "done", "undone", "hidden", "chosen", "written", "run"}


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"factdesk.ui.{name}")


def _tree(name: str) -> ast.Module:
    return ast.parse((UI_DIR / f"{name}.py").read_text(encoding="utf-8"))


def _classes(module: ModuleType) -> Iterator[type]:
    for _, obj in inspect.getmembers(module, inspect.isclass):
        if obj.__module__ == module.__name__:
            yield obj


def _is_factdesk(cls: type) -> bool:
    return cls.__module__.startswith("factdesk.")


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _connected_self_attributes(tree: ast.Module) -> Iterator[tuple[str, str, int]]:
    """(class name, attribute, line) for every ``self.<attribute>`` handed to a signal."""

    def visit(node: ast.AST, cls: str) -> Iterator[tuple[str, str, int]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                yield from visit(child, child.name)
                continue
            if isinstance(child, ast.Call) and _callee(child) in CONNECTING_HELPERS:
                for arg in child.args:
                    if (
                        isinstance(arg, ast.Attribute)
                        and isinstance(arg.value, ast.Name)
                        and arg.value.id == "self"
                    ):
                        yield cls, arg.attr, arg.lineno
            yield from visit(child, cls)

    yield from visit(tree, "")
    # a module-level table of actions names each slot as a string (third item)
    for node in tree.body:
        target = node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        value = getattr(node, "value", None)
        if isinstance(target, ast.Name) and target.id == "ACTIONS" and isinstance(value, ast.Tuple):
            for row in value.elts:
                if isinstance(row, ast.Tuple) and isinstance(row.elts[2], ast.Constant):
                    yield "MainWindow", str(row.elts[2].value), row.lineno


def _defined_by_factdesk(cls: type, name: str) -> object | None:
    """What ``cls.name`` is when FactDesk code defines it (not Qt), else None."""
    for klass in cls.__mro__:
        if name in vars(klass):
            return vars(klass)[name] if _is_factdesk(klass) else None
    return None


def _slot_offences(name: str) -> list[str]:
    module = _module(name)
    offences = []
    for cls_name, attr, line in _connected_self_attributes(_tree(name)):
        cls = getattr(module, cls_name, None)
        if not isinstance(cls, type):
            continue
        target = _defined_by_factdesk(cls, attr)
        # Qt's own slots (update, hide, close) and forwarded signals keep their names
        if target is None or isinstance(target, Signal):
            continue
        if not SLOT_NAME.fullmatch(attr):
            offences.append(f"{name}.py:{line} {cls_name}.{attr}")
    return offences


@pytest.mark.parametrize("name", MODULES)
def test_slots_connected_in_the_ui_are_named_after_source_and_event(name: str) -> None:
    assert _slot_offences(name) == []


def test_the_slot_check_sees_the_connections_of_the_main_window() -> None:
    connected = {attr for _, attr, _ in _connected_self_attributes(_tree("main_window"))}
    assert "_on_state_passage_activated" in connected
    assert "_on_open_files_triggered" in connected  # connected through the action helper


@pytest.mark.parametrize("name", MODULES)
def test_signals_are_named_in_the_past_tense(name: str) -> None:
    present = [
        f"{cls.__name__}.{attr}"
        for cls in _classes(_module(name))
        for attr, value in vars(cls).items()
        if isinstance(value, Signal)
        and not (attr.endswith("ed") or attr.rsplit("_", 1)[-1] in IRREGULAR_PAST)
    ]
    assert present == []


@pytest.mark.parametrize("name", MODULES)
def test_camel_case_methods_only_override_qt(name: str) -> None:
    invented = [
        f"{cls.__name__}.{attr}"
        for cls in _classes(_module(name))
        for attr, value in vars(cls).items()
        if callable(value)
        and not isinstance(value, Signal)
        and attr != attr.lower()
        and not any(hasattr(base, attr) for base in cls.__mro__[1:] if not _is_factdesk(base))
    ]
    assert invented == []


def _user_role_uses(tree: ast.AST) -> Iterator[ast.Attribute]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "UserRole":
            yield node


@pytest.mark.parametrize("name", MODULES)
def test_custom_item_roles_are_named_constants(name: str) -> None:
    tree = _tree(name)
    in_constants = {
        id(use)
        for stmt in tree.body
        if isinstance(stmt, ast.Assign)
        and all(isinstance(t, ast.Name) and t.id.endswith("_ROLE") for t in stmt.targets)
        for use in _user_role_uses(stmt)
    }
    stray = [use.lineno for use in _user_role_uses(tree) if id(use) not in in_constants]
    assert stray == []


def test_custom_item_roles_do_not_share_a_value() -> None:
    roles: dict[int, str] = {}
    clashes = []
    for name in MODULES:
        for attr, value in vars(_module(name)).items():
            if attr.endswith("_ROLE") and isinstance(value, int):
                if value in roles and roles[value] != attr:
                    clashes.append(f"{attr} = {roles[value]}")
                roles.setdefault(value, attr)
    assert clashes == []
