import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cases.models import (
    FOREIGN_DEFENDANT,
    NOT_A_DEFENDANT_HERE,
    Appearance,
    Case,
    Charge,
    ChargingDocument,
    Citation,
    CourtEvent,
    CustodyRecord,
    CustodyStatus,
    Defendant,
    ExtraditionRequest,
    Source,
    current_custody,
    record_key,
)
from casetracker.dates import PartialDate
from casetracker.links import NOT_A_WEB_ADDRESS
from casetracker.publication import Publication
from tests import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date


def refused_by_database(model, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**fields)


class TestDatabaseRules:
    def test_end_before_start_is_refused(self):
        person = f.PersonFactory()
        refused_by_database(
            CustodyRecord,
            person=person,
            status=CustodyStatus.RELEASED,
            start_date=D(2023, 1, 1),
            start_date_precision="day",
            end_date=D(2022, 1, 1),
            end_date_precision="day",
        )

    def test_a_date_must_fit_its_precision(self):
        person = f.PersonFactory()
        refused_by_database(
            CustodyRecord,
            person=person,
            status=CustodyStatus.ARRESTED,
            start_date=D(2020, 12, 8),
            start_date_precision="month",
        )
        refused_by_database(
            CustodyRecord,
            person=person,
            status=CustodyStatus.ARRESTED,
            start_date=D(2020, 12, 1),
            start_date_precision="year",
        )

    def test_a_date_needs_a_precision_and_a_precision_a_date(self):
        case = f.CaseFactory()
        refused_by_database(CourtEvent, case=case, kind="trial", date=D(2020, 1, 1))
        refused_by_database(CourtEvent, case=case, kind="trial", date_precision="day")

    def test_decision_cannot_precede_request(self):
        refused_by_database(
            ExtraditionRequest,
            person=f.PersonFactory(),
            requesting_country="US",
            requested_country="SV",
            request_date=D(2021, 1, 1),
            request_date_precision="year",
            decision_date=D(2020, 1, 1),
            decision_date_precision="year",
        )

    def test_requesting_and_requested_state_differ(self):
        refused_by_database(
            ExtraditionRequest,
            person=f.PersonFactory(),
            requesting_country="US",
            requested_country="US",
        )

    def test_count_number_is_unique_per_document_and_defendant(self):
        charge = f.ChargeFactory(count_number=1)
        refused_by_database(
            Charge,
            document=charge.document,
            defendant=charge.defendant,
            count_number=1,
            description="Again",
        )
        # the same count number for another defendant in the same document is fine
        other = f.DefendantFactory(case=charge.document.case)
        Charge.objects.create(
            document=charge.document, defendant=other, count_number=1, description="Other"
        )

    def test_unnumbered_counts_may_repeat(self):
        charge = f.ChargeFactory(count_number=None)
        Charge.objects.create(
            document=charge.document, defendant=charge.defendant, description="Second count"
        )
        assert charge.document.charges.count() == 2

    def test_slugs_are_unique(self):
        f.CaseFactory(slug="ranfla")
        refused_by_database(Case, title="Other", slug="ranfla")

    def test_unsealed_cannot_precede_filed(self):
        refused_by_database(
            ChargingDocument,
            case=f.CaseFactory(),
            filed_date=D(2021, 1, 1),
            filed_date_precision="day",
            unsealed_date=D(2020, 12, 1),
            unsealed_date_precision="month",
        )

    def test_a_defendant_is_listed_once_per_case(self):
        defendant = f.DefendantFactory()
        refused_by_database(Defendant, case=defendant.case, person=defendant.person)

    @pytest.mark.parametrize(
        "url", ["javascript:alert(1)", " javascript:alert(1)", "data:text/html,x", "ftp://x.org/a"]
    )
    def test_a_link_must_be_a_web_address(self, url):
        refused_by_database(Source, title="Script", url=url)
        source = f.SourceFactory()
        source.url = url
        with pytest.raises(IntegrityError), transaction.atomic():
            source.save()
        with pytest.raises(IntegrityError), transaction.atomic():
            Source.objects.filter(pk=source.pk).update(url=url)
        document = f.ChargingDocumentFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            ChargingDocument.objects.filter(pk=document.pk).update(document_url=url)
        source.refresh_from_db()
        assert source.url.startswith("https://")

    def test_web_addresses_and_no_address_are_accepted(self):
        for url in ("https://news.example.org/a", "HTTP://NEWS.EXAMPLE.ORG/A", ""):
            Source.objects.create(title="Article", url=url)
            f.ChargingDocumentFactory(document_url=url)


class TestMessages:
    """`full_clean()` says what is wrong in words a researcher understands, on the right field."""

    def test_end_before_start(self):
        record = f.CustodyRecordFactory.build(
            person=f.PersonFactory(),
            start_date=D(2023, 11, 9),
            end_date=D(2023, 11, 1),
            end_date_precision="day",
        )
        with pytest.raises(ValidationError) as error:
            record.full_clean()
        assert error.value.message_dict["end_date"] == ["The end cannot come before the start."]

    def test_decision_before_request(self):
        request = f.ExtraditionRequestFactory.build(
            person=f.PersonFactory(),
            request_date=D(2021, 5, 1),
            request_date_precision="month",
            decision_date=D(2020, 1, 1),  # "2021" would be in order: it ends after May 2021
            decision_date_precision="year",
        )
        with pytest.raises(ValidationError) as error:
            request.full_clean()
        assert error.value.message_dict["decision_date"] == [
            "The decision cannot come before the request."
        ]

    def test_charge_against_a_defendant_of_another_case(self):
        document = f.ChargingDocumentFactory()
        stranger = f.DefendantFactory()
        charge = Charge(document=document, defendant=stranger, description="Narco-terrorism")
        with pytest.raises(ValidationError) as error:
            charge.full_clean()
        assert "another case" in error.value.message_dict["defendant"][0]

    def test_plea_only_where_pleas_are_entered(self):
        appearance = f.AppearanceFactory(event__kind="sentencing", plea="")
        appearance.plea = "guilty"
        with pytest.raises(ValidationError) as error:
            appearance.full_clean()
        assert "arraignment" in error.value.message_dict["plea"][0]

    def test_duplicate_count_number(self):
        charge = f.ChargeFactory(count_number=3)
        again = Charge(
            document=charge.document,
            defendant=charge.defendant,
            count_number=3,
            description="Same count",
        )
        with pytest.raises(ValidationError) as error:
            again.full_clean()
        assert "already has this count number" in str(error.value)

    @pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://files.example.org/a.pdf"])
    def test_a_link_that_is_not_a_web_address(self, url):
        source = Source(title="Article", url=url)
        with pytest.raises(ValidationError) as error:
            source.full_clean()
        assert error.value.message_dict == {"url": [NOT_A_WEB_ADDRESS]}
        document = f.ChargingDocumentFactory.build(case=f.CaseFactory(), document_url=url)
        with pytest.raises(ValidationError) as error:
            document.full_clean()
        assert error.value.message_dict == {"document_url": [NOT_A_WEB_ADDRESS]}

    def test_date_that_does_not_fit_its_precision(self):
        record = f.CustodyRecordFactory.build(
            person=f.PersonFactory(), start_date=D(2020, 12, 8), start_date_precision="month"
        )
        with pytest.raises(ValidationError) as error:
            record.full_clean()
        assert "1st of the month" in str(error.value)


class TestDefendantsOfTheSameCase:
    """A charge or an appearance names a defendant of its own case, whatever saves it."""

    def test_a_charge_against_another_cases_defendant_is_not_saved(self):
        document, stranger = f.ChargingDocumentFactory(), f.DefendantFactory()

        with pytest.raises(ValidationError) as error:
            Charge.objects.create(document=document, defendant=stranger, description="Murder")

        assert error.value.message_dict == {"defendant": [FOREIGN_DEFENDANT]}
        assert not Charge.objects.exists()

    def test_a_charge_moved_to_another_cases_defendant_is_not_saved(self):
        charge, stranger = f.ChargeFactory(), f.DefendantFactory()
        defendant = charge.defendant
        charge.defendant_id = stranger.pk  # as a script would, without loading it

        with pytest.raises(ValidationError, match=FOREIGN_DEFENDANT):
            charge.save()

        assert Charge.objects.get().defendant == defendant

    def test_an_appearance_of_another_cases_defendant_is_not_saved(self):
        event, stranger = f.CourtEventFactory(), f.DefendantFactory()

        with pytest.raises(ValidationError) as error:
            Appearance.objects.create(event=event, defendant=stranger, plea="guilty")

        assert error.value.message_dict == {"defendant": [NOT_A_DEFENDANT_HERE]}
        assert not Appearance.objects.exists()

    def test_records_of_one_case_are_saved(self):
        charge = f.ChargeFactory()
        event = f.CourtEventFactory(case=charge.document.case)

        Appearance.objects.create(event=event, defendant=charge.defendant, plea="not_guilty")
        Charge.objects.create(
            document=charge.document, defendant=charge.defendant, description="Racketeering"
        )

        assert charge.defendant.charges.count() == 2
        assert charge.defendant.appearances.count() == 1


class TestCurrentCustody:
    def test_latest_open_record_is_current(self):
        person = f.PersonFactory()
        f.CustodyRecordFactory(
            person=person,
            status=CustodyStatus.SERVING_SENTENCE,
            start_date=None,
            start_date_precision="",
            end_date=D(2021, 1, 1),
            end_date_precision="year",
        )
        f.CustodyRecordFactory(
            person=person, status=CustodyStatus.ARRESTED, start_date=D(2023, 10, 30)
        )
        detained = f.CustodyRecordFactory(
            person=person,
            status=CustodyStatus.DETAINED,
            start_date=D(2023, 11, 1),
            start_date_precision="month",
        )
        # an open record that started earlier is not the current one
        assert current_custody(person.custody_records.all()) == detained

    def test_no_open_record_means_no_known_custody(self):
        person = f.PersonFactory()
        f.CustodyRecordFactory(person=person, end_date=D(2024, 1, 1), end_date_precision="day")
        assert current_custody(person.custody_records.all()) is None


class TestPublished:
    def test_drafts_in_review_and_withdrawn_are_excluded(self):
        shown = f.CaseFactory()
        for state in (Publication.DRAFT, Publication.IN_REVIEW, Publication.WITHDRAWN):
            f.CaseFactory(publication=state)
        assert list(Case.objects.published()) == [shown]

    def test_a_child_is_public_only_when_its_parents_are(self):
        shown = f.ChargeFactory()
        f.ChargeFactory(document__publication=Publication.DRAFT)
        f.ChargeFactory(document__case__publication=Publication.DRAFT)
        f.ChargeFactory(defendant__person__publication=Publication.DRAFT)
        f.ChargeFactory(publication=Publication.IN_REVIEW)
        assert list(Charge.objects.published()) == [shown]

    def test_aliases_of_a_draft_person_are_hidden(self):
        shown = f.AliasFactory()
        f.AliasFactory(person__publication=Publication.DRAFT)
        f.AliasFactory(publication=Publication.DRAFT)
        from people.models import Alias

        assert list(Alias.objects.published()) == [shown]


class TestSearch:
    def test_case_search_by_title_defendant_name_and_alias(self):
        crook = f.PersonFactory(name="Élmer Canales Rivera")
        f.AliasFactory(person=crook, name="Crook")
        ranfla = f.CaseFactory(title="Ranfla histórica")
        f.DefendantFactory(case=ranfla, person=crook)
        other = f.CaseFactory(title="Another case")
        f.DefendantFactory(case=other)

        assert list(Case.objects.search("HISTORICA")) == [ranfla]
        assert list(Case.objects.search("elmer canales")) == [ranfla]
        assert list(Case.objects.search("crook ranfla")) == [ranfla]
        assert list(Case.objects.search("crook another")) == []


def test_partial_date_round_trips_through_a_record():
    record = f.CustodyRecordFactory(
        start_date=D(2022, 1, 1), start_date_precision="year", start_date_approximate=True
    )
    record.refresh_from_db()
    value = PartialDate.from_instance(record, "start_date")
    assert (value.iso(), value.display()) == ("2022", "c. 2022")


def test_appearance_links_event_and_defendant_of_the_same_case():
    appearance = f.AppearanceFactory()
    assert appearance.event.case == appearance.defendant.case
    assert Appearance.objects.count() == 1


def test_citations_are_read_for_the_records_asked_for_only():
    """Kinds and ids are matched together: a citation of another kind of record that happens
    to share an id with an asked-for record is not read."""
    case = f.CaseFactory()
    shared_id = 10_000_000  # far above what the sequences hand out in a test run
    document = f.ChargingDocumentFactory(case=case, pk=shared_id)
    charge = f.ChargeFactory(document=document, pk=shared_id)
    cited = f.CitationFactory(record=charge)
    f.CitationFactory(record=document)  # same id, another kind: not asked for
    f.CitationFactory(record=f.CaseFactory(pk=shared_id))  # same id, a kind asked for
    f.CitationFactory(record=f.ChargeFactory(document=document))  # a charge not asked for

    citations = Citation.objects.of_records([charge, case])
    assert [citation.pk for citation in citations] == [cited.pk]
    assert Citation.objects.by_record([charge, case]) == {record_key(charge): [cited]}


def test_published_checks_every_parent_except_those_the_caller_already_checked():
    case = f.CaseFactory()
    defendant = f.DefendantFactory(case=case)
    document = f.ChargingDocumentFactory(case=case)
    charge = f.ChargeFactory(document=document, defendant=defendant)
    Person = type(defendant.person)
    Person.objects.filter(pk=defendant.person_id).update(publication=Publication.DRAFT)

    assert list(Charge.objects.published()) == []  # the defendant's person is a draft
    assert list(Charge.objects.published(known=("defendant",))) == [charge]

    ChargingDocument.objects.filter(pk=document.pk).update(publication=Publication.DRAFT)
    assert list(Charge.objects.published(known=("defendant",))) == []  # still checked
    Case.objects.filter(pk=case.pk).update(publication=Publication.DRAFT)
    ChargingDocument.objects.filter(pk=document.pk).update(publication=Publication.PUBLISHED)
    assert list(Charge.objects.published(known=("defendant",))) == []  # the document's case
    assert list(Charge.objects.published(known=("defendant", "document__case"))) == [charge]
