"""A throwaway PostgreSQL server on a free loopback port, for `--demo` and the tests.

The binaries come from `WARROOM_PG_BIN`, else the first of the `pgserver` wheel (PostgreSQL 16, no system
packages) and Debian's /usr/lib/postgresql/*/bin that has pg_stat_statements (Debian's postgresql-contrib; the
wheel has none), else the first found. With the library, the server preloads it. PostgreSQL refuses to run as
root, so as root the server runs as `nobody` with its data directory handed over to that user.
"""

from __future__ import annotations

import glob
import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

USER = "warroom"  # the superuser initdb creates
MAX_CONNECTIONS = 40
STATEMENTS_LIBRARY = "pg_stat_statements.so"


class PostgresUnavailable(Exception):
    """No PostgreSQL binaries were found, or the server would not start."""


def binaries() -> Path:
    """The directory holding initdb, pg_ctl and postgres."""
    candidates = [os.environ.get("WARROOM_PG_BIN", "")]
    spec = importlib.util.find_spec("pgserver")
    if spec and spec.submodule_search_locations:
        candidates += [str(Path(p) / "pginstall" / "bin") for p in spec.submodule_search_locations]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    found = [Path(c) for c in candidates if c and (Path(c) / "pg_ctl").exists()]
    if not found:
        raise PostgresUnavailable("no PostgreSQL binaries: install the demo extra (pgserver) or set WARROOM_PG_BIN")
    if os.environ.get("WARROOM_PG_BIN"):
        return found[0]
    return next((path for path in found if has_statements(path)), found[0])


def has_statements(bin_dir: Path) -> bool:
    """Whether the installation of `bin_dir` has the pg_stat_statements library."""
    lib = bin_dir.parent / "lib"
    return any((folder / STATEMENTS_LIBRARY).exists() for folder in (lib, lib / "postgresql"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresServer:
    """initdb in a temporary directory, then start/stop/restart on one loopback port."""

    def __init__(self, port: int | None = None) -> None:
        self.bin = binaries()
        self.statements = has_statements(self.bin)  # preloaded: CREATE EXTENSION then makes it readable
        self.port = port or free_port()
        self.root = Path(tempfile.mkdtemp(prefix="warroom-pg-"))
        self.data = self.root / "data"
        self._as = None if os.geteuid() != 0 else pwd.getpwnam("nobody")
        if self._as is not None:
            os.chown(self.root, self._as.pw_uid, self._as.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", USER, "--auth=trust", "-E", "UTF8", "--no-sync")

    @property
    def conninfo(self) -> dict[str, str]:
        return {"host": "127.0.0.1", "port": str(self.port), "user": USER, "dbname": "postgres"}

    def _run(self, tool: str, *args: str) -> None:
        def demote() -> None:
            if self._as is not None:
                os.setgid(self._as.pw_gid)
                os.setuid(self._as.pw_uid)

        done = subprocess.run([str(self.bin / tool), *args], cwd=self.root, preexec_fn=demote,
                              capture_output=True, text=True, env={**os.environ, "LC_ALL": "C"})
        if done.returncode:
            raise PostgresUnavailable(f"{tool} failed: {(done.stderr or done.stdout).strip()[-500:]}")

    def start(self) -> None:
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
                   f"-c max_connections={MAX_CONNECTIONS} -c fsync=off"
                   + (" -c shared_preload_libraries=pg_stat_statements" if self.statements else ""))
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "start")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # -w waits for the socket; be sure TCP answers too
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def close(self) -> None:
        try:
            self.stop()
        except PostgresUnavailable:
            pass
        shutil.rmtree(self.root, ignore_errors=True)
