"""The workflow as researchers and editors meet it in the admin: who may do what (the
permission matrix), review states on forms and lists, history with revert and restore."""

import html

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags

from cases.models import Case, CourtEvent, Defendant
from casetracker.publication import Publication
from people.models import Alias
from tests import factories
from tests.admin.conftest import add_row, form_values


def text(response):
    return html.unescape(response.content.decode())


def url(model, view, *args):
    from django.urls import reverse

    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def action(client, model, name, *records):
    return client.post(
        url(model, "changelist"),
        {"action": name, "_selected_action": [r.pk for r in records]},
        follow=True,
    )


# The permission matrix ---------------------------------------------------------------------

ROLES = ["as_researcher", "as_editor"]


def test_only_editors_are_offered_publish_and_withdraw(request):
    for role, offered in [
        ("as_researcher", {"send_to_review", "return_to_draft", "delete_selected"}),
        (
            "as_editor",
            {"publish", "withdraw", "send_to_review", "return_to_draft", "delete_selected"},
        ),
    ]:
        client = request.getfixturevalue(role)
        factories.CourtEventFactory()
        response = client.get(url(CourtEvent, "changelist"))
        choices = {value for value, _ in response.context["action_form"].fields["action"].choices}
        assert choices - {""} == offered, role


@pytest.mark.parametrize(
    ("role", "name", "start", "end"),
    [
        ("as_researcher", "publish", "in_review", "in_review"),
        ("as_researcher", "withdraw", "published", "published"),
        ("as_researcher", "send_to_review", "draft", "in_review"),
        ("as_researcher", "return_to_draft", "in_review", "draft"),
        ("as_editor", "publish", "in_review", "published"),
        ("as_editor", "publish", "draft", "published"),
        ("as_editor", "withdraw", "published", "withdrawn"),
        ("as_editor", "return_to_draft", "withdrawn", "draft"),
    ],
)
def test_review_actions(request, role, name, start, end):
    client = request.getfixturevalue(role)
    event = factories.CourtEventFactory(publication=start)

    action(client, CourtEvent, name, event)

    event.refresh_from_db()
    assert event.publication == end


def test_a_refused_move_in_a_selection_is_named_with_the_reason(as_editor):
    published = factories.CourtEventFactory(publication="published")
    draft = factories.CourtEventFactory(publication="draft")

    response = action(as_editor, CourtEvent, "withdraw", published, draft)

    assert "1 record withdrawn from the public site." in text(response)
    assert f"Not withdrawn from the public site: “{draft}”." in text(response)
    assert "Only a published record can be withdrawn." in text(response)


@pytest.mark.parametrize(
    ("role", "state", "allowed"),
    [
        ("as_researcher", "draft", True),
        ("as_researcher", "in_review", True),
        ("as_researcher", "published", False),
        ("as_researcher", "withdrawn", False),
        ("as_editor", "published", True),
        ("as_editor", "withdrawn", True),
    ],
)
def test_deleting_a_record(request, role, state, allowed):
    client = request.getfixturevalue(role)
    event = factories.CourtEventFactory(publication=state)

    page = client.get(url(CourtEvent, "delete", event.pk))
    client.post(url(CourtEvent, "delete", event.pk), {"post": "yes"})

    assert page.status_code == (200 if allowed else 403)
    assert CourtEvent.objects.filter(pk=event.pk).exists() is not allowed


def test_researchers_cannot_delete_published_records_from_a_list(as_researcher):
    draft = factories.CourtEventFactory(publication="draft")
    published = factories.CourtEventFactory(publication="published")

    selection = {"action": "delete_selected", "_selected_action": [draft.pk, published.pk]}

    confirmation = as_researcher.post(url(CourtEvent, "changelist"), selection)
    confirmed = as_researcher.post(url(CourtEvent, "changelist"), {**selection, "post": "yes"})

    assert "your account doesn't have permission to delete" in text(confirmation).lower()
    assert confirmed.status_code == 403
    assert CourtEvent.objects.count() == 2


def test_researchers_cannot_delete_a_published_row_of_a_parent_page(as_researcher):
    person = factories.PersonFactory(publication="draft")
    published = factories.AliasFactory(person=person, publication="published")
    draft = factories.AliasFactory(person=person, publication="draft")
    change = url(type(person), "change", person.pk)
    page = as_researcher.get(change)
    data = form_values(page)
    rows = {data[f"aliases-{i}-id"][0]: i for i in range(2)}
    data[f"aliases-{rows[str(published.pk)]}-DELETE"] = ["on"]
    data[f"aliases-{rows[str(draft.pk)]}-DELETE"] = ["on"]

    as_researcher.post(change, data)

    assert list(Alias.objects.values_list("pk", flat=True)) == [published.pk]
    aliases = next(
        f.formset for f in page.context["inline_admin_formsets"] if f.formset.prefix == "aliases"
    )
    forms = {form.instance.pk: form for form in aliases.forms}
    assert forms[published.pk].fields["DELETE"].disabled
    assert not forms[draft.pk].fields["DELETE"].disabled


# Review states on forms ----------------------------------------------------------------------


def publication_choices(response):
    return [value for value, _ in response.context["adminform"].form.fields["publication"].choices]


def test_a_researchers_form_offers_draft_and_review_only(as_researcher):
    response = as_researcher.get(url(CourtEvent, "add"))
    assert publication_choices(response) == ["draft", "in_review"]


def test_a_researcher_cannot_publish_through_the_form(as_researcher):
    case = factories.CaseFactory(publication="draft")
    change = url(Case, "change", case.pk)
    data = form_values(as_researcher.get(change))
    data["publication"] = ["published"]

    response = as_researcher.post(change, data)

    assert response.status_code == 200
    assert "Select a valid choice" in text(response)
    case.refresh_from_db()
    assert case.publication == "draft"


def test_a_published_record_keeps_its_state_when_a_researcher_edits_it(as_researcher):
    event = factories.CourtEventFactory(publication="published", place="Brooklyn")
    change = url(CourtEvent, "change", event.pk)
    page = as_researcher.get(change)
    assert page.context["adminform"].form.fields["publication"].disabled
    data = form_values(page)
    data.update(publication=["withdrawn"], place=["Central Islip, New York"])

    assert as_researcher.post(change, data).status_code == 302

    event.refresh_from_db()
    assert (event.publication, event.place) == ("published", "Central Islip, New York")


def test_an_inline_row_offers_the_same_states(as_researcher):
    person = factories.PersonFactory(publication="draft")
    factories.AliasFactory(person=person, publication="published")
    page = as_researcher.get(url(type(person), "change", person.pk))
    aliases = next(
        f.formset for f in page.context["inline_admin_formsets"] if f.formset.prefix == "aliases"
    )
    published_row, new_row = aliases.forms[0], aliases.forms[-1]
    assert published_row.fields["publication"].disabled
    assert [v for v, _ in new_row.fields["publication"].choices] == ["draft", "in_review"]


def test_an_editor_publishing_on_the_form_is_stamped_and_warned_about_missing_sources(
    as_editor, editor
):
    case = factories.CaseFactory(publication="in_review")
    factories.CourtEventFactory(case=case, kind="arraignment")  # cites nothing
    change = url(Case, "change", case.pk)
    data = form_values(as_editor.get(change))
    data["publication"] = ["published"]

    response = as_editor.post(change, data, follow=True)

    case.refresh_from_db()
    assert (case.publication, case.published_by) == ("published", editor)
    assert "1 fact on its timeline cites no source yet" in text(response)
    assert "Arraignment" in text(response)


def test_publishing_cases_from_the_list_warns_about_unsourced_facts(as_editor):
    sourced = factories.CaseFactory(publication="in_review", title="Sourced case")
    event = factories.CourtEventFactory(case=sourced)
    factories.CitationFactory(record=event)
    bare = factories.CaseFactory(publication="in_review", title="Bare case")
    factories.ChargeFactory(document__case=bare)

    response = action(as_editor, Case, "publish", sourced, bare)

    said = [str(message) for message in response.context["messages"]]
    assert said[0] == "2 records published."
    assert said[1].startswith("“Bare case”: 2 facts on its timeline cite no source yet")
    assert len(said) == 2  # nothing about the sourced case


def test_the_list_shows_each_records_state_as_a_badge(as_researcher):
    factories.CourtEventFactory(publication="in_review")
    response = as_researcher.get(url(CourtEvent, "changelist"))
    assert 'class="review-state review-state-in_review">In review</span>' in text(response)


# History, revert, restore --------------------------------------------------------------------


def test_the_history_shows_who_changed_what_and_why(as_researcher, researcher):
    event = factories.CourtEventFactory(place="Houston, Texas")
    change = url(CourtEvent, "change", event.pk)
    data = form_values(as_researcher.get(change))
    data.update(place=["Central Islip, New York"], date_0=["December 2023"], date_1=[""])
    data["change_reason"] = ["The article names the courthouse"]
    response = as_researcher.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    page = " ".join(
        strip_tags(text(as_researcher.get(url(CourtEvent, "history", event.pk)))).split()
    )

    assert "rita-researcher" in page
    assert "The article names the courthouse" in page
    assert "Place: Houston, Texas → Central Islip, New York" in page
    assert "Date: 8 December 2023 → December 2023" in page
    assert "Compare with now" in page and "Revert to this version" not in page


def test_an_editor_reverts_a_wrong_change(as_editor, editor, researcher):
    event = factories.CourtEventFactory(place="Central Islip, New York")
    good = event.history.first()
    event.place = "Brooklyn"
    event._history_user = researcher
    event.save()
    revert = url(CourtEvent, "revert", event.pk, good.history_id)

    page = as_editor.get(revert)
    response = as_editor.post(revert, {"change_reason": "Wrong courthouse"}, follow=True)

    changes = [(c.field, c.old, c.new) for c in page.context["changes"]]
    assert changes == [("Place", "Brooklyn", "Central Islip, New York")]  # now → that version
    assert "<td>Brooklyn</td><td>Central Islip, New York</td>" in text(page)
    assert "Revert to this version" in text(page)
    event.refresh_from_db()
    assert event.place == "Central Islip, New York"
    assert event.publication == "published"
    latest = event.history.first()
    assert (latest.history_user, latest.history_change_reason) == (editor, "Wrong courthouse")
    assert "is back to the version of" in text(response)


def test_researchers_cannot_revert_or_use_the_history_form(as_researcher):
    event = factories.CourtEventFactory(place="Central Islip, New York")
    good = event.history.first()
    event.place = "Brooklyn"
    event.save()

    revert = url(CourtEvent, "revert", event.pk, good.history_id)
    assert as_researcher.post(revert).status_code == 403
    assert (
        as_researcher.post(url(CourtEvent, "simple_history", event.pk, good.history_id), {})
    ).status_code == 403
    event.refresh_from_db()
    assert event.place == "Brooklyn"
    assert "Only an editor can revert" in text(
        as_researcher.get(url(CourtEvent, "revert", event.pk, good.history_id))
    )


def test_an_editor_restores_a_deleted_record(as_editor):
    event = factories.CourtEventFactory(kind="arraignment")
    factories.AppearanceFactory(event=event)
    event_id = event.pk
    as_editor.post(url(CourtEvent, "delete", event_id), {"post": "yes"})
    assert not CourtEvent.objects.filter(pk=event_id).exists()

    listing = as_editor.get(url(CourtEvent, "deleted"))
    version = listing.context["rows"][0][0]
    response = as_editor.post(url(CourtEvent, "restore", version.history_id), follow=True)

    assert "Arraignment" in text(listing) and "eduardo-editor" in text(listing)
    assert CourtEvent.objects.get(pk=event_id).appearances.count() == 1
    assert "with 1 record deleted along with it" in text(response)


def test_researchers_see_deleted_records_but_cannot_restore(as_researcher):
    event = factories.CourtEventFactory(publication="draft")
    event.delete()
    version = CourtEvent.history.get(history_type="-")

    listing = as_researcher.get(url(CourtEvent, "deleted"))
    refused = as_researcher.post(url(CourtEvent, "restore", version.history_id))

    assert listing.status_code == 200 and 'value="Restore"' not in text(listing)
    assert refused.status_code == 403


def test_the_deleted_list_costs_the_same_queries_for_many_rows(as_editor):
    def deleted_list(count):
        for _ in range(count):
            factories.DefendantFactory().delete()
        with CaptureQueriesContext(connection) as queries:
            response = as_editor.get(url(Defendant, "deleted"))
        assert response.status_code == 200
        return len(response.context["rows"]), len(queries)

    one, twelve = deleted_list(1), deleted_list(11)
    assert (one[0], twelve[0]) == (1, 12)
    assert one[1] == twelve[1]


def test_every_page_with_history_offers_the_deleted_records(as_editor):
    for model in admin.site._registry:
        if hasattr(model, "history"):
            assert as_editor.get(url(model, "deleted")).status_code == 200, model


# "Last updated" ------------------------------------------------------------------------------


def test_saving_a_child_on_its_own_page_moves_its_case(as_researcher):
    event = factories.CourtEventFactory()
    Case.objects.update(updated_at="2020-01-01T00:00:00Z")
    change = url(CourtEvent, "change", event.pk)
    data = form_values(as_researcher.get(change))
    data["place"] = ["Brooklyn"]

    assert as_researcher.post(change, data).status_code == 302

    assert Case.objects.get().updated_at.year > 2020


def test_adding_a_row_on_a_person_page_moves_their_cases(as_researcher):
    defendant = factories.DefendantFactory(person__publication="draft")
    Case.objects.update(updated_at="2020-01-01T00:00:00Z")
    change = url(type(defendant.person), "change", defendant.person.pk)
    data = add_row(form_values(as_researcher.get(change)), "aliases", name="El Crook")

    assert as_researcher.post(change, data).status_code == 302

    assert Case.objects.get().updated_at.year > 2020
    assert defendant.person.aliases.get().history.first().history_user.username == (
        "rita-researcher"
    )


def test_deleting_a_child_moves_its_case(as_researcher):
    event = factories.CourtEventFactory(publication="draft")
    Case.objects.update(updated_at="2020-01-01T00:00:00Z")

    as_researcher.post(url(CourtEvent, "delete", event.pk), {"post": "yes"})

    assert Case.objects.get().updated_at.year > 2020


def test_review_states_are_enforced_for_every_registered_public_record(as_researcher):
    for model in admin.site._registry:
        if not hasattr(model, "publication"):
            continue
        response = as_researcher.get(url(model, "add"))
        assert response.status_code == 200, model
        assert publication_choices(response) == [
            Publication.DRAFT,
            Publication.IN_REVIEW,
        ], model


# Sources -------------------------------------------------------------------------------------


def test_facts_without_a_source_cost_one_query_per_kind(as_researcher):
    sourced = factories.CourtEventFactory()
    factories.CitationFactory(record=sourced)
    withdrawn = factories.CourtEventFactory(publication="withdrawn")

    def listing(count):
        for _ in range(count):
            factories.ChargeFactory()
            factories.MembershipFactory()
            factories.AliasFactory()
            factories.CustodyRecordFactory()
            factories.ExtraditionRequestFactory()
            factories.CourtEventFactory()
        with CaptureQueriesContext(connection) as queries:
            response = as_researcher.get("/admin/cases/source/unsourced/")
        assert response.status_code == 200
        return response, len(queries)

    as_researcher.get("/admin/cases/source/unsourced/")  # content types cached, as in a server
    _, few_queries = listing(1)
    many, many_queries = listing(5)

    assert few_queries == many_queries
    groups = {group["opts"].model_name: group["rows"] for group in many.context["groups"]}
    assert len(groups["charge"]) == len(groups["alias"]) == len(groups["membership"]) == 6
    assert len(groups["defendant"]) == len(groups["chargingdocument"]) == 6
    assert sourced not in groups["courtevent"] and withdrawn not in groups["courtevent"]
    assert len(groups["courtevent"]) == 6


def test_the_sources_list_links_to_the_facts_without_a_source(as_researcher):
    response = as_researcher.get(url(factories.SourceFactory._meta.model, "changelist"))
    assert 'href="/admin/cases/source/unsourced/">Facts without a source</a>' in text(response)


def test_alias_and_membership_pages_cite_sources(as_researcher):
    alias = factories.AliasFactory()
    membership = factories.MembershipFactory()
    for record in (alias, membership):
        page = as_researcher.get(url(type(record), "change", record.pk))
        prefixes = [f.formset.prefix for f in page.context["inline_admin_formsets"]]
        assert "cases-citation-content_type-object_id" in prefixes, type(record)
