"""The rubric each session keeps: its snapshot from the store, so a coach's reload (or a broken
file) never changes or strands an interview in progress."""

from __future__ import annotations

import logging
from collections import OrderedDict
from threading import Lock

from interviewer.practice.records import Practice, PracticeError
from interviewer.rubric.bank import RubricBank
from interviewer.rubric.models import Rubric
from interviewer.store.protocol import SessionStore
from interviewer.store.errors import StoreError

log = logging.getLogger(__name__)
CACHE_SIZE = 256


class Snapshots:
    def __init__(self, store: SessionStore, bank: RubricBank, size: int = CACHE_SIZE) -> None:
        self.store, self.bank, self.size = store, bank, size
        self._cache: OrderedDict[str, Rubric] = OrderedDict()
        self._lock = Lock()

    def rubric(self, practice: Practice) -> Rubric:
        return self.by_ref(practice.rubric_ref, practice.state.question_id)

    def by_ref(self, ref: str | None, question_id: str) -> Rubric:
        """The snapshot `ref`; sessions saved before snapshots existed use the bank's rubric of that id."""
        if ref is not None:
            with self._lock:
                if ref in self._cache:
                    self._cache.move_to_end(ref)
                    return self._cache[ref]
            try:
                rubric = self.store.rubric(ref)
            except StoreError as error:
                log.warning("rubric snapshot %s of '%s' cannot be read (%s); using the current file", ref, question_id, error)
            else:
                self._remember(ref, rubric)
                return rubric
        try:
            return self.bank.get(question_id)
        except KeyError:
            raise PracticeError(
                f"The question '{question_id}' of this interview is no longer available; start another one."
            ) from None

    def _remember(self, ref: str, rubric: Rubric) -> None:
        with self._lock:
            self._cache[ref] = rubric
            while len(self._cache) > self.size:
                self._cache.popitem(last=False)
