"""Everything the front ends use, built once from the settings: the flow, history, coach and exports."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from interviewer.accounts import Accounts, account_store_for
from interviewer.grading.select import choose_graders
from interviewer.llm.config import LLMSettings
from interviewer.openai_api.connect import connect
from interviewer.listening.model_reader import ModelListener
from interviewer.listening.protocol import Listener, OfflineListener
from interviewer.llm.health import ServerHealth
from interviewer.practice.class_view import ClassView
from interviewer.practice.coach import Coach
from interviewer.practice.exports import Exports
from interviewer.practice.history import History
from interviewer.practice.owners import LOCAL_OWNER
from interviewer.practice.roster import Roster
from interviewer.practice.records import PracticeError
from interviewer.practice.service import PracticeService, SpeechBackends
from interviewer.rubric.bank import RubricBank
from interviewer.store import MemoryStore, SessionStore, StoreError, open_store
from interviewer.voice.select import choose_voice

BROWSER_SECRET = "browser-state"  # the store's name for the secret that seals what browsers keep


@dataclass
class PracticeApp:
    service: PracticeService
    history: History
    coach: Coach
    exports: Exports
    store: SessionStore
    accounts: Accounts
    class_view: ClassView

    @property
    def bank(self) -> RubricBank:
        return self.service.bank

    def browser_secret(self) -> str:
        """The same for every app process on this database, so a browser's key survives a restart."""
        return self.store.secret(BROWSER_SECRET)

    def warm_up(self) -> None:
        """Embed every rubric phrase now, not when the first candidate ends an interview."""
        self.service.graders.offline.warm_up(self.bank.rubrics.values())


def open_practice(
    rubrics_dir: Path,
    settings: LLMSettings,
    *,
    db: str | Path | None = None,
    save: bool = True,
    backend: str | None = None,
    local_history: bool = False,
    with_speech: bool = True,
) -> PracticeApp:
    """`db`: the SQLite file or postgresql:// URL ($INTERVIEWER_DB or the user's data folder by default); `save=False` keeps
    sessions in memory only. `local_history`: every browser also sees the terminal's sessions (a
    single user's own machine)."""
    try:
        store = open_store(db) if save else MemoryStore()
    except StoreError as error:  # it names the file or server and how to choose another
        raise PracticeError(str(error)) from error
    bank = RubricBank(rubrics_dir)
    client = connect(settings)
    health = ServerHealth.of(client) if client is not None else None
    graders = choose_graders(backend, settings, health)
    service = PracticeService(
        bank, store, choose_voice(settings, health), graders, listener=_listener(settings, health),
        speech=_speech(settings) if with_speech else None,
    )
    shared = (LOCAL_OWNER,) if local_history else ()
    accounts = Accounts(account_store_for(store))
    return PracticeApp(
        service=service,
        history=History(store, service.snapshots, shared),
        coach=Coach(bank, graders.best),
        exports=Exports(store, service.snapshots),
        store=store,
        accounts=accounts,
        class_view=ClassView(store, accounts),
    )


@contextmanager
def opened_roster(db: str | Path | None) -> Iterator[Roster]:
    """The accounts kept in the session database at `db` (the same default as the sessions'), with
    those sessions; the database is closed after, and its failures are PracticeErrors (one line)."""
    try:
        store = open_store(db)
    except StoreError as error:
        raise PracticeError(str(error)) from error
    try:
        yield Roster(store, Accounts(account_store_for(store)))
    except StoreError as error:
        raise PracticeError(str(error)) from error
    finally:
        getattr(store, "close", lambda: None)()


def _listener(settings: LLMSettings, health: ServerHealth | None) -> Listener:
    """The model reads each turn when a server is configured; the offline reader is its fallback."""
    client = connect(settings, purpose="interviewer")
    return ModelListener(client, health) if client is not None and health is not None else OfflineListener()


def _speech(settings: LLMSettings):  # type: ignore[no-untyped-def]
    def backends() -> SpeechBackends:
        from interviewer.speech.select import speech_backends  # speech models are heavy: load on first use

        return speech_backends(settings)

    return backends
