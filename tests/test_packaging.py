"""Installed as one package, `warroom`: the folders tui/, widgets/, screens/ and themes/ become warroom,
warroom.widgets, warroom.screens and warroom.themes, so nothing of ours lands in site-packages under a name
another distribution (or the user's own code) could hold."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_holds_one_top_level_package(tmp_path):
    source = tmp_path / "source"  # a copy: setuptools builds in the source tree
    for part in ("tui", "widgets", "screens", "themes"):
        shutil.copytree(ROOT / part, source / part, ignore=shutil.ignore_patterns("__pycache__"))
    for part in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / part, source / part)
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(tmp_path)],
                   check=True, capture_output=True, timeout=300)
    [wheel] = tmp_path.glob("warroom-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/")[0] for name in names} == {"warroom", wheel.name.split("-py")[0] + ".dist-info"}
    assert {"warroom/cli.py", "warroom/data/aws.py", "warroom/widgets/pane.py", "warroom/screens/main.py",
            "warroom/themes/warroom.tcss"} <= set(names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "warroom = warroom.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_the_editable_install_imports_the_folders_as_warroom():
    done = subprocess.run([sys.executable, "-c", "import warroom.cli, warroom.screens.main, warroom.themes; "
                           "print(warroom.screens.main.__file__)"], cwd="/", capture_output=True, text=True,
                          timeout=60, check=True)
    assert Path(done.stdout.strip()) == ROOT / "screens" / "main.py"
