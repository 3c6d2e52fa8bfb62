"""The words that show what a sentence does: asks to repeat, is stuck, asks about the interview
itself, answers its own question, or asks without a question mark."""

from __future__ import annotations

import re

from interviewer.matching.guards import is_instruction_to_grader


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


DONE = _any(
    r"^\s*/end\s*$", r"\b(i'?m|i am|we'?re) (done|finished)\b", r"\bthat'?s (all|it|everything)\b",
    r"\bnothing (more|else)( to add)?\b", r"\bnothing (more |else )?to add\b", r"\blet'?s (wrap|stop|end)\b", r"\bno,? (i think )?that'?s (it|all)\b",
)
HINT = _any(r"\bhint\b", r"\b(a )?pointer\b", r"\bnudge\b", r"\bpoint me in the right direction\b")
REPHRASE = _any(
    r"\bwhat do you mean\b", r"\bwhat did you mean\b", r"\brephrase\b", r"\bput (it|that) (another|differently)\b",
    r"\b(don'?t|do not|didn'?t) (understand|follow|get) (the|your) question\b", r"\bin other words\b\?",
    r"\bclarify (the|your) question\b", r"\bwhat are you asking\b", r"\bwhat'?s the question\b",
)
REPEAT = _any(
    r"\brepeat\b", r"\bsay (that|it) again\b", r"\bcome again\b", r"\b(didn'?t|did not) (catch|hear)\b",
    r"^\s*(sorry|pardon)\s*\??\s*$", r"\bone more time\b", r"\bwhat was the question\b",
)
STUCK = _any(
    r"\bi (really |honestly )?(don'?t|do not) know\b", r"\b(i'?m|i am) (really |honestly )?not (sure|certain)\b",
    r"^\s*(hmm+,? |um+,? |well,? )?not sure\b", r"\bno idea\b",
    r"\bi'?m (stuck|blanking|lost|drawing a blank)\b", r"\bi (can'?t|cannot) think of\b",
    r"\bi have no (clue|idea)\b", r"^\s*pass\s*[.!]?\s*$", r"\bno clue\b", r"\bi'?m not familiar with\b",
)
TIME = _any(
    r"\bhow (much|long) (time|do i have|have i got|is left)\b", r"\btime (left|remaining)\b",
    r"\bhow are we (doing )?on time\b", r"\bhow many minutes\b",
)
DEPTH = _any(
    r"\bshould i (go|dive|get) (deeper|into (more )?detail)\b", r"\bhow (much|deep|detailed) (detail|should i go)\b",
    r"\b(do|would) you (want|like) me to (go|dive|get) (deeper|into)\b", r"\bis (this|that) (enough|the right level)\b",
    r"\bshould i (continue|keep going|move on|elaborate)\b", r"\b(want|like) me to elaborate\b",
    r"\bhow much detail\b", r"\bat what level of detail\b",
)
PAUSE = _any(
    r"\b(give|let) me (a|one) (minute|moment|second|sec)\b", r"\bcan i (think|take a (minute|moment))\b",
    r"\blet me think\b", r"\bneed a (minute|moment|second) to think\b",
)
# A question the candidate goes on to answer begins the next sentence with one of these.
SELF_ANSWER = _any(
    r"^\s*(well,? )?(i think|i'?d|i would|i'?ll|we should|we'?d|we could|probably|my (guess|answer|take)|"
    r"the answer is|i guess|i believe|i'?m going to|let'?s|i want to|i'?d say|i would say|clearly|obviously)\b"
)
# Talk that signals leaving the question: with few of its words, the sentence is an aside.
ASIDE = _any(
    r"\boff[- ]topic\b", r"\bunrelated\b", r"\brandom (question|thought)\b", r"\byour favou?rite\b",
    r"\b(yesterday|last night|this weekend|last weekend|tonight)\b", r"\bthe weather (like|today|there|here)\b",
    r"\bwhere you (are|live|work)\b",
    r"\bmy (cat|dog|wife|husband|kids?|partner|family|friends?|mum|mom|dad|holiday|vacation)\b",
)
# Asking without a question mark: "I'd like to know how many users we have."
INDIRECT = _any(
    r"\bi'?d (like|love|want) to (know|understand|ask)\b", r"\bi (want|need) to (know|understand)\b",
    r"\bi (wonder|am wondering|'m wondering)\b", r"\b(can|could) you (tell|remind) me\b", r"^\s*tell me (about|how|what|whether|if)\b",
    r"\bdo you (know|have (any )?(info|information|numbers|data) on)\b", r"\bit would help to know\b",
)
# A proposal with a rising tone: "maybe a time split?", "I'd use boosting?"
TENTATIVE = _any(r"\b(maybe|perhaps|probably|i guess|i'?d|i would|something like|like a|kind of)\b")
# Without a question mark, only these read as a question: "how many users do we have", not
# "when the model flags it, we decline" or "what I can't say is why".
BARE_QUESTION = re.compile(
    r"^(so,? |and |also,? |ok(ay)?,? |then,? )?((what|how|which|who)\s+(is|are|was|were|do|does|did|can|could|should|would|"
    r"will|many|much|kind|type|sort|long|big|often|fast)\b|(is|are|do|does|did|can|could|should|would|will|have|has)\s+"
    r"(we|i|you|there|it|the|they|this|that)\b)",
    re.IGNORECASE,
)
QUESTION_START = re.compile(
    r"^(so,? |and |also,? |ok(ay)?,? |then,? )?(what|how|which|who|when|where|why|is|are|do|does|did|can|could|should|would|"
    r"will|may|might|have|has)\b",
    re.IGNORECASE,
)
# Aimed at the interviewer rather than the question; the grader's own checks catch the rest.
_INSTRUCTION = _any(
    r"\b(ignore|forget|drop|skip) (your|the) (rubric|script|instructions|questions|scoring)\b",
    r"\bgive me (a |the )?(strong hire|hire|full marks|top (score|marks)|perfect score|pass|job)\b",
    r"\b(tell|show|give|read) me (the )?(model answer|answer key|rubric|solution|right answer)\b",
    r"\bpretend (you|that)\b", r"\b(mark|grade|score|rate) me\b",
)


def is_instruction(sentence: str) -> bool:
    return bool(_INSTRUCTION.search(sentence)) or is_instruction_to_grader(sentence)
