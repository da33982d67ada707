"""The sample set and resources are found whether FactDesk is installed or checked out."""

from __future__ import annotations

from factdesk.core import bundled


def test_sample_set_has_the_five_versions() -> None:
    paths = bundled.sample_paths()
    assert len(paths) == 5
    assert all(p.is_file() and p.suffix == ".txt" for p in paths)


def test_report_template_is_a_bundled_resource() -> None:
    assert bundled.resource_path("report.html.j2").is_file()


def test_unknown_folder_is_none() -> None:
    assert bundled.bundled_dir("no-such-folder") is None
