"""ML terms put back after transcription: Whisper writes jargon it does not know as the ordinary
words it sounds like ("like GBM", "X-She boost", "rock hawk"). Each stretch of one to four
words is compared, by sound (Metaphone keys), with the terms of a common ML lexicon and of the
question; a close match is replaced by the term as engineers write it.

The recogniser is also told the question's own terms (`Vocabulary.hints`, a short prompt per
utterance; a long prompt over a whole recording made Whisper drop or invent passages). Everyday
words ("bit", "bird", "rock hawk") change only into a term of the question being asked, and
never inside the fixed expressions in `KEEP`: a wrong term in a transcript is worse than a term
left as heard.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import jellyfish

from interviewer.speech.numbers import integer_words

# Terms as written, with the ways people say them when that is not their spelling read out
# (letters of an all-capitals run are spelled: "GBM" sounds as "g b m").
TERMS: dict[str, tuple[str, ...]] = {
    "LightGBM": (), "XGBoost": (), "CatBoost": (), "AdaBoost": (), "scikit-learn": ("sci kit learn",),
    "ROC AUC": ("rock a u c", "rock auc", "rock awk"), "PR AUC": ("p r a u c", "p r awk"), "AUC": ("awk",),
    "BERT": ("bert",), "RoBERTa": ("roberta",), "DistilBERT": ("distil bert",), "GPT": (), "LLM": (),
    "word2vec": ("word to vec",), "GloVe": ("glove",), "fastText": ("fast text",), "TF-IDF": (), "BM25": (),
    "co-occurrence": ("co occurrence",), "pCTR": (), "CTR": (), "CVR": (), "eCPM": (), "CPC": (), "CPM": (),
    "ROAS": ("row as",), "LTV": (), "DAU": (), "MAU": (),
    "SHAP": ("shap",), "LIME": ("lime",), "t-SNE": ("tee snee",), "UMAP": ("you map",), "PCA": (),
    "k-means": ("k means",), "KNN": (), "k-NN": (), "MICE": ("mice",), "SMOTE": ("smote",),
    "NDCG": (), "MRR": (), "MAP": (), "RMSE": (), "MAE": (), "MAPE": ("mape",), "MdAPE": ("m d a p e",),
    "F1": ("f one",), "log loss": (), "cross-entropy": ("cross entropy",), "softmax": ("soft max",),
    "ReLU": ("relu", "ray loo"), "LSTM": (), "RNN": (), "CNN": (), "GNN": (), "GraphSAGE": ("graph sage",),
    "LoRA": ("lora",), "RAG": ("rag",), "ANN": (), "FAISS": ("face",), "HNSW": (), "ScaNN": ("scan",),
    "MinHash": ("min hash",), "LSH": (), "Jaccard": ("jaccard", "jakard"), "ONNX": ("onyx",),
    "TensorRT": ("tensor r t",), "PyTorch": ("pie torch",), "TensorFlow": ("tensor flow",),
    "Kafka": ("kafka",), "Flink": ("flink",), "Spark": (), "Airflow": ("air flow",), "Redis": ("redis",),
    "BigQuery": ("big query",), "Snowflake": ("snow flake",), "SQL": ("sequel",), "GPU": (), "CPU": (),
    "p95": ("p ninety five",), "p99": ("p ninety nine",), "p-value": ("p value",), "CUPED": ("cupid",),
    "A/B test": ("a b test",), "Thompson sampling": ("thompson sampling",), "epsilon-greedy": ("epsilon greedy",),
    "UCB": (), "PSI": (), "KL divergence": ("k l divergence",), "ARIMA": ("arima",), "Prophet": (),
    "LambdaMART": ("lambda mart",), "XGBRanker": ("x g b ranker",), "OCR": (), "NER": (), "NLP": (),
    "IDF": (), "ETA": (), "MSE": (), "OOV": (), "PII": (), "GDPR": (), "iid": ("i i d",), "bid": (),
}
# Everyday words Whisper base writes for a term it does not know. One everyday word is changed
# only when the question uses the term and a word beside it goes with the term in the question.
HEARD_AS: dict[str, tuple[str, ...]] = {"BERT": ("bird", "burt"), "bid": ("bit",), "SHAP": ("shop",), "SMOTE": ("smoke",)}
# Everyday phrases whose words sound like a term: never changed.
KEEP = ("a bit", "a little bit", "bit of", "bit more", "bit less", "bird's eye", "face to face", "glove box")

MAX_WORDS = 4
# A stretch never starts or ends on these: "the CTR" must not sound like "pCTR".
_FUNCTION_WORDS = frozenset("""a an the of to in on at by for per from into up out over and or but so than then is are
was were be it its this that these those with as i we you they he she my our your their can could would should
will may might must get got just right well also very""".split())
_WRITTEN = {re.sub(r"[\s/-]+", "", term).lower(): term for term in TERMS}
# Spoken forms of more than one word, said word for word ("word to vec", "rock a u c").
_SAID = {re.sub(r"[\s/-]+", "", form).lower(): term for term, forms in TERMS.items() for form in forms if " " in form}
_ANY_TERM = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(t) for t in sorted(TERMS, key=len, reverse=True)) + r")(?![\w-])", re.IGNORECASE
)
_PUNCTUATION = re.compile(r"[,.;:!?()\[\]\"]")
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")
_LETTERS = dict(zip("abcdefghijklmnopqrstuvwxyz", (
    "ay bee see dee ee ef jee aitch eye jay kay el em en oh pee cue ar es tee you vee doubleyou ex why zee"
).split()))


@dataclass(frozen=True)
class Term:
    written: str
    keys: tuple[str, ...]  # how its spoken forms sound
    worded: bool  # said as words ("bid", "rock awk"), not only as letters ("CTR")


@dataclass(frozen=True)
class Vocabulary:
    """A question's own terms, and for each the words around it in the question's text: an
    everyday word ("bit") becomes a term ("bid") only beside words the question uses with it."""

    terms: frozenset[str] = frozenset()
    near: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, text: str) -> Vocabulary:
        terms = frozenset(terms_in(text))
        words = [w.lower() for w in _TOKEN.findall(text)]
        spots: dict[str, list[tuple[int, int]]] = {}
        for size in range(1, MAX_WORDS + 1):
            for index in range(len(words) - size + 1):
                spots.setdefault(_plain(" ".join(words[index : index + size])), []).append((index, size))
        near = {
            term: frozenset(w for i, size in spots.get(_plain(term), []) for w in _around(words, i, size)) - _FUNCTION_WORDS
            for term in terms
        }
        return cls(terms, near)

    def hints(self, most: int = 40) -> list[str]:
        """The question's terms for the recogniser to expect, one spelling of each ("PR AUC", not
        also "PR-AUC" and "pr-auc"), as the lexicon writes them where it has them. Not a term that
        looks like an everyday word ("Prophet", "Spark"): told to expect it, Whisper writes it for
        the word it sounds like ("the business cares about Prophet")."""
        spellings: dict[str, str] = {}
        for term in sorted(self.terms, key=lambda t: (t not in TERMS, t)):
            if " " not in term and _is_everyday(term):
                continue
            spellings.setdefault(_plain(term).removesuffix("s"), term)  # "GPUs" is "GPU"
        return sorted(spellings.values(), key=str.lower)[:most]


def correct(text: str, vocabulary: Vocabulary = Vocabulary()) -> str:
    """`text` with misheard ML terms written as engineers write them."""
    tokens = list(_TOKEN.finditer(text))
    words = [t.group() for t in tokens]
    lexicon = _lexicon(tuple(sorted(vocabulary.terms)))
    # A term is never split by punctuation ("Right, so" is no "Redis"), except letters said one by
    # one, which Whisper writes "G, B, M".
    ends = [
        i for i in range(len(tokens) - 1)
        if _PUNCTUATION.search(text, tokens[i].end(), tokens[i + 1].start()) and min(len(words[i]), len(words[i + 1])) > 1
    ]
    ends.append(len(tokens) - 1)
    candidates = [
        match
        for index in range(len(words))
        for match in _matches(words[: next(e for e in ends if e >= index) + 1], index, lexicon, vocabulary)
    ]
    # The closest-sounding stretches win; a stretch overlapping a better one is left as heard.
    taken: set[int] = set()
    replacements = []
    for score, size, index, term in sorted(candidates, key=lambda c: (-c[0], -c[1], c[2])):
        span = set(range(index, index + size))
        if not span & taken:
            taken |= span
            replacements.append((tokens[index].start(), tokens[index + size - 1].end(), term))
    for start, end, term in sorted(replacements, reverse=True):
        text = text[:start] + term + text[end:]
    return text


def terms_in(text: str) -> list[str]:
    """The lexicon's terms and the jargon-looking words ("MdAPE", "pCTR", "BM25") in `text`."""
    found = {_WRITTEN[_plain(match)] for match in _ANY_TERM.findall(text)}
    found |= {word for word in re.findall(r"\b[\w-]+\b", text) if _looks_like_jargon(word)}
    return sorted(found)


def _matches(words: list[str], index: int, lexicon: list[Term], vocabulary: Vocabulary):
    """(score, words, index, term) for each term that a stretch starting at `index` sounds like."""
    for size in range(1, min(MAX_WORDS, len(words) - index) + 1):
        stretch = words[index : index + size]
        said = _plain(" ".join(stretch))
        written = _WRITTEN.get(said) or (_SAID.get(said) if size > 1 else None)
        if written:  # a term, or one of its spoken forms: written the usual way ("BM 25" -> "BM25")
            if size > 1 or not _is_everyday(stretch[0]):  # "the spark for the project" stays a spark
                yield 1.0, size, index, written
            continue
        if stretch[0].lower() in _FUNCTION_WORDS or stretch[-1].lower() in _FUNCTION_WORDS or _kept(words, index, size):
            continue
        known = [w for w in stretch if _plain(w) in _WRITTEN]
        everyday = all(_is_everyday(w) for w in stretch)
        key = _key(" ".join(stretch))
        for term in lexicon:
            if everyday and term.written not in vocabulary.terms:
                continue  # everyday words are most likely what was said: see _everyday_fits
            if any(_plain(w) not in _plain(term.written) for w in known):
                continue  # never rewrite a term the recogniser got right into another
            score = max((_similarity(key, k) for k in term.keys), default=0.0)
            if everyday:
                if _everyday_fits(term, score, words, index, size, vocabulary):
                    yield score, size, index, term.written
            elif score >= _needed(len(key), term.written in vocabulary.terms):
                yield score, size, index, term.written


def _everyday_fits(term: Term, score: float, words: list[str], index: int, size: int, vocabulary: Vocabulary) -> bool:
    """Everyday words are most likely what was said: they become only a term of the question
    asked. Several words must sound exactly like it, and it must be said as words ("law gloss" is
    "log loss"; "store it" is no "CTR"); one word must be one Whisper is known to write for the
    term ("bird" for "BERT"), beside a word the question uses with the term."""
    if size > 1:
        return score == 1.0 and term.worded
    if words[index].lower() not in HEARD_AS.get(term.written, ()):
        return False
    beside = {w.lower() for w in _around(words, index, size)}
    return bool(beside & vocabulary.near.get(term.written, frozenset()))


def _around(words: list[str], index: int, size: int, reach: int = 4) -> list[str]:
    return words[max(0, index - reach) : index] + words[index + size : index + size + reach]


def _needed(sounds: int, in_question: bool) -> float:
    """How close letters or odd words must sound to a term: short keys exactly, since one sound
    of three makes another word; a little looser for the question's own terms."""
    if sounds <= 3:
        return 1.0
    return 0.75 if in_question else 0.8 if sounds >= 5 else 1.0


def _similarity(a: str, b: str) -> float:
    longest = max(len(a), len(b), 1)
    if abs(len(a) - len(b)) > 0.3 * longest:
        return 0.0  # too far apart to pass any threshold; spares the edit distance
    return 1.0 - jellyfish.levenshtein_distance(a, b) / longest


@lru_cache(maxsize=64)
def _lexicon(question_terms: tuple[str, ...]) -> list[Term]:
    spoken = {term: forms for term, forms in TERMS.items()}
    for term in question_terms:
        spoken.setdefault(term, ())
    lexicon = []
    for term, forms in spoken.items():
        said = (_spelled(term), *forms)
        worded = any(all(_is_everyday(w) for w in _TOKEN.findall(form)) for form in said)
        lexicon.append(Term(term, tuple({_key(form) for form in said} - {""}), worded))
    return lexicon


@lru_cache(maxsize=65536)
def _key(words: str) -> str:
    """How a stretch of words sounds, as one Metaphone key: letters said by name, numbers in words,
    and no h after a consonant or between vowels, which speakers and recognisers drop."""
    spoken = []
    for token in _TOKEN.findall(words):
        if token.isdigit():
            spoken.append(integer_words(int(token)))
        elif len(token) == 1 or (token.isupper() and len(token) <= 5):
            spoken.extend(_LETTERS.get(ch, ch) for ch in token.lower())
        else:
            spoken.append(token.lower())
    key = jellyfish.metaphone(re.sub(r"[^a-z]", "", "".join(spoken))) if spoken else ""
    return key[:1] + key[1:].replace("H", "")


def _spelled(term: str) -> str:
    """A term read as written: camel case and letter runs apart ("XGBoost" -> "XG Boost")."""
    parts = re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+", term)
    return " ".join(parts)


def _is_everyday(word: str) -> bool:
    """An ordinary word or a number, as against letters said one by one ("X", "GBM") or "pCTR"."""
    plain = word.replace("'", "")
    if plain.isdigit():
        return True
    if len(plain) == 1:
        return plain in "aAI"
    return plain.isalpha() and (plain.islower() or plain.istitle())


@lru_cache(maxsize=65536)
def _plain(words: str) -> str:
    return re.sub(r"[\s/-]+", "", words).lower()


def _kept(words: list[str], index: int, size: int) -> bool:
    """True when the stretch overlaps a fixed everyday expression around it."""
    low = max(0, index - 3)
    around = [w.lower() for w in words[low : index + size + 3]]
    for phrase in KEEP:
        parts = phrase.split()
        for at in range(len(around) - len(parts) + 1):
            if around[at : at + len(parts)] == parts and low + at < index + size and low + at + len(parts) > index:
                return True
    return False


def _looks_like_jargon(word: str) -> bool:
    """Capitals inside a word, or letters with digits: "MdAPE", "pCTR", "BM25", "NDCG"."""
    if "_" in word:
        return False  # an identifier ("item_id", "003_24a97…"), not a word anyone says
    return len(word) >= 3 and (bool(re.search(r"[a-z][A-Z]|[A-Z]{2,}", word)) or bool(re.search(r"[A-Za-z]\d", word)))
