"""Gradio's sign-in, shared by every app process on one database.

Gradio keeps the tokens of its sign-in in a dict in the process (App.tokens) and names the cookie
after a random id of the process, so after a failover a candidate would have to sign in again.
Here the dict is replaced by a view of the accounts' database (which keeps only hashes of the
tokens), and the cookie's name comes from the database's shared secret: any replica honours a
sign-in made on another, and the sign-in itself is still Gradio's own.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any, Protocol


class SignIns(Protocol):
    """What the accounts (interviewer.accounts.Accounts) keep of sign-ins."""

    def keep_sign_in(self, token: str, name: str) -> None: ...

    def signed_in_as(self, token: str) -> str | None: ...

    def sign_out(self, token: str) -> None: ...


class SharedTokens(MutableMapping[str, str]):
    """Token -> account name, as Gradio reads and writes App.tokens."""

    def __init__(self, accounts: SignIns) -> None:
        self.accounts = accounts

    def __getitem__(self, token: Any) -> str:
        name = self.accounts.signed_in_as(token) if isinstance(token, str) and token else None
        if name is None:
            raise KeyError("not signed in")
        return name

    def __setitem__(self, token: str, name: str) -> None:
        self.accounts.keep_sign_in(token, name)

    def __delitem__(self, token: str) -> None:
        self.accounts.sign_out(token)

    def __iter__(self) -> Iterator[str]:
        # Only hashes are kept: there are no tokens to list (Gradio lists them only to sign a
        # user out everywhere, which `interviewer users reset` does instead).
        return iter(())

    def __len__(self) -> int:
        return 0


def share_sign_ins(blocks: Any, accounts: SignIns, cookie_id: str) -> None:
    """Make a launched app's sign-in shared: right after launch, before anyone has signed in."""
    blocks.app.tokens = SharedTokens(accounts)
    blocks.app.cookie_id = cookie_id
