"""Public pages for readers: home, case list, case page and search.

Every page reads published records only, through the model QuerySets, in a fixed number of
queries; the case page draws the same timeline the API serves (`cases.timeline`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import InvalidPage, Paginator
from django.core.validators import EMPTY_VALUES
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView

from casetracker.dates import PartialDate, Precision
from casetracker.publication import published_count
from casetracker.workflow import PreviewMixin
from people.models import Organization, Person

from .models import (
    Case,
    Citation,
    CourtEvent,
    EventStatus,
    Source,
    current_custody,
    record_key,
)
from .page_filters import SORTS, CaseListFilter, SearchForm
from .timeline import case_timeline, person_timeline

SEARCH_LIMIT = 50


def read_only(view):
    """A public page takes no writes: any method but GET and HEAD is a 405 naming them (`Allow`).

    Without `csrf_exempt`, the CSRF check would answer a POST, PUT or DELETE first, with a
    misleading 403 (these pages hold no form that posts; the admin keeps its CSRF check).
    """
    return csrf_exempt(require_safe(view))


@dataclass(frozen=True)
class Note:
    """One numbered source note: a citation (source, quote, page) that backs a fact."""

    number: int
    citation: Citation
    source_number: int


@dataclass(frozen=True)
class SourceEntry:
    number: int
    source: Source

    @property
    def date(self) -> PartialDate | None:
        return PartialDate.from_instance(self.source, "publication_date")


class SourceNotes:
    """A page's source notes, numbered in reading order; each source is listed once.

    Citations of the same passage (same source, quote and page) share one note, whichever facts
    they back. `load()` fetches the published citations of records in one query; `attach()`
    hangs a record's notes on it as `record.notes`; timeline items bring their own `sources`.
    Citations already loaded (by `record_key()`, as a timeline's) can be given instead.
    """

    def __init__(self, citations: dict[tuple[str, str, int], list[Citation]] | None = None):
        self.notes: list[Note] = []
        self._by_passage: dict[tuple[int, str, str], Note] = {}
        self._sources: dict[int, SourceEntry] = {}
        self._citations = citations or {}

    def load(self, records) -> None:
        """Fetch the published citations of `records` (one query)."""
        found = [r for r in records if r is not None]
        self._citations = Citation.objects.published().by_record(found)

    def attach(self, record) -> None:
        if record is not None:
            found = self._citations.get(record_key(record), [])
            record.notes = self.cite(found)

    def cite(self, citations) -> list[Note]:
        refs: list[Note] = []
        for citation in citations:
            passage = (citation.source_id, citation.quote.strip(), citation.page.strip())
            note = self._by_passage.get(passage)
            if note is None:
                entry = self._sources.get(citation.source_id)
                if entry is None:
                    entry = SourceEntry(len(self._sources) + 1, citation.source)
                    self._sources[citation.source_id] = entry
                note = Note(len(self.notes) + 1, citation, entry.number)
                self.notes.append(note)
                self._by_passage[passage] = note
            if note not in refs:
                refs.append(note)
        return refs

    @property
    def sources(self) -> list[SourceEntry]:
        return list(self._sources.values())


def upcoming_hearings():
    """Published scheduled court events whose date (or month, or year) has not passed."""
    today = timezone.localdate()
    not_past = (
        Q(date__gte=today, date_precision=Precision.DAY)
        | Q(date__gte=today.replace(day=1), date_precision=Precision.MONTH)
        | Q(date__gte=datetime.date(today.year, 1, 1), date_precision=Precision.YEAR)
    )
    return (
        CourtEvent.objects.published()
        .filter(not_past, status=EventStatus.SCHEDULED)
        .select_related("case", "court")
        .order_by("date", "time", "id")
    )


def cases_for_lists():
    """Published cases as lists show them: court, named defendants.

    The lists put the most recently updated first: a case's `updated_at` moves whenever
    anything its page shows changes (`casetracker.workflow.touch_parents`), so it is the time of
    its last activity, read from an index.
    """
    return Case.objects.published().with_court().with_defendants()


class HomeView(TemplateView):
    template_name = "cases/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent_cases"] = cases_for_lists().order_by(*SORTS["updated"])[:6]
        context["upcoming_hearings"] = upcoming_hearings()[:6]
        context["counts"] = {
            "cases": published_count(Case),
            "people": published_count(Person),
            "organizations": published_count(Organization),
        }
        return context


class IdPagePaginator(Paginator):
    """Pages of a queryset, each read in two steps: the ids of its rows (skipping the rows of
    the pages before it, which an index holding the ordering can do on its own, without reading
    the table: `cases_case_latest_idx`), then those rows. Page 4,000 of 100,000 cases read
    whole rows in 70 ms, sorting the table; its ids alone take 10 ms. `by_id=False` reads each
    page in one step; `count` tells it its count when the view knows it without counting."""

    def __init__(self, *args, count: int | None = None, by_id: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.by_id = by_id
        if count is not None:
            self.count = count  # takes the place of the cached property

    def _get_page(self, rows, number, paginator):
        if self.by_id and isinstance(rows, models.QuerySet):
            rows = self.object_list.filter(pk__in=models.Subquery(rows.values("pk")))
        return super()._get_page(rows, number, paginator)


class CaseListView(ListView):
    template_name = "cases/case_list.html"
    context_object_name = "cases"
    paginate_by = 20
    paginator_class = IdPagePaginator

    def get_queryset(self):
        cases = cases_for_lists().order_by(*SORTS["updated"])
        self.filterset = CaseListFilter(self.request.GET or None, queryset=cases)
        return self.filterset.qs

    def get_paginator(self, *args, **kwargs):
        """Unfiltered, the list holds every published case: their count is kept in the cache
        (`published_count`) rather than counted on every page. A search reads its page in one
        step: finding the matches twice would cost more than the ids save."""
        data = getattr(self.filterset.form, "cleaned_data", {})
        if all(value in EMPTY_VALUES for name, value in data.items() if name != "sort"):
            kwargs["count"] = published_count(Case)
        kwargs["by_id"] = data.get("q") in EMPTY_VALUES
        return super().get_paginator(*args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filterset.form
        context["filter_form"] = form
        context["active_filters"] = sum(
            1 for name in form.fields if name != "sort" and form.data.get(name)
        )
        context["filtering"] = bool(context["active_filters"])
        return context


class CaseDetailView(PreviewMixin, DetailView):
    template_name = "cases/case_detail.html"
    context_object_name = "case"

    def get_queryset(self):
        return (
            self.publishable(Case.objects)
            .with_court()
            .with_defendants(details=True)
            .with_extraditions()
            .with_organizations()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.object
        defendants = list(case.defendants.all())
        for defendant in defendants:
            defendant.custody = current_custody(defendant.person.custody_records.all())
            pleas = list(defendant.appearances.all())
            defendant.plea = pleas[-1] if pleas else None
            defendant.charge_list = list(defendant.charges.all())
        extraditions = list(case.extradition_requests.all())
        # Notes in reading order: summary, defendants, charges, extradition, then the timeline,
        # whose query loads the citations of the records above too. The timeline takes the
        # charges, extradition requests and custody records loaded for the defendants.
        timeline = case_timeline(
            case,
            cite=[
                case,
                *(d.custody for d in defendants),
                *(d.plea.event for d in defendants if d.plea),
                *(charge for d in defendants for charge in d.charge_list),
                *extraditions,
            ],
            charges=[charge for d in defendants for charge in d.charge_list],
            extraditions=extraditions,
            custody=[record for d in defendants for record in d.person.custody_records.all()],
        )
        notes = SourceNotes(timeline.citations)
        notes.attach(case)
        for defendant in defendants:
            notes.attach(defendant.custody)
            if defendant.plea:
                notes.attach(defendant.plea.event)
            for charge in defendant.charge_list:
                notes.attach(charge)
        for request in extraditions:
            notes.attach(request)
        for item in timeline:
            item.notes = notes.cite(item.sources)

        context.update(
            defendants=defendants,
            charged_defendants=[d for d in defendants if d.charge_list],
            extraditions=extraditions,
            organizations=list(case.organizations.all()),
            timeline=timeline,
            notes=notes.notes,
            sources=notes.sources,
            court=case.court if case.court and case.court.is_published else None,
        )
        return context


class SearchView(TemplateView):
    template_name = "cases/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET)
        context["query"] = self.request.GET.get("q", "").strip()  # as typed, to type on
        if not form.is_valid():
            context["errors"] = form.errors["q"]
            return context
        query = context["searched"] = form.cleaned_data["q"].strip()
        if query:
            cases = cases_for_lists().search(query, published=True).order_by(*SORTS["title"])
            people = (
                Person.objects.published()
                .search(query, published=True)
                .with_aliases(published=True)
            )
            organizations = (
                Organization.objects.published().search(query, published=True).with_aliases()
            )
            context["results"] = {
                "cases": list(cases[:SEARCH_LIMIT]),
                "people": list(people[:SEARCH_LIMIT]),
                "organizations": list(organizations[:SEARCH_LIMIT]),
            }
            context["result_count"] = sum(len(rows) for rows in context["results"].values())
            context["truncated"] = any(
                len(rows) == SEARCH_LIMIT for rows in context["results"].values()
            )
            context["limit"] = SEARCH_LIMIT
        return context


# People and organizations: their pages are mostly about the legal process, so they live here
# (`people` never imports `cases`).


class PersonDetailView(PreviewMixin, DetailView):
    template_name = "people/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return (
            self.publishable(Person.objects)
            .with_aliases(published=True)
            .with_memberships()
            .with_custody()
            .with_cases()
            .with_extraditions()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        custody = list(person.custody_records.all())
        memberships = list(person.memberships.all())
        extraditions = list(person.extradition_requests.all())
        timeline = person_timeline(
            person,
            cite=[person, *memberships, *custody, *extraditions],
            extraditions=extraditions,
            custody=custody,
        )
        notes = SourceNotes(timeline.citations)
        notes.attach(person)
        for record in [*memberships, *reversed(custody), *extraditions]:
            notes.attach(record)
        for item in timeline:
            item.notes = notes.cite(item.sources)

        context.update(
            aliases=list(person.aliases.all()),
            memberships=memberships,
            custody_history=list(reversed(custody)),  # latest first
            current_custody=current_custody(custody),
            defendant_records=list(person.defendant_records.all()),
            extraditions=extraditions,
            timeline=timeline,
            notes=notes.notes,
            sources=notes.sources,
        )
        return context


class OrganizationDetailView(PreviewMixin, DetailView):
    """An organization: its sub-groups, members (a page of them at a time, by name) and the
    cases most recently updated, with a link to all of them in the case list; a big gang has
    tens of thousands of members and cases, so the page never lists them all."""

    template_name = "people/organization_detail.html"
    context_object_name = "organization"
    members_per_page = 50
    cases_shown = 20

    def get_queryset(self):
        return self.publishable(Organization.objects).with_aliases().with_family()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = self.object
        members = Paginator(organization.published_members(), self.members_per_page)
        try:
            members = members.page(self.request.GET.get("page") or 1)
        except InvalidPage as error:
            raise Http404(f"No such page of members: {error}") from error
        memberships = list(members)
        cases = Case.objects.published().filter(organizations=organization)
        recent_cases = list(
            cases.select_related("court").order_by("-updated_at", "title", "id")[: self.cases_shown]
        )

        notes = SourceNotes()
        notes.load([organization, *memberships])
        notes.attach(organization)
        for membership in memberships:
            notes.attach(membership)

        parent = organization.parent
        context.update(
            aliases=list(organization.aliases.all()),
            parent=parent if parent and parent.is_published else None,
            children=list(organization.children.all()),
            memberships=memberships,
            members=members,
            cases=recent_cases,
            case_count=len(recent_cases) if len(recent_cases) < self.cases_shown else cases.count(),
            notes=notes.notes,
            sources=notes.sources,
        )
        return context
