"""Text folded for search: accents and case ignored, on SQLite and PostgreSQL alike; and how
long a search may be."""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

# Each word of a search is one more condition on every candidate row: without a cap, a few
# hundred words held a worker for seconds and a few thousand for half a minute. The API and the
# pages take the same searches.
SEARCH_MAX_WORDS = 10
SEARCH_MAX_CHARACTERS = 200
SEARCH_LIMITS = f"at most {SEARCH_MAX_WORDS} words and {SEARCH_MAX_CHARACTERS} characters"
# White space as `str.strip()` sees it, listed, since regex dialects (Python's, JavaScript's,
# fuzzers') disagree on what `\s` means: a parameter of white space alone counts as empty.
WHITE_SPACE = "".join(f"\\u{ord(c):04x}" for c in map(chr, range(0x10000)) if c.isspace())


def _character_class(keep) -> str:
    """The characters of the Basic Multilingual Plane for which `keep(c)`, as the body of a
    regex character class of `\\uXXXX` ranges that Python's `re` and ECMAScript (the dialect of
    JSON Schema's `pattern`) read alike. Surrogates are never in it: a character beyond the BMP
    is one code point in Python and two surrogates in ECMAScript, so it is outside in both."""
    ranges: list[list[int]] = []
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF or not keep(chr(code)):
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges)


def _separates(char: str) -> bool:
    """Punctuation, symbols, spaces and control characters separate words; letters, digits,
    combining accents and characters Unicode has not assigned yet do not."""
    category = unicodedata.category(char)
    return category[0] in "PSZC" and category != "Cn" and not char.isalnum()


# A word of a search: a run of characters that are not separators. The separators are listed,
# since what `\w` means differs between dialects (in JSON Schema's, ASCII only). The API schema's
# pattern counts words with the same list, so a client that follows the schema is never refused.
_SEPARATOR = _character_class(_separates)
WORD = re.compile(rf"[^{_SEPARATOR}]+")
# A search as the API schema describes it: at most the word cap of words between separators, or
# no word but something besides white space; never a NUL character (forms refuse it).
_BETWEEN = "[" + _character_class(lambda c: _separates(c) and c != "\0") + "]"
_SHOWN = "[" + _character_class(lambda c: _separates(c) and c != "\0" and not c.isspace()) + "]"
SEARCH_PATTERN = (
    rf"^(?:{_BETWEEN}*(?:[^{_SEPARATOR}]+(?:{_BETWEEN}+|$)){{1,{SEARCH_MAX_WORDS}}}"
    rf"|{_BETWEEN}*{_SHOWN}{_BETWEEN}*)$"
)


def fold(text: str) -> str:
    """ "Élmer Canales" → "elmer canales": no accents, no case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def search_words(query: str) -> list[str]:
    """The words of a search query (`WORD`, as the cap counts them), each folded; quotes and
    punctuation are dropped, and so is what folding makes of a rare letter that is not one
    (the dot of “Ŀ”, the slash of “½”): a word stays one word, so the cap holds."""
    folded = (fold(word) for word in WORD.findall(query))
    return [word for word in ("".join(c for c in f if c.isalnum()) for f in folded) if word]


def validate_search(query: str) -> None:
    """Refuse a search longer than `SEARCH_LIMITS`, saying how long it is."""
    words, characters = len(WORD.findall(query)), len(query)
    if words > SEARCH_MAX_WORDS or characters > SEARCH_MAX_CHARACTERS:
        raise ValidationError(
            f"Search for {SEARCH_LIMITS}: this search has {words:,} word{'s' * (words != 1)} "
            f"and {characters:,} characters.",
            code="too_long",
        )


class SearchField(forms.CharField):
    """A search, as typed (spaces included in its length), within `SEARCH_LIMITS`."""

    default_validators = [validate_search]

    def __init__(self, **kwargs):
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return value if value.strip() else ""  # only spaces: no search


class FoldedTextField(models.CharField):
    """A read-only copy of another text field, folded for accent- and case-blind search.

    It is filled from `source` whenever the row is saved, `bulk_create` included.
    """

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = fold(getattr(model_instance, self.source))[: self.max_length]
        setattr(model_instance, self.attname, value)
        return value
