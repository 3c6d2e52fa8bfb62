from __future__ import annotations

from pathlib import Path

import pytest

from interviewer.store import DB_ENV, DB_FILE_NAME, SqliteStore, default_db_path, open_store
from interviewer.store.location import user_data_dir


def test_the_env_var_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DB_ENV, str(tmp_path / "mine.sqlite3"))
    assert default_db_path() == tmp_path / "mine.sqlite3"
    assert SqliteStore().path == tmp_path / "mine.sqlite3"
    # The argument wins over the env var.
    assert SqliteStore(tmp_path / "arg.sqlite3").path == tmp_path / "arg.sqlite3"
    store = open_store(str(tmp_path / "opened.sqlite3"))
    assert isinstance(store, SqliteStore) and store.path == tmp_path / "opened.sqlite3"


def test_without_the_env_var_the_user_data_directory_is_used(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    path = default_db_path(env)
    assert path.name == DB_FILE_NAME
    assert path.parent.name == "ml-mock-interviewer"


def test_xdg_fallback_ignores_a_relative_xdg_data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.platform", "linux")
    assert user_data_dir({"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "x")}) == tmp_path / "x" / "ml-mock-interviewer"
    assert user_data_dir({"HOME": str(tmp_path), "XDG_DATA_HOME": "relative"}) == (
        tmp_path / ".local" / "share" / "ml-mock-interviewer"
    )


def test_the_default_store_creates_its_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DB_ENV, str(tmp_path / "deep" / "er" / "sessions.sqlite3"))
    store = open_store(None)
    assert isinstance(store, SqliteStore) and store.path.exists()
    assert store.list_sessions(["local"]) == []
