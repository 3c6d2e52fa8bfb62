"""Text as a voice should read it: an LLM's Markdown is written for eyes, and a TTS model would
read "**" and link targets aloud or stumble on them. ML shorthand is written for eyes too: piper's
espeak reads "A/B" as "A slash B", "AUC" as "awk" and "100ms" as "one hundred M S", so numbers,
units and acronyms are written out the way an engineer says them. A neural voice (the
OpenAI-compatible server's) reads acronyms well and would stumble on espeak's spellings, so it gets
`speakable(text, for_espeak=False)`: the same expansions, acronyms left as written."""

from __future__ import annotations

import re
from collections.abc import Iterable

from interviewer.speech.numbers import (
    fraction_words,
    integer_words,
    number_words,
    ordinal_words,
    plural,
    year_words,
)

# Said after a number, plural unless the number is exactly 1.
UNITS = {
    "ms": "millisecond", "µs": "microsecond", "μs": "microsecond", "us": "microsecond", "ns": "nanosecond",
    "s": "second", "sec": "second", "secs": "second", "min": "minute", "mins": "minute",
    "h": "hour", "hr": "hour", "hrs": "hour", "KB": "kilobyte", "MB": "megabyte", "GB": "gigabyte",
    "TB": "terabyte", "PB": "petabyte", "Hz": "hertz", "kHz": "kilohertz", "MHz": "megahertz",
    "GHz": "gigahertz", "pp": "percentage point",
}
# Written onto a number: "10k", "7B".
SCALES = {"k": "thousand", "K": "thousand", "M": "million", "B": "billion", "bn": "billion", "T": "trillion"}
CURRENCIES = {"$": ("dollar", "cent"), "€": ("euro", "cent"), "£": ("pound", "penny")}
# Acronyms said as words, written so espeak says them that way; every other run of capitals is spelled.
WORD_LIKE = {
    "ROC": "rock", "BERT": "bert", "RoBERTa": "roberta", "DistilBERT": "distil bert", "SHAP": "shap",
    "LIME": "lime", "SMOTE": "smote", "CUPED": "cupid", "LoRA": "lora", "QLoRA": "Q-lora", "RAG": "rag",
    "ONNX": "onyx", "FAISS": "face", "GAN": "gan", "JSON": "jason", "YAML": "yamel", "CUDA": "cuda",
    "UMAP": "you-map", "MAPE": "mape", "ARIMA": "arima", "DAG": "dag", "NaN": "nan", "GloVe": "glove",
    "OK": "okay", "NASA": "nasa", "GraphSAGE": "graph sage", "LambdaMART": "lambda mart", "ScaNN": "scan",
    "LASSO": "lasso", "LLaMA": "llama", "SQuAD": "squad", "GLUE": "glue", "BLEU": "blue", "ROUGE": "rouge",
    "ROAS": "row-as", "MICE": "mice", "RAM": "ram", "MoE": "M-O-E", "t-SNE": "tee-snee",
}
# Capitals written for emphasis ("do NOT"), not acronyms.
EMPHASIS = {"NOT", "NO", "NEVER", "ALWAYS", "ONLY", "ALL", "ANY", "MUST", "AND", "OR", "BUT", "THE", "YES", "DO", "VERY"}
ABBREVIATIONS = {
    "e.g.": "for example", "i.e.": "that is", "vs.": "versus", "vs": "versus", "etc.": "and so on",
    "approx.": "approximately", "w.r.t.": "with respect to", "cf.": "compare",
}

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_CODE_FENCE = re.compile(r"```[^\n]*\n?")
_LINE_MARKERS = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)", re.MULTILINE)
_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3}|`+|~~)")
_URL = re.compile(r"https?://\S+")
_SPACE = re.compile(r"[ \t]+")
_SENTENCE_BREAK = re.compile(r"\s*\n+\s*")


def _alternatives(words: Iterable[str]) -> str:
    """A regex alternation, longest first so 'kHz' wins over 'Hz'."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"  # "10,000.5", "0.82"
_ABBREVIATION = re.compile(rf"(?<![\w.])({_alternatives(ABBREVIATIONS)})(?!\w)", re.IGNORECASE)
_WORD_TO_WORD = re.compile(r"\b([a-z]{2,})2([a-z]{2,})\b")  # word2vec, seq2seq
_LETTER_SLASH = re.compile(r"\b([A-Z])/([A-Z])\b")  # A/B, A/A
_RANGE = re.compile(rf"(?<![\w.,\-/])({_NUM})(?:-|–|\s–\s)(?=(?:{_NUM})(?![\d\-–]))")  # not dates
# A sign is read only right before a number; "a - 3" stays a dash, "p<0.05" is a comparison.
_PREFIX = re.compile(r"(?<![\w.\-=<>])(?:([~≈])\s?|([+\-−#]))(?=\d)")
_COMPARISON = re.compile(r"\s?(?<![-=])(<=|>=|≤|≥|<|>)\s?(?=\d)")
_SIGN_WORDS = {
    "~": "about", "≈": "about", "+": "plus", "-": "minus", "−": "minus", "#": "number", "<": "less than",
    ">": "more than", "<=": "at most", "≤": "at most", ">=": "at least", "≥": "at least",
}
_CURRENCY = re.compile(rf"([$€£])\s?({_NUM})(?:\s?({_alternatives(SCALES)})\b)?")
_SLASHED = re.compile(r"(?<![\w./])(\d+(?:/\d+)+)(?![\w/]|\.\d)")  # 1/1000, 24/7, 80/10/10
_QUANTITY = re.compile(
    rf"(?<![\w.])({_NUM})(?:\s?({_alternatives(UNITS)})(?!\w)|({_alternatives(SCALES)})(?!\w)"
    rf"|\s?(%)|(x|×)(?!\w)|(st|nd|rd|th)(?!\w))"
)
_LETTERS_NUMBER = re.compile(r"\b([A-Za-z]+)(\d+(?:\.\d+)?)\b(?!\.\d)")  # p95, F1, Q3, BM25, H100
_BARE_NUMBER = re.compile(rf"(?<![\w.,])({_NUM})(?!\w|[.,]\d)")
_WORD_LIKE = re.compile(rf"(?<!\w)({_alternatives(WORD_LIKE)})(s?)(?!\w)")
_CAPITALS = re.compile(r"[A-Z]{2,}")
_STANDALONE_UNIT = re.compile(r"(?<![\w-])(ms|µs|μs|KB|MB|GB|TB|PB)(?![\w-])")


def speakable(text: str, *, for_espeak: bool = True) -> str:
    """Plain sentences from Markdown-ish text: links keep their words, markers and URLs go;
    numbers, units and abbreviations are written as they are said, and for espeak acronyms too."""
    text = _CODE_FENCE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _URL.sub("", text)
    text = _LINE_MARKERS.sub("", text)
    text = _EMPHASIS.sub("", text)
    # A list item or heading without a full stop still ends a sentence when read aloud.
    lines = [line.strip() for line in _SENTENCE_BREAK.split(text) if line.strip()]
    text = " ".join(line if line[-1] in ".!?:;," else line + "." for line in lines)
    return _SPACE.sub(" ", say_for_speech(text, for_espeak=for_espeak)).strip()


def say_for_speech(text: str, *, for_espeak: bool = True) -> str:
    """ML shorthand written out. Order matters: whole expressions ("$5M", "3-5 ms") go before
    the bare numbers and capitals they contain."""
    text = _ABBREVIATION.sub(_abbreviation, text)
    text = _WORD_TO_WORD.sub(r"\1 to \2", text)
    text = _LETTER_SLASH.sub(lambda m: spell(m[1] + m[2]) if for_espeak else f"{m[1]} {m[2]}", text)
    text = _RANGE.sub(r"\1 to ", text)
    text = _PREFIX.sub(lambda m: _SIGN_WORDS[m[1] or m[2]] + " ", text)
    text = _COMPARISON.sub(lambda m: f" {_SIGN_WORDS[m[1]]} ", text)
    text = _CURRENCY.sub(_money, text)
    text = _SLASHED.sub(_slashed, text)
    text = _QUANTITY.sub(_quantity, text)
    text = _LETTERS_NUMBER.sub(lambda m: _letters_number(m, for_espeak), text)
    text = _BARE_NUMBER.sub(_bare_number, text)
    text = _STANDALONE_UNIT.sub(lambda m: plural(UNITS[m[1]]), text)
    if not for_espeak:  # a neural voice says "AUC" and "SHAP" right; the spellings below are espeak's
        return text
    text = _WORD_LIKE.sub(lambda m: WORD_LIKE[m[1]] + m[2], text)
    return _CAPITALS.sub(_capitals, text)


def spell(letters: str) -> str:
    """'AUC' -> 'A-U-C': espeak says the name of each hyphen-joined capital, except an 'A' after
    the first letter, which it reads as the article; 'eigh' is said as the letter."""
    return "-".join("eigh" if letter == "A" and index else letter for index, letter in enumerate(letters))


def _abbreviation(match: re.Match[str]) -> str:
    """'e.g.' -> 'for example'; a sentence-ending 'etc.' keeps its full stop so the voice pauses."""
    written = match[1]
    if written.isupper():  # "VS Code" is a name
        return written
    said = ABBREVIATIONS[written.lower()]
    said = said[0].upper() + said[1:] if written[0].isupper() else said
    rest = match.string[match.end() :]
    ends_sentence = written.lower() == "etc." and re.match(r"\s*$|\s+[A-Z]", rest)
    return said + ("." if ends_sentence else "")


def _money(match: re.Match[str]) -> str:
    symbol, amount, scale = match.groups()
    unit, subunit = CURRENCIES[symbol]
    whole, _, cents = amount.replace(",", "").partition(".")
    if scale:  # "$5M": five million dollars
        return f"{number_words(amount)} {SCALES[scale]} {plural(unit)}"
    if len(cents) == 2 and int(cents):  # "$1.50": one dollar and fifty cents
        cent_words = f"{integer_words(int(cents))} {subunit if cents == '01' else plural(subunit)}"
        return cent_words if whole == "0" else f"{_counted(whole, unit)} and {cent_words}"
    return _counted(amount.removesuffix(".00"), unit)


def _counted(amount: str, unit: str) -> str:
    return f"{number_words(amount)} {unit if amount == '1' else plural(unit)}"


def _slashed(match: re.Match[str]) -> str:
    """A fraction when the top is smaller ('1/1000'); otherwise a split or a ratio, said as its
    numbers ('80/20' -> 'eighty twenty', '24/7' -> 'twenty-four seven')."""
    parts = [int(part) for part in match[1].split("/")]
    if len(parts) == 2 and parts[0] < parts[1] and (parts[0] == 1 or parts[1] <= 10):
        return fraction_words(*parts)
    return " ".join(integer_words(part) for part in parts)


def _quantity(match: re.Match[str]) -> str:
    amount, unit, scale, percent, times, ordinal = match.groups()
    if ordinal:
        return ordinal_words(int(amount.replace(",", "")))
    if unit == "s" and re.fullmatch(r"(19|20)\d0", amount):  # "1990s" is a decade, not seconds
        return year_words(int(amount))[:-1] + "ies"
    if unit:
        return _counted(amount, UNITS[unit])
    if scale:
        return f"{number_words(amount)} {SCALES[scale]}"
    return f"{number_words(amount)} {'percent' if percent else 'times'}"


def _letters_number(match: re.Match[str], for_espeak: bool) -> str:
    """'p95' -> 'p ninety-five', 'F1' -> 'F-one': for espeak a lone capital is hyphen-joined so it
    is said as a letter ('A one hundred' would start with the article)."""
    letters, amount = match.groups()
    joiner = "-" if for_espeak and len(letters) == 1 and letters.isupper() else " "
    return f"{letters}{joiner}{number_words(amount)}"


def _bare_number(match: re.Match[str]) -> str:
    amount = match[1]
    if len(amount) == 4 and amount.isdigit() and 1900 <= int(amount) <= 2099:
        return year_words(int(amount))
    return number_words(amount)


def _capitals(match: re.Match[str]) -> str:
    """A run of capitals spelled letter by letter, unless it is emphasis or a word-like acronym.
    In 'XGBoost' the last capital starts the next word; 'GPUs' is said "G-P-U's"."""
    run, text, end = match[0], match.string, match.end()
    after = text[end : end + 2]
    before = text[match.start() - 1 : match.start()]
    plural_s = after[:1] == "s" and not after[1:2].isalpha()
    if after[:1].islower() and not plural_s:  # camel case: XGBoost, MLOps
        head, tail = run[:-1], run[-1]
        return (" " if before.islower() else "") + _spell_run(head) + " " + tail
    if not before.isalpha() and not after[:1].isalpha() and run in EMPHASIS:
        return run
    spoken = _spell_run(run) + ("'" if plural_s else "")
    return (" " if before.islower() else "") + spoken


def _spell_run(run: str) -> str:
    if run in WORD_LIKE:
        return WORD_LIKE[run]
    return spell(run) if len(run) > 1 else run
