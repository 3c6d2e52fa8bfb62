"""Accounts on every storage: hashes, names, the lockout and its sharing between processes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from interviewer.accounts import (
    AccountError,
    AccountExists,
    AccountNotFound,
    Accounts,
    MemoryAccounts,
    SqliteAccounts,
    account_store_for,
)
from interviewer.accounts.postgres_accounts import PostgresAccounts
from interviewer.accounts.service import FREE_FAILURES, SIGN_IN_LASTS, lockout

PASSWORD = "correct horse battery"

pytestmark = pytest.mark.usefixtures("cheap_password_hashes")


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 5, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def storage(request, tmp_path: Path):  # type: ignore[no-untyped-def]
    if request.param == "postgres":
        return PostgresAccounts(request.getfixturevalue("pg_open")(request.getfixturevalue("pg_url")).database)
    return MemoryAccounts() if request.param == "memory" else SqliteAccounts(tmp_path / "sessions.sqlite3")


def test_the_password_is_kept_as_an_argon2id_hash_and_checked(storage) -> None:  # type: ignore[no-untyped-def]
    accounts = Accounts(storage)
    accounts.add("Alice", "candidate", PASSWORD)
    stored = storage.get("alice")
    assert stored.password_hash.startswith("$argon2id$") and PASSWORD not in stored.password_hash
    assert accounts.sign_in("alice", PASSWORD) and accounts.sign_in("ALICE", PASSWORD)
    assert not accounts.sign_in("alice", PASSWORD + "!") and not accounts.sign_in("bob", PASSWORD)


def test_names_roles_and_passwords_are_checked(storage) -> None:  # type: ignore[no-untyped-def]
    accounts = Accounts(storage)
    accounts.add("alice", "coach", PASSWORD)
    with pytest.raises(AccountExists):
        accounts.add("ALICE", "candidate", PASSWORD)
    for name, role, password, message in [("bad name", "candidate", PASSWORD, "not a valid account name"),
                                          ("../x", "candidate", PASSWORD, "not a valid account name"),
                                          ("bob", "admin", PASSWORD, "unknown role"),
                                          ("bob", "candidate", "short", "too short"),
                                          ("bob", "candidate", "", "too short")]:
        with pytest.raises(AccountError, match=message):
            accounts.add(name, role, password)
    assert [a.name for a in accounts.all()] == ["alice"]
    with pytest.raises(AccountNotFound):
        accounts.reset("bob", PASSWORD)
    with pytest.raises(AccountNotFound):
        accounts.remove("bob")


def test_wrong_passwords_lock_the_account_for_a_growing_time(storage) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    accounts = Accounts(storage, clock)
    accounts.add("alice", "candidate", PASSWORD)
    for _ in range(FREE_FAILURES):
        assert not accounts.sign_in("alice", "wrong password!")
    assert not accounts.sign_in("alice", PASSWORD)  # locked: even the right password is refused
    clock.now += lockout(FREE_FAILURES) + timedelta(seconds=1)
    assert not accounts.sign_in("alice", "wrong password!")  # one more: locked twice as long
    clock.now += lockout(FREE_FAILURES) + timedelta(seconds=1)
    assert not accounts.sign_in("alice", PASSWORD)
    clock.now += lockout(FREE_FAILURES + 1)
    assert accounts.sign_in("alice", PASSWORD)
    assert storage.get("alice").failed_logins == 0  # the right password starts the count again
    assert lockout(FREE_FAILURES + 1) == 2 * lockout(FREE_FAILURES) and lockout(100) == timedelta(hours=1)


def test_a_reset_lifts_the_lockout(storage) -> None:  # type: ignore[no-untyped-def]
    accounts = Accounts(storage, Clock())
    accounts.add("alice", "candidate", PASSWORD)
    for _ in range(FREE_FAILURES):
        accounts.sign_in("alice", "wrong password!")
    accounts.reset("alice", "another good password")
    assert accounts.sign_in("alice", "another good password") and not accounts.sign_in("alice", PASSWORD)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_two_processes_on_one_database_share_the_lockout(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    clock = Clock()
    if backend == "sqlite":
        one = Accounts(SqliteAccounts(tmp_path / "sessions.sqlite3"), clock)
        two = Accounts(SqliteAccounts(tmp_path / "sessions.sqlite3"), clock)
    else:
        url, open_store = request.getfixturevalue("pg_url"), request.getfixturevalue("pg_open")
        one, two = (Accounts(account_store_for(open_store(url)), clock) for _ in range(2))
    one.add("alice", "candidate", PASSWORD)
    for index in range(FREE_FAILURES):
        assert not (one if index % 2 else two).sign_in("alice", "wrong password!")
    assert not one.sign_in("alice", PASSWORD) and not two.sign_in("alice", PASSWORD)
    assert two.locked_until(two.named("alice")) is not None


def test_an_outdated_hash_is_replaced_at_sign_in(storage) -> None:  # type: ignore[no-untyped-def]
    from argon2 import PasswordHasher

    accounts = Accounts(storage)
    accounts.add("alice", "candidate", PASSWORD)
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    storage.set_password("alice", weak)
    assert accounts.sign_in("alice", PASSWORD)
    assert storage.get("alice").password_hash != weak and accounts.sign_in("alice", PASSWORD)


def test_a_sign_in_holds_for_its_time_and_ends_with_a_reset_a_removal_or_a_sign_out(storage) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    accounts = Accounts(storage, clock)
    for name in ("alice", "bob"):
        accounts.add(name, "candidate", PASSWORD)
    accounts.keep_sign_in("token-a1", "Alice")
    accounts.keep_sign_in("token-a2", "alice")
    accounts.keep_sign_in("token-b", "bob")
    assert [accounts.signed_in_as(t) for t in ("token-a1", "token-b", "token-x")] == ["alice", "bob", None]
    accounts.sign_out("token-a1")
    assert accounts.signed_in_as("token-a1") is None and accounts.signed_in_as("token-a2") == "alice"
    accounts.reset("alice", PASSWORD + "2")
    assert accounts.signed_in_as("token-a2") is None and accounts.signed_in_as("token-b") == "bob"
    clock.now += SIGN_IN_LASTS + timedelta(seconds=1)
    assert accounts.signed_in_as("token-b") is None
    accounts.keep_sign_in("token-b2", "bob")
    accounts.remove("bob")
    assert accounts.signed_in_as("token-b2") is None


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_a_sign_in_made_on_one_process_holds_on_another(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    if backend == "sqlite":
        one, two = (Accounts(SqliteAccounts(tmp_path / "sessions.sqlite3")) for _ in range(2))
    else:
        url, open_store = request.getfixturevalue("pg_url"), request.getfixturevalue("pg_open")
        one, two = (Accounts(account_store_for(open_store(url))) for _ in range(2))
    one.add("alice", "candidate", PASSWORD)
    one.keep_sign_in("token-a", "alice")
    assert two.signed_in_as("token-a") == "alice"
    two.sign_out("token-a")
    assert one.signed_in_as("token-a") is None
