"""`interviewer users`: add, reset, remove and list accounts, with clear errors, never echoing a password."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from interviewer.accounts import Accounts, SqliteAccounts
from interviewer.cli import main
from interviewer.rubric import DEFAULT_RUBRICS_DIR, RubricBank
from interviewer.store import open_store
from store.interviews import opened

PASSWORD = "correct horse battery"

pytestmark = pytest.mark.usefixtures("cheap_password_hashes")


def users(capsys, monkeypatch, db: Path | str, *args: str, stdin: str = "") -> tuple[int, str]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["users", *args, "--db", str(db)])
    out = capsys.readouterr()
    assert PASSWORD not in out.out + out.err
    return code, out.out + out.err


def test_add_list_reset_remove(capsys, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "sessions.sqlite3"
    assert users(capsys, monkeypatch, db, "add", "Alice", "--password-stdin", stdin=PASSWORD + "\n")[0] == 0
    assert users(capsys, monkeypatch, db, "add", "carol", "--role", "coach", "--password-stdin", stdin=PASSWORD + "\n")[0] == 0
    code, listed = users(capsys, monkeypatch, db, "list")
    assert code == 0 and "alice\tcandidate" in listed and "carol\tcoach" in listed
    assert users(capsys, monkeypatch, db, "reset", "alice", "--password-stdin", stdin="a brand new password\n")[0] == 0
    accounts = Accounts(SqliteAccounts(db))
    assert accounts.sign_in("alice", "a brand new password") and not accounts.sign_in("alice", PASSWORD)
    assert users(capsys, monkeypatch, db, "remove", "ALICE")[0] == 0
    assert [a.name for a in accounts.all()] == ["carol"]


def test_the_password_is_asked_twice(capsys, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    code, said = users(capsys, monkeypatch, tmp_path / "s.sqlite3", "add", "alice")
    assert code == 1 and "differ" in said
    assert Accounts(SqliteAccounts(tmp_path / "s.sqlite3")).all() == []


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("add", "alice", "--password-stdin"), PASSWORD, "already exists"),
        (("add", "bob", "--password-stdin"), "short\n", "at least 10 characters"),
        (("add", "bob", "--password-stdin"), "\n", "at least 10 characters"),
        (("add", "bob smith", "--password-stdin"), PASSWORD, "not a valid account name"),
        (("reset", "bob", "--password-stdin"), PASSWORD, "no account named 'bob'"),
        (("remove", "bob"), "", "no account named 'bob'"),
    ],
)
def test_errors_say_what_is_wrong(capsys, monkeypatch, tmp_path: Path, args, stdin, message) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "sessions.sqlite3"
    users(capsys, monkeypatch, db, "add", "alice", "--password-stdin", stdin=PASSWORD)
    code, said = users(capsys, monkeypatch, db, *args, stdin=stdin)
    assert code == 1 and message in said


def test_a_bad_role_is_refused_by_the_parser(capsys, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exit_:
        users(capsys, monkeypatch, tmp_path / "s.sqlite3", "add", "bob", "--role", "admin")
    assert exit_.value.code == 2


def test_list_shows_a_lockout_and_reset_lifts_it(capsys, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "sessions.sqlite3"
    users(capsys, monkeypatch, db, "add", "alice", "--password-stdin", stdin=PASSWORD)
    accounts = Accounts(SqliteAccounts(db))
    for _ in range(5):
        accounts.sign_in("alice", "not the password")
    assert "locked until" in users(capsys, monkeypatch, db, "list")[1]
    users(capsys, monkeypatch, db, "reset", "alice", "--password-stdin", stdin=PASSWORD)
    assert "locked" not in users(capsys, monkeypatch, db, "list")[1] and accounts.sign_in("alice", PASSWORD)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_remove_keeps_the_sessions_unless_asked_and_says_what_became_of_them(  # type: ignore[no-untyped-def]
    capsys, monkeypatch, tmp_path: Path, request, backend: str
) -> None:
    # A URL as --db must reach PostgreSQL unchanged (a Path would make postgresql://host postgresql:/host).
    db = request.getfixturevalue("pg_url") if backend == "postgres" else str(tmp_path / "sessions.sqlite3")
    users(capsys, monkeypatch, db, "add", "alice", "--password-stdin", stdin=PASSWORD)
    store = open_store(db)
    rubric = RubricBank(DEFAULT_RUBRICS_DIR).get("uber-eta")
    for _ in range(2):
        store.create("user:alice", opened(rubric), None)
    bob = store.create("user:bob", opened(rubric), None)

    code, said = users(capsys, monkeypatch, db, "remove", "alice")
    assert code == 0 and "their 2 session(s) stay" in said and "--delete-sessions" in said
    code, said = users(capsys, monkeypatch, db, "add", "alice", "--password-stdin", stdin=PASSWORD)
    assert code == 0 and "now has the 2 session(s) left by an earlier account" in said

    code, said = users(capsys, monkeypatch, db, "remove", "alice", "--delete-sessions")
    assert code == 0 and "deleted their 2 session(s)" in said
    assert store.list_sessions(["user:alice"]) == [] and [s.id for s in store.list_sessions(["user:bob"])] == [bob]
    assert "no account named 'alice'" in users(capsys, monkeypatch, db, "remove", "alice", "--delete-sessions")[1]
    getattr(store, "close", lambda: None)()


def test_a_database_lost_midway_is_reported_in_one_line(capsys, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from interviewer.practice.roster import Roster
    from interviewer.store import StoreUnavailable

    def lost(*args: object) -> int:
        raise StoreUnavailable("session database postgresql://db/x: cannot forget an owner's sessions: server closed")

    monkeypatch.setattr(Roster, "remove", lost)
    code, said = users(capsys, monkeypatch, tmp_path / "s.sqlite3", "remove", "alice", "--delete-sessions")
    assert code == 1 and said.strip().splitlines() == [
        "interviewer: session database postgresql://db/x: cannot forget an owner's sessions: server closed"]
