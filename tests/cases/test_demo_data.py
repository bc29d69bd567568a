"""The demo data (`manage.py loaddata demo`): the seed case, read back fact by fact.

Every fact here comes from the two seed articles; what they do not say must stay empty.
"""

import pytest
from django.apps import apps
from django.contrib.contenttypes.fields import GenericRelation
from django.core.management import call_command

from cases.models import (
    Case,
    Charge,
    ChargingDocument,
    Citation,
    Court,
    CourtEvent,
    CustodyRecord,
    ExtraditionRequest,
    Source,
    current_custody,
)
from casetracker.dates import PartialDate
from casetracker.publication import Publication, Publishable
from people.models import Membership, Organization, Person

ARTICLE_TITLE = "US Terrorism Trial of MS13 Leader Could Expose El Salvador Gang Talks"
CASE_SLUG = "ms13-ranfla-historica-edny"


@pytest.fixture
def demo(db):
    call_command("loaddata", "demo", verbosity=0)


def when(record, field="date"):
    value = PartialDate.from_instance(record, field)
    return value.display() if value else None


def crook():
    return Person.objects.get(slug="elmer-canales-rivera")


def diablito():
    return Person.objects.get(slug="borromeo-enrique-henriquez")


def fact_models():
    """Every model whose records can cite a source."""
    return [
        model
        for model in apps.get_models()
        if any(
            isinstance(field, GenericRelation) and field.name == "citations"
            for field in model._meta.private_fields
        )
    ]


def test_loading_twice_changes_nothing(demo):
    counts = {model: model.objects.count() for model in (Person, Case, Citation, CustodyRecord)}
    call_command("loaddata", "demo", verbosity=0)
    assert {model: model.objects.count() for model in counts} == counts
    assert counts[Person] == 5
    assert counts[Case] == 1


def test_the_two_sources(demo):
    article = Source.objects.get(title=ARTICLE_TITLE)
    assert article.publisher == "InSight Crime"
    assert article.authors == "Parker Asmann, Alex Papadovassilakis"
    assert when(article, "publication_date") == "11 December 2023"
    assert article.language == "en"
    assert article.url == ""

    untitled = Source.objects.exclude(pk=article.pk).get()
    assert untitled.title.startswith("[Untitled InSight Crime article")
    assert untitled.title.endswith("]")
    assert untitled.publisher == "InSight Crime"
    assert untitled.authors == ""
    assert untitled.publication_date is None
    assert untitled.publication_date_precision == ""
    assert "unknown" in untitled.notes


def test_named_people_keep_accents_and_aliases(demo):
    elmer = crook()
    assert elmer.name == "Élmer Canales Rivera"
    assert not elmer.name_is_alias
    assert [(a.name, a.kind) for a in elmer.aliases.all()] == [("Crook", "alias")]
    assert [country.code for country in elmer.nationalities] == ["SV"]

    borromeo = diablito()
    assert borromeo.name == "Borromeo Enrique Henriquez"
    assert [(a.name, a.kind) for a in borromeo.aliases.all()] == [
        ("Diablito de Hollywood", "alias")
    ]
    assert [country.code for country in borromeo.nationalities] == ["SV"]


def test_cobra_scarface_and_fayer_are_known_only_by_alias(demo):
    for name in ("Cobra", "Scarface", "Fayer"):
        person = Person.objects.get(name=name)
        assert person.name_is_alias
        assert str(person) == f"alias “{name}”"
        assert not person.aliases.exists()
        assert person.given_name == person.family_name == ""
        assert list(person.nationalities) == []


def test_nothing_the_sources_do_not_say(demo):
    assert not Person.objects.filter(birth_date__isnull=False).exists()
    assert set(Person.objects.values_list("given_name", "family_name")) == {("", "")}
    case = Case.objects.get(slug=CASE_SLUG)
    assert case.docket_number == ""
    assert set(Charge.objects.values_list("count_number", "statute")) == {(None, "")}
    assert not Charge.objects.filter(disposition_date__isnull=False).exists()
    document = ChargingDocument.objects.get()
    assert (document.unsealed_date, document.document_url) == (None, "")
    assert set(
        ExtraditionRequest.objects.values_list("request_date", "decision_date", "reason")
    ) == {(None, None, "")}
    assert set(Source.objects.values_list("url", flat=True)) == {""}
    assert not CourtEvent.objects.filter(time__isnull=False).exists()


def test_organizations(demo):
    ms13 = Organization.objects.get(slug="ms13")
    assert ms13.name == "MS13"
    assert ms13.kind == "gang"
    assert [alias.name for alias in ms13.aliases.all()] == ["Mara Salvatrucha"]
    assert Organization.objects.search("mara salvatrucha").get() == ms13

    ranfla = Organization.objects.get(slug="ranfla-historica")
    assert ranfla.name == "Ranfla histórica"
    assert ranfla.kind == "leadership"
    assert ranfla.parent == ms13
    assert "historic leadership board" in ranfla.summary
    assert Organization.objects.search("ranfla historica").get() == ranfla

    barrio = Organization.objects.get(slug="barrio-18")
    assert barrio.kind == "gang"
    assert "rival" in barrio.summary


def test_memberships_state_the_roles_the_sources_give(demo):
    roles = {
        (m.person.name, m.organization.name): m.role
        for m in Membership.objects.select_related("person", "organization")
    }
    assert roles == {
        ("Élmer Canales Rivera", "MS13"): "leader",
        ("Élmer Canales Rivera", "Ranfla histórica"): "member",
        ("Borromeo Enrique Henriquez", "MS13"): "highest-ranking leader",
        ("Cobra", "MS13"): "leader",
        ("Scarface", "MS13"): "leader",
        ("Fayer", "MS13"): "member",
    }


def test_the_case_counts_fourteen_defendants_of_whom_two_are_named(demo):
    case = Case.objects.select_related("court").get(slug=CASE_SLUG)
    assert case.title == "MS13 Ranfla histórica terrorism case (E.D.N.Y.)"
    assert case.get_status_display() == "Awaiting trial"
    assert case.court.short_name == "E.D.N.Y."
    assert case.court.name == "U.S. District Court for the Eastern District of New York"
    assert case.court.country.code == "US"
    assert "Central Islip, New York" in case.court.seats
    assert case.defendant_count == 14
    assert case.unnamed_defendant_count == 12
    assert [org.slug for org in case.organizations.all()] == ["ms13"]
    statuses = {d.person.slug: d.status for d in case.defendants.select_related("person")}
    assert statuses == {
        "elmer-canales-rivera": "pre_trial",
        "borromeo-enrique-henriquez": "charged",
    }


def test_indictment_of_december_2020_and_crooks_charges(demo):
    document = ChargingDocument.objects.get(case__slug=CASE_SLUG)
    assert document.kind == "indictment"
    assert document.filed_date_precision == "month"
    assert not document.filed_date_approximate
    assert when(document, "filed_date") == "December 2020"
    assert str(document) == "Indictment (December 2020)"

    charges = Charge.objects.filter(defendant__person=crook()).order_by("id")
    assert [(c.description, c.category, c.disposition) for c in charges] == [
        ("Narco-terrorism", "narcotics", "pending"),
        ("Conspiracy to provide material support to terrorists", "terrorism", "pending"),
    ]
    assert not Charge.objects.filter(defendant__person=diablito()).exists()


def test_first_appearance_in_houston_then_not_guilty_plea_in_central_islip(demo):
    houston = CourtEvent.objects.get(kind="initial_appearance")
    assert houston.place == "Houston, Texas"
    assert houston.country.code == "US"
    assert houston.court is None  # the source does not name the court
    assert houston.status == "held"
    assert when(houston) == "c. 9 November 2023"
    assert "no exact date" in houston.description
    assert [(a.defendant.person, a.plea) for a in houston.appearances.all()] == [(crook(), "")]

    arraignment = CourtEvent.objects.get(kind="arraignment")
    assert when(arraignment) == "8 December 2023"
    assert arraignment.status == "held"
    assert arraignment.court == Court.objects.get(slug="edny")
    assert arraignment.place == "Central Islip, New York"
    appearance = arraignment.appearances.get()
    assert appearance.defendant.person == crook()
    assert appearance.get_plea_display() == "Not guilty"


def test_el_salvador_refused_to_extradite_both_named_defendants(demo):
    requests = ExtraditionRequest.objects.order_by("person__name")
    assert [
        (r.person.slug, r.requesting_country.code, r.requested_country.code, r.status)
        for r in requests
    ] == [
        ("borromeo-enrique-henriquez", "US", "SV", "refused"),
        ("elmer-canales-rivera", "US", "SV", "refused"),
    ]
    assert {r.deciding_body for r in requests} == {"Government of El Salvador"}
    assert {r.case.slug for r in requests} == {CASE_SLUG}


def test_crook_is_now_detained_in_the_united_states(demo):
    records = list(crook().custody_records.all())
    assert len(records) == 5
    now = current_custody(records)
    assert now.get_status_display() == "Detained pending trial"
    assert now.custodian_country.code == "US"
    assert [r for r in records if r.end_date is None] == [now]

    by_status = {r.status: r for r in records}
    assert "40-year" in by_status["serving_sentence"].notes
    assert by_status["serving_sentence"].custodian_country.code == "SV"
    assert by_status["serving_sentence"].start_date is None
    assert when(by_status["released"], "start_date") == "c. 2021"
    assert by_status["fugitive"].place == "Guatemala"
    arrested = by_status["arrested"]
    assert arrested.custodian == "Mexican authorities"
    assert arrested.custodian_country.code == "MX"
    assert when(arrested, "start_date") == "9 November 2023"
    assert when(by_status["fugitive"], "end_date") == "9 November 2023"


def test_cobra_and_scarface_in_prison_fayer_whereabouts_unknown(demo):
    cobra = current_custody(Person.objects.get(slug="cobra").custody_records.all())
    assert cobra.status == "in_prison"
    assert cobra.custodian_country.code == "SV"
    assert cobra.facility == "Ciudad Barrios prison"
    assert cobra.place == "La Unión, El Salvador"
    assert (cobra.start_date, cobra.end_date) == (None, None)

    scarface = current_custody(Person.objects.get(slug="scarface").custody_records.all())
    assert scarface.status == "in_prison"
    assert scarface.custodian_country.code == "US"
    assert scarface.place == "Santa Ana, California"

    assert not Person.objects.get(slug="fayer").custody_records.exists()


def test_every_fact_cites_one_of_the_two_articles_with_a_quote(demo):
    models = fact_models()
    assert len(models) >= 12
    sources = set(Source.objects.values_list("pk", flat=True))
    assert len(sources) == 2
    checked = 0
    for model in models:
        for record in model.objects.prefetch_related("citations"):
            citations = list(record.citations.all())
            assert citations, f"{model.__name__} {record} cites no source"
            for citation in citations:
                assert citation.source_id in sources
                assert citation.quote.strip()
            checked += 1
    assert checked == Citation.objects.values("content_type", "object_id").distinct().count()
    first_article = Source.objects.exclude(title=ARTICLE_TITLE).get()
    cobra = Person.objects.get(slug="cobra")
    assert {c.source for c in cobra.citations.all()} == {first_article}
    assert {c.source.title for c in crook().citations.all()} == {ARTICLE_TITLE}


def test_everything_is_published(demo):
    publishable = [m for m in apps.get_models() if issubclass(m, Publishable)]
    total = 0
    for model in publishable:
        rows = model.objects.count()
        assert model.objects.published().count() == rows, model.__name__
        assert not model.objects.exclude(publication=Publication.PUBLISHED).exists()
        total += rows
    assert total == 37  # every record of the fixture but citations and appearances


def test_summaries_are_written_for_readers(demo):
    for model in (Person, Organization, Case):
        for record in model.objects.all():
            assert len(record.summary) > 40, record


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("elmer canales", "elmer-canales-rivera"),
        ("Élmer", "elmer-canales-rivera"),
        ("crook", "elmer-canales-rivera"),
        ("diablito", "borromeo-enrique-henriquez"),
        ("COBRA", "cobra"),
    ],
)
def test_search_finds_people_by_name_or_alias_without_accents(demo, query, slug):
    assert [p.slug for p in Person.objects.published().search(query)] == [slug]


def test_case_search_finds_the_case_by_a_defendants_alias(demo):
    assert [c.slug for c in Case.objects.published().search("diablito")] == [CASE_SLUG]
