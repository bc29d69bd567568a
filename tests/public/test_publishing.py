"""The published copy: written when an editor publishes a unit, and by nothing else.

A case (with its person, court and source) is published through the admin's one action; then
every kind of working record is added, changed and deleted without publishing, and the copy
must not move. Publishing again writes the change, as a new version in the log.
"""

import datetime
import html

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import models as working
from cases.choices import CustodyStatus, Disposition, TimelineKind
from casetracker import units
from casetracker.publication import Publication
from people import models as people
from public import models as copy
from public.publishing import rank, write_all
from tests import factories

DRAFT, IN_REVIEW, PUBLISHED = Publication.DRAFT, Publication.IN_REVIEW, Publication.PUBLISHED

COPY_MODELS = [
    copy.Court,
    copy.Source,
    copy.Organization,
    copy.OrganizationAlias,
    copy.Person,
    copy.Alias,
    copy.Membership,
    copy.CustodyRecord,
    copy.ExtraditionRequest,
    copy.Case,
    copy.Case.organizations.through,
    copy.Defendant,
    copy.ChargingDocument,
    copy.Charge,
    copy.CourtEvent,
    copy.Appearance,
    copy.Citation,
    copy.TimelineItem,
]


def snapshot() -> dict[str, list]:
    """Every row of the published copy, as values (the timeline's own ids aside)."""
    rows = {}
    for model in COPY_MODELS:
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if not (model is copy.TimelineItem and f.name == "id")
        ]
        rows[model._meta.label] = sorted(
            model.objects.values_list(*fields), key=lambda row: [str(v) for v in row]
        )
    return rows


def text(response) -> str:
    return html.unescape(response.content.decode())


def review_url(record) -> str:
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_review", args=[record.pk])


@pytest.fixture
def case(db):
    """A case entered as a draft, with a new person (alias, custody, extradition, membership),
    a new court, organization and source, everything cited."""
    draft = {"publication": DRAFT}
    court = factories.CourtFactory(name="Juzgado Especializado", **draft)
    organization = factories.OrganizationFactory(name="MS13", slug="ms13", **draft)
    case = factories.CaseFactory(title="Fiscalía v. Example", court=court, **draft)
    case.organizations.add(organization)
    person = factories.PersonFactory(name="Ana Example", slug="ana-example", **draft)
    factories.AliasFactory(person=person, name="La Ejemplo", **draft)
    factories.MembershipFactory(person=person, organization=organization, **draft)
    custody = factories.CustodyRecordFactory(
        person=person,
        status=CustodyStatus.ARRESTED,
        start_date=datetime.date(2023, 11, 9),
        **draft,
    )
    factories.ExtraditionRequestFactory(person=person, case=case, **draft)
    defendant = factories.DefendantFactory(case=case, person=person, **draft)
    document = factories.ChargingDocumentFactory(case=case, court=court, **draft)
    charge = factories.ChargeFactory(
        document=document, defendant=defendant, description="Extortion", **draft
    )
    event = factories.CourtEventFactory(
        case=case, court=court, date=datetime.date(2023, 11, 9), **draft
    )
    factories.AppearanceFactory(event=event, defendant=defendant)
    source = factories.SourceFactory(title="A court record", **draft)
    for record in (case, person, charge, event, custody):
        factories.CitationFactory(source=source, record=record, quote="quoted")
    return {
        "case": case, "person": person, "court": court, "organization": organization,
        "defendant": defendant, "document": document, "charge": charge, "event": event,
        "source": source, "custody": custody,
    }  # fmt: skip


def publish(client, unit, note=""):
    response = client.post(review_url(unit), {"action": "publish", "note": note}, follow=True)
    assert response.status_code == 200
    return response


def test_publishing_a_case_writes_it_and_the_units_it_needs_to_the_copy(as_editor, editor, case):
    assert snapshot()["public.Case"] == []
    page = text(publish(as_editor, case["case"], "First version"))
    assert "Published" in page

    published = copy.Case.objects.get(pk=case["case"].pk)
    assert (published.title, published.version, published.withdrawn) == (
        "Fiscalía v. Example", 1, False,
    )  # fmt: skip
    assert published.court.name == "Juzgado Especializado"
    assert [o.name for o in published.organizations.all()] == ["MS13"]
    assert [str(d.person) for d in published.defendants.all()] == ["Ana Example"]
    assert [c.description for c in published.charges.all()] == ["Extortion"]
    person = copy.Person.objects.get(slug="ana-example")
    assert [a.name for a in person.aliases.all()] == ["La Ejemplo"]
    assert [m.organization.name for m in person.memberships.all()] == ["MS13"]
    assert person.extradition_requests.get().case == published
    assert copy.Citation.objects.filter(source__title="A court record").count() == 5
    log = copy.Version.objects.get(unit_kind="case", unit_id=published.pk)
    assert (log.number, log.by, log.comment, log.action) == (
        1,
        editor,
        "First version",
        "published",
    )
    # The needed units are logged too: person, court, organization, source.
    assert sorted(copy.Version.objects.values_list("unit_kind", flat=True)) == [
        "case", "court", "organization", "person", "source",
    ]  # fmt: skip


def test_no_change_to_the_working_records_reaches_the_copy_until_it_is_published_again(
    as_editor, case
):
    publish(as_editor, case["case"])
    before = snapshot()

    # Change every kind of working record of the published case, person and organization.
    working.Case.objects.filter(pk=case["case"].pk).update(title="A new title")
    case["case"].organizations.clear()
    working.Court.objects.filter(pk=case["court"].pk).update(name="Renamed court")
    working.Source.objects.filter(pk=case["source"].pk).update(title="Renamed source")
    people.Organization.objects.filter(pk=case["organization"].pk).update(name="Renamed")
    factories.OrganizationAliasFactory(organization=case["organization"], name="Mara")
    people.Person.objects.filter(pk=case["person"].pk).update(name="Renamed Person")
    people.Alias.objects.filter(person=case["person"]).update(name="Renamed alias")
    factories.AliasFactory(person=case["person"], name="A new alias")
    people.Membership.objects.filter(person=case["person"]).delete()
    working.CustodyRecord.objects.filter(pk=case["custody"].pk).update(facility="Somewhere")
    working.ExtraditionRequest.objects.filter(person=case["person"]).update(reason="A reason")
    working.Defendant.objects.filter(pk=case["defendant"].pk).update(status="convicted")
    working.ChargingDocument.objects.filter(pk=case["document"].pk).update(title="Indictment 2")
    working.Charge.objects.filter(pk=case["charge"].pk).update(
        disposition=Disposition.CONVICTED,
        disposition_date=datetime.date(2024, 5, 1),
        disposition_date_precision="day",
    )
    factories.ChargeFactory(document=case["document"], defendant=case["defendant"])
    working.Appearance.objects.filter(event=case["event"]).update(plea="guilty")
    working.CourtEvent.objects.filter(pk=case["event"].pk).update(description="Changed")
    factories.CourtEventFactory(case=case["case"])
    working.Citation.objects.filter(quote="quoted").update(quote="Other words")

    assert snapshot() == before

    publish(as_editor, case["case"], "Second version")
    after = snapshot()
    assert after != before
    published = copy.Case.objects.get(pk=case["case"].pk)
    assert (published.title, published.version) == ("A new title", 2)
    assert published.organizations.count() == 0
    # The case's own facts are rewritten; the other units stay until they are published.
    assert published.charges.count() == 2
    assert published.court_events.count() == 2
    assert copy.Court.objects.get(pk=case["court"].pk).name == "Juzgado Especializado"
    assert copy.Person.objects.get(pk=case["person"].pk).name == "Ana Example"


def test_a_fact_held_back_as_a_draft_stays_out_of_the_copy(as_editor, case):
    publish(as_editor, case["case"])
    factories.ChargeFactory(
        document=case["document"], defendant=case["defendant"], description="Held back",
        publication=DRAFT,
    )  # fmt: skip
    working.Case.objects.filter(pk=case["case"].pk).update(summary="Changed")
    publish(as_editor, case["case"])
    descriptions = copy.Charge.objects.values_list("description", flat=True)
    assert list(descriptions) == ["Extortion"]
    assert copy.Case.objects.get(pk=case["case"].pk).summary == "Changed"


def test_a_defendant_whose_person_is_not_public_stays_out_of_the_copy(editor, db):
    case = factories.CaseFactory()
    hidden = factories.PersonFactory(publication=DRAFT)
    shown = factories.PersonFactory()
    factories.DefendantFactory(case=case, person=hidden)
    factories.DefendantFactory(case=case, person=shown)
    write_all()
    assert [d.person_id for d in copy.Defendant.objects.all()] == [shown.pk]


def test_the_review_compares_with_the_published_version_field_by_field(as_editor, case):
    publish(as_editor, case["case"])
    working.Charge.objects.filter(pk=case["charge"].pk).update(description="Extortion, twice")
    working.CourtEvent.objects.filter(pk=case["event"].pk).delete()
    page = text(as_editor.get(review_url(case["case"])))
    assert "Now: " in page and "Published, with unpublished changes" in page
    table = page.split("Against the published version")[1].split("</table>")[0]
    assert "Extortion, twice" in table and "<del>Extortion</del>" in table
    assert "removed" in table and "Arraignment" in table
    assert "No difference" not in page

    publish(as_editor, case["case"], "Fixed the charge")
    page = text(as_editor.get(review_url(case["case"])))
    assert "No difference: the published version is the same as this one." in page
    log = page.split("Publication log")[1]
    assert "Version 2: published" in log and "Fixed the charge" in log
    assert "Version 1: published" in log


def test_publishing_with_nothing_changed_is_refused(as_editor, case):
    publish(as_editor, case["case"])
    page = text(publish(as_editor, case["case"]))
    assert "Nothing to publish" in page
    assert copy.Case.objects.get(pk=case["case"].pk).version == 1


def test_withdrawing_keeps_the_row_marked_and_logs_it_and_publishing_again_counts_on(
    as_editor, editor, case
):
    publish(as_editor, case["case"])
    case["case"].refresh_from_db()
    units.withdraw(case["case"], editor, "Legal review")
    published = copy.Case.objects.get(pk=case["case"].pk)
    assert published.withdrawn
    log = copy.Version.objects.filter(unit_kind="case").first()
    assert (log.action, log.number, log.comment) == ("withdrawn", 1, "Legal review")

    case["case"].refresh_from_db()
    units.send_to_review(case["case"], editor)
    case["case"].refresh_from_db()
    units.publish(case["case"], editor)
    published.refresh_from_db()
    assert (published.withdrawn, published.version) == (False, 2)


def test_the_timeline_is_written_in_date_order_with_causes_before_consequences(editor, db):
    person = factories.PersonFactory(name="Ana Example")
    case = factories.CaseFactory()
    defendant = factories.DefendantFactory(case=case, person=person)
    day = datetime.date(2024, 5, 1)
    factories.ChargeFactory(
        document__case=case, defendant=defendant, disposition=Disposition.CONVICTED,
        disposition_date=day, disposition_date_precision="day",
    )  # fmt: skip
    for status in (CustodyStatus.SERVING_SENTENCE, CustodyStatus.ARRESTED):
        factories.CustodyRecordFactory(person=person, status=status, start_date=day)
    factories.CourtEventFactory(case=case, date=day, kind="sentencing")
    write_all()

    items = copy.TimelineItem.objects.filter(date=day)
    assert [(item.kind, item.status) for item in items] == [
        (TimelineKind.CUSTODY, CustodyStatus.ARRESTED),
        (TimelineKind.COURT_EVENT, "held"),
        (TimelineKind.CHARGE_DISPOSED, ""),
        (TimelineKind.CUSTODY, CustodyStatus.SERVING_SENTENCE),
    ]
    assert rank(TimelineKind.CUSTODY, CustodyStatus.DETAINED) > rank(
        TimelineKind.COURT_EVENT, "held"
    )
    # Custody items belong to the person; the case's own items to the case.
    assert {i.case_id for i in items if i.kind == TimelineKind.CUSTODY} == {None}
    decided = items.get(kind=TimelineKind.CHARGE_DISPOSED)
    assert (decided.case_id, decided.people) == (case.pk, [person.pk])


def test_writing_the_copy_takes_the_same_queries_for_one_case_or_many(db):
    def queries_for(count: int) -> int:
        for model in reversed(COPY_MODELS):
            model.objects.all().delete()
        for _ in range(count):
            factories.CourtEventFactory(case=factories.ChargeFactory().document.case)
        with CaptureQueriesContext(connection) as counted:
            write_all()
        return len(counted)

    assert queries_for(1) == queries_for(6)


def test_the_command_turns_every_published_unit_into_its_published_copy(db):
    call_command("loaddata", "demo", verbosity=0)
    call_command("write_published_copy", verbosity=0)
    for kind, model, working_model in [
        ("case", copy.Case, working.Case),
        ("person", copy.Person, people.Person),
        ("organization", copy.Organization, people.Organization),
        ("court", copy.Court, working.Court),
        ("source", copy.Source, working.Source),
    ]:
        public_ids = set(
            working_model.objects.filter(publication=PUBLISHED).values_list("pk", flat=True)
        )
        assert public_ids, kind
        assert set(model.objects.values_list("pk", flat=True)) == public_ids
    demo = copy.Case.objects.get()
    assert demo.defendants.count() == working.Defendant.objects.published().count()
    assert demo.timeline_items.exists()


def test_synthetic_cases_are_written_to_the_copy_and_removed_from_it(db):
    real = factories.CaseFactory()
    write_all()
    call_command("generate_synthetic", cases=3, verbosity=0)
    synthetic_cases = working.Case.objects.exclude(pk=real.pk)
    assert set(copy.Case.objects.values_list("pk", flat=True)) == {
        real.pk, *synthetic_cases.values_list("pk", flat=True),
    }  # fmt: skip
    assert copy.TimelineItem.objects.filter(case__in=synthetic_cases.values("pk")).exists()
    assert copy.Version.objects.filter(unit_kind="case").count() == 4

    call_command("generate_synthetic", remove=True, verbosity=0)
    assert list(copy.Case.objects.values_list("pk", flat=True)) == [real.pk]
    assert list(copy.Court.objects.values_list("pk", flat=True)) == [real.court_id]
    assert copy.Person.objects.count() == 0
    assert copy.Version.objects.count() == 2  # the real case and its court


def test_the_review_shows_a_reference_to_another_unit_changing(as_editor, case):
    publish(as_editor, case["case"])
    other = factories.OrganizationFactory(name="Barrio 18", slug="barrio-18")
    write_all()
    people.Membership.objects.filter(person=case["person"]).update(organization=other)
    page = text(as_editor.get(review_url(case["person"])))
    table = page.split("Against the published version")[1].split("</table>")[0]
    assert "<del>MS13</del>" in table and "<ins>Barrio 18</ins>" in table
