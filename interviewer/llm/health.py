"""Whether the language-model server is worth asking: after a failure the app stops asking it for
a while, and a background probe (not a candidate's turn) finds out when it is back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from interviewer.llm.protocol import LLMClient, Message

log = logging.getLogger(__name__)

PROBE_INTERVAL_SECONDS = 30.0


class ServerHealth:
    def __init__(
        self,
        probe: Callable[[], object],
        probe_interval: float = PROBE_INTERVAL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._probe, self._interval, self._clock = probe, probe_interval, clock
        self._lock = threading.Lock()
        self._down_since: float | None = None
        self._last_probe = float("-inf")
        self._probing = False

    @classmethod
    def of(cls, client: LLMClient, **options: float) -> ServerHealth:
        """Health of the server behind `client`, probed with a one-token completion."""
        return cls(lambda: client.complete([Message.user("Reply with OK.")], max_tokens=1), **options)

    def available(self) -> bool:
        """True unless the server failed recently; while it is down, probe it now and then in the background."""
        with self._lock:
            if self._down_since is None:
                return True
            due = not self._probing and self._clock() - self._last_probe >= self._interval
            if due:
                self._probing, self._last_probe = True, self._clock()
        if due:
            threading.Thread(target=self._run_probe, name="llm-health-probe", daemon=True).start()
        return False

    def failed(self, reason: object = None) -> None:
        with self._lock:
            if self._down_since is None:
                log.warning("The language-model server failed (%s); using the offline interviewer for now.", reason)
                self._down_since = self._last_probe = self._clock()

    def succeeded(self) -> None:
        with self._lock:
            if self._down_since is not None:
                log.info("The language-model server answers again.")
            self._down_since = None

    def _run_probe(self) -> None:
        try:
            self._probe()
        except Exception as error:  # noqa: BLE001 - any failure means: still down
            log.info("The language-model server is still unavailable: %s", error)
        else:
            self.succeeded()
        finally:
            with self._lock:
                self._probing = False
