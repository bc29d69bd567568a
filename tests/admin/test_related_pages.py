"""The person, organization, document, defendant and court event pages hold what goes with them."""

from cases.models import Appearance, Charge
from people.models import Alias, Person
from tests import factories
from tests.admin.conftest import add_row, form_values


def inline_prefixes(response):
    return {inline.formset.prefix for inline in response.context["inline_admin_formsets"]}


def formset(response, prefix):
    return next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == prefix
    )


def offered_ids(form, name):
    return [value.value for value, _label in form.fields[name].choices if value != ""]


def test_person_page_holds_names_memberships_cases_custody_extradition_and_sources(
    admin_client, crook_case
):
    response = admin_client.get(f"/admin/people/person/{crook_case['crook'].pk}/change/")

    assert inline_prefixes(response) == {
        "aliases",
        "memberships",
        "defendant_records",
        "custody_records",
        "extradition_requests",
        "cases-citation-content_type-object_id",
    }
    assert 'value="Crook"' in response.content.decode()
    custody = formset(response, "custody_records")
    assert [form.instance.status for form in custody.initial_forms] == ["arrested"]
    assert len(formset(response, "extradition_requests").initial_forms) == 1


def test_new_person_with_an_alias_in_one_save_is_found_by_the_alias(admin_client, db):
    data = form_values(admin_client.get("/admin/people/person/add/"))
    data.update(name=["Borromeo Enrique Henriquez"], slug=["borromeo-enrique-henriquez"])
    add_row(data, "aliases", name="Diablito de Hollywood")

    response = admin_client.post("/admin/people/person/add/", data)

    assert response.status_code == 302
    person = Person.objects.get()
    assert list(Alias.objects.values_list("name", flat=True)) == ["Diablito de Hollywood"]
    found = admin_client.get("/admin/people/person/", {"q": "diablito hollywood"})
    assert list(found.context["cl"].result_list) == [person]


def test_organization_page_shows_other_names_members_parts_and_sources(admin_client, crook_case):
    response = admin_client.get(f"/admin/people/organization/{crook_case['ms13'].pk}/change/")

    assert inline_prefixes(response) == {
        "aliases",
        "memberships",
        "children",
        "cases-citation-content_type-object_id",
    }
    page = response.content.decode()
    assert "Ranfla histórica" in page  # a part of MS13, shown, not editable here
    assert 'value="Mara Salvatrucha"' in page
    children = next(
        i for i in response.context["inline_admin_formsets"] if i.formset.prefix == "children"
    )
    assert not children.has_add_permission


def test_document_page_offers_the_defendants_of_its_case_only(admin_client, crook_case):
    stranger = factories.DefendantFactory()
    response = admin_client.get(
        f"/admin/cases/chargingdocument/{crook_case['document'].pk}/change/"
    )
    charges = formset(response, "charges")

    offered = offered_ids(charges.forms[-1], "defendant")
    assert crook_case["defendant"].pk in offered
    assert stranger.pk not in offered
    assert len(offered) == 2


def test_defendant_page_takes_charges_under_the_case_documents(admin_client, crook_case):
    defendant = crook_case["defendant"]
    url = f"/admin/cases/defendant/{defendant.pk}/change/"
    data = form_values(admin_client.get(url))
    add_row(
        data,
        "charges",
        document=str(crook_case["document"].pk),
        count_number="2",
        description="Narco-terrorism conspiracy",
        category="narcotics",
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert Charge.objects.get(count_number=2).defendant == defendant


def test_court_event_page_records_pleas_of_the_case_defendants(admin_client, crook_case):
    event = crook_case["arraignment"]
    diablito = event.case.defendants.get(person=crook_case["diablito"])
    stranger = factories.DefendantFactory()
    url = f"/admin/cases/courtevent/{event.pk}/change/"
    page = admin_client.get(url)
    appearances = formset(page, "appearances")
    assert stranger.pk not in offered_ids(appearances.forms[-1], "defendant")
    data = form_values(page)
    add_row(data, "appearances", defendant=str(diablito.pk), plea="not_guilty")

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert Appearance.objects.get(defendant=diablito).plea == "not_guilty"


def test_a_plea_at_a_status_conference_is_refused(admin_client, crook_case):
    event = factories.CourtEventFactory(case=crook_case["case"], kind="status_conference")
    url = f"/admin/cases/courtevent/{event.pk}/change/"
    data = form_values(admin_client.get(url))
    add_row(data, "appearances", defendant=str(crook_case["defendant"].pk), plea="guilty")

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "Pleas are entered at an arraignment" in response.content.decode()
    assert not Appearance.objects.filter(event=event).exists()
