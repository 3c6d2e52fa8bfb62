"""Plain-text helpers shared by the engine and the grader: words, crude stems and phrase matching.

Matching is lexical and forgiving on purpose: a phrase counts when its content words all occur
close together, in any inflection (Snowball stems), so "split by time" matches "we split the
rides by time" and "a time-based split".
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[a-z0-9]+(?:['.][a-z0-9]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")

STOPWORDS = frozenset(
    """a an the and or but if then so of to in on at by for with from into onto over under as is are was
    were be been being it its this that these those there here we i you he she they them our my your
    their his her me us do does did doing have has had having will would can could should shall may might
    must just also very really quite some any each every all both either neither not no nor than too
    which who whom whose what when where why how about up down out off again further once only own same
    such more most other another lot lots kind sort thing things like well um uh yeah okay ok""".split()
)

_STEMMER = snowballstemmer.stemmer("english")
# A Snowball stemmer keeps its word in the object while it works: two threads stemming at once
# corrupt each other's word (an IndexError under a class's load), so one stems at a time.
_STEMMING = threading.Lock()


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


# British spellings read as American ones, so "optimise the catalogue" matches "optimize the catalog".
_BRITISH = (
    (re.compile(r"^(optim|normal|regular|personal|categor|summar|priorit|minim|maxim|random|standard|general|"
                r"visual|token|vector|recogn|organ|util|central|special|final|initial|emphas|capital|monet|"
                r"anonym|parallel|serial|character|stabil)is(e|es|ed|ing|ation|ations|er|ers)$"), r"\1iz\2"),
    (re.compile(r"^(analy|paraly)s(e|es|ed|ing)$"), r"\1z\2"),
    (re.compile(r"^(catalog|dialog|analog)ue(s)?$"), r"\1\2"),
    (re.compile(r"^(colo|behavio|favo|neighbo|labo|hono|humo|flavo|rumo)ur(s|ed|ing|ite|ites|hood)?$"), r"\1r\2"),
    (re.compile(r"^(model|label|travel|cancel|signal|channel|level|fuel)l(ing|ed|er|ers)$"), r"\1\2"),
    (re.compile(r"^(cent|met|lit|fib)re(s)?$"), r"\1er\2"),
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    for pattern, american in _BRITISH:
        word = pattern.sub(american, word)
    with _STEMMING:
        return _STEMMER.stemWord(word)


def content_stems(text: str) -> list[str]:
    return [stem(w) for w in words(text) if w not in STOPWORDS]


# A spoken transcript may come without punctuation: one long run of words. It is cut where a new
# clause usually starts, so it reads as sentences (and scores) much as the punctuated text would.
MAX_RUN_WORDS = 40
MIN_CLAUSE_WORDS = 6
CHUNK_WORDS = 25
_CLAUSE_START = re.compile(
    r"\s+(?=(?:so|then|and then|because|but|also|first|second|third|next|finally|after that|for example|"
    r"i'?d|i would|i will|i'?ll|we'?d|we would|we will|we'?ll|we can|we could)\b)",
    re.IGNORECASE,
)


def sentences(text: str) -> list[str]:
    found = []
    for sentence in (s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()):
        found.extend(_clauses(sentence) if _unpunctuated_run(sentence) else [sentence])
    return found


def clauses(text: str) -> list[str]:
    """The text's sentences cut into clauses: the grader's units of evidence, cut in much the same
    places whether or not a transcript came with punctuation."""
    return [clause for sentence in sentences(text) for clause in _clauses(sentence)]


def _unpunctuated_run(sentence: str) -> bool:
    return len(sentence.split()) > MAX_RUN_WORDS and not re.search(r"[,;:]", sentence)


def _clauses(run: str) -> list[str]:
    pieces: list[str] = []
    for piece in _CLAUSE_START.split(run):
        if pieces and len(piece.split()) < MIN_CLAUSE_WORDS:
            pieces[-1] += " " + piece
        else:
            pieces.append(piece)
    clauses = []
    for piece in pieces:
        tokens = piece.split()
        step = CHUNK_WORDS if len(tokens) > MAX_RUN_WORDS else len(tokens)
        clauses += [" ".join(tokens[i : i + step]) for i in range(0, len(tokens), step)]
    return clauses


@lru_cache(maxsize=16384)
def phrase_stems(phrase: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A rubric phrase's content stems and all its stems, worked out once: a phrase is tried
    against every sentence of every answer."""
    return tuple(content_stems(phrase)), tuple(all_stems(phrase))


def phrase_in(phrase: str, text_stems: list[str], slack: int = 3) -> bool:
    """True when every content word of `phrase` occurs close together in `text_stems`: in the
    phrase's order with up to `slack` words between, or in any order side by side ("time-based
    split" for "split by time"). Words out of order and far apart are usually two separate
    thoughts, the more so in a transcript that lost its sentence breaks."""
    content, every = phrase_stems(phrase)
    needed = content or every
    if not needed:
        return False
    starts = [i for i, s in enumerate(text_stems) if s == needed[0]]
    near, rest = len(needed), set(needed[1:])
    return any(
        _in_order(needed, text_stems[i : i + len(needed) + slack]) or rest <= set(text_stems[max(0, i - near) : i + near + 1])
        for i in starts
    )


def _in_order(needed: tuple[str, ...], window: list[str]) -> bool:
    remaining = iter(window)
    return all(word in remaining for word in needed)


def all_stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def find_exact(phrase: str, text_stems: list[str]) -> int:
    """Index where every word of `phrase`, stopwords included, occurs in order and adjacent; -1 if nowhere."""
    needed = list(phrase_stems(phrase)[1])
    size = len(needed)
    if not needed:
        return -1
    return next((i for i in range(len(text_stems) - size + 1) if text_stems[i : i + size] == needed), -1)


def said_as(phrase: str, text: str, slack: int = 2) -> str | None:
    """The candidate's own words in `text` that match `phrase` ("watched for" -> "watching for"),
    or None when the match is spread too thinly over the sentence to quote as one phrase."""
    found = list(_WORD.finditer(text.lower()))
    spans, stems = [m.span() for m in found], [stem(m.group()) for m in found]
    content, every = phrase_stems(phrase)
    needed = list(content or every)
    if not needed:
        return None
    for first in (i for i, s in enumerate(stems) if s == needed[0]):
        picked = [first]
        for wanted in needed[1:]:
            near = [i for i, s in enumerate(stems) if s == wanted and abs(i - first) <= len(needed) + slack]
            if not near:
                break
            picked.append(min(near, key=lambda i: abs(i - first)))
        else:
            low, high = min(picked), max(picked)
            if high - low <= len(needed) + slack:
                return text[spans[low][0] : spans[high][1]]
    return None
