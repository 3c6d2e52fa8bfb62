"""The class's own PostgreSQL (deploy/local_postgres.py), which run-class.sh starts when given no --db."""

from __future__ import annotations

import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from deploy import local_postgres
from deploy.local_postgres import LocalPostgres, PostgresError

RUN_CLASS = Path(__file__).resolve().parents[2] / "deploy" / "run-class.sh"


@pytest.fixture
def folder() -> Iterator[Path]:
    """A folder the postgres user can reach when we are root (pytest's tmp_path is root's alone)."""
    parent = Path(tempfile.mkdtemp(prefix="interviewer-class-pg-"))
    parent.chmod(0o755)
    yield parent / "pg"
    shutil.rmtree(parent, ignore_errors=True)


def run_class(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(RUN_CLASS), *args], input=stdin, capture_output=True, text=True, timeout=120)


def test_accounts_added_with_run_class_are_there_when_the_class_starts_again(folder: Path) -> None:
    added = run_class("users", "--postgres-folder", str(folder), "add", "carol", "--role", "coach",
                      "--password-stdin", stdin="carol-password-1\n")
    assert added.returncode == 0, added.stderr
    # The command started the cluster for itself and stopped it again.
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(LocalPostgres(folder).url, connect_timeout=2).close()
    with LocalPostgres(folder) as postgres:
        assert postgres.started
        listed = run_class("users", "--postgres-folder", str(folder), "list")  # while it runs: left running
        assert listed.returncode == 0 and listed.stdout.split()[:2] == ["carol", "coach"], listed.stderr
    with pytest.raises(psycopg.OperationalError):  # stopped by whoever started it
        psycopg.connect(postgres.url, connect_timeout=2).close()


def test_it_listens_on_no_port_and_only_its_owner_reaches_its_socket(folder: Path) -> None:
    with LocalPostgres(folder) as postgres:
        with psycopg.connect(postgres.url) as conn:
            assert conn.execute("SHOW listen_addresses").fetchone() == ("",)
            assert conn.execute("SHOW unix_socket_permissions").fetchone() == ("0700",)
        assert stat.S_IMODE(postgres.sockets.stat().st_mode) == 0o700
        assert ":" not in postgres.url.split("@")[0].removeprefix("postgresql://")  # no password in it


def test_without_the_server_programs_it_says_how_to_install_them(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(local_postgres, "server_bindir", lambda: None)
    with pytest.raises(PostgresError, match="scripts/install-postgres.sh"):
        LocalPostgres(tmp_path / "pg").start()


def test_a_folder_too_deep_for_a_socket_is_refused_before_anything_is_created(tmp_path: Path) -> None:
    folder = tmp_path / ("x" * 100)
    with pytest.raises(PostgresError, match="too deep.*--postgres-folder"):
        LocalPostgres(folder).start()
    assert not folder.exists()
