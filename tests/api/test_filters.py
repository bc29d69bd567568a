"""Every filter, with rows it must leave out; and a 400 naming the parameter for anything the
endpoint cannot read."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import (
    Case,
    CaseStatus,
    ChargeCategory,
    CourtEvent,
    CustodyStatus,
    Defendant,
    Disposition,
    EventKind,
    EventStatus,
    ExtraditionStatus,
    SourceKind,
)
from casetracker.filters import ReducedIsoDateField
from casetracker.serializers import ISO_REDUCED_PATTERN
from people.models import OrganizationKind
from tests import factories as f

D = datetime.date

pytestmark = pytest.mark.django_db


# Cases -------------------------------------------------------------------------------------------


def test_cases_by_status_court_and_country(api):
    edny = f.CourtFactory(slug="edny", country="US")
    mexico = f.CourtFactory(slug="juzgado", country="MX")
    charged = f.CaseFactory(slug="charged", status=CaseStatus.CHARGED, court=edny)
    convicted = f.CaseFactory(slug="convicted", status=CaseStatus.CONVICTED, court=mexico)
    assert api.keys("cases/", status="convicted") == [convicted.slug]
    assert api.keys("cases/", court="edny") == [charged.slug]
    assert api.keys("cases/", country="mx") == [convicted.slug]
    assert api.keys("cases/", country="SV") == []


def test_cases_by_organization_and_person(api):
    ms13, barrio18 = f.OrganizationFactory(slug="ms13"), f.OrganizationFactory(slug="barrio-18")
    crook = f.PersonFactory(slug="crook")
    first, second = f.CaseFactory(slug="first"), f.CaseFactory(slug="second")
    first.organizations.add(ms13)
    second.organizations.add(barrio18)
    f.DefendantFactory(case=second, person=crook)
    assert api.keys("cases/", organization="ms13") == ["first"]
    assert api.keys("cases/", person="crook") == ["second"]
    assert api.keys("cases/", person="nobody") == []


def test_cases_by_charge_category(api):
    terror = f.ChargeFactory(category=ChargeCategory.TERRORISM).document.case
    f.ChargeFactory(category=ChargeCategory.NARCOTICS)
    assert api.keys("cases/", charge_category="terrorism") == [terror.slug]


def test_cases_by_filing_date_at_any_precision(api):
    def filed(slug, day, precision):
        case = f.CaseFactory(slug=slug)
        f.ChargingDocumentFactory(case=case, filed_date=day, filed_date_precision=precision)

    filed("a-2019", D(2019, 6, 15), "day")
    filed("b-2020-12", D(2020, 12, 1), "month")
    filed("c-2022", D(2022, 1, 1), "year")
    f.CaseFactory(slug="d-no-document")
    assert api.keys("cases/", filed_after="2020-12") == ["b-2020-12", "c-2022"]
    assert api.keys("cases/", filed_after="2020-12-02") == ["c-2022"]
    assert api.keys("cases/", filed_before="2020") == ["a-2019", "b-2020-12"]
    assert api.keys("cases/", filed_before="2020-11") == ["a-2019"]
    assert api.keys("cases/", filed_after="2019-06-15", filed_before="2021") == [
        "a-2019",
        "b-2020-12",
    ]


def test_cases_updated_since_counts_their_facts(api):
    names = ("stale", "touched", "arrested", "fresh")
    stale, touched, arrested, _fresh = (f.CaseFactory(slug=name) for name in names)
    f.CourtEventFactory(case=touched)
    old_event = f.CourtEventFactory(case=stale)
    defendant = f.DefendantFactory(case=arrested)
    f.CustodyRecordFactory(person=defendant.person)
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Case.objects.exclude(slug="fresh").update(updated_at=long_ago)
    CourtEvent.objects.filter(pk=old_event.pk).update(updated_at=long_ago)
    Defendant.objects.update(updated_at=long_ago)
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert api.keys("cases/", updated_since=since) == ["arrested", "fresh", "touched"]
    assert api.keys("cases/", updated_since="2000-01-01") == sorted(names)


@pytest.mark.parametrize(
    ("since", "found"),
    [
        ("0001-01-01T00:00:00+01:00", True),  # before year 1 in UTC: every case
        ("0001-01-01T00:00:00", True),
        ("9999-12-31T23:59:59-01:00", False),  # after year 9999 in UTC: none
        ("9999-12-31T23:59:59Z", False),
    ],
)
def test_cases_updated_since_the_ends_of_time(api, since, found):
    case = f.CaseFactory()
    assert api.keys("cases/", updated_since=since) == ([case.slug] if found else [])


def test_cases_search_is_blind_to_accents_and_case(api):
    case = f.CaseFactory(slug="ranfla", title="MS13 Ranfla histórica case")
    crook = f.PersonFactory(name="Élmer Canales Rivera")
    f.AliasFactory(person=crook, name="Crook")
    f.DefendantFactory(case=case, person=crook)
    f.CaseFactory(slug="other", title="Another case")
    assert api.keys("cases/", q="HISTORICA") == ["ranfla"]
    assert api.keys("cases/", q="elmer canales") == ["ranfla"]
    assert api.keys("cases/", q="crook") == ["ranfla"]
    assert api.keys("cases/", q="cobra") == []


def test_cases_ordering_whitelist(api):
    for slug, title in (("b", "Alpha"), ("a", "Charlie"), ("c", "Bravo")):
        f.CaseFactory(slug=slug, title=title)
    assert api.keys("cases/") == ["a", "b", "c"]
    assert api.keys("cases/", ordering="title") == ["b", "c", "a"]
    assert api.keys("cases/", ordering="-title") == ["a", "c", "b"]
    assert api.keys("cases/", ordering="-slug") == ["c", "b", "a"]


# People and organizations ------------------------------------------------------------------------


def test_people_by_organization_nationality_and_search(api):
    ms13 = f.OrganizationFactory(slug="ms13")
    crook = f.PersonFactory(slug="crook", name="Élmer Canales", nationalities=["SV", "US"])
    cobra = f.PersonFactory(slug="cobra", name="Cobra", name_is_alias=True, nationalities=["GT"])
    f.PersonFactory(slug="usman", name="Usman", nationalities=["RU"])
    f.MembershipFactory(person=crook, organization=ms13)
    f.AliasFactory(person=cobra, name="El Viborón")
    assert api.keys("people/", organization="ms13") == ["crook"]
    assert api.keys("people/", nationality="us") == ["crook"]
    assert api.keys("people/", nationality="SV") == ["crook"]
    assert api.keys("people/", nationality="GT") == ["cobra"]
    assert api.keys("people/", q="ELMER") == ["crook"]
    assert api.keys("people/", q="viboron") == ["cobra"]


def test_people_by_current_custody(api):
    detained, escaped, freed = (f.PersonFactory(slug=s) for s in ("detained", "escaped", "freed"))
    f.CustodyRecordFactory(person=detained, status=CustodyStatus.DETAINED, start_date=D(2023, 1, 1))
    f.CustodyRecordFactory(
        person=escaped,
        status=CustodyStatus.DETAINED,
        start_date=D(2020, 1, 1),
        end_date=D(2021, 1, 1),
        end_date_precision="day",
    )
    f.CustodyRecordFactory(person=escaped, status=CustodyStatus.ESCAPED, start_date=D(2021, 1, 1))
    # an older open record does not count once a later one is open
    f.CustodyRecordFactory(person=freed, status=CustodyStatus.DETAINED, start_date=D(2019, 1, 1))
    f.CustodyRecordFactory(person=freed, status=CustodyStatus.RELEASED, start_date=D(2022, 1, 1))
    assert api.keys("people/", custody="detained") == ["detained"]
    assert api.keys("people/", custody="escaped") == ["escaped"]
    assert api.keys("people/", custody="released") == ["freed"]


def test_organizations_by_kind_country_parent_and_search(api):
    ms13 = f.OrganizationFactory(slug="ms13", name="MS13", countries=["SV", "US"])
    f.OrganizationAliasFactory(organization=ms13, name="Mara Salvatrucha")
    f.OrganizationFactory(
        slug="ranfla", name="Ranfla histórica", kind=OrganizationKind.LEADERSHIP, parent=ms13
    )
    f.OrganizationFactory(slug="sinaloa", name="Sinaloa", kind="cartel", countries=["MX"])
    assert api.keys("organizations/", kind="cartel") == ["sinaloa"]
    assert api.keys("organizations/", country="US") == ["ms13"]
    assert api.keys("organizations/", parent="ms13") == ["ranfla"]
    assert api.keys("organizations/", q="salvatrucha") == ["ms13"]
    assert api.keys("organizations/", q="HISTORICA") == ["ranfla"]


def test_courts_by_country(api):
    f.CourtFactory(slug="edny", country="US")
    f.CourtFactory(slug="juzgado", country="MX")
    assert api.keys("courts/", country="MX") == ["juzgado"]


# Facts -------------------------------------------------------------------------------------------


def test_charges_filters(api):
    kept = f.ChargeFactory(
        category=ChargeCategory.TERRORISM, disposition=Disposition.PLEADED_GUILTY
    )
    other = f.ChargeFactory(category=ChargeCategory.NARCOTICS)
    case, person = kept.document.case.slug, kept.defendant.person.slug
    for params in (
        {"case": case},
        {"person": person},
        {"category": "terrorism"},
        {"disposition": "pleaded_guilty"},
    ):
        assert api.keys("charges/", "id", **params) == [kept.pk], params
    assert api.keys("charges/", "id", ordering="-id") == [other.pk, kept.pk]


def test_court_events_filters(api):
    edny = f.CourtFactory(slug="edny")
    case = f.CaseFactory(slug="ranfla", court=edny)
    arraignment = f.CourtEventFactory(
        case=case, kind=EventKind.ARRAIGNMENT, date=D(2023, 12, 8), date_precision="day"
    )
    houston = f.CourtEventFactory(
        case=case,
        kind=EventKind.INITIAL_APPEARANCE,
        court=f.CourtFactory(slug="sdtx"),
        date=D(2023, 11, 1),
        date_precision="month",
    )
    trial = f.CourtEventFactory(
        kind=EventKind.TRIAL,
        status=EventStatus.SCHEDULED,
        date=D(2025, 1, 1),
        date_precision="year",
    )

    def ids(**params):
        return api.keys("court-events/", "id", **params)

    assert ids(kind="arraignment") == [arraignment.pk]
    assert ids(status="scheduled") == [trial.pk]
    assert ids(case="ranfla") == [arraignment.pk, houston.pk]
    assert ids(court="edny") == [arraignment.pk]  # an event in the case's own court
    assert ids(court="sdtx") == [houston.pk]
    assert ids(date_after="2023-12") == [arraignment.pk, trial.pk]
    assert ids(date_before="2023-11") == [houston.pk]
    assert ids(date_after="2023-11-02", date_before="2024") == [arraignment.pk]
    assert ids(ordering="-date") == [trial.pk, arraignment.pk, houston.pk]


def test_extradition_requests_filters(api):
    refused = f.ExtraditionRequestFactory(
        requesting_country="US", requested_country="SV", status=ExtraditionStatus.REFUSED
    )
    granted = f.ExtraditionRequestFactory(
        requesting_country="SV",
        requested_country="MX",
        status=ExtraditionStatus.GRANTED,
        case=f.CaseFactory(slug="ranfla"),
    )

    def ids(**params):
        return api.keys("extradition-requests/", "id", **params)

    assert ids(requesting_country="US") == [refused.pk]
    assert ids(requested_country="mx") == [granted.pk]
    assert ids(status="refused") == [refused.pk]
    assert ids(person=granted.person.slug) == [granted.pk]
    assert ids(case="ranfla") == [granted.pk]


def test_custody_records_filters(api):
    person = f.PersonFactory(slug="crook")
    old = f.CustodyRecordFactory(
        person=person,
        status=CustodyStatus.FUGITIVE,
        custodian_country="",
        start_date=D(2021, 1, 1),
        end_date=D(2023, 11, 9),
        end_date_precision="day",
    )
    now = f.CustodyRecordFactory(
        person=person, status=CustodyStatus.ARRESTED, custodian_country="MX"
    )
    elsewhere = f.CustodyRecordFactory(status=CustodyStatus.IN_PRISON, custodian_country="US")

    def ids(**params):
        return api.keys("custody-records/", "id", **params)

    assert ids(person="crook") == [old.pk, now.pk]
    assert ids(status="fugitive") == [old.pk]
    assert ids(custodian_country="MX") == [now.pk]
    assert ids(current="true") == [now.pk, elsewhere.pk]
    assert ids(current="false") == [old.pk]


def test_sources_filters(api):
    article = f.SourceFactory(kind=SourceKind.ARTICLE, language="en")
    filing = f.SourceFactory(kind=SourceKind.COURT_DOCUMENT, language="es")
    assert api.keys("sources/", "id", kind="court_document") == [filing.pk]
    assert api.keys("sources/", "id", language="en") == [article.pk]


# Bad parameters ----------------------------------------------------------------------------------

BAD = [
    ("cases/", {"colour": "red"}, "colour"),
    ("cases/", {"status": "closd"}, "status"),
    ("cases/", {"country": "USA"}, "country"),
    ("cases/", {"charge_category": "bank robbery"}, "charge_category"),
    ("cases/", {"filed_after": "2020-13"}, "filed_after"),
    ("cases/", {"filed_before": "December 2020"}, "filed_before"),
    ("cases/", {"updated_since": "yesterday"}, "updated_since"),
    ("cases/", {"ordering": "docket_number"}, "ordering"),
    ("cases/", {"ordering": ","}, "ordering"),
    ("cases/", {"ordering": "title,"}, "ordering"),
    ("cases/", {"court": " "}, "court"),
    ("cases/", {"person": "crook\x00"}, "person"),
    ("cases/", {"page_size": "0"}, "page_size"),
    ("cases/", {"page_size": "201"}, "page_size"),
    ("cases/", {"page_size": "ten"}, "page_size"),
    ("cases/", {"format": "xml"}, "format"),
    ("people/", {"custody": "jailed"}, "custody"),
    ("people/", {"nationality": "1"}, "nationality"),
    ("people/", {"search": "crook"}, "search"),
    ("organizations/", {"kind": "club"}, "kind"),
    ("courts/", {"country": "Mexico"}, "country"),
    ("charges/", {"disposition": "guilty"}, "disposition"),
    ("court-events/", {"date_after": "2023-02-30"}, "date_after"),
    ("court-events/", {"kind": "hearing"}, "kind"),
    ("extradition-requests/", {"requested_country": "S"}, "requested_country"),
    ("custody-records/", {"current": "yes"}, "current"),
    ("sources/", {"kind": "tweet"}, "kind"),
    ("calendar.ics", {"when": "soon"}, "when"),
    ("calendar.ics", {"page_size": "10"}, "page_size"),
    ("cases/{case}/", {"status": "charged"}, "status"),
    ("cases/{case}/timeline/", {"format": "csv"}, "format"),
    ("cases/{case}/timeline/", {"page_size": "5"}, "page_size"),
    ("people/{person}/", {"format": "timelinejs"}, "format"),
    ("", {"colour": "red"}, "colour"),
    ("", {"format": "yaml"}, "format"),
    ("schema/", {"colour": "red"}, "colour"),
    ("schema/", {"version": "\x00"}, "version"),
    ("schema/", {"version": "1\r\nSet-Cookie: a=b"}, "version"),
    ("schema/", {"version": '";filename=x.html'}, "version"),
    ("schema/", {"lang": "fr"}, "lang"),
    ("schema/", {"format": ""}, "format"),
    ("schema/", {"format": "xml"}, "format"),
]


def date_texts():
    """Every year, month and day form around the edges: year 0, leap years and their
    exceptions, months 00 to 13, days 00 to 32."""
    for year in (0, 1, 4, 100, 400, 1900, 2000, 2023, 2024, 9996, 9999):
        yield f"{year:04d}"
        for month in range(14):
            yield f"{year:04d}-{month:02d}"
            for day in range(33):
                yield f"{year:04d}-{month:02d}-{day:02d}"
    other_digits = "\uff12\uff10\uff12\uff13", "\u0662\u0660\u0662\u0663"  # 2023, fullwidth, Arabic
    yield from ("2023-1-05", "20230105", *other_digits, "2023-02-29 ", "10000")


def test_the_date_pattern_is_exactly_what_date_filters_accept():
    """The schema's pattern for date parameters: a client that follows it is never refused."""
    pattern = re.compile(ISO_REDUCED_PATTERN)
    field = ReducedIsoDateField()
    for text in date_texts():
        try:
            field.clean(text)
            accepted = True
        except ValidationError:
            accepted = False
        assert bool(pattern.search(text)) == accepted, text


@pytest.mark.parametrize(
    ("value", "status"),
    [("0000", 400), ("0001", 200), ("2023-02-30", 400), ("2023-02-29", 400), ("2024-02-29", 200)],
)
def test_date_filters_refuse_days_that_never_were(api, value, status):
    assert api.get("court-events/", date_after=value).status_code == status
    assert api.get("cases/", filed_before=value).status_code == status


@pytest.mark.parametrize(("path", "params", "name"), BAD)
def test_bad_parameters_are_a_400_naming_them(api, path, params, name):
    case = f.CaseFactory()
    person = f.PersonFactory()
    response = api.get(path.format(case=case.slug, person=person.slug), **params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == [name]
    assert response.json()[name][0]


@pytest.mark.parametrize("path", ["cases/", "people/", "organizations/"])
def test_a_search_is_at_most_10_words_and_200_characters(api, path):
    f.CaseFactory(title="Alpha beta")
    limits = "Search for at most 10 words and 200 characters"
    eleven = api.get(path, q="alpha " * 10 + "beta")
    assert eleven.status_code == 400
    assert eleven.json() == {"q": [f"{limits}: this search has 11 words and 64 characters."]}
    long = api.get(path, q="a" * 201)
    assert long.status_code == 400
    assert long.json() == {"q": [f"{limits}: this search has 1 word and 201 characters."]}
    assert api.get(path, q="alpha, " * 9 + "beta" + " " * 133).status_code == 200


def test_every_bad_parameter_is_named_at_once(api):
    response = api.get("cases/", status="x", country="x", unknown="1")
    assert response.status_code == 400
    assert set(response.json()) == {"status", "country", "unknown"}


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("cases/?status=charged&status=closed", "status"),
        ("schema/?format=json&format=yaml", "format"),
    ],
)
def test_a_repeated_parameter_is_refused(api, path, name):
    response = api.client.get(f"/api/v1/{path}")
    assert response.status_code == 400
    assert list(response.json()) == [name]


def test_legitimate_parameters_pass(api):
    f.CaseFactory()
    for params in ({"format": "json"}, {"page_size": "1"}, {"ordering": "-updated_at,title"}):
        assert api.get("cases/", **params).status_code == 200, params
