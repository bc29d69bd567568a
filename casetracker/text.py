"""Text folded for search: accents and case ignored, on SQLite and PostgreSQL alike; and how
long a search may be."""

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
# The word cap as a pattern (Python's `re`: `[^\W_]` is a letter or digit, as `str.isalnum`), for
# the API schema; `search_words` splits the text folded, which only rare characters tell apart.
SEARCH_PATTERN = rf"^[\W_]*(?:[^\W_]+(?:[\W_]+|$)){{0,{SEARCH_MAX_WORDS}}}$"


def fold(text: str) -> str:
    """ "Élmer Canales" → "elmer canales": no accents, no case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def search_words(query: str) -> list[str]:
    """The folded words of a search query, quotes and punctuation dropped."""
    cleaned = "".join(char if char.isalnum() else " " for char in fold(query))
    return cleaned.split()


def validate_search(query: str) -> None:
    """Refuse a search longer than `SEARCH_LIMITS`, saying how long it is."""
    words, characters = len(search_words(query)), len(query)
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
