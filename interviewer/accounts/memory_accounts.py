"""Accounts in memory only: for an app that saves nothing, and for tests."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime

from interviewer.accounts.records import Account, AccountExists


class MemoryAccounts:
    def __init__(self) -> None:
        self._accounts: dict[str, Account] = {}
        self._sign_ins: dict[str, tuple[str, datetime]] = {}  # token hash: (name, when)
        self._lock = threading.Lock()

    def add(self, account: Account) -> None:
        with self._lock:
            if account.name in self._accounts:
                raise AccountExists(f"an account named {account.name!r} already exists")
            self._accounts[account.name] = account

    def get(self, name: str) -> Account | None:
        return self._accounts.get(name)

    def all(self) -> list[Account]:
        return sorted(self._accounts.values(), key=lambda a: a.name)

    def count(self) -> int:
        return len(self._accounts)

    def set_password(self, name: str, password_hash: str) -> bool:
        return self._update(name, password_hash=password_hash, failed_logins=0, last_failed_at=None)

    def remove(self, name: str) -> bool:
        self.end_sign_ins(name)
        with self._lock:
            return self._accounts.pop(name, None) is not None

    def failed(self, name: str, at: datetime) -> None:
        with self._lock:
            if (account := self._accounts.get(name)) is not None:
                self._accounts[name] = replace(account, failed_logins=account.failed_logins + 1, last_failed_at=at)

    def succeeded(self, name: str) -> None:
        self._update(name, failed_logins=0, last_failed_at=None)

    def _update(self, name: str, **changes: object) -> bool:
        with self._lock:
            if (account := self._accounts.get(name)) is None:
                return False
            self._accounts[name] = replace(account, **changes)  # type: ignore[arg-type]
            return True

    def keep_sign_in(self, token_hash: str, name: str, at: datetime, forget_before: datetime) -> None:
        with self._lock:
            self._sign_ins = {key: kept for key, kept in self._sign_ins.items() if kept[1] >= forget_before}
            self._sign_ins[token_hash] = (name, at)

    def signed_in_as(self, token_hash: str, since: datetime) -> str | None:
        name, at = self._sign_ins.get(token_hash, (None, since))
        return name if at >= since else None

    def end_sign_ins(self, name: str | None = None, token_hash: str | None = None) -> None:
        with self._lock:
            self._sign_ins = {key: kept for key, kept in self._sign_ins.items() if kept[0] != name and key != token_hash}
