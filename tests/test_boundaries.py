"""The I/O boundary: only tui/data/ imports boto3/botocore; the data layer never imports textual."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def files(*folders: str) -> list[Path]:
    return [p for folder in folders for p in (ROOT / folder).rglob("*.py")]


def test_only_the_data_layer_imports_boto3():
    # tui/demo stands in for AWS and PostgreSQL themselves (seeding, the workload): it is not the app
    outside = [p for p in files("tui", "widgets", "screens", "themes")
               if not {"data", "demo"} & set(p.relative_to(ROOT).parts)]
    offenders = [str(p) for p in outside if imported(p) & {"boto3", "botocore", "psycopg"}]
    assert offenders == []


def test_the_data_layer_never_imports_textual():
    offenders = [str(p) for p in files("tui/data") if imported(p) & {"textual", "rich"}]
    assert offenders == []


def test_nothing_imports_the_folders_by_their_own_names():
    """They are installed as `warroom` and its subpackages only; `import tui` works in the repository alone."""
    offenders = [str(p) for p in files("tui", "widgets", "screens", "themes", "tests", "bench")
                 if imported(p) & {"tui", "widgets", "screens", "themes"}]
    assert offenders == []


def test_widgets_never_fetch():
    for path in files("widgets"):
        text = path.read_text()
        assert "warroom.data.aws" not in text and "await " not in text and "import read_" not in text, path
