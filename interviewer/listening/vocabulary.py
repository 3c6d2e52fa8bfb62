"""The words a turn about this question uses: a sentence that shares none of them is an aside."""

from __future__ import annotations

from interviewer.listening.lexicon import LEXICON
from interviewer.matching.text import content_stems
from interviewer.rubric.models import Rubric

# Words of any machine-learning interview, whatever the scenario.
GENERAL = """model models modelling modeling data dataset feature features label labels train training test testing
validate validation predict prediction predictions metric metrics evaluate evaluation accuracy precision recall loss
error baseline users user customers customer product business cost latency serve serving deploy deployment production
experiment experiments online offline sample samples signal signals problem approach system pipeline rank ranking
classify classification regression cluster clustering score probability threshold bias variance overfit noise
distribution outliers missing time history historical scale algorithm learning machine neural tree trees linear
logistic embedding embeddings recommend recommendation recommendations click clicks engagement revenue fraud
objective optimise optimize target signal compare improve monitor drift retrain assumption assume constraint
launch ship rollout week weekly month monthly daily hour dashboard alert report analysis analyse analyze estimate
measure test tests testing result results log logs store database query queries segment"""


_CACHE: dict[tuple[str, int, str], frozenset[str]] = {}  # per rubric version; a bank holds under a hundred


# Everyday words that show up in any rubric's prose but say nothing about the topic of a sentence.
COMMON = frozenset(content_stems("""way great good nice bad thing things lot make made get got go going take think really
want need know see look say said come well right love like day days new first last long little big high low much
many one two also even still back here there now today way part kind sure want work works better best
i'd i'm i'll i've we'd we'll we're we've you'd you're it's that's there's after before then just maybe probably"""))


def vocabulary(rubric: Rubric) -> frozenset[str]:
    """Content stems of the rubric's topic words, the technique lexicon and general ML words."""
    key = (rubric.id, rubric.version, rubric.prompt)
    cached = _CACHE.get(key)
    if cached is None:
        cached = _CACHE[key] = frozenset(content_stems(" ".join(_texts(rubric)))) - COMMON
    return cached


def _texts(rubric: Rubric) -> list[str]:
    texts = [GENERAL, rubric.title, rubric.prompt, *rubric.model_answer]
    texts += [text for fact in rubric.facts for text in (*fact.cues, fact.answer)]
    for criterion in rubric.criteria:
        texts += [criterion.name, criterion.description]
        texts += [phrase for concept in criterion.concepts for phrase in (concept.name, *concept.phrases)]
    texts += [text for flag in rubric.red_flags for text in (flag.claim, *flag.phrases)]
    texts += [text for technique in rubric.techniques for text in (technique.name, *technique.phrases)]
    texts += [phrase for technique in LEXICON for phrase in (technique.name, *technique.phrases)]
    return texts
