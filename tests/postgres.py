"""A throwaway PostgreSQL cluster on 127.0.0.1 for the DuckLake tests and benchmark.

`initdb` + `pg_ctl` from Debian's PostgreSQL packages (`.ci/run` installs them) make a cluster in
a temporary folder, listening on a free loopback port with trust authentication for local
connections only. PostgreSQL refuses to run as root, and CI runs as root: then the cluster runs
as the unprivileged `postgres` user that Debian's package creates (the folder is handed to it).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path


class PostgresUnavailable(Exception):
    """PostgreSQL cannot be started here; the message says why."""


def _bin_dir() -> Path:
    """The folder with initdb and pg_ctl: PATH first, else Debian's /usr/lib/postgresql/<major>/bin."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(os.path.realpath(found)).parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]), reverse=True
    )
    if candidates:
        return Path(candidates[0]).parent
    raise PostgresUnavailable(
        "PostgreSQL is not installed (no initdb/pg_ctl): `apt-get install postgresql` (Debian), "
        "or run .ci/run, which installs it"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    """A running cluster; `dsn(db)` is a libpq connection string for one of its databases."""

    root: Path
    port: int
    bin_dir: Path
    user: str = "regionews"
    run_as: str | None = None  # the OS user the server runs as (when we are root)
    _databases: set[str] = field(default_factory=set)

    def dsn(self, database: str) -> str:
        return f"dbname={database} host=127.0.0.1 port={self.port} user={self.user}"

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(self.bin_dir / args[0]), *args[1:]],
            user=self.run_as,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            cwd=self.root,
        )

    def create_database(self, name: str) -> str:
        """A new empty database; returns its DSN."""
        psql = shutil.which("psql") or str(self.bin_dir / "psql")
        done = subprocess.run(
            [psql, "-X", "-q", "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, "-d", "postgres",
             "-c", f'CREATE DATABASE "{name}"'],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise PostgresUnavailable(f"CREATE DATABASE {name} failed: {done.stderr.strip()}")
        self._databases.add(name)
        return self.dsn(name)

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def start(timeout: float = 60) -> Cluster:
    """initdb and start a cluster in a new temporary folder; `stop()` removes it again."""
    bin_dir = _bin_dir()
    run_as = None
    root = Path(tempfile.mkdtemp(prefix="regionews-pg-"))
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(root, ignore_errors=True)
            raise PostgresUnavailable(
                "running as root and there is no `postgres` user to run the server as "
                "(Debian's postgresql package creates it)"
            ) from None
        os.chown(root, account.pw_uid, account.pw_gid)
        run_as = "postgres"
    cluster = Cluster(root=root, port=_free_port(), bin_dir=bin_dir, run_as=run_as)
    made = cluster._run(
        "initdb", "-D", str(root / "data"), "-U", cluster.user, "-A", "trust", "-E", "UTF8",
        "--no-sync", "--locale=C.UTF-8", timeout=timeout,
    )  # fmt: skip
    if made.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        raise PostgresUnavailable(f"initdb failed: {made.stderr.strip()[-500:]}")
    # Loopback only, socket in our folder, no fsync (a test cluster), enough connections for writers.
    options = f"-h 127.0.0.1 -p {cluster.port} -k {root} -F -c max_connections=100"
    for _attempt in range(3):
        started = cluster._run(
            "pg_ctl", "-D", str(root / "data"), "-l", str(root / "server.log"), "-o", options,
            "-w", "-t", str(int(timeout)), "start", timeout=timeout + 10,
        )  # fmt: skip
        if started.returncode == 0:
            return cluster
        # The port may have been taken between picking it and binding it: pick another.
        time.sleep(0.2)
        cluster.port = _free_port()
        options = f"-h 127.0.0.1 -p {cluster.port} -k {root} -F -c max_connections=100"
    log = (root / "server.log").read_text(errors="replace")[-800:] if (root / "server.log").exists() else ""
    shutil.rmtree(root, ignore_errors=True)
    raise PostgresUnavailable(f"pg_ctl start failed: {started.stderr.strip()} {log}")
