"""Review before publishing: every public-facing record is a draft until an editor publishes it.

A record nested under another is public only when it and all its parents are: each model names
its parents in `public_parents`, and `published()` checks them all in the same query.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Publication(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class PublishableQuerySet(models.QuerySet):
    def published(self, *, known: tuple[str, ...] = ()):
        """Records a reader may see: published themselves, and every parent published too.

        `known`: parents (relation paths, with everything above them) already checked by the
        query these rows hang from, as in a prefetch under published records; checking them
        again would only join their tables once more.
        """
        paths = [
            f"{parent}__"
            for parent in self.model.public_parents
            if not any(parent == path or parent.startswith(f"{path}__") for path in known)
        ]
        return self.filter(**{f"{path}publication": Publication.PUBLISHED for path in ["", *paths]})

    def drafts(self):
        return self.exclude(publication=Publication.PUBLISHED)


class Publishable(models.Model):
    """Publication state and timestamps shared by every public-facing record."""

    publication = models.CharField(
        "publication", max_length=10, choices=Publication, default=Publication.DRAFT, db_index=True
    )
    published_at = models.DateTimeField("published at", null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="published by",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A default rather than `auto_now_add`, which stamps every insert: a record restored after
    # deletion (inserted again, see `workflow.restore`) keeps the time it was first created.
    created_at = models.DateTimeField("created", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("last updated", auto_now=True, db_index=True)

    history = HistoricalRecords(inherit=True)

    objects = PublishableQuerySet.as_manager()

    # Relation paths (as in `filter()`) of the records this one is nested under.
    public_parents: tuple[str, ...] = ()

    class Meta:
        abstract = True
        # Beyond Django's four: "publish" (publish, withdraw, delete what was published) and
        # "revert" (go back to an earlier version, restore a deleted record) are an editor's.
        default_permissions = ("add", "change", "delete", "view", "publish", "revert")

    @property
    def is_published(self) -> bool:
        return self.publication == Publication.PUBLISHED


# Counts of published records, for pages that show them --------------------------------------

COUNT_SECONDS = 60  # the longest a count stays cached (a cache per server hears only its writes)


def published_count(model: type[models.Model]) -> int:
    """How many `model` records are published (a model with no public parents), from the cache.

    Counting a table takes time in proportion to its size (3 ms for 100,000 cases, more for
    people); the cached count is dropped whenever a record of `model` is saved or deleted
    (`forget_published_count`), and is at most `COUNT_SECONDS` old when the cache is not shared
    between app servers (see `CACHE_URL`).
    """
    key = _count_key(model)
    count = cache.get(key)
    if count is None:
        count = model.objects.published().count()
        cache.set(key, count, COUNT_SECONDS)
    return count


def forget_published_count(sender: type[models.Model], **kwargs) -> None:
    """Drop the cached count of `sender` now and when the transaction commits (a request in
    between may have counted the old rows)."""
    key = _count_key(sender)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def _count_key(model: type[models.Model]) -> str:
    return f"published-count:{model._meta.label_lower}"
