"""The benchmarks' AWS side in a child process (moto, the fleet, whatever else the benchmark runs there), so its
CPU never counts as warroom's: the parent runs `python SCRIPT --world STATE ...` and waits for the state file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator


@contextmanager
def world(script: str, *args: str, nice: int = 0) -> Iterator[Path]:
    """Start the child (at `nice`: on a machine with few cores, AWS simulated here competes with warroom for them,
    which a remote AWS never does); yield its state file once it is written (the child is ready); kill it after."""
    state = Path(tempfile.mkdtemp(prefix="warroom-bench-")) / "world.json"
    child = subprocess.Popen([sys.executable, script, "--world", str(state), *args],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             preexec_fn=(lambda: os.nice(nice)) if nice else None)
    try:
        while not state.exists():
            if child.poll() is not None:
                raise SystemExit(f"{Path(script).name}: the AWS child process ended")
            time.sleep(0.2)
        yield state
    finally:
        child.kill()
        child.wait()
        shutil.rmtree(state.parent, ignore_errors=True)


def tell(state: Path, data: dict[str, Any]) -> None:
    """The child: write the state file whole (the parent never reads half of it)."""
    state.with_suffix(".tmp").write_text(json.dumps(data))
    state.with_suffix(".tmp").replace(state)


def read(state: Path) -> dict[str, Any]:
    return json.loads(state.read_text())
