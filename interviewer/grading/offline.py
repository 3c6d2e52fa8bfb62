"""The offline grader: rubric concepts found in the candidate's sentences, turned into levels.

A concept counts when one of its phrases occurs in a sentence (any inflection) or, with an
embedder, when a sentence means much the same as one of its phrases. Concepts named only in
a bare list of terms count half, instructions addressed to the grader count for nothing, and
red flags cost points unless the sentence rejects the claim.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from interviewer.engine.state import InterviewState
from interviewer.grading.protocol import Embedder
from interviewer.grading.reasoning import enumerates, figures, reasons
from interviewer.grading.scorecard import CriterionResult, IdeaFound, IntegrityFlag, RedFlagHit, Scorecard, band_for
from interviewer.matching.claims import claim_in
from interviewer.matching.evidence import Sentence, mentions
from interviewer.matching.guards import before_instruction, is_instruction_to_grader
from interviewer.matching.questions import question_sentences
from interviewer.matching.text import clauses, phrase_stems, sentences, words
from interviewer.rubric.models import Criterion, Rubric

SEMANTIC_THRESHOLD = 0.50  # MiniLM cosine between a sentence and a concept phrase; paraphrases score 0.4-0.6
SEMANTIC_TOP_K = 2
MIN_WORDS_FOR_MEANING = 5  # content words a clause needs before its meaning alone counts as a paraphrase
SEMANTIC_CREDIT = 0.5  # a paraphrase found by similarity alone is weaker evidence than the words themselves
LIST_CREDIT = 0.5  # a concept only named in a list of terms, inside an otherwise reasoned answer
MOSTLY_LIST = 0.6  # share of words in term lists above which the whole answer is a buzzword list
MAX_QUOTES = 3
# An answer that names this many of the rubric's ideas and reasons with none of them is a catalogue
# in full sentences: treated like a list of terms.
MIN_NAMED_FOR_STUFFING = 5
# Diminishing returns: one answer that treats the core criteria solidly is worth more than the
# share of the rubric it covers, while covering everything is still needed for 100.
SCORE_CURVE = 0.65
# An answer that tries to instruct the grader is an integrity problem, whatever else it says.
INSTRUCTION_CEILING = 10.0
MIN_WORDS_BEFORE_INSTRUCTION = 6  # an answer clause the instruction ran on from, as in a transcript
BUZZWORD_CEILING = 20.0  # naming ideas without using them, or answering another question: a no-hire
# How much closer (cosine, MiniLM) an answer must be to another question's prompt and model answer
# than to its own to count as answering that one: answers to the question asked stay within 0.1,
# answers to a neighbouring question are 0.2-0.35 closer to it.
NEIGHBOUR_MARGIN = 0.15


class OfflineGrader:
    def __init__(self, embedder: Embedder | None = None) -> None:
        self.embedder = embedder
        self.name = "offline" if embedder else "offline-lexical"
        self._topics: dict[str, tuple[Rubric, np.ndarray]] = {}  # question id -> (rubric, topic vector)

    def warm_up(self, rubrics: Iterable[Rubric]) -> None:
        """Embed every concept phrase now, so the first grade of each question is as fast as the rest."""
        rubrics = list(rubrics)
        self.know_bank(rubrics)
        if self.embedder:
            for rubric in rubrics:
                self.embedder.embed([p for c in rubric.criteria for concept in c.concepts for p in concept.phrases])

    def know_bank(self, rubrics: Iterable[Rubric]) -> None:
        """Learn what each question of the bank is about, to tell an answer to a neighbouring one."""
        if self.embedder:
            self._topics.update({rubric.id: (rubric, self._topic(rubric)) for rubric in rubrics})

    def grade(self, rubric: Rubric, answer: str) -> Scorecard:
        all_sentences = clauses(answer)
        injected = [s for s in all_sentences if is_instruction_to_grader(s)]
        usable = [Sentence.of(s) for s in _without_instructions(all_sentences, injected)]
        listed = sum(len(words(s.text)) for s in usable if s.is_list)
        mostly_list = bool(usable) and listed >= MOSTLY_LIST * sum(len(words(s.text)) for s in usable)
        list_credit = 0.0 if mostly_list else LIST_CREDIT
        vectors = self.embedder.embed([s.text for s in usable]) if self.embedder and usable else None
        similarity = self._similarity(rubric, vectors)
        given = frozenset(figures(rubric.prompt))  # the question's own figures, which an answer may repeat
        graded = [self._grade_criterion(c, usable, similarity.get(c.id), list_credit, given) for c in rubric.criteria]
        results = [result for result, _ in graded]
        only_named = not mostly_list and _catalogue([idea for _, ideas in graded for idea in ideas])
        red_flags = _red_flags(rubric, usable)
        flags = _integrity_flags(injected, mostly_list or only_named, results)
        neighbour = self._better_fit(rubric, vectors)
        # Closer in meaning is not enough: the answer must also cover the other question's rubric better.
        if (neighbour and not any(flag.code == "off-topic" for flag in flags)
                and self._lexical_coverage(neighbour, usable, given) > self._lexical_coverage(rubric, usable, given)):
            title = neighbour.title
            message = f"The answer fits another question of the bank (“{title}”) better than the one asked."
            flags.append(IntegrityFlag(code="off-topic", message=message))
        return self.score(rubric, results, red_flags, flags)

    def _topic(self, rubric: Rubric) -> np.ndarray:
        assert self.embedder is not None
        vector = self.embedder.embed([rubric.prompt, *rubric.model_answer]).mean(axis=0)
        return vector / max(float(np.linalg.norm(vector)), 1e-12)

    def _better_fit(self, rubric: Rubric, vectors: np.ndarray | None) -> Rubric | None:
        """Another question the answer (its sentence vectors) is clearly closer to than the one
        asked, if any."""
        if vectors is None or len(self._topics) < 2:
            return None
        answer = vectors.mean(axis=0)
        answer = answer / max(float(np.linalg.norm(answer)), 1e-12)
        own = float(self._topic(rubric) @ answer)
        others = [(float(vector @ answer), other) for qid, (other, vector) in self._topics.items() if qid != rubric.id]
        closest, other = max(others, key=lambda pair: pair[0])
        return other if closest - own > NEIGHBOUR_MARGIN else None

    def _lexical_coverage(self, rubric: Rubric, usable: list[Sentence], given: frozenset[str]) -> float:
        """The coverage the answer's own words reach on a rubric, without paraphrases."""
        results = [self._grade_criterion(c, usable, None, LIST_CREDIT, given)[0] for c in rubric.criteria]
        return _coverage(rubric, results)

    def grade_session(self, state: InterviewState, rubric: Rubric) -> Scorecard:
        return self.grade(rubric, answers_in(state))

    def score(
        self, rubric: Rubric, results: list[CriterionResult], red_flags: list[RedFlagHit], flags: list[IntegrityFlag]
    ) -> Scorecard:
        """Combine criterion levels, red flags and integrity flags into the scorecard."""
        coverage = _coverage(rubric, results)
        score = max(0.0, 100 * coverage**SCORE_CURVE - sum(hit.penalty for hit in red_flags))
        codes = {flag.code for flag in flags}
        if "instruction-to-grader" in codes:
            score = min(score, INSTRUCTION_CEILING)
        if codes & {"buzzword-list", "off-topic"}:
            score = min(score, BUZZWORD_CEILING)
        score = round(score, 1)
        return Scorecard(
            question_id=rubric.id,
            rubric_version=rubric.version,
            score=score,
            band=band_for(score),
            criteria=results,
            red_flags=red_flags,
            flags=flags,
            strengths=strengths(results),
            next_steps=next_steps(results),
            grader=self.name,
        )

    def _similarity(self, rubric: Rubric, sentence_vectors: np.ndarray | None) -> dict[str, list[np.ndarray]]:
        """Per criterion, per concept: each sentence's best cosine with the concept's phrases.

        MiniLM rates any two sentences on the same topic as fairly similar, so a sentence only
        counts for the few concepts it is closest to, not for every concept of the question.
        """
        if sentence_vectors is None or self.embedder is None:
            return {}
        concepts = [(c.id, concept) for c in rubric.criteria for concept in c.concepts]
        table = np.stack(
            [(sentence_vectors @ self.embedder.embed(concept.phrases).T).max(axis=1) for _, concept in concepts], axis=1
        )
        runner_up = np.sort(table, axis=1)[:, -SEMANTIC_TOP_K][:, None]
        table = np.where(table >= runner_up, table, 0.0)
        by_criterion: dict[str, list[np.ndarray]] = {}
        for column, (criterion_id, _) in enumerate(concepts):
            by_criterion.setdefault(criterion_id, []).append(table[:, column])
        return by_criterion

    def _grade_criterion(
        self,
        criterion: Criterion,
        usable: list[Sentence],
        similarity: list[np.ndarray] | None,
        list_credit: float,
        given: frozenset[str],
    ) -> tuple[CriterionResult, list[Use]]:
        """The criterion's result, and how each idea named in its own words was used."""
        credit, quotes, ideas, found, missing, developed = 0.0, [], [], [], [], set()
        for index, concept in enumerate(criterion.concepts):
            best, quote, named, used, listed = 0.0, None, False, False, False
            for position, sentence in enumerate(usable):
                if any(mentions(p, sentence) for p in concept.phrases):
                    strength, named = 1.0, True
                    used = used or reasons(sentence.text, given)
                    listed = listed or sentence.is_list or enumerates(sentence.text)
                    if not sentence.is_list:
                        developed.add(sentence.text)
                elif (similarity is not None and similarity[index][position] >= SEMANTIC_THRESHOLD
                      and len(sentence.content) >= MIN_WORDS_FOR_MEANING and _shares_word(concept.phrases, sentence)):
                    strength = SEMANTIC_CREDIT
                else:
                    continue
                strength *= list_credit if sentence.is_list else 1.0
                if strength > best:
                    best, quote = strength, sentence.text
            credit += best
            if named:
                ideas.append(Use(reasoned=used, enumerated=listed))
            if quote:
                quotes.append(quote)
                found.append(IdeaFound(idea=concept.name, quote=quote))
            else:
                missing.append(concept.name)
        quotes = list(dict.fromkeys(quotes))
        # Developed: the criterion's ideas come back over several sentences, not one list-like line.
        spread = len(developed | set(quotes))
        level = _level(credit, len(criterion.concepts), spread)
        touch = _touch(criterion, usable) if level == 0 else None
        if touch:
            level, quotes = 1, [touch, *quotes]
        return CriterionResult(
            id=criterion.id,
            name=criterion.name,
            weight=criterion.weight,
            level=level,
            descriptor=criterion.levels.descriptor(level),
            evidence=quotes[:MAX_QUOTES],
            strong_answer_adds=criterion.levels.strong,
            reason=_reason(level, len(found), len(criterion.concepts), spread, touched=bool(touch)),
            found=found,
            missing=missing,
            next_level=criterion.levels.descriptor(level + 1) if level < 3 else "",
        ), ideas


def _coverage(rubric: Rubric, results: list[CriterionResult]) -> float:
    """The share of the rubric's weighted levels the results reach."""
    return sum(r.weight * r.level for r in results) / (3 * sum(c.weight for c in rubric.criteria))


def _touch(criterion: Criterion, usable: list[Sentence]) -> str | None:
    """The first sentence that raises the criterion's area in the plain words of a level-1 answer."""
    return next((s.text for s in usable if not s.is_list and any(mentions(p, s) for p in criterion.touches)), None)


def idea_words(phrases: Iterable[str]) -> set[str]:
    """The content stems of an idea's phrases."""
    return {stem for phrase in phrases for stem in phrase_stems(phrase)[0]}


def _without_instructions(all_sentences: list[str], injected: list[str]) -> list[str]:
    """The answer's sentences, with what an instruction to the grader says removed: injected
    text is never evidence, but an answer clause it ran on from still is."""
    kept = []
    for sentence in all_sentences:
        if sentence in injected:
            sentence = before_instruction(sentence)
            if len(words(sentence)) < MIN_WORDS_BEFORE_INSTRUCTION:
                continue
        kept.append(sentence)
    return kept


def _shares_word(phrases: list[str], sentence: Sentence) -> bool:
    """A paraphrase found by meaning still uses two of the idea's words (its only one, if it has
    one): MiniLM rates any two sentences on the same topic as close, so an A/B-test sentence can
    look like one on labels."""
    shared = idea_words(phrases).intersection(sentence.content)
    return len(shared) >= min(2, len(idea_words(phrases)))


def _reason(level: int, found: int, ideas: int, sentences_with_evidence: int, touched: bool = False) -> str:
    """Why the level, in words that are true of the answer."""
    if touched:
        if found:
            return f"The area came up, but only {found} of its {ideas} key ideas did, in passing."
        return f"The area came up, but none of its {ideas} key ideas did."
    if found == 0:
        return f"None of the {ideas} key ideas of this criterion came up."
    said = f"{found} of {ideas} key ideas came up, in {sentences_with_evidence} sentence(s)"
    if level == 3:
        return f"{said}: broad and developed."
    if level < 3 and found >= min(3, ideas) and sentences_with_evidence < 2:
        return f"{said}: broad, but all in one sentence, so not developed."
    return f"{said}."


@dataclass(frozen=True)
class Use:
    reasoned: bool  # named in a sentence that says why, what for, at what cost, or with a figure
    enumerated: bool  # named as one item of a run of terms


def _catalogue(ideas: list[Use]) -> bool:
    """Many of the rubric's ideas, mostly strung together, and not one reasoned with: a list of
    terms in full sentences. A short plain answer ("I'd frame it as classification") is not one."""
    listed = sum(use.enumerated for use in ideas)
    return len(ideas) >= MIN_NAMED_FOR_STUFFING and not any(use.reasoned for use in ideas) and 2 * listed >= len(ideas)


def _level(credit: float, concepts: int, sentences_with_evidence: int) -> int:
    """Breadth sets the level; the top level also needs the ideas developed over several sentences."""
    if credit >= min(3, concepts) and sentences_with_evidence >= 2:
        return 3
    if credit >= 2:
        return 2
    return 1 if credit >= 1 else 0


def answers_in(state: InterviewState) -> str:
    """What the candidate stated: their answers, without clarifying questions or requests for hints."""
    said = []
    for turn in state.turns:
        if turn.role == "candidate" and turn.intent in ("answer", "question"):
            asked = set(question_sentences(turn.text))
            said.extend(s for s in sentences(turn.text) if s not in asked)
    return "\n".join(said)


def _red_flags(rubric: Rubric, usable: list[Sentence]) -> list[RedFlagHit]:
    hits = []
    for flag in rubric.red_flags:
        quote = claim_in(flag, usable)
        if quote:
            hits.append(RedFlagHit(id=flag.id, claim=flag.claim, why=flag.why, quote=quote, penalty=flag.penalty))
    return hits


def _integrity_flags(injected: list[str], mostly_list: bool, results: list[CriterionResult]) -> list[IntegrityFlag]:
    flags = []
    if injected:
        message = f"The answer tries to instruct the grader ({injected[0]!r}); that text was ignored and caps the score."
        flags.append(IntegrityFlag(code="instruction-to-grader", message=message))
    if mostly_list:
        message = "The answer names terms without saying how, why or at what cost; named terms earn no credit."
        flags.append(IntegrityFlag(code="buzzword-list", message=message))
    if not any(r.level for r in results):
        message = "Nothing in the answer addresses what this question is graded on."
        flags.append(IntegrityFlag(code="off-topic", message=message))
    return flags


def strengths(results: list[CriterionResult]) -> list[str]:
    """What the answer did well, in the ideas it was found to cover: nothing it did not say."""
    solid = sorted((r for r in results if r.level >= 2 and r.found), key=lambda r: (-r.level, -r.weight))[:3]
    return [f"{r.name}: you covered {_ideas([f.idea for f in r.found])}." for r in solid]


def next_steps(results: list[CriterionResult]) -> list[str]:
    """The weightiest gaps, named by the ideas that did not come up."""
    weakest = sorted((r for r in results if r.level < 3 and r.missing), key=lambda r: (r.level, -r.weight))[:3]
    return [f"{r.name}: bring in {_ideas(r.missing[:3])}." for r in weakest]


def _ideas(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
