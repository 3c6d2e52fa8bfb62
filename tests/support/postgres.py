"""A throwaway PostgreSQL cluster for the tests: Debian's server binaries, a temp folder, a free port.

Connections over TCP need the superuser's password (scram), so tests can check that no message
carries it; the unix socket trusts the local user and serves the test's own admin work.
"""

from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from deploy.local_postgres import INSTALL_HINT, as_server_user, hand_over, server_bindir


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    def __init__(self, bindir: Path) -> None:
        self.bindir, self.port = bindir, free_port()
        self.password = "pw-" + secrets.token_hex(8)
        self.root = Path(tempfile.mkdtemp(prefix="interviewer-pg-"))
        self.data, self.sockets, self.log = self.root / "data", self.root / "sockets", self.root / "server.log"
        self.sockets.mkdir()
        pwfile = self.root / "pwfile"
        pwfile.write_text(self.password + "\n")
        hand_over(self.root, self.sockets, pwfile)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--pwfile", str(pwfile),
                  "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync", "-E", "UTF8")
        pwfile.unlink()
        self.start()

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run(as_server_user([str(self.bindir / program), *args]), capture_output=True, text=True, check=False)
        if done.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"{program} failed: {done.stderr or done.stdout}\n{log[-2000:]}")

    def start(self) -> None:
        # Durability is of no use to a throwaway cluster; fsync off keeps the tests quick.
        options = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off " \
                  "-c synchronous_commit=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "30", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except RuntimeError:
            pass  # already stopped by a test
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, schema: str | None = None, password: str | None = None) -> str:
        """A TCP URL with the password; `schema` puts that schema first on the search path."""
        url = f"postgresql://postgres:{password or self.password}@127.0.0.1:{self.port}/postgres"
        return f"{url}?options=-csearch_path%3D{schema}" if schema else url

    def admin(self) -> str:
        """A conninfo for the test's own work, over the trusted unix socket."""
        return f"host={self.sockets} port={self.port} user=postgres dbname=postgres"

    def new_schema(self) -> str:
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.admin(), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        return name


def start_cluster() -> Cluster:
    """A running cluster; fails the test (never skips it) when the server is not installed."""
    bindir = server_bindir()
    if bindir is None:
        pytest.fail(f"PostgreSQL's server binaries (initdb, pg_ctl) are not installed: {INSTALL_HINT}", pytrace=False)
    return Cluster(bindir)
