"""Text as a voice should read it: an LLM's Markdown is written for eyes, and a TTS model would
read "**" and link targets aloud or stumble on them."""

from __future__ import annotations

import re

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_CODE_FENCE = re.compile(r"```[^\n]*\n?")
_LINE_MARKERS = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)", re.MULTILINE)
_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3}|`+|~~)")
_URL = re.compile(r"https?://\S+")
_SPACE = re.compile(r"[ \t]+")
_SENTENCE_BREAK = re.compile(r"\s*\n+\s*")


def speakable(text: str) -> str:
    """Plain sentences from Markdown-ish text: links keep their words, markers and URLs go."""
    text = _CODE_FENCE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _URL.sub("", text)
    text = _LINE_MARKERS.sub("", text)
    text = _EMPHASIS.sub("", text)
    # A list item or heading without a full stop still ends a sentence when read aloud.
    lines = [line.strip() for line in _SENTENCE_BREAK.split(text) if line.strip()]
    text = " ".join(line if line[-1] in ".!?:;," else line + "." for line in lines)
    return _SPACE.sub(" ", text).strip()
