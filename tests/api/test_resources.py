"""Every resource, list and detail, on the demo data: light list items, details that nest what a
partner needs to render a page without more calls."""

import pytest
from django.core.management import call_command

from cases.models import Charge, CourtEvent, CustodyRecord, ExtraditionRequest, Source

CASE = "ms13-ranfla-historica-edny"
CROOK = "elmer-canales-rivera"


@pytest.fixture
def demo(db):
    call_command("loaddata", "demo", verbosity=0)


def test_the_api_root_lists_every_resource(api, demo):
    root = api.json("")
    assert set(root) == {
        "cases",
        "people",
        "organizations",
        "courts",
        "charges",
        "court-events",
        "extradition-requests",
        "custody-records",
        "sources",
    }
    for url in root.values():
        assert api.get(url).status_code == 200


def test_case_list_items_are_light(api, demo):
    [case] = api.results("cases/")
    assert set(case) == {
        "slug",
        "title",
        "status",
        "status_label",
        "court",
        "docket_number",
        "defendant_count",
        "api_url",
        "web_url",
        "updated_at",
    }
    assert case["slug"] == CASE
    assert case["status_label"] == "Awaiting trial"
    assert case["court"]["short_name"] == "E.D.N.Y."
    assert case["court"]["country"] == {"code": "US", "name": "United States of America"}
    assert case["defendant_count"] == 14
    assert case["api_url"] == f"http://testserver/api/v1/cases/{CASE}/"
    assert case["web_url"] == f"http://testserver/cases/{CASE}/"


def test_case_detail_nests_what_a_page_needs(api, demo):
    case = api.json(f"cases/{CASE}/")
    assert case["court"]["slug"] == "edny"
    assert [o["slug"] for o in case["organizations"]]
    assert case["sources"]
    defendants = {d["person"]["slug"]: d for d in case["defendants"]}
    assert set(defendants) == {CROOK, "borromeo-enrique-henriquez"}
    crook = defendants[CROOK]
    assert crook["person"]["aliases"] == ["Crook"]
    assert crook["current_custody"]["status"] == "detained"
    assert crook["current_custody"]["custodian_country"]["code"] == "US"
    assert crook["current_custody"]["sources"]
    assert crook["plea"]["plea"] == "not_guilty"
    assert crook["plea"]["date"]["display"] == "8 December 2023"
    charges = {c["description"]: c for c in crook["charges"]}
    assert set(charges) == {
        "Narco-terrorism",
        "Conspiracy to provide material support to terrorists",
    }
    narco = charges["Narco-terrorism"]
    assert narco["document"]["kind"] == "indictment"
    assert narco["document"]["filed_date"] == {
        "date": "2020-12",
        "precision": "month",
        "approximate": False,
        "display": "December 2020",
    }
    assert narco["count_number"] is None  # the sources do not number it
    assert narco["sources"][0]["source"]["publisher"] == "InSight Crime"
    assert defendants["borromeo-enrique-henriquez"]["plea"] is None
    refusals = case["extradition_requests"]
    assert {r["person"]["slug"] for r in refusals} == {CROOK, "borromeo-enrique-henriquez"}
    assert all(r["status"] == "refused" for r in refusals)
    assert refusals[0]["requested_country"] == {"code": "SV", "name": "El Salvador"}
    assert case["links"] == {
        "timeline": f"http://testserver/api/v1/cases/{CASE}/timeline/",
        "timelinejs": f"http://testserver/api/v1/cases/{CASE}/timeline/?format=timelinejs",
        "calendar": f"http://testserver/api/v1/calendar.ics?case={CASE}",
    }


def test_people(api, demo):
    people = {p["slug"]: p for p in api.results("people/")}
    assert len(people) == 5
    assert people["cobra"]["name_is_alias"] is True
    assert people[CROOK]["aliases"][0]["name"] == "Crook"
    assert people[CROOK]["nationalities"] == [{"code": "SV", "name": "El Salvador"}]
    assert "custody_records" not in people[CROOK]

    crook = api.json(f"people/{CROOK}/")
    assert crook["name"] == "Élmer Canales Rivera"
    assert {m["organization"]["slug"] for m in crook["memberships"]} == {
        "ms13",
        "ranfla-historica",
    }
    assert crook["current_custody"]["status"] == "detained"
    assert len(crook["custody_records"]) >= 4
    assert crook["cases"] == [
        {
            "case": {
                "slug": CASE,
                "title": "MS13 Ranfla histórica terrorism case (E.D.N.Y.)",
                "status": "pre_trial",
                "status_label": "Awaiting trial",
                "api_url": f"http://testserver/api/v1/cases/{CASE}/",
            },
            "status": "pre_trial",
            "status_label": "Awaiting trial",
        }
    ]
    assert crook["sources"]
    assert crook["links"]["timeline"].endswith(f"/people/{CROOK}/timeline/")
    cobra = api.json("people/cobra/")
    assert cobra["current_custody"]["facility"] == "Ciudad Barrios prison"
    assert cobra["cases"] == []


def test_organizations(api, demo):
    organizations = {o["slug"]: o for o in api.results("organizations/")}
    assert organizations["ranfla-historica"]["parent"]["slug"] == "ms13"
    assert {c["code"] for c in organizations["ms13"]["countries"]} == {"SV", "US"}
    ms13 = api.json("organizations/ms13/")
    assert ms13["aliases"] == ["Mara Salvatrucha"]
    assert [c["slug"] for c in ms13["children"]] == ["ranfla-historica"]
    assert {m["person"]["slug"] for m in ms13["members"]} >= {CROOK, "cobra", "scarface"}
    assert ms13["sources"]
    assert ms13["links"]["cases"] == "http://testserver/api/v1/cases/?organization=ms13"
    assert api.keys(ms13["links"]["cases"]) == [CASE]


def test_courts(api, demo):
    [court] = api.results("courts/")
    assert court["seats"] == "Central Islip, New York"
    assert api.json("courts/edny/") == court
    assert api.keys(court["cases_url"]) == [CASE]


def test_charges(api, demo):
    charges = api.results("charges/")
    assert len(charges) == Charge.objects.count() == 2
    charge = api.json(f"charges/{charges[0]['id']}/")
    assert charge == charges[0]
    assert charge["case"]["slug"] == CASE
    assert charge["defendant"]["slug"] == CROOK
    assert charge["category_label"]
    assert charge["sources"]


def test_court_events(api, demo):
    events = api.results("court-events/")
    assert len(events) == CourtEvent.objects.count()
    arraignment = next(e for e in events if e["kind"] == "arraignment")
    assert api.json(f"court-events/{arraignment['id']}/") == arraignment
    assert arraignment["date"]["date"] == "2023-12-08"
    assert arraignment["time"] is None
    assert arraignment["court"]["slug"] == "edny"
    assert arraignment["appearances"] == [
        {
            "person": {
                "slug": CROOK,
                "name": "Élmer Canales Rivera",
                "name_is_alias": False,
                "api_url": f"http://testserver/api/v1/people/{CROOK}/",
            },
            "plea": "not_guilty",
            "plea_label": "Not guilty",
        }
    ]
    houston = next(e for e in events if e["kind"] == "initial_appearance")
    assert houston["court"] is None
    assert houston["date"]["approximate"] is True


def test_extradition_requests(api, demo):
    requests = api.results("extradition-requests/")
    assert len(requests) == ExtraditionRequest.objects.count()
    request = api.json(f"extradition-requests/{requests[0]['id']}/")
    assert request["case"]["slug"] == CASE
    assert request["requesting_country"]["code"] == "US"
    assert request["deciding_body"] == "Government of El Salvador"
    assert request["request_date"] is None  # no source dates it


def test_custody_records(api, demo):
    records = api.results("custody-records/", page_size=200)
    assert len(records) == CustodyRecord.objects.count()
    record = api.json(f"custody-records/{records[0]['id']}/")
    assert set(record) >= {"person", "status", "start_date", "end_date", "sources"}
    arrested = next(r for r in records if r["status"] == "arrested")
    assert arrested["custodian"] == "Mexican authorities"
    assert arrested["custodian_country"] == {"code": "MX", "name": "Mexico"}


def test_sources(api, demo):
    sources = api.results("sources/")
    assert len(sources) == Source.objects.count() == 2
    article = next(s for s in sources if s["authors"])
    assert api.json(f"sources/{article['id']}/") == article
    assert article["publication_date"]["display"] == "11 December 2023"
    assert "notes" not in article


@pytest.mark.parametrize(
    "path",
    [
        "cases/nope/",
        "people/nope/",
        "charges/999999/",
        "sources/0/",
        "cases/nope/timeline/",
        "cases/nope/timeline/?format=timelinejs",
        "people/nope/timeline/",
        "no-such-resource/",
        "organizations/%0Aslug/",  # a newline: no route matches
    ],
)
def test_unknown_keys_are_404(api, demo, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}  # as the README says, naming no model
