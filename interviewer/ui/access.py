"""Who is calling each handler, and what they may do.

With accounts, Gradio's own sign-in says who the caller is (gr.Request.username), and the owner of
their sessions is that account's; a browser's secret no longer counts. Without accounts, each
browser is its own owner and everyone may use the Coach tab, as on a single user's machine.

Roles are checked on the server by every coach handler: hiding a tab only tidies the page, since
anyone signed in can call any endpoint directly. And every handler of a page's own state checks
that the caller is whoever the page was loaded for: Gradio finds a page's state by an id that its
client chooses, so someone who learnt another person's id could otherwise act in their page.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Sequence
from typing import Any

import gradio as gr

from interviewer.practice.owners import account_owner, browser_owner, new_browser_secret
from interviewer.practice.records import Practice
from interviewer.practice.setup import PracticeApp

REFUSED = "Only a coach can do this; you are signed in as a candidate."
ELSEWHERE = "This page was opened by another sign-in: reload it to see your own."
SIGN_IN_MESSAGE = (
    "Sign in with the account your coach gave you. After 5 wrong passwords in a row the account is "
    "locked for a while, longer after each further one; your coach can reset your password."
)


def identify_browser(kept: Any) -> tuple[dict[str, Any], str]:
    """This browser's owner id; a browser without a valid secret gets a new one (and a fresh history)."""
    kept = kept if isinstance(kept, dict) else {}
    if browser_owner(kept.get("owner")) is None:
        kept = {"owner": new_browser_secret()}
    return kept, browser_owner(kept["owner"])  # type: ignore[return-value]


class Access:
    def __init__(self, app: PracticeApp, signed_in: bool) -> None:
        """`signed_in`: the app was launched with accounts, so everyone has signed in."""
        self.app, self.signed_in = app, signed_in

    def identify(self, kept: Any, request: gr.Request) -> tuple[dict[str, Any], str | None]:
        if not self.signed_in:
            return identify_browser(kept)
        return (kept if isinstance(kept, dict) else {}), self.owner_of(request)  # None once the account is removed

    def account(self, request: gr.Request | None) -> Any:
        """The caller's Account (the UI layer does not import interviewer.accounts); None without a
        sign-in, or once the account is removed."""
        return self.app.accounts.find(getattr(request, "username", None))

    def owner_of(self, request: gr.Request | None) -> str | None:
        account = self.account(request)
        return account_owner(account.name) if account else None

    def own_page_only(self, handler: Callable[..., Any], inputs: Sequence[Any], states: Sequence[Any]) -> Callable[..., Any]:
        """With accounts, `handler` refusing a caller who is not the owner of the page's `states`
        among its `inputs` (the owner id, or a Practice)."""
        if not self.signed_in:
            return handler
        at = [i for i, block in enumerate(inputs) if any(block is state for state in states)]
        # Gradio passes the request to a first parameter typed gr.Request, and streams a generator's
        # updates only when the function itself is one.
        if inspect.isgeneratorfunction(handler):
            def guarded(request: gr.Request, *args: Any) -> Any:
                self.require_page_owner(request, *(args[i] for i in at))
                yield from handler(*args)
        else:
            def guarded(request: gr.Request, *args: Any) -> Any:
                self.require_page_owner(request, *(args[i] for i in at))
                return handler(*args)
        guarded.__name__ = handler.__name__
        return guarded

    def require_page_owner(self, request: gr.Request | None, *values: Any) -> None:
        """With accounts, refuse a caller who does not own these values of the page's state."""
        if not self.signed_in:
            return
        caller = self.owner_of(request)
        for value in values:
            owner = value.owner if isinstance(value, Practice) else value
            if owner is not None and owner != caller:
                raise gr.Error(ELSEWHERE, print_exception=False)

    def is_coach(self, request: gr.Request | None) -> bool:
        if not self.signed_in:
            return True
        account = self.account(request)
        return account is not None and account.role == "coach"

    def require_coach(self, request: gr.Request | None, *, quiet: bool = False) -> None:
        """Refuse a caller who is not a coach; `quiet` for the page's own load, which tries for everyone."""
        if not self.is_coach(request):
            raise gr.Error(REFUSED, visible=not quiet, print_exception=False)

    def coach_tabs(self, request: gr.Request) -> tuple[Any, Any]:
        """The Coach tab for coaches (and everyone without accounts); the Class tab for coaches only."""
        coach = self.is_coach(request)
        return gr.update(visible=coach), gr.update(visible=coach and self.signed_in)

    async def sign_in(self, name: str, password: str) -> bool:
        """Gradio's sign-in check. Hashing takes a moment of CPU: off the event loop, which serves everyone."""
        return await asyncio.to_thread(self.app.accounts.sign_in, name, password)
