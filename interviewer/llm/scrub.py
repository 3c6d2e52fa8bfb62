"""Taking secrets out of text that came from a server before anyone sees it.

A server may echo the API key in an error ("Incorrect API key provided: sk-..."), and error
messages are logged and some reach the candidate. Used by the HTTP policy for every detail it
puts into an error, and by the recorder for every body it saves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

REDACTED = "<redacted>"
SERVER = "[server]"

# Shorter values are no real key, and removing them would garble ordinary words.
MIN_SECRET_LENGTH = 4

# OpenAI-style keys, also the partly masked ones error messages echo ("sk-abc***xyz"); not the
# "sk-" inside a word such as "task-".
_OPENAI_KEY = re.compile(r"(?<![A-Za-z0-9])sk-[A-Za-z0-9_*\-]{16,}")
_BEARER = re.compile(r"(?i)\bbearer\s+[^\s\"'\\]{8,}")
# A URL, less the full stop or comma of the sentence it ends.
_URL = re.compile(r"(?i)\bhttps?://[^\s\"'<>()\[\]{}]*[^\s\"'<>()\[\]{}.,;:!?]")


def redact_secrets(text: str, secrets: Iterable[str]) -> str:
    """`text` without the given secret values, bearer tokens and anything shaped like an OpenAI key."""
    # Longest first, so a secret that contains another is removed whole.
    for secret in sorted({s for s in secrets if len(s) >= MIN_SECRET_LENGTH}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    text = _OPENAI_KEY.sub("sk-" + REDACTED, text)
    return _BEARER.sub("Bearer " + REDACTED, text)


def scrub(text: str, secrets: Iterable[str]) -> str:
    """`text` safe to log or show: secrets and tokens removed, and every http(s) URL replaced by
    "[server]" (a URL can carry a token in its query, or a password before the host)."""
    return _URL.sub(SERVER, redact_secrets(text, secrets))
