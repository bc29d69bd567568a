"""Public pages for readers: home, case list, case, person and organization pages, and search.

Every page reads the published copy alone (`public.reading`), in a fixed number of queries.
A withdrawn unit's page answers 410 Gone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import InvalidPage, Paginator
from django.core.validators import EMPTY_VALUES
from django.db import models
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView

from casetracker.dates import PartialDate
from casetracker.text import search_words

from . import reading
from .models import Case, Citation, Organization, Person, Source
from .page_filters import SORTS, CaseListFilter, SearchForm
from .reading import cases_for_lists, live

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
    they back. `load()` fetches the citations of records in one query; `attach()` hangs a
    record's notes on it as `record.notes`; timeline items bring their own `sources`.
    """

    def __init__(self):
        self.notes: list[Note] = []
        self._by_passage: dict[tuple[int, str, str], Note] = {}
        self._sources: dict[int, SourceEntry] = {}
        self._citations = {}

    def load(self, records) -> None:
        """Fetch the citations of `records` (one query)."""
        self._citations = reading.citations_of(records)

    def attach(self, record) -> None:
        if record is not None:
            found = self._citations.get((record._meta.model_name, record.pk), [])
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


class HomeView(TemplateView):
    template_name = "cases/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent_cases"] = cases_for_lists().order_by(*SORTS["updated"])[:6]
        context["upcoming_hearings"] = reading.upcoming_hearings()[:6]
        context["counts"] = {
            "cases": live(Case).count(),
            "people": live(Person).count(),
            "organizations": live(Organization).count(),
        }
        return context


class IdPagePaginator(Paginator):
    """Pages of a queryset, each read in two steps: the ids of its rows (skipping the rows of
    the pages before it, which an index holding the ordering can do on its own, without reading
    the table: `public_case_latest`), then those rows. Page 4,000 of 100,000 cases read whole
    rows in 70 ms, sorting the table; its ids alone take 10 ms. `by_id=False` reads each page
    in one step."""

    def __init__(self, *args, by_id: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.by_id = by_id

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
        """A search reads its page in one step: finding the matches twice would cost more than
        the ids save."""
        data = getattr(self.filterset.form, "cleaned_data", {})
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


class UnitPage(DetailView):
    """A unit's page: 410 Gone once withdrawn, 404 when never published."""

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.withdrawn:
            return render(request, "410.html", status=410)
        context = self.get_context_data(object=self.object)
        return self.render_to_response(context)


class CaseDetailView(UnitPage):
    template_name = "cases/case_detail.html"
    context_object_name = "case"

    def get_queryset(self):
        return reading.case_page()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.object
        defendants = list(case.defendants.all())
        for defendant in defendants:
            defendant.custody = reading.current_custody(defendant.person.custody_records.all())
            pleas = list(defendant.appearances.all())
            defendant.plea = pleas[-1] if pleas else None
            defendant.charge_list = list(defendant.charges.all())
        extraditions = list(case.extradition_requests.all())
        timeline = reading.case_timeline(case, [d.person_id for d in defendants])
        # Notes in reading order: summary, defendants, charges, extradition, then the timeline.
        notes = SourceNotes()
        notes.load(
            [
                case,
                *(d.custody for d in defendants),
                *(d.plea.event for d in defendants if d.plea),
                *(charge for d in defendants for charge in d.charge_list),
                *extraditions,
            ]
        )
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
        words = search_words(query)
        if words:
            cases = reading.search_cases(cases_for_lists(), words).order_by(*SORTS["title"])
            people = reading.search_people(live(Person), words).prefetch_related("aliases")
            organizations = reading.search_organizations(live(Organization), words)
            context["results"] = {
                "cases": list(cases[:SEARCH_LIMIT]),
                "people": list(people.order_by("name", "id")[:SEARCH_LIMIT]),
                "organizations": list(
                    organizations.prefetch_related("aliases").order_by("name", "id")[:SEARCH_LIMIT]
                ),
            }
            context["result_count"] = sum(len(rows) for rows in context["results"].values())
            context["truncated"] = any(
                len(rows) == SEARCH_LIMIT for rows in context["results"].values()
            )
            context["limit"] = SEARCH_LIMIT
        return context


class PersonDetailView(UnitPage):
    template_name = "people/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return reading.person_page()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        custody = list(person.custody_records.all())
        memberships = list(person.memberships.all())
        extraditions = list(person.extradition_requests.all())
        defendant_records = list(person.defendant_records.all())
        timeline = reading.person_timeline(person, [d.case_id for d in defendant_records])
        notes = SourceNotes()
        notes.load([person, *memberships, *custody, *extraditions])
        notes.attach(person)
        for record in [*memberships, *reversed(custody), *extraditions]:
            notes.attach(record)
        for item in timeline:
            item.notes = notes.cite(item.sources)

        context.update(
            aliases=list(person.aliases.all()),
            memberships=memberships,
            custody_history=list(reversed(custody)),  # latest first
            current_custody=reading.current_custody(custody),
            defendant_records=defendant_records,
            extraditions=extraditions,
            timeline=timeline,
            notes=notes.notes,
            sources=notes.sources,
        )
        return context


class OrganizationDetailView(UnitPage):
    """An organization: its sub-groups, members (a page of them at a time, by name) and the
    cases most recently updated, with a link to all of them in the case list; a big gang has
    tens of thousands of members and cases, so the page never lists them all."""

    template_name = "people/organization_detail.html"
    context_object_name = "organization"
    members_per_page = 50
    cases_shown = 20

    def get_queryset(self):
        return Organization.objects.select_related("parent").prefetch_related(
            "aliases", models.Prefetch("children", queryset=live(Organization))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = self.object
        members = Paginator(reading.members_of(organization), self.members_per_page)
        try:
            members = members.page(self.request.GET.get("page") or 1)
        except InvalidPage as error:
            raise Http404(f"No such page of members: {error}") from error
        memberships = list(members)
        cases = live(Case).filter(organizations=organization)
        recent_cases = list(
            cases.select_related("court").order_by(*SORTS["updated"])[: self.cases_shown]
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
