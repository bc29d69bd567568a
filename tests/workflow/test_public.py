"""What readers see while records go through review: drafts stay off the pages and the API until
published; staff preview an unpublished page, which is never cached."""

import pytest

from cases.models import Case, Court, CourtEvent
from casetracker import units, workflow
from tests import factories
from tests.publishing import publish_all


@pytest.fixture
def published_case(db):
    case = factories.CaseFactory(slug="ms13-ranfla", title="Caso Ranfla")
    event = factories.CourtEventFactory(
        case=case, publication="draft", kind="detention_hearing", description="Audiencia nueva"
    )
    return case, event


def timeline_titles(client, case):
    response = client.get(f"/api/v1/cases/{case.slug}/timeline/")
    assert response.status_code == 200
    return str(response.json())


def test_a_draft_fact_of_a_published_case_waits_for_its_editor(client, published_case, editor):
    case, event = published_case
    publish_all()

    assert "Audiencia nueva" not in client.get(case.get_absolute_url()).content.decode()

    workflow.set_publication([event], "in_review", editor)
    assert "Audiencia nueva" not in client.get(case.get_absolute_url()).content.decode()

    units.publish(case, editor)  # the editor publishes the case with the fact in review
    assert "Audiencia nueva" in client.get(case.get_absolute_url()).content.decode()

    workflow.set_publication([event], "draft", editor)
    assert "Audiencia nueva" in client.get(case.get_absolute_url()).content.decode()  # not yet
    units.publish(case, editor)
    assert "Audiencia nueva" not in client.get(case.get_absolute_url()).content.decode()


def test_a_draft_fact_stays_off_the_api(client, published_case, editor):
    case, event = published_case
    assert "Detention hearing" not in timeline_titles(client, case)
    workflow.set_publication([event], "published", editor)
    assert "Detention hearing" in timeline_titles(client, case)
    workflow.set_publication([event], "withdrawn", editor)
    assert "Detention hearing" not in timeline_titles(client, case)


def test_publishing_a_fact_moves_the_cases_last_modified(client, published_case, editor):
    case, event = published_case
    for model in (Case, Court, CourtEvent):
        model.objects.update(updated_at="2020-01-01T00:00:00Z")
    assert "2020" in client.get(f"/api/v1/cases/{case.slug}/")["Last-Modified"]

    workflow.set_publication([event], "published", editor)

    assert "2020" not in client.get(f"/api/v1/cases/{case.slug}/")["Last-Modified"]
    case.refresh_from_db()
    assert case.updated_at.year > 2020


@pytest.mark.parametrize("kind", ["case", "person", "organization"])
def test_staff_preview_an_unpublished_page(client, researcher, kind):
    record = {
        "case": factories.CaseFactory,
        "person": factories.PersonFactory,
        "organization": factories.OrganizationFactory,
    }[kind](publication="in_review")
    page = record.get_absolute_url()

    assert client.get(page).status_code == 404
    assert client.get(f"{page}?preview=1").status_code == 404  # readers cannot preview

    client.force_login(researcher)
    assert client.get(page).status_code == 404  # staff too, unless they ask for a preview
    preview = client.get(f"{page}?preview=1")

    assert preview.status_code == 200
    assert "Preview:" in preview.content.decode() and "in review, not public" in (
        preview.content.decode()
    )
    assert "no-store" in preview["Cache-Control"] and "private" in preview["Cache-Control"]
    assert preview["X-Robots-Tag"] == "noindex"


def test_a_preview_of_a_published_page_says_readers_see_the_last_version(client, researcher):
    case = factories.CaseFactory()
    publish_all()
    client.force_login(researcher)
    response = client.get(f"{case.get_absolute_url()}?preview=1")
    assert response.status_code == 200
    assert "Readers see the version last published." in response.content.decode()


def test_the_admin_links_a_draft_to_its_preview(client, researcher):
    case = factories.CaseFactory(publication="draft")
    client.force_login(researcher)
    response = client.get(f"/admin/cases/case/{case.pk}/change/")
    assert f'href="{case.get_absolute_url()}?preview=1"' in response.content.decode()


def test_a_preview_shows_what_publishing_would_show_and_leaves_the_public_page(
    client, researcher, published_case
):
    case, event = published_case  # the event is a draft
    publish_all()
    client.force_login(researcher)
    preview = client.get(f"{case.get_absolute_url()}?preview=1").content.decode()
    assert "Audiencia nueva" not in preview  # a draft fact is held back

    workflow.set_publication([event], "in_review", researcher)
    preview = client.get(f"{case.get_absolute_url()}?preview=1").content.decode()
    assert "as publishing it now would show it" in preview and "Audiencia nueva" in preview
    client.logout()
    assert "Audiencia nueva" not in client.get(case.get_absolute_url()).content.decode()
