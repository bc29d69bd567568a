import datetime

import pytest

from cases.models import CustodyStatus, Disposition, EventKind, ExtraditionStatus, Plea
from cases.timeline import TimelineKind, case_timeline, person_timeline
from casetracker.publication import Publication
from tests import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date


def crook_case(crook=None):
    """A case shaped like the seed: month-precision indictment, arrest, hearings, a refusal."""
    case = f.CaseFactory(title="Ranfla case")
    if crook is None:
        crook = f.PersonFactory(name="Élmer Canales Rivera", slug="elmer")
        f.AliasFactory(person=crook, name="Crook")
    defendant = f.DefendantFactory(case=case, person=crook)
    indictment = f.ChargingDocumentFactory(
        case=case, filed_date=D(2020, 12, 1), filed_date_precision="month"
    )
    f.CustodyRecordFactory(
        person=crook,
        status=CustodyStatus.ARRESTED,
        custodian="Mexican authorities",
        custodian_country="MX",
        start_date=D(2023, 11, 9),
        start_date_precision="day",
    )
    arraignment = f.CourtEventFactory(
        case=case, kind=EventKind.ARRAIGNMENT, date=D(2023, 12, 8), date_precision="day"
    )
    f.AppearanceFactory(event=arraignment, defendant=defendant, plea=Plea.NOT_GUILTY)
    f.CourtEventFactory(
        case=case,
        kind=EventKind.INITIAL_APPEARANCE,
        date=D(2023, 11, 1),
        date_precision="month",
        date_approximate=True,
        place="Houston, Texas",
    )
    return case, crook, defendant, indictment


def test_items_sort_by_start_of_period_then_kind():
    case, *_ = crook_case()
    items = case_timeline(case)
    assert [(i.kind, i.date.iso()) for i in items] == [
        (TimelineKind.DOCUMENT_FILED, "2020-12"),
        (TimelineKind.COURT_EVENT, "2023-11"),
        (TimelineKind.CUSTODY, "2023-11-09"),
        (TimelineKind.COURT_EVENT, "2023-12-08"),
    ]
    houston = items[1]
    assert houston.date.display() == "c. November 2023"
    assert houston.place == "Houston, Texas"
    assert items[3].description.startswith("Élmer Canales Rivera pleaded not guilty.")
    assert items[3].people[0].alias == "Crook"


def test_same_day_ties_put_a_cause_before_its_consequence_then_follow_the_record():
    case, crook, _defendant, _indictment = crook_case()
    day = {"date": D(2024, 3, 4), "date_precision": "day"}
    later_event = f.CourtEventFactory(case=case, kind=EventKind.STATUS_CONFERENCE, **day)
    earlier_event = f.CourtEventFactory(case=case, kind=EventKind.DETENTION_HEARING, **day)
    f.ChargingDocumentFactory(
        case=case,
        kind="superseding_indictment",
        filed_date=D(2024, 3, 4),
        filed_date_precision="day",
    )
    detained = f.CustodyRecordFactory(
        person=crook, status="detained", start_date=D(2024, 3, 4), start_date_precision="day"
    )
    arrested = f.CustodyRecordFactory(
        person=crook, status="arrested", start_date=D(2024, 3, 4), start_date_precision="day"
    )
    f.ExtraditionRequestFactory(
        person=crook,
        case=case,
        request_date=D(2024, 3, 4),
        request_date_precision="day",
        status=ExtraditionStatus.REFUSED,
        decision_date=D(2024, 3, 4),
        decision_date_precision="day",
    )
    kinds = [(i.kind, i.record.pk) for i in case_timeline(case) if i.date.iso() == "2024-03-04"]
    assert kinds == [
        (TimelineKind.DOCUMENT_FILED, kinds[0][1]),
        (TimelineKind.EXTRADITION_REQUESTED, kinds[1][1]),
        (TimelineKind.CUSTODY, arrested.pk),  # the arrest, before the hearing it leads to
        (TimelineKind.COURT_EVENT, later_event.pk),
        (TimelineKind.COURT_EVENT, earlier_event.pk),
        (TimelineKind.EXTRADITION_DECIDED, kinds[1][1]),
        (TimelineKind.CUSTODY, detained.pk),  # detention follows from the day's hearing
    ]


def test_a_year_sorts_before_a_month_of_that_year_and_displays_as_a_year():
    case, *_ = crook_case()
    f.CourtEventFactory(case=case, date=D(2023, 1, 1), date_precision="year", date_approximate=True)
    items = case_timeline(case)
    year_item = next(i for i in items if i.date.iso() == "2023")
    assert items.index(year_item) == 1
    assert year_item.date.display() == "c. 2023"


def test_drafts_and_children_of_drafts_stay_off_the_timeline():
    case, _crook, defendant, indictment = crook_case()
    f.CourtEventFactory(case=case, publication=Publication.DRAFT, place="Draft place")
    draft_person = f.PersonFactory(publication=Publication.DRAFT)
    f.DefendantFactory(case=case, person=draft_person)
    f.CustodyRecordFactory(person=draft_person)
    hidden_document = f.ChargingDocumentFactory(case=case, publication=Publication.IN_REVIEW)
    f.ChargeFactory(
        document=hidden_document,
        defendant=defendant,
        disposition=Disposition.DISMISSED,
        disposition_date=D(2024, 1, 1),
        disposition_date_precision="year",
    )
    draft_source = f.SourceFactory(publication=Publication.DRAFT)
    f.CitationFactory(record=indictment, source=draft_source)
    items = case_timeline(case)
    assert len(items) == 4
    assert all(i.place != "Draft place" for i in items)
    assert all(i.record != hidden_document for i in items)
    assert items[0].sources == []


def test_each_item_carries_its_published_sources():
    case, _crook, _defendant, indictment = crook_case()
    source = f.SourceFactory(title="US Terrorism Trial of MS13 Leader")
    f.CitationFactory(record=indictment, source=source, quote="indicted … in December 2020")
    filed = case_timeline(case)[0]
    assert [c.source.title for c in filed.sources] == ["US Terrorism Trial of MS13 Leader"]
    assert filed.sources[0].quote == "indicted … in December 2020"


def test_person_timeline_covers_their_cases_and_custody():
    _case, crook, *_ = crook_case()
    crook_case(crook)
    _someone_else, *_ = crook_case(f.PersonFactory())
    kinds = [i.kind for i in person_timeline(crook)]
    assert kinds.count(TimelineKind.DOCUMENT_FILED) == 2
    assert kinds.count(TimelineKind.CUSTODY) == 2
    # the arraignments he appeared at, not the Houston hearings that list no defendant
    assert kinds.count(TimelineKind.COURT_EVENT) == 2


def test_query_count_does_not_grow_with_the_facts(django_assert_num_queries):
    case, _crook, defendant, indictment = crook_case()
    f.CitationFactory(record=indictment)

    with django_assert_num_queries(8):
        small = case_timeline(case)
    for n in range(5):
        event = f.CourtEventFactory(case=case, date=D(2024, 1, n + 1))
        f.AppearanceFactory(event=event, defendant=defendant, plea="")
        f.CitationFactory(record=event)
        other = f.PersonFactory()
        f.AliasFactory(person=other)
        f.CustodyRecordFactory(person=f.DefendantFactory(case=case, person=other).person)
        f.ChargeFactory(
            document=indictment,
            disposition=Disposition.CONVICTED,
            disposition_date=D(2024, 5, 1),
            disposition_date_precision="month",
        )
    with django_assert_num_queries(8):
        large = case_timeline(case)
    assert len(large) > len(small) + 10
