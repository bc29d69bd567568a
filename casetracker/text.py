"""Text folded for search: accents and case ignored, on SQLite and PostgreSQL alike."""

import unicodedata

from django.db import models


def fold(text: str) -> str:
    """ "Élmer Canales" → "elmer canales": no accents, no case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def search_words(query: str) -> list[str]:
    """The folded words of a search query, quotes and punctuation dropped."""
    cleaned = "".join(char if char.isalnum() else " " for char in fold(query))
    return cleaned.split()


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
