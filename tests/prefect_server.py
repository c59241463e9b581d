"""A real Prefect server for the test session: `prefect server start` on 127.0.0.1, SQLite in a temp folder.

It is the pinned Prefect the project runs (the `prefect` of this virtualenv), started once per
session, as early as collection shows a test needs it (migrating a fresh SQLite database takes
a minute on a busy 2-core machine, so it starts while other tests run), and stopped at the end.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def client_env(api_url: str, home: Path) -> dict[str, str]:
    """Environment for a process that talks to this server (serve, a flow run), isolated from ~/.prefect."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(
        PREFECT_API_URL=api_url,
        PREFECT_HOME=str(home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        PREFECT_LOGGING_LEVEL="WARNING",
    )
    return env


class PrefectServer:
    """One `prefect server start` process; `api_url` once `wait()` returned."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="regionews-prefect-"))
        self.port = free_port()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        self.log_path = self.root / "server.log"
        env = client_env(self.api_url, self.root / "home")
        del env["PREFECT_API_URL"]  # the server itself has no API to talk to
        env.update(
            PREFECT_SERVER_DATABASE_CONNECTION_URL=f"sqlite+aiosqlite:///{self.root / 'prefect.db'}",
            PREFECT_SERVER_UI_ENABLED="false",
            PREFECT_SERVER_LOGGING_LEVEL="WARNING",
        )
        self._log: BinaryIO | None = self.log_path.open("wb")
        prefect = Path(sys.executable).with_name("prefect")
        self.process: subprocess.Popen[bytes] | None = subprocess.Popen(
            [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(self.port), "--no-ui"],
            env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    @classmethod
    def running(cls, api_url: str) -> PrefectServer:
        """A server someone else started and stops (`make prefect-server`): used, never stopped."""
        server = cls.__new__(cls)
        server.root = Path(tempfile.mkdtemp(prefix="regionews-prefect-"))
        server.port = int(api_url.rsplit(":", 1)[1].split("/", 1)[0])
        server.api_url = api_url.rstrip("/")
        server.log_path = server.root / "server.log"
        server.log_path.write_text(f"(server at {server.api_url} started outside the tests)\n")
        server._log = None
        server.process = None
        return server

    def wait(self, timeout: float = 300.0) -> str:
        """Block until the API answers its health check; the API URL."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(
                    f"prefect server exited with {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                if httpx.get(self.api_url + "/health", timeout=2).status_code == 200:
                    return self.api_url
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"prefect server did not answer within {timeout:.0f}s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text("utf-8", "replace").splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 30 s; the temp folder goes with it."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self._log is not None:
            self._log.close()
        shutil.rmtree(self.root, ignore_errors=True)
