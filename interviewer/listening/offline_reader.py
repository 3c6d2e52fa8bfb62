"""Reading a turn without a model: each sentence is classified by its wording, then the answer's
sentences are searched for red-flag claims and named techniques.

Rules, not a model, so a turn reads the same every time and in a millisecond.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from interviewer.listening import cues
from interviewer.listening.facts import ASKING_WORDS, best_fact
from interviewer.listening.lexicon import LEXICON
from interviewer.listening.reading import Asked, Claim, Named, Reading
from interviewer.listening.vocabulary import COMMON, vocabulary
from interviewer.matching.claims import claim_in, negated, taken_back
from interviewer.matching.evidence import Sentence, mentions
from interviewer.matching.text import content_stems, phrase_stems, sentences, words
from interviewer.rubric.models import Rubric

Kind = Literal["instruction", "repeat", "rephrase", "time", "depth", "pause", "stuck", "question", "statement", "aside"]
SHORT_TURN_WORDS = 14  # "I'm done" or "a hint please" is a whole turn, not a clause of an answer
MIN_ASIDE_WORDS = 4
_CLAUSES = re.compile(r",? and (?:also )?|; |, also |\balso\b", re.IGNORECASE)
_CHOICE = re.compile(r"\b(should|would|could|shall) (we|i)\b|\bwhat'?s (the best|a good)\b", re.IGNORECASE)
MAX_ASIDE_SHARE = 0.5  # with aside talk, at most this share of its content words are the question's
MIN_ASIDE_CONTENT = 2
QUESTION_WORDS = frozenset(content_stems("what what's which who whose when where why how"))
STUCK_WORDS = frozenset(content_stems(
    "sure certain know idea stuck think clue blank blanking lost familiar honestly really hmm hmmm um uh er erm "
    "i'm i've i'd sorry well okay ok yeah right now"
))


@dataclass(frozen=True)
class Part:
    text: str
    kind: Kind


def read_turn(text: str, rubric: Rubric) -> Reading:
    parts = _parts(sentences(text))
    count = len(words(text))
    parts = [_settle_question(p, rubric) for p in parts]
    kinds = {part.kind for part in parts}
    statements = [Sentence.of(p.text) for p in parts if p.kind == "statement"]
    on_topic, asides = _split_asides(statements, rubric)
    asides += [Sentence.of(p.text) for p in parts if p.kind == "aside"]
    corrected = _corrections(parts)
    claims = _claims(rubric, on_topic, corrected)
    wants_hint = count <= SHORT_TURN_WORDS and bool(cues.HINT.search(text))
    if wants_hint:  # "hint please" asks for help; it is not an answer
        on_topic = [s for s in on_topic if not cues.HINT.search(s.text)]
    done = count <= SHORT_TURN_WORDS and bool(cues.DONE.search(text)) and not on_topic_beyond_done(on_topic)
    return Reading(
        said=[] if done else [s.text for s in on_topic],
        questions=[q for q in _questions(parts, rubric) if not (wants_hint and cues.HINT.search(q.text))],
        rhetorical=_rhetorical(parts, rubric),
        repeat="rephrase" if "rephrase" in kinds else "repeat" if "repeat" in kinds else None,
        stuck="stuck" in kinds and not on_topic and "question" not in kinds,
        meta=next((p.kind for p in parts if p.kind in ("time", "depth", "pause")), None),  # type: ignore[misc]
        corrected=bool(corrected),
        aside=bool(asides) and not on_topic and not done and kinds <= {"statement", "aside"},
        instruction=next((p.text for p in parts if p.kind == "instruction"), None),
        claims=claims,
        techniques=_techniques(rubric, on_topic),
        wants_hint=wants_hint,
        done=done,
    )


def on_topic_beyond_done(statements: list[Sentence]) -> bool:
    """'That's all, I'd also add monitoring' is an answer, not the end."""
    return any(len(s.content) > 2 for s in statements)


def _parts(texts: list[str]) -> list[Part]:
    return [Part(text, _kind(text)) for text in texts]


def _kind(text: str) -> Kind:
    if cues.is_instruction(text):
        return "instruction"
    for kind, pattern in (("rephrase", cues.REPHRASE), ("repeat", cues.REPEAT), ("time", cues.TIME),
                          ("depth", cues.DEPTH), ("pause", cues.PAUSE)):
        if pattern.search(text):
            return kind  # type: ignore[return-value]
    if cues.STUCK.search(text) and len(set(content_stems(text)) - STUCK_WORDS) <= 1:
        return "stuck"  # "not sure, but maybe gradient boosting?" says more than that it is stuck
    if _asks(text) or text.rstrip().endswith("?") and cues.ASIDE.search(text):
        return "question"  # "what's the weather like where you are?" is then settled as an aside
    return "statement"


def _asks(text: str) -> bool:
    """A direct question, or one put indirectly ("I'd like to know how many users we have"). A
    bare proposal with a rising tone ("maybe gradient boosting?") is an answer, not a question."""
    if cues.INDIRECT.search(text):
        return True
    if len(words(text)) > 40:
        return False
    marked = text.rstrip().endswith("?")
    if not marked and cues.BARE_QUESTION.match(text):
        return len(words(text)) <= 20
    return marked and (bool(cues.QUESTION_START.match(text)) or not cues.TENTATIVE.search(text))


def _questions(parts: list[Part], rubric: Rubric) -> list[Asked]:
    asked: list[Asked] = []
    for index, part in enumerate(parts):
        if part.kind != "question" or _answered_by_candidate(parts, index, rubric):
            continue
        clauses = [clause.strip(" ,?") for clause in _CLAUSES.split(part.text) if clause.strip(" ,?")]
        found: dict[str | None, str] = {}
        for clause in clauses:
            fact = best_fact(rubric.facts, clause)
            if fact is not None or _asks_about_something(clause):
                found.setdefault(fact.id if fact else None, clause)
        if list(found) == [None] or not found:
            found = {None: part.text}  # no fact fits the question as a whole
        asked += [Asked(text=clause, fact_id=fact_id) for fact_id, clause in found.items()]
    return asked


def _asks_about_something(clause: str) -> bool:
    """A clause that asks about a subject of its own ('what the homepage shows today'), not a
    fragment of the question before it ('or daily')."""
    return len(set(content_stems(clause)) - QUESTION_WORDS - ASKING_WORDS) >= 2


def _rhetorical(parts: list[Part], rubric: Rubric) -> list[str]:
    return [p.text for i, p in enumerate(parts) if p.kind == "question" and _answered_by_candidate(parts, i, rubric)]


def _answered_by_candidate(parts: list[Part], index: int, rubric: Rubric) -> bool:
    """'So what should we optimise? I think watch time...': a question the candidate goes on to answer.
    A question about the scenario's facts still gets the fact, whatever the candidate guesses."""
    following = parts[index + 1] if index + 1 < len(parts) else None
    if following is None or following.kind != "statement" or not cues.SELF_ANSWER.search(following.text):
        return False
    question = parts[index].text
    return bool(_CHOICE.search(question)) or best_fact(rubric.facts, question) is None


def _settle_question(part: Part, rubric: Rubric) -> Part:
    """'What's your favourite football team?' is an aside, not a clarifying question, even when
    one of its words is in a fact's cue. "I need to know which company a post is about" with no
    fact to give is the candidate planning aloud: part of the answer."""
    if part.kind != "question":
        return part
    # Only with aside talk: "do we have a legal team to sign off?" uses no word of the rubric's
    # and is still a fair question about the scenario; "what's your favourite team?" is not.
    if cues.ASIDE.search(part.text):
        return Part(part.text, "aside")
    planning = not part.text.rstrip().endswith("?") and best_fact(rubric.facts, part.text) is None
    return Part(part.text, "statement") if planning and cues.INDIRECT.search(part.text) else part


def _split_asides(statements: list[Sentence], rubric: Rubric) -> tuple[list[Sentence], list[Sentence]]:
    """Statements about the question, and those that share no word with it (an aside)."""
    on_topic, asides = [], []
    for sentence in statements:
        (asides if _unrelated(sentence, rubric) else on_topic).append(sentence)
    return on_topic, asides


def _unrelated(sentence: Sentence, rubric: Rubric) -> bool:
    """Long enough to judge and not a word of the question's vocabulary, or few of them with talk
    that leaves the question ("by the way, ..."). Plain process talk ("I'd talk to the stakeholders")
    stays an answer: wrongly steering back is worse than letting an aside pass."""
    content = set(sentence.content) - QUESTION_WORDS - COMMON
    shared = len(vocabulary(rubric).intersection(content))
    if len(words(sentence.text)) < MIN_ASIDE_WORDS:
        return False
    if cues.ASIDE.search(sentence.text):
        return shared <= MAX_ASIDE_SHARE * len(content)
    return shared == 0 and len(content) >= MIN_ASIDE_CONTENT  # "so I'd do a hybrid one" is too short to judge


def _corrections(parts: list[Part]) -> set[str]:
    """What the candidate took back, among the turn's statements."""
    return taken_back([p.text for p in parts if p.kind == "statement"])


def _claims(rubric: Rubric, said: list[Sentence], back: set[str]) -> list[Claim]:
    return [Claim(red_flag_id=flag.id, quote=quote) for flag in rubric.red_flags if (quote := claim_in(flag, said, back))]


def _techniques(rubric: Rubric, said: list[Sentence]) -> list[Named]:
    """Techniques named plainly (not 'I wouldn't use...'), in the order the candidate named them."""
    found: dict[str, tuple[tuple[int, int], Named]] = {}
    for number, sentence in enumerate(said):
        for technique_id, name, phrases in _known_techniques(rubric):
            hit = next((p for p in phrases if mentions(p, sentence)), None)
            if technique_id in found or hit is None or negated(hit, sentence.every):
                continue
            where = (number, _position(hit, sentence))
            found[technique_id] = (where, Named(technique_id=technique_id, name=name, quote=sentence.text))
    return [named for _, named in sorted(found.values(), key=lambda item: item[0])]


def _position(phrase: str, sentence: Sentence) -> int:
    first = (phrase_stems(phrase)[0] or phrase_stems(phrase)[1])[0]
    return sentence.content.index(first) if first in sentence.content else len(sentence.content)


def _known_techniques(rubric: Rubric) -> list[tuple[str, str, tuple[str, ...]]]:
    """The rubric's techniques, then the generic ones it does not already cover (a shared phrase)."""
    own = [(t.id, t.name, tuple(t.phrases)) for t in rubric.techniques]
    own_phrases = {phrase for _, _, phrases in own for phrase in phrases}
    generic = [(t.id, t.name, t.phrases) for t in LEXICON if not own_phrases.intersection(t.phrases)]
    return own + generic
