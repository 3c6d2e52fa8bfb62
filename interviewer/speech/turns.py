"""When a hands-free answer is over: the candidate has stopped talking for long enough.

People pause while they think, so a pause alone is not the end. A turn ends after `end_pause`
of silence when the last thing said was a finished sentence, and only after `thinking_pause`
when it trails off ("so", "and", "um", no full stop) or is not transcribed yet. Both are
settings (INTERVIEWER_END_PAUSE_SECONDS, INTERVIEWER_THINKING_PAUSE_SECONDS).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

END_PAUSE_ENV = "INTERVIEWER_END_PAUSE_SECONDS"
THINKING_PAUSE_ENV = "INTERVIEWER_THINKING_PAUSE_SECONDS"
# Words a sentence does not end on: the speaker is still building it.
_TRAILING = re.compile(
    r"\b(?:and|or|but|so|because|then|also|like|um+|uh+|er+|hmm+|the|a|an|of|to|with|for|which|that|if|i|we|i'd|we'd)\W*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TurnTaking:
    end_pause: float = 1.5  # seconds of silence after a finished sentence
    thinking_pause: float = 4.0  # seconds of silence after a sentence left hanging

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> TurnTaking:
        env = os.environ if environ is None else environ
        end = _seconds(env, END_PAUSE_ENV, cls.end_pause)
        thinking = _seconds(env, THINKING_PAUSE_ENV, cls.thinking_pause)
        return cls(end, max(end, thinking))

    def over(self, said_so_far: str | None, silence: float) -> bool:
        """`said_so_far`: the transcript up to the pause, or None while its end is still being
        transcribed; `silence`: seconds since the candidate last spoke."""
        if silence >= self.thinking_pause:
            return True
        return silence >= self.end_pause and said_so_far is not None and finished(said_so_far)


def finished(text: str) -> bool:
    """Whether `text` ends on a whole sentence."""
    text = text.strip()
    return bool(text) and text[-1] in ".!?" and not _TRAILING.search(text.rstrip(".!?"))


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a number of seconds: use e.g. {name}={default}") from None
    if not 0.5 <= value <= 30:
        raise ValueError(f"{name}={raw} is out of range: use between 0.5 and 30 seconds (default {default})")
    return value
