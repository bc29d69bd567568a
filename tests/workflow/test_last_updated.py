"""A change to any record moves the "last updated" time of the pages showing it, in a fixed
number of queries whatever the number of records."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case, Court
from casetracker.workflow import pages_touched_by_caller, touch_parents
from people.models import Organization, Person
from tests import factories

LONG_AGO = timezone.now() - datetime.timedelta(days=400)


@pytest.fixture
def case_file(db):
    """A case with one defendant and one of each kind of record about them."""
    case = factories.CaseFactory()
    person = factories.PersonFactory()
    bystander = factories.PersonFactory()  # shown on no page of this case
    other_case = factories.CaseFactory()
    defendant = factories.DefendantFactory(case=case, person=person)
    document = factories.ChargingDocumentFactory(case=case)
    event = factories.CourtEventFactory(case=case)
    organization = factories.OrganizationFactory()
    source = factories.SourceFactory()
    records = {
        "person": person,
        "alias": factories.AliasFactory(person=person),
        "membership": factories.MembershipFactory(person=person, organization=organization),
        "defendant": defendant,
        "charging document": document,
        "charge": factories.ChargeFactory(document=document, defendant=defendant),
        "court event": event,
        "appearance": factories.AppearanceFactory(event=event, defendant=defendant),
        "extradition request": factories.ExtraditionRequestFactory(person=person, case=case),
        "custody record": factories.CustodyRecordFactory(person=person),
        "citation": factories.CitationFactory(source=source, record=event),
        "source": source,
    }
    return {"case": case, "person": person, "bystander": bystander, "other": other_case, **records}


def age_everything():
    for model in (Case, Person, Organization, Court):
        model.objects.update(updated_at=LONG_AGO)


def moved(record):
    return type(record).objects.get(pk=record.pk).updated_at > LONG_AGO


@pytest.mark.parametrize(
    "kind",
    [
        "alias",
        "defendant",
        "charging document",
        "charge",
        "court event",
        "appearance",
        "extradition request",
        "custody record",
        "citation",
        "source",
    ],
)
def test_a_child_record_moves_its_case_and_person(case_file, kind):
    age_everything()

    touch_parents([case_file[kind]])

    assert moved(case_file["case"])
    assert moved(case_file["person"])
    assert not moved(case_file["other"])
    assert not moved(case_file["bystander"])


def test_a_person_moves_the_cases_they_are_charged_in(case_file):
    age_everything()

    touch_parents([case_file["person"]])

    assert moved(case_file["case"])
    assert not moved(case_file["other"])


def test_a_membership_moves_its_organization_and_an_organization_its_parent(db):
    parent = factories.OrganizationFactory()
    child = factories.OrganizationFactory(parent=parent)
    membership = factories.MembershipFactory(organization=child)
    age_everything()

    touch_parents([membership])
    assert moved(child)
    assert moved(membership.person)
    assert not moved(parent)

    touch_parents([child])
    assert moved(parent)


def test_a_court_moves_its_cases(db):
    case = factories.CaseFactory()
    elsewhere = factories.CaseFactory()
    age_everything()

    touch_parents([case.court])

    assert moved(case)
    assert not moved(elsewhere)


def count_updates(records):
    with CaptureQueriesContext(connection) as queries:
        touch_parents(records)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_records(db):
    case = factories.CaseFactory()
    few = factories.CourtEventFactory.create_batch(2, case=case)
    many = factories.CourtEventFactory.create_batch(30, case=case)
    citations = [factories.CitationFactory(record=event) for event in many]

    assert count_updates(few) == count_updates(many) == 2  # cases, people
    # Citations: one query to find what they cite, one to touch it, then its pages.
    assert count_updates(citations) == count_updates(citations[:2]) == 4
    assert count_updates([]) == 0


def test_a_save_or_delete_anywhere_moves_the_pages(case_file):
    """Not only the admin's: a script or a shell session keeps the pages current too."""
    age_everything()
    event = case_file["court event"]
    event.description = "Adjourned to March."
    event.save()
    assert moved(case_file["case"])
    assert moved(case_file["person"])  # they appeared at it
    assert not moved(case_file["other"])

    age_everything()
    case_file["custody record"].delete()
    assert moved(case_file["case"])
    assert moved(case_file["person"])


def test_inside_a_batch_the_caller_moves_the_pages(case_file):
    age_everything()
    with pages_touched_by_caller():
        case_file["charge"].save()
    assert not moved(case_file["case"])
    touch_parents([case_file["charge"]])
    assert moved(case_file["case"])
