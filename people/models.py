"""Who: people, the names they go by, organizations and who belongs to them."""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django_countries.fields import CountryField

from casetracker.dates import (
    check_date_order,
    date_order_constraint,
    partial_date_constraints,
    partial_date_fields,
)
from casetracker.publication import Publishable, PublishableQuerySet
from casetracker.text import FoldedTextField, search_words

from .choices import AliasKind, OrganizationKind

END_BEFORE_START = "The end cannot come before the start."


def names_matching(queryset, words, alias_model, owner, *, published: bool = False):
    """Rows whose folded name, or one of whose aliases, holds every word.

    With `published`, only published aliases count: what readers search must not reveal drafts.
    """
    all_aliases = alias_model.objects.published() if published else alias_model.objects.all()
    for word in words:
        aliases = all_aliases.filter(**{owner: OuterRef("pk"), "search_name__contains": word})
        queryset = queryset.filter(Q(search_name__contains=word) | Exists(aliases))
    return queryset


def published_prefetch(model, relation: str, *, select=(), order=()) -> Prefetch:
    """Prefetch `model.relation` holding only published rows (whatever app the rows live in)."""
    rows = model._meta.get_field(relation).related_model.objects.published()
    rows = rows.select_related(*select) if select else rows
    return Prefetch(relation, queryset=rows.order_by(*order) if order else rows)


class PersonQuerySet(PublishableQuerySet):
    def search(self, query: str, *, published: bool = False):
        """People whose name or any alias holds every word of `query`, accents and case aside.

        With `published`, only published aliases count (for public pages).
        """
        return names_matching(self, search_words(query), Alias, "person", published=published)

    def with_aliases(self, *, published: bool = False):
        aliases = Alias.objects.published() if published else Alias.objects.all()
        return self.prefetch_related(models.Prefetch("aliases", queryset=aliases))

    def with_memberships(self):
        """Published memberships, each with its organization."""
        return self.prefetch_related(
            published_prefetch(self.model, "memberships", select=["organization"])
        )

    def with_custody(self):
        """Published custody records, earliest first."""
        return self.prefetch_related(
            published_prefetch(
                self.model,
                "custody_records",
                order=[models.F("start_date").asc(nulls_first=True), "id"],
            )
        )

    def with_cases(self):
        """Published defendant records (this person in a case), each with its case and court."""
        return self.prefetch_related(
            published_prefetch(self.model, "defendant_records", select=["case__court"])
        )

    def with_extraditions(self):
        """Published extradition requests for this person, each with its case."""
        return self.prefetch_related(
            published_prefetch(
                self.model,
                "extradition_requests",
                select=["case"],
                order=[models.F("request_date").asc(nulls_first=True), "id"],
            )
        )


class Person(Publishable):
    name = models.CharField(
        "name as used in sources",
        max_length=200,
        help_text="Keep accents: “Élmer Canales Rivera”. For someone known only by an alias, "
        "enter the alias and tick the box below.",
    )
    name_is_alias = models.BooleanField(
        "known only by this alias", default=False, help_text="For example “Cobra”."
    )
    given_name = models.CharField("given names", max_length=100, blank=True)
    family_name = models.CharField("family names", max_length=100, blank=True)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=False)
    search_name = FoldedTextField(source="name")
    birth_date, birth_date_precision, birth_date_approximate = partial_date_fields("birth date")
    nationalities = CountryField(multiple=True, blank=True)
    summary = models.TextField("public summary", blank=True)
    citations = GenericRelation("cases.Citation", related_query_name="person")

    objects = PersonQuerySet.as_manager()

    class Meta(Publishable.Meta):
        ordering = ["name", "id"]
        verbose_name_plural = "people"
        constraints = [*partial_date_constraints("birth_date")]

    def __str__(self):
        return f"alias “{self.name}”" if self.name_is_alias else self.name

    def get_absolute_url(self):
        return reverse("people:person-detail", kwargs={"slug": self.slug})


class Alias(Publishable):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    search_name = FoldedTextField(source="name")
    kind = models.CharField(max_length=12, choices=AliasKind, default=AliasKind.ALIAS)
    language = models.CharField(
        max_length=12, blank=True, help_text="Language code, for example “es” or “en”."
    )
    start_date, start_date_precision, start_date_approximate = partial_date_fields("used from")
    end_date, end_date_precision, end_date_approximate = partial_date_fields("used until")
    citations = GenericRelation("cases.Citation", related_query_name="alias")

    public_parents = ("person",)

    class Meta(Publishable.Meta):
        ordering = ["person", "name", "id"]
        verbose_name_plural = "aliases"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message="This person already has this alias.",
            ),
            *partial_date_constraints("start_date"),
            *partial_date_constraints("end_date"),
            date_order_constraint("start_date", "end_date", "end_after_start", END_BEFORE_START),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        check_date_order(self, "start_date", "end_date", END_BEFORE_START)


def published_members():
    """Published memberships by name, each with its person and the person's published aliases."""
    members = Membership.objects.published().select_related("person")
    members = members.prefetch_related(
        Prefetch("person__aliases", queryset=Alias.objects.published(known=("person",)))
    )
    return members.order_by("person__name", "id")


class OrganizationQuerySet(PublishableQuerySet):
    def search(self, query: str, *, published: bool = False):
        """Organizations whose name or any alias holds every word of `query`.

        With `published`, only published aliases count (for public pages).
        """
        return names_matching(
            self, search_words(query), OrganizationAlias, "organization", published=published
        )

    def with_aliases(self):
        """Published aliases."""
        return self.prefetch_related(published_prefetch(self.model, "aliases"))

    def with_members(self, *, first: int):
        """`first_members`: the `first` published memberships of each organization, by name
        (see `published_members`), and `member_count`, how many there are in all."""
        members = published_members().filter(organization=OuterRef("pk"))
        count = members.order_by().values("organization").annotate(n=Count("*")).values("n")
        return self.prefetch_related(
            Prefetch("memberships", published_members()[:first], to_attr="first_members")
        ).annotate(member_count=Coalesce(Subquery(count), 0))

    def with_family(self):
        """The parent organization, and the published sub-groups."""
        return self.select_related("parent").prefetch_related(
            published_prefetch(self.model, "children")
        )

    def with_cases(self):
        """Published cases, each with its court."""
        return self.prefetch_related(published_prefetch(self.model, "cases", select=["court"]))


class Organization(Publishable):
    name = models.CharField(max_length=200, help_text="The name sources use most, e.g. “MS13”.")
    slug = models.SlugField(max_length=200, unique=True)
    search_name = FoldedTextField(source="name")
    kind = models.CharField(max_length=20, choices=OrganizationKind, default=OrganizationKind.GANG)
    parent = models.ForeignKey(
        "self",
        verbose_name="part of",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The larger organization this one belongs to.",
    )
    countries = CountryField(multiple=True, blank=True)
    summary = models.TextField("public summary", blank=True)
    citations = GenericRelation("cases.Citation", related_query_name="organization")

    objects = OrganizationQuerySet.as_manager()

    class Meta(Publishable.Meta):
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="%(app_label)s_%(class)s_not_own_parent",
                violation_error_message="An organization cannot be part of itself.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:organization-detail", kwargs={"slug": self.slug})

    def published_members(self):
        """This organization's published memberships, by name (see `published_members`)."""
        return published_members().filter(organization=self)

    def clean(self):
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": "An organization cannot be part of itself."})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class OrganizationAlias(Publishable):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    search_name = FoldedTextField(source="name")
    citations = GenericRelation("cases.Citation", related_query_name="organization_alias")

    public_parents = ("organization",)

    class Meta(Publishable.Meta):
        ordering = ["organization", "name", "id"]
        verbose_name = "organization alias"
        verbose_name_plural = "organization aliases"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message="This organization already has this alias.",
            ),
        ]

    def __str__(self):
        return self.name


class Membership(Publishable):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        max_length=200, blank=True, help_text="For example “leader” or “member of the board”."
    )
    start_date, start_date_precision, start_date_approximate = partial_date_fields("from")
    end_date, end_date_precision, end_date_approximate = partial_date_fields("until")
    citations = GenericRelation("cases.Citation", related_query_name="membership")

    public_parents = ("person", "organization")

    class Meta(Publishable.Meta):
        ordering = ["organization", "person", "id"]
        constraints = [
            *partial_date_constraints("start_date"),
            *partial_date_constraints("end_date"),
            date_order_constraint("start_date", "end_date", "end_after_start", END_BEFORE_START),
        ]

    def __str__(self):
        role = f" ({self.role})" if self.role else ""
        return f"{self.person} in {self.organization}{role}"

    def clean(self):
        check_date_order(self, "start_date", "end_date", END_BEFORE_START)
