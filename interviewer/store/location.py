"""Where the session database lives when nobody says otherwise."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

APP_NAME = "ml-mock-interviewer"
DB_ENV = "INTERVIEWER_DB"
DB_FILE_NAME = "sessions.sqlite3"
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(target: str | os.PathLike[str] | None) -> bool:
    # Only a str can be one: pathlib turns "postgresql://host" into "postgresql:/host".
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


def default_db_path(env: Mapping[str, str] | None = None) -> Path:
    """$INTERVIEWER_DB if set, else sessions.sqlite3 in the user's data directory."""
    env = os.environ if env is None else env
    if env.get(DB_ENV):
        return Path(env[DB_ENV]).expanduser()
    return user_data_dir(env) / DB_FILE_NAME


def user_data_dir(env: Mapping[str, str]) -> Path:
    try:
        import platformdirs  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        pass
    else:
        # platformdirs reads the environment itself; only use it for the real environment.
        if env is os.environ:
            return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    # The same places platformdirs would choose, for the platforms people run this on.
    home = Path(env.get("HOME") or Path.home())
    if sys.platform == "win32":
        base = Path(env.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        xdg = env.get("XDG_DATA_HOME", "")
        # The XDG spec says relative values are invalid and must be ignored.
        base = Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".local" / "share"
    return base / APP_NAME
