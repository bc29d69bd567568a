"""Researchers find people, organizations and cases by any name, whatever accents they type."""

import pytest

from tests import factories


def listed(response):
    return {str(row) for row in response.context["cl"].result_list}


@pytest.mark.parametrize(
    "query",
    ["elmer canales", "ELMER", "Élmer Canales Rivera", "crook", "canales crook"],
)
def test_person_search_ignores_accents_and_case_and_reads_aliases(admin_client, crook_case, query):
    response = admin_client.get("/admin/people/person/", {"q": query})

    assert listed(response) == {"Élmer Canales Rivera"}


def test_person_search_finds_a_person_by_part_of_an_alias(admin_client, crook_case):
    response = admin_client.get("/admin/people/person/", {"q": "diablito"})

    assert listed(response) == {"Borromeo Enrique Henriquez"}


def test_person_search_needs_every_word(admin_client, crook_case):
    response = admin_client.get("/admin/people/person/", {"q": "elmer diablito"})

    assert listed(response) == set()


def test_person_list_shows_aliases_and_custody_now(admin_client, crook_case):
    factories.CustodyRecordFactory(person=crook_case["diablito"], status="in_prison", end_date=None)
    response = admin_client.get("/admin/people/person/")
    page = response.content.decode()

    assert "Crook" in page
    assert "Diablito de Hollywood" in page
    assert "Arrested" in page
    assert "In prison" in page


def test_person_list_filters_by_custody_now(admin_client, crook_case):
    response = admin_client.get("/admin/people/person/", {"custody": "arrested"})

    assert listed(response) == {"Élmer Canales Rivera"}


def test_person_list_filters_by_nationality(admin_client, crook_case):
    factories.PersonFactory(name="Someone Mexican", nationalities=["MX"])
    response = admin_client.get("/admin/people/person/", {"nationalities__contains": "MX"})

    assert listed(response) == {"Someone Mexican"}
    assert "Mexico" in response.content.decode()  # the filter shows country names


def test_organization_search_reads_other_names(admin_client, crook_case):
    response = admin_client.get("/admin/people/organization/", {"q": "mara salvatrucha"})

    assert listed(response) == {"MS13"}


def test_organization_search_ignores_accents(admin_client, crook_case):
    response = admin_client.get("/admin/people/organization/", {"q": "ranfla historica"})

    assert listed(response) == {"Ranfla histórica"}


def test_case_search_finds_a_case_by_a_defendants_alias(admin_client, crook_case):
    factories.CaseFactory(title="United States v. Somebody Else")
    response = admin_client.get("/admin/cases/case/", {"q": "crook"})

    assert listed(response) == {"United States v. Canales Rivera et al."}


def test_case_search_finds_a_case_by_docket_number(admin_client, crook_case):
    crook_case["case"].docket_number = "2:20-cr-00577"
    crook_case["case"].save()
    response = admin_client.get("/admin/cases/case/", {"q": "20-cr-00577"})

    assert listed(response) == {"United States v. Canales Rivera et al."}


def test_defendant_search_folds_accents_on_other_lists(admin_client, crook_case):
    response = admin_client.get("/admin/cases/defendant/", {"q": "Elmer"})

    assert listed(response) == {"Élmer Canales Rivera in United States v. Canales Rivera et al."}


def test_source_search_keeps_accents_typed(admin_client, crook_case):
    factories.SourceFactory(title="La Ranfla histórica")
    response = admin_client.get("/admin/cases/source/", {"q": "histórica"})

    assert listed(response) == {"La Ranfla histórica (Example News)"}


def autocomplete(client, model_name, field_name, term, app_label="cases"):
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_person_autocomplete_finds_a_person_by_alias(admin_client, crook_case):
    assert autocomplete(admin_client, "defendant", "person", "diablito") == [
        "Borromeo Enrique Henriquez"
    ]


def test_person_autocomplete_ignores_accents(admin_client, crook_case):
    assert autocomplete(admin_client, "defendant", "person", "elmer") == ["Élmer Canales Rivera"]


def test_court_case_and_source_autocomplete(admin_client, crook_case):
    assert autocomplete(admin_client, "case", "court", "E.D.N.Y") == ["E.D.N.Y."]
    assert autocomplete(admin_client, "defendant", "case", "crook") == [
        "United States v. Canales Rivera et al."
    ]
    assert autocomplete(admin_client, "citation", "source", "terrorism trial") == [
        "US Terrorism Trial of MS13 Leader Could Expose El Salvador Gang Talks (InSight Crime)"
    ]
    assert autocomplete(admin_client, "membership", "organization", "salvatrucha", "people") == [
        "MS13"
    ]


def test_defendant_autocomplete_names_person_and_case(admin_client, crook_case):
    assert autocomplete(admin_client, "charge", "defendant", "crook") == [
        "Élmer Canales Rivera in United States v. Canales Rivera et al."
    ]
