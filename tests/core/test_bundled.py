"""The sample set and resources are found whether FactDesk is installed or checked out."""

from __future__ import annotations

from pathlib import Path

import pytest

from factdesk.core import bundled


def test_sample_set_has_the_five_versions() -> None:
    paths = bundled.sample_paths()
    assert len(paths) == 5
    assert all(p.is_file() and p.suffix == ".txt" for p in paths)


def test_report_template_is_a_bundled_resource() -> None:
    assert bundled.resource_path("report.html.j2").is_file()


def test_unknown_folder_is_none() -> None:
    assert bundled.bundled_dir("no-such-folder") is None


def test_an_installed_factdesk_carries_the_sample_inside_the_package() -> None:
    import factdesk

    package = Path(factdesk.__file__).resolve().parent
    if (package.parent.parent / "pyproject.toml").is_file():
        pytest.skip("running from a checkout, not an installed copy")
    assert bundled.sample_dir() == package / "seeds"
    assert len(bundled.sample_paths()) == 5
    assert (package / "resources" / "report.html.j2").is_file()


def test_the_wheel_maps_the_sample_and_resources_into_the_package(repo_dir: Path) -> None:
    import tomllib

    config = tomllib.loads((repo_dir / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    assert {"factdesk.seeds", "factdesk.resources"} <= set(setuptools["packages"])
    assert setuptools["package-dir"]["factdesk.seeds"] == "seeds"
    assert setuptools["package-dir"]["factdesk.resources"] == "resources"
    data = setuptools["package-data"]
    assert "*" in data["factdesk.seeds"] and "*" in data["factdesk.resources"]
