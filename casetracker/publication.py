"""Review before publishing: every public-facing record is a draft until an editor publishes it.

A record nested under another is public only when it and all its parents are: each model names
its parents in `public_parents`, and `published()` checks them all in the same query.
"""

from django.conf import settings
from django.db import models
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
