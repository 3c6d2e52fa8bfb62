"""A PostgreSQL cluster of the class's own, kept in one folder: for trying the class on one machine.

Debian's server binaries run it (scripts/install-postgres.sh installs them). It listens on no
network port, only on a unix socket inside its folder that only its owner can open: the replicas
and `interviewer users` reach it without a password, and nobody else on the machine reaches it.
Its data stays in the folder from one run to the next.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

INSTALL_HINT = "run scripts/install-postgres.sh (it installs Debian's postgresql package)"
PORT = 5432  # only names the socket file: the cluster listens on no TCP port
DATABASE = "interviewer"
SOCKET_PATH_MAX = 107  # the longest unix socket path Linux accepts


class PostgresError(Exception):
    """The cluster could not be set up or started; the message says why and what to do."""


def server_bindir() -> Path | None:
    """Where initdb and pg_ctl are: pg_config's answer, else the newest Debian install."""
    candidates = []
    if shutil.which("pg_config"):
        found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(found.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        if folder and (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def server_user() -> str | None:
    """initdb refuses to run as root: a cluster started by root belongs to the postgres system user."""
    return "postgres" if os.geteuid() == 0 else None


def as_server_user(command: list[str]) -> list[str]:
    user = server_user()
    return ["runuser", "-u", user, "--", *command] if user else command


def hand_over(*paths: Path) -> None:
    """Give folders to the user the server runs as."""
    if user := server_user():
        account = pwd.getpwnam(user)
        for path in paths:
            os.chown(path, account.pw_uid, account.pw_gid)


class LocalPostgres:
    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self.data, self.sockets, self.log = self.folder / "data", self.folder / "sockets", self.folder / "server.log"
        self.started = False  # by us, so ours to stop

    @property
    def url(self) -> str:
        """No password: the socket's folder is the lock."""
        return f"postgresql://postgres@/{DATABASE}?host={quote(str(self.sockets), safe='/')}&port={PORT}"

    def __enter__(self) -> LocalPostgres:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        """Create the cluster on first use, and start it unless it is running already (another
        command on the same folder started it: that one stops it)."""
        bindir = server_bindir()
        if bindir is None:
            raise PostgresError(f"PostgreSQL's server programs (initdb, pg_ctl) are not installed: {INSTALL_HINT}")
        socket = self.sockets / f".s.PGSQL.{PORT}"
        if len(str(socket)) > SOCKET_PATH_MAX:
            raise PostgresError(f"the folder {self.folder} is too deep for PostgreSQL's socket ({socket}): "
                                "choose a shorter --postgres-folder")
        if not (self.data / "PG_VERSION").exists():
            self._create(bindir)
        if self._pg_ctl(bindir, "status", check=False).returncode == 0:
            return
        options = f"-p {PORT} -k {self.sockets} -c listen_addresses= -c unix_socket_permissions=0700"
        self._pg_ctl(bindir, "start", "-l", str(self.log), "-o", options, "-w", "-t", "60")
        self.started = True
        self._create_database()

    def stop(self) -> None:
        if self.started and (bindir := server_bindir()):
            self._pg_ctl(bindir, "stop", "-m", "fast", "-w", check=False)
            self.started = False

    def _create(self, bindir: Path) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.sockets.mkdir(mode=0o700, exist_ok=True)
        hand_over(self.folder, self.sockets)
        self._run([str(bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth-local=trust",
                   "--auth-host=reject", "-E", "UTF8"], "initdb")

    def _create_database(self) -> None:
        import psycopg

        server = self.url.replace(f"/{DATABASE}?", "/postgres?")
        with psycopg.connect(server, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone():
                conn.execute(f"CREATE DATABASE {DATABASE}")

    def _pg_ctl(self, bindir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self._run([str(bindir / "pg_ctl"), "-D", str(self.data), *args], "pg_ctl " + args[0], check)

    def _run(self, command: list[str], what: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(as_server_user(command), capture_output=True, text=True, check=False)
        if check and done.returncode != 0:
            log = self.log.read_text(errors="replace")[-1500:] if self.log.exists() else ""
            reach = f" (the {server_user()} user must be able to reach {self.folder})" if server_user() else ""
            raise PostgresError(f"{what} failed{reach}:\n{(done.stderr or done.stdout).strip()}\n{log}".rstrip())
        return done
