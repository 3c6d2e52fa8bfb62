"""Size limits on what a candidate or coach sends, so one request cannot take the CPU for minutes."""

from __future__ import annotations

from dataclasses import dataclass

MAX_ANSWER_CHARS = 8_000  # about 1,300 words: a five-minute spoken answer is under 5,000 characters
# What a grade reads of one interview's answers, typed, spoken or uploaded: about 5,000 words,
# more than a candidate says in 40 minutes, and about 5 s of the offline grader's CPU.
MAX_GRADED_CHARS = 30_000
MAX_UPLOAD_BYTES = 512 * 1024  # a transcript: a JSON export of a long interview is under 100 KB
# Any upload at all, recordings included: five minutes of 48 kHz stereo WAV is about 58 MB.
MAX_REQUEST_UPLOAD_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Cut:
    text: str
    notice: str | None  # says what was cut; None when nothing was


def cut(text: str, limit: int, what: str) -> Cut:
    """`text` up to `limit` characters, ending at a word boundary, and a notice saying what was dropped."""
    if len(text) <= limit:
        return Cut(text, None)
    kept = text[:limit]
    space = kept.rfind(" ")
    if space > limit * 0.9:
        kept = kept[:space]
    dropped = len(text) - len(kept)
    return Cut(
        kept.rstrip(),
        f"{what} was cut to its first {len(kept):,} characters (the limit is {limit:,}); "
        f"the last {dropped:,} characters were not used.",
    )
