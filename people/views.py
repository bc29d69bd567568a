"""Public pages for people and organizations.

A person's page is mostly about the legal process (custody, cases, timeline), which the `cases`
app models: the page reads it through the relations and `cases.timeline`, like the API does.
"""

from django.views.generic import DetailView

from cases.models import current_custody
from cases.timeline import person_timeline
from cases.views import SourceNotes
from casetracker.workflow import PreviewMixin

from .models import Organization, Person


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
        timeline = person_timeline(person)

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
            current_custody=current_custody(custody),
            defendant_records=list(person.defendant_records.all()),
            extraditions=extraditions,
            timeline=timeline,
            notes=notes.notes,
            sources=notes.sources,
        )
        return context


class OrganizationDetailView(PreviewMixin, DetailView):
    template_name = "people/organization_detail.html"
    context_object_name = "organization"

    def get_queryset(self):
        return (
            self.publishable(Organization.objects)
            .with_aliases()
            .with_family()
            .with_members()
            .with_cases()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = self.object
        memberships = list(organization.memberships.all())

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
            cases=list(organization.cases.all()),
            notes=notes.notes,
            sources=notes.sources,
        )
        return context
