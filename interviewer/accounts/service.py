"""Accounts as the app and the command line use them: managing them, and signing in with a lockout.

After FREE_FAILURES wrong passwords in a row an account is locked, for a time that doubles with
each further wrong password; while locked even the right password is refused. The count is kept
by the AccountStore, so every app process on the database sees the same lockout.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from interviewer.accounts import passwords
from interviewer.accounts.protocol import AccountStore
from interviewer.accounts.records import ROLES, Account, AccountError, AccountNotFound, Role, account_name

log = logging.getLogger(__name__)

FREE_FAILURES = 5
FIRST_LOCKOUT = timedelta(seconds=30)
LONGEST_LOCKOUT = timedelta(hours=1)
SIGN_IN_LASTS = timedelta(hours=12)  # a day's class; then the candidate signs in again


def lockout(failures: int) -> timedelta:
    """How long an account stays locked after its latest wrong password."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(FIRST_LOCKOUT * 2 ** min(failures - FREE_FAILURES, 20), LONGEST_LOCKOUT)


def locked_until(account: Account) -> datetime | None:
    if account.last_failed_at is None or account.failed_logins < FREE_FAILURES:
        return None
    return account.last_failed_at + lockout(account.failed_logins)


class Accounts:
    def __init__(self, store: AccountStore, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.store, self.clock = store, clock

    def exist(self) -> bool:
        return self.store.count() > 0

    def all(self) -> list[Account]:
        return self.store.all()

    def find(self, name: str | None) -> Account | None:
        """The account signed in as `name`, or None (no name, or an account removed since)."""
        if not name:
            return None
        try:
            return self.store.get(account_name(name))
        except AccountError:
            return None

    def named(self, name: str) -> Account:
        """The account; AccountError for a name no account could have, AccountNotFound for one none has."""
        name = account_name(name)
        account = self.store.get(name)
        if account is None:
            raise self._unknown(name)
        return account

    def locked_until(self, account: Account) -> datetime | None:
        """When the account's lockout ends, if it is locked now."""
        until = locked_until(account)
        return until if until is not None and self.clock() < until else None

    def add(self, name: str, role: str, password: str) -> Account:
        if role not in ROLES:
            raise AccountError(f"unknown role {role!r}: use {' or '.join(ROLES)}")
        role_: Role = role  # type: ignore[assignment]
        account = Account(account_name(name), role_, passwords.hash_password(password), self.clock())
        self.store.add(account)
        return account

    def reset(self, name: str, password: str) -> None:
        """A new password; it also lifts any lockout and ends the account's sign-ins."""
        name = account_name(name)
        if not self.store.set_password(name, passwords.hash_password(password)):
            raise self._unknown(name)
        self.store.end_sign_ins(name)

    def remove(self, name: str) -> None:
        name = account_name(name)
        if not self.store.remove(name):
            raise self._unknown(name)

    def sign_in(self, name: str, password: str) -> bool:
        """Whether to let this name in. Unknown names, wrong passwords and locked accounts are
        refused alike, so the answer tells a guesser nothing more than "no"."""
        account = self.find(name)
        if account is None:
            passwords.waste_time(password)
            return False
        if (until := self.locked_until(account)) is not None:
            passwords.waste_time(password)  # as slow as a check, so the timing does not tell it is locked
            log.warning("sign-in refused: account %r is locked until %s", account.name, until.isoformat(timespec="seconds"))
            return False
        right, rehashed = passwords.verify(account.password_hash, password)
        if not right:
            self.store.failed(account.name, self.clock())
            log.warning("sign-in refused: wrong password for %r", account.name)
            return False
        if rehashed:
            self.store.set_password(account.name, rehashed)
        self.store.succeeded(account.name)
        return True

    # Sign-ins, by the token the browser holds; only a hash of it is stored, so reading the
    # database does not let anyone sign in.

    def keep_sign_in(self, token: str, name: str) -> None:
        now = self.clock()
        self.store.keep_sign_in(_hashed(token), account_name(name), now, now - SIGN_IN_LASTS)

    def signed_in_as(self, token: str) -> str | None:
        return self.store.signed_in_as(_hashed(token), self.clock() - SIGN_IN_LASTS)

    def sign_out(self, token: str) -> None:
        self.store.end_sign_ins(token_hash=_hashed(token))

    @staticmethod
    def _unknown(name: str) -> AccountNotFound:
        return AccountNotFound(f"no account named {name!r} (see `interviewer users list`)")


def _hashed(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
