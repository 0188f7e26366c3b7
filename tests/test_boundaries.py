"""The I/O boundary: only tui/data/ imports boto3/botocore; the data layer never imports textual; the widgets and
screens load neither, even transitively; imports run one way (no cycles)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {"tui": "warroom", "widgets": "warroom.widgets", "screens": "warroom.screens", "themes": "warroom.themes"}


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


def module_name(path: Path) -> str:
    folder, *rest = path.relative_to(ROOT).with_suffix("").parts
    return ".".join([PACKAGES[folder], *(part for part in rest if part != "__init__")])


def runtime_imports(path: Path, known: set[str]) -> set[str]:
    """The warroom modules `path` imports when it runs (at the top or in a function), not for typing only."""
    tree = ast.parse(path.read_text())
    typing_only = {id(node) for block in ast.walk(tree)
                   if isinstance(block, ast.If) and ast.unparse(block.test).endswith("TYPE_CHECKING")
                   for statement in block.body for node in ast.walk(statement)}
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.update(f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in known else node.module
                         for alias in node.names)
    return names & known


def test_only_the_data_layer_imports_boto3():
    # tui/demo stands in for AWS and PostgreSQL themselves (seeding, the workload): it is not the app
    outside = [p for p in files("tui", "widgets", "screens", "themes")
               if not {"data", "demo"} & set(p.relative_to(ROOT).parts)]
    offenders = [str(p) for p in outside if imported(p) & {"boto3", "botocore", "psycopg"}]
    assert offenders == []


def test_the_data_layer_and_the_backend_seam_never_import_textual():
    below = [*files("tui/data"), *(ROOT / "tui" / name for name in ("backend.py", "aws_backend.py", "runner.py"))]
    offenders = [str(p) for p in below if imported(p) & {"textual", "rich"}]
    assert offenders == []


def test_screens_reach_the_world_through_the_backend():
    """No screen calls the data layer's reads or holds the AWS connection: they ask `self.backend`."""
    for path in files("screens"):
        text = path.read_text()
        assert ".aws" not in text and "import read_" not in text and "data.live_tail" not in text, path


def test_nothing_imports_the_folders_by_their_own_names():
    """They are installed as `warroom` and its subpackages only; `import tui` works in the repository alone."""
    offenders = [str(p) for p in files("tui", "widgets", "screens", "themes", "tests", "bench")
                 if imported(p) & {"tui", "widgets", "screens", "themes"}]
    assert offenders == []


def test_widgets_never_fetch():
    for path in files("widgets"):
        text = path.read_text()
        assert "warroom.data.aws" not in text and "await " not in text and "import read_" not in text, path


def test_only_the_app_imports_widgets_or_screens():
    """The rest of tui/ sits below the UI: what it shares with the widgets lives in tui/ (e.g. warroom.text)."""
    known = {module_name(p) for p in files("tui", "widgets", "screens")}
    ui = ("warroom.widgets", "warroom.screens")
    offenders = {str(p): found for p in files("tui") if p != ROOT / "tui" / "app.py"
                 if (found := {m for m in runtime_imports(p, known) if m.startswith(ui)})}
    assert offenders == {}


def test_the_widgets_and_screens_load_no_aws_or_postgres_client():
    """Transitively too: a screen's actions reach the data layer, which imports botocore only when it calls AWS."""
    modules = sorted(module_name(p) for p in files("widgets", "screens"))
    code = ("import importlib, sys\n"
            "seen = set()\n"
            f"for name in {modules!r}:\n"
            "    importlib.import_module(name)\n"
            "    loaded = {m.split('.')[0] for m in sys.modules} & {'boto3', 'botocore', 'psycopg'}\n"
            "    if loaded - seen:\n"
            "        print(name, 'loads', sorted(loaded - seen))\n"
            "    seen |= loaded\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""


def test_no_import_cycles():
    """Imports run one way, function-level ones included; an import under TYPE_CHECKING is for typing only."""
    paths = files("tui", "widgets", "screens", "themes")
    known = {module_name(p) for p in paths}
    graph = {module_name(p): runtime_imports(p, known) - {module_name(p)} for p in paths}
    cycles: list[list[str]] = []
    state: dict[str, str] = {}
    trail: list[str] = []

    def visit(name: str) -> None:
        state[name] = "open"
        trail.append(name)
        for other in sorted(graph[name]):
            if state.get(other) == "open":
                cycles.append(trail[trail.index(other):] + [other])
            elif other not in state:
                visit(other)
        trail.pop()
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name)
    assert cycles == []
