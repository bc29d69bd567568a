"""Units in the admin: a researcher sends a whole case (with the new person, court and source it
needs) to review in one action; an editor sees what will appear, publishes it in one action or
returns it with a comment; the admin index lists the review queue and each researcher's work."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case, Charge, CourtEvent, Defendant
from casetracker import units
from casetracker.publication import Publication
from people.models import Alias, Person
from tests import factories

DRAFT, IN_REVIEW = Publication.DRAFT, Publication.IN_REVIEW
PUBLISHED, WITHDRAWN = Publication.PUBLISHED, Publication.WITHDRAWN


def text(response) -> str:
    return html.unescape(response.content.decode())


def review_url(record) -> str:
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_review", args=[record.pk])


def states(*records) -> list[str]:
    return [type(record).objects.get(pk=record.pk).publication for record in records]


@pytest.fixture
def new_case(db):
    """A case entered from scratch: everything a draft, including a new person (with an alias),
    a new court and a new source cited by a charge."""
    draft = {"publication": DRAFT}
    court = factories.CourtFactory(
        name="Juzgado Especializado de Sentencia", short_name="", **draft
    )
    case = factories.CaseFactory(title="Fiscalía v. Example", court=court, **draft)
    person = factories.PersonFactory(name="Ana Example", slug="ana-example", **draft)
    alias = factories.AliasFactory(person=person, name="La Ejemplo", **draft)
    defendant = factories.DefendantFactory(case=case, person=person, **draft)
    document = factories.ChargingDocumentFactory(case=case, **draft)
    charge = factories.ChargeFactory(
        document=document, defendant=defendant, description="Extortion", **draft
    )
    event = factories.CourtEventFactory(case=case, court=court, **draft)
    source = factories.SourceFactory(title="A court record", **draft)
    factories.CitationFactory(source=source, record=charge)
    return {
        "court": court,
        "case": case,
        "person": person,
        "alias": alias,
        "defendant": defendant,
        "document": document,
        "charge": charge,
        "event": event,
        "source": source,
    }


def press(client, record, action, note=""):
    return client.post(review_url(record), {"action": action, "note": note}, follow=True)


def test_a_researcher_sends_the_whole_case_and_what_it_needs_to_review_in_one_action(
    as_researcher, new_case
):
    page = press(as_researcher, new_case["case"], "send")
    assert page.status_code == 200
    assert "Sent to review: 9 records" in text(page)
    assert set(states(*new_case.values())) == {IN_REVIEW}
    reasons = {row.history_change_reason for row in Charge.history.all()[:1]}
    assert reasons == {"Sent to review"}
    assert as_researcher.get(new_case["case"].get_absolute_url()).status_code == 404


def test_a_researcher_is_not_offered_publish_and_cannot_publish(as_researcher, new_case):
    page = text(as_researcher.get(review_url(new_case["case"])))
    assert "Send to review" in page
    assert 'value="publish"' not in page
    assert press(as_researcher, new_case["case"], "publish").status_code == 403
    assert states(new_case["case"]) == [DRAFT]


def test_the_editor_sees_what_will_appear_what_goes_with_it_and_what_cites_no_source(
    researcher, as_editor, new_case, django_assert_max_num_queries
):
    units.send_to_review(new_case["case"], researcher)
    # The review reads the unit's facts, the units it needs and their citations, then compares
    # the published copy with what publishing writes (it publishes inside a savepoint, reads
    # the result and rolls it back): a fixed number of queries (see the next test).
    with django_assert_max_num_queries(80):
        page = text(as_editor.get(review_url(new_case["case"])))
    assert "New on the public site: case (1)" in page
    assert "New on the public site: defendants (1)" in page
    assert "New on the public site: charges (1)" in page
    published_with_it = page.split("Published with it")[1].split("</ul>")[0]
    for needed in ("Ana Example", "Juzgado Especializado de Sentencia", "A court record"):
        assert needed in published_with_it
    assert "cites no source" in page.split("defendants (1)")[1].split("</ul>")[0]
    assert "Extortion" in page and "cites no source" not in page.split("Extortion")[1][:40]
    assert 'value="publish"' in page and 'value="return"' in page


def test_the_review_reads_a_fixed_number_of_queries_whatever_the_size_of_the_case(
    as_editor, new_case
):
    def review():
        as_editor.get(review_url(new_case["case"]))  # warms the session and content types
        with CaptureQueriesContext(connection) as counted:
            assert as_editor.get(review_url(new_case["case"])).status_code == 200
        return len(counted)

    small = review()
    for _ in range(5):
        person = factories.PersonFactory(publication=DRAFT)
        defendant = factories.DefendantFactory(
            case=new_case["case"], person=person, publication=DRAFT
        )
        factories.ChargeFactory(
            document=new_case["document"], defendant=defendant, publication=DRAFT
        )
        factories.CourtEventFactory(case=new_case["case"], publication=DRAFT)
        factories.CitationFactory(record=defendant, source=factories.SourceFactory())
        factories.CustodyRecordFactory(person=person, publication=DRAFT)
    assert review() == small


def test_the_editor_publishes_the_whole_case_in_one_action_and_it_appears_at_once(
    researcher, as_editor, client, new_case
):
    units.send_to_review(new_case["case"], researcher)
    page = press(as_editor, new_case["case"], "publish", "Checked against the court record")
    assert "Published: 9 records. Readers see it now." in text(page)
    assert set(states(*new_case.values())) == {PUBLISHED}
    assert Case.history.first().history_change_reason == (
        "Published: Checked against the court record"
    )
    client.logout()
    public = text(client.get(new_case["case"].get_absolute_url()))
    for shown in (
        "Ana Example",
        "Juzgado Especializado de Sentencia",
        "Extortion",
        "A court record",
    ):
        assert shown in public
    assert client.get(new_case["person"].get_absolute_url()).status_code == 200


def test_a_fact_returned_to_draft_is_held_back_when_the_rest_is_published(
    researcher, as_editor, new_case
):
    units.send_to_review(new_case["case"], researcher)
    event = new_case["event"]
    event.publication = DRAFT  # the researcher holds back the hearing, not yet confirmed
    event.save()
    page = text(as_editor.get(review_url(new_case["case"])))
    held = page.split("Held back")[1]
    assert "Arraignment" in held
    press(as_editor, new_case["case"], "publish")
    assert states(new_case["case"], new_case["charge"], event) == [PUBLISHED, PUBLISHED, DRAFT]
    assert not CourtEvent.objects.published().filter(pk=event.pk).exists()


def test_returning_needs_a_comment_and_keeps_it_in_the_history(researcher, as_editor, new_case):
    units.send_to_review(new_case["case"], researcher)
    refused = text(press(as_editor, new_case["case"], "return", "  "))
    assert "Say what needs doing" in refused
    assert states(new_case["case"]) == [IN_REVIEW]
    done = text(press(as_editor, new_case["case"], "return", "Give the docket number"))
    assert "Returned to draft, with your comment" in done
    assert states(new_case["case"], new_case["charge"]) == [DRAFT, DRAFT]
    assert Defendant.history.first().history_change_reason == (
        "Returned to draft: Give the docket number"
    )
    # The person, court and source went to review with the case and wait for the next round.
    assert states(new_case["person"]) == [IN_REVIEW]


def test_new_facts_of_a_published_case_are_reviewed_as_unpublished_changes(
    as_researcher, editor, new_case
):
    units.publish(new_case["case"], editor)
    case = new_case["case"]
    assert units.state(case) == PUBLISHED
    added = factories.CourtEventFactory(case=case, publication=DRAFT, description="Hearing")
    assert units.state(case) == "changed"
    page = text(as_researcher.get(reverse("admin:cases_case_change", args=[case.pk])))
    assert "Published, with unpublished changes" in page
    press(as_researcher, case, "send")
    assert units.state(case) == IN_REVIEW
    assert states(case, added) == [PUBLISHED, IN_REVIEW]
    assert case in units.review_queue()


def test_an_editor_publishing_a_draft_publishes_its_draft_facts_too(editor, new_case):
    moved = units.publish(new_case["case"], editor)
    assert len(moved) == 9
    assert set(states(*new_case.values())) == {PUBLISHED}


def test_withdrawing_takes_the_case_off_the_public_site(editor, as_editor, client, new_case):
    units.publish(new_case["case"], editor)
    assert "Withdrawn from the public site" in text(
        press(as_editor, new_case["case"], "withdraw", "Wrong court")
    )
    assert states(new_case["case"]) == [WITHDRAWN]
    client.logout()
    assert client.get(new_case["case"].get_absolute_url()).status_code == 410  # gone
    client.force_login(editor)
    refused = text(press(client, new_case["case"], "publish"))
    assert "withdrawn" in refused.lower()


def test_a_person_unit_holds_its_aliases(editor, new_case):
    person = new_case["person"]
    units.publish(person, editor)
    assert states(person, new_case["alias"]) == [PUBLISHED, PUBLISHED]
    assert Alias.objects.published().filter(person=person).count() == 1
    assert states(new_case["case"]) == [DRAFT]  # a person's unit does not publish its cases


def test_the_index_lists_the_review_queue_for_editors_oldest_first(researcher, as_editor, new_case):
    older = factories.CaseFactory(title="Older case", publication=IN_REVIEW)
    Case.objects.filter(pk=older.pk).update(updated_at="2020-01-01T00:00:00Z")
    units.send_to_review(new_case["case"], researcher)
    page = text(as_editor.get(reverse("admin:index")))
    queue = page.split("Waiting for review")[1].split("</table>")[0]
    assert queue.index("Older case") < queue.index("Fiscalía v. Example")
    assert "Ana Example" in queue and review_url(older) in queue


def test_the_index_lists_a_researchers_own_drafts_and_no_queue(as_researcher, researcher):
    mine = factories.CaseFactory(title="My draft case", publication=DRAFT)
    Case.history.filter(id=mine.pk).update(history_user=researcher)
    factories.CaseFactory(title="Someone else's draft", publication=DRAFT)
    page = text(as_researcher.get(reverse("admin:index")))
    assert "Waiting for review" not in page
    work = page.split("Your work not yet public")[1]
    assert "My draft case" in work
    assert "Someone else's draft" not in work


def test_the_index_reads_a_fixed_number_of_queries(as_editor, editor):
    for _ in range(3):
        factories.CaseFactory(publication=IN_REVIEW)
        person = factories.PersonFactory(publication=PUBLISHED)
        factories.AliasFactory(person=person, publication=IN_REVIEW)
        draft = factories.OrganizationFactory(publication=DRAFT)
        draft.history.update(history_user=editor)
    as_editor.get(reverse("admin:index"))
    with CaptureQueriesContext(connection) as first:
        as_editor.get(reverse("admin:index"))
    factories.CaseFactory(publication=IN_REVIEW)
    factories.AliasFactory(person=Person.objects.first(), publication=IN_REVIEW)
    with CaptureQueriesContext(connection) as second:
        as_editor.get(reverse("admin:index"))
    assert len(second) == len(first)
