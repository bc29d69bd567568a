"""Every change is in the history with who, when and why; editors revert and restore."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.models import Appearance, Citation, CourtEvent, EventStatus
from casetracker import workflow
from casetracker.history import readable_changes
from tests import factories


def test_a_change_from_the_shell_is_recorded_without_a_user(db):
    event = factories.CourtEventFactory(place="Houston, Texas")
    event.place = "Central Islip, New York"
    event.save()

    latest, created = event.history.all()[:2]
    assert latest.history_user is None
    assert latest.get_history_type_display() == "Changed"
    assert created.get_history_type_display() == "Created"
    assert [(c.field, c.old, c.new) for c in readable_changes(latest, created)] == [
        ("Place", "Houston, Texas", "Central Islip, New York")
    ]


def test_a_change_names_the_user_and_the_reason(researcher):
    event = factories.CourtEventFactory()
    event.status = EventStatus.CANCELLED
    workflow.save_with_history(event, researcher, "The court cancelled it (order of 3 May)")

    latest = event.history.first()
    assert latest.history_user == researcher
    assert latest.history_change_reason == "The court cancelled it (order of 3 May)"


def test_changes_read_as_a_person_would_say_them(db):
    houston = factories.CourtFactory(name="Southern District of Texas", short_name="S.D. Tex.")
    event = factories.CourtEventFactory(court=None, country="")
    event.date, event.date_precision, event.date_approximate = (
        datetime.date(2020, 12, 1),
        "month",
        True,
    )
    event.status = EventStatus.SCHEDULED
    event.court = houston
    event.country = "US"
    event.save()

    latest, created = event.history.all()[:2]
    changes = {c.field: (c.old, c.new) for c in readable_changes(latest, created)}
    assert changes == {
        "Status": ("Held", "Scheduled"),
        "Date": ("8 December 2023", "c. December 2020"),  # one change, not three columns
        "Court": ("(empty)", "S.D. Tex."),
        "Country": ("(empty)", "United States of America"),
    }


def test_an_editor_reverts_a_wrong_change_and_the_state_stays(editor, researcher):
    event = factories.CourtEventFactory(place="Central Islip, New York", description="")
    good = event.history.first()
    event.place, event.description = "Brooklyn", "Wrong courthouse"
    workflow.save_with_history(event, researcher, "typo")
    workflow.set_publication([event], "withdrawn", editor)

    changed = workflow.revert(event, good, editor)

    event.refresh_from_db()
    assert sorted(changed) == ["description", "place"]
    assert (event.place, event.description) == ("Central Islip, New York", "")
    assert event.publication == "withdrawn"  # reverting is about content, not review
    latest = event.history.first()
    assert latest.history_user == editor
    assert latest.history_change_reason.startswith("Reverted to the version of ")


def test_reverting_to_the_current_version_saves_nothing(editor):
    event = factories.CourtEventFactory()
    assert workflow.revert(event, event.history.first(), editor) == []
    assert event.history.count() == 1


def test_researchers_cannot_revert(researcher):
    event = factories.CourtEventFactory()
    event.place = "Elsewhere"
    event.save()
    with pytest.raises(PermissionDenied):
        workflow.revert(event, event.history.last(), researcher)


def test_a_version_of_another_record_is_refused(editor):
    event, other = factories.CourtEventFactory.create_batch(2)
    with pytest.raises(ValueError, match="another record"):
        workflow.revert(event, other.history.first(), editor)


def test_a_version_pointing_at_a_deleted_record_cannot_be_put_back(editor):
    old_court = factories.CourtFactory()
    event = factories.CourtEventFactory(court=old_court)
    version = event.history.first()
    event.court = factories.CourtFactory()
    event.save()
    old_court.delete()

    with pytest.raises(ValidationError, match="cannot be put back"):
        workflow.revert(event, version, editor)


def test_an_editor_restores_a_deleted_event_with_its_pleas_and_sources(editor):
    event = factories.CourtEventFactory()
    appearance = factories.AppearanceFactory(event=event)
    citation = factories.CitationFactory(record=event, quote="Pleaded not guilty")
    unrelated = factories.CourtEventFactory()
    event_id, unrelated_id = event.pk, unrelated.pk
    event.delete()
    unrelated.delete()

    deleted = workflow.deleted_versions(CourtEvent)
    assert sorted(v.id for v in deleted) == sorted([event_id, unrelated_id])
    version = deleted.get(id=event_id)

    restored, others = workflow.restore(CourtEvent, version.history_id, editor)

    assert (restored.pk, others) == (event_id, 2)
    assert Appearance.objects.get(pk=appearance.pk).event_id == event_id
    assert Citation.objects.get(pk=citation.pk).quote == "Pleaded not guilty"
    assert not CourtEvent.objects.filter(pk=unrelated_id).exists()
    assert restored.history.first().history_change_reason == "Restored after deletion"
    assert restored.history.first().history_user == editor
    assert [v.id for v in workflow.deleted_versions(CourtEvent)] == [unrelated_id]


def test_a_deleted_case_comes_back_with_everything_deleted_with_it(editor):
    charge = factories.ChargeFactory()
    case = charge.document.case
    factories.CourtEventFactory(case=case)
    case_id = case.pk
    case.delete()

    version = workflow.deleted_versions(type(case)).get(id=case_id)
    restored, others = workflow.restore(type(case), version.history_id, editor)

    assert restored.defendants.count() == 1
    assert restored.charging_documents.get().charges.get().pk == charge.pk
    assert restored.court_events.count() == 1
    assert others == 4  # defendant, document, charge, event


def test_restored_records_keep_the_time_they_were_created(editor):
    charge = factories.ChargeFactory()
    case = charge.document.case
    records = [case, charge.defendant, charge.document, charge]
    for days, record in enumerate(records, start=1):
        created = datetime.datetime(2021, 3, days, 9, 30, tzinfo=datetime.UTC)
        type(record).objects.filter(pk=record.pk).update(created_at=created)
    ids = [record.pk for record in records]
    case.refresh_from_db()
    case.delete()

    version = workflow.deleted_versions(type(case)).get(id=ids[0])
    workflow.restore(type(case), version.history_id, editor)

    for days, (record, pk) in enumerate(zip(records, ids, strict=True), start=1):
        restored = type(record).objects.get(pk=pk)
        created = datetime.datetime(2021, 3, days, 9, 30, tzinfo=datetime.UTC)
        assert restored.created_at == created, type(record).__name__
        assert restored.history.first().history_change_reason == "Restored after deletion"
        assert restored.history.first().created_at == created
        assert restored.updated_at > created


def test_restoring_needs_an_editor_and_its_parents(editor, researcher):
    charge = factories.ChargeFactory()
    charge_id = charge.pk
    charge.delete()
    version = workflow.deleted_versions(type(charge)).get(id=charge_id)
    with pytest.raises(PermissionDenied):
        workflow.restore(type(charge), version.history_id, researcher)

    charge.defendant.delete()
    with pytest.raises(ValidationError, match="restore that first"):
        workflow.restore(type(charge), version.history_id, editor)
