"""Numbers as words for a voice: a TTS model reads "1200" or "0.82" in its own way, often not the
way an engineer says it. American style ("one hundred five", no "and"); tens are hyphenated
("ninety-five"), which espeak reads as one word."""

from __future__ import annotations

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (10**3, "thousand"))
_ORDINALS = {
    "one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth", "nine": "ninth",
    "twelve": "twelfth",
}
# Beyond this a figure is an ID or a phone number more than a quantity: read digit by digit.
LARGEST = 10**15 - 1


def integer_words(n: int) -> str:
    """'1200' -> 'one thousand two hundred'; digit by digit past `LARGEST`."""
    if n < 0:
        return "minus " + integer_words(-n)
    if n > LARGEST:
        return digit_words(str(n))
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    size, name = next(((size, name) for size, name in _SCALES if n >= size), (100, "hundred"))
    high, rest = divmod(n, size)
    return f"{integer_words(high)} {name}" + (f" {integer_words(rest)}" if rest else "")


def digit_words(digits: str) -> str:
    return " ".join(_ONES[int(digit)] for digit in digits)


def number_words(text: str) -> str:
    """A written number, commas allowed: '10,000' -> 'ten thousand', '0.82' -> 'zero point eight
    two' (decimals are said digit by digit), '007' -> 'zero zero seven'."""
    whole, _, decimals = text.replace(",", "").partition(".")
    spoken = digit_words(whole) if len(whole) > 1 and whole.startswith("0") else integer_words(int(whole))
    return f"{spoken} point {digit_words(decimals)}" if decimals else spoken


def ordinal_words(n: int) -> str:
    """21 -> 'twenty-first': only the last word of the number changes."""
    words = integer_words(n)
    cut = max(words.rfind(" "), words.rfind("-")) + 1
    head, last = words[:cut], words[cut:]
    if last in _ORDINALS:
        return head + _ORDINALS[last]
    return head + (last[:-1] + "ieth" if last.endswith("y") else last + "th")


def year_words(year: int) -> str:
    """1999 -> 'nineteen ninety-nine', 2024 -> 'twenty twenty-four', 2005 -> 'two thousand five'."""
    century, rest = divmod(year, 100)
    if rest == 0:
        return integer_words(year) if century % 10 == 0 else f"{integer_words(century)} hundred"
    if rest < 10:
        return integer_words(year) if century == 20 else f"{integer_words(century)} oh-{_ONES[rest]}"
    return f"{integer_words(century)} {integer_words(rest)}"


def plural(word: str) -> str:
    return {"penny": "pence"}.get(word, word + "s")


def fraction_words(numerator: int, denominator: int) -> str:
    """'1/3' -> 'one third', '1/1000' -> 'one in a thousand', '7/10' -> 'seven out of ten'."""
    top = integer_words(numerator)
    if denominator in (2, 3, 4):
        name = {2: "half", 3: "third", 4: "quarter"}[denominator]
        return f"{top} {name if numerator == 1 else plural(name).replace('halfs', 'halves')}"
    bottom = integer_words(denominator)
    if numerator == 1:
        # "one in a thousand", as people say odds; "one in one thousand" sounds read off a page.
        return f"one in {'a ' + bottom[4:] if bottom.startswith('one ') else bottom}"
    return f"{top} out of {bottom}"
