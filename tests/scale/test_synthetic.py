"""The synthetic-data generator (`manage.py generate_synthetic`): the same seed gives the same
data; every record is marked synthetic, published and valid; removal takes out exactly what the
generator added."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from cases import synthetic
from cases.models import (
    Appearance,
    Case,
    Charge,
    ChargingDocument,
    Citation,
    Court,
    CourtEvent,
    CustodyRecord,
    Defendant,
    ExtraditionRequest,
    Source,
)
from cases.timeline import case_timeline
from casetracker.dates import Precision
from casetracker.publication import Publication
from people.models import Alias, Membership, Organization, OrganizationAlias, Person
from tests import factories as f

pytestmark = pytest.mark.django_db

MODELS = [
    Source,
    Court,
    Organization,
    OrganizationAlias,
    Person,
    Alias,
    Membership,
    Case,
    Defendant,
    ChargingDocument,
    Charge,
    CourtEvent,
    Appearance,
    ExtraditionRequest,
    CustodyRecord,
    Citation,
]

# How each kind of record is told apart without its id: its own columns (ids left out) and
# the slugs of the records it points to.
KEYS = {
    Court: ["slug"],
    Organization: ["slug", "parent__slug"],
    OrganizationAlias: ["organization__slug"],
    Person: ["slug"],
    Alias: ["person__slug"],
    Membership: ["person__slug", "organization__slug"],
    Case: ["slug", "court__slug"],
    Defendant: ["case__slug", "person__slug"],
    ChargingDocument: ["case__slug", "court__slug"],
    Charge: ["document__case__slug", "document__filed_date", "defendant__person__slug"],
    CourtEvent: ["case__slug", "court__slug"],
    Appearance: ["event__case__slug", "event__date", "event__kind", "defendant__person__slug"],
    ExtraditionRequest: ["case__slug", "person__slug"],
    CustodyRecord: ["person__slug"],
    Source: [],
    Citation: ["source__url", "content_type__model"],
}


def generate(cases=3, seed=7):
    call_command("generate_synthetic", cases=cases, seed=seed, verbosity=0)


def snapshot() -> dict:
    """Every row of every model, without ids, sorted: what a reader of the data would compare."""
    rows = {}
    for model in MODELS:
        columns = [
            field.attname
            for field in model._meta.concrete_fields
            if not field.primary_key and not field.is_relation and field.name != "object_id"
        ]
        values = model.objects.values_list(*columns, *KEYS[model])
        rows[model.__name__] = sorted(values, key=repr)
    return rows


def test_the_same_seed_gives_the_same_data():
    generate(seed=7)
    first = snapshot()
    call_command("generate_synthetic", remove=True, cases=3, seed=7, verbosity=0)
    assert snapshot() == first
    call_command("generate_synthetic", remove=True, cases=3, seed=8, verbosity=0)
    other = snapshot()
    assert other["Case"] != first["Case"]
    assert other["Person"] != first["Person"]


def test_every_kind_of_record_is_there_with_mixed_dates():
    generate(cases=20, seed=1)
    for model in MODELS:
        assert model.objects.exists(), model.__name__
    assert Case.objects.annotate(n=Count("defendants")).filter(n__gt=1).exists()
    assert Person.objects.annotate(n=Count("defendant_records")).filter(n__gt=1).exists()
    assert Organization.objects.filter(parent__isnull=False).exists()
    precisions = set(CourtEvent.objects.values_list("date_precision", flat=True))
    precisions |= set(ChargingDocument.objects.values_list("filed_date_precision", flat=True))
    assert set(Precision.values) <= precisions
    assert CourtEvent.objects.filter(date_approximate=True).exists()
    assert Appearance.objects.exclude(plea="").exists()
    # accented names, found by accent-blind search
    assert Person.objects.filter(name__regex=r"[áéíóúÁÉÍÓÚñ]").exists()
    accented = Person.objects.filter(name__contains="á", name_is_alias=False).first()
    plain = accented.name.replace("á", "a").upper()
    assert accented in Person.objects.search(plain)
    # 5 to 40 dated facts per case (a document filed and unsealed is two timeline items)
    lengths = [len(case_timeline(case)) for case in synthetic.synthetic(Case)]
    assert min(lengths) >= 5
    assert max(lengths) <= 50
    assert len(set(lengths)) > 5


def test_every_record_is_marked_synthetic_and_published():
    real = f.CaseFactory(title="A real case", slug="a-real-case")
    generate()
    main = Source.objects.get(title=synthetic.SOURCE_TITLE)
    assert main.url.startswith("https://synthetic.invalid/")
    for model in MODELS:
        if model in (Citation, Appearance):
            continue
        rows = synthetic.synthetic(model)
        assert rows.count() == model.objects.count() - (model in (Case, Court))
        assert not rows.exclude(publication=Publication.PUBLISHED).exists(), model.__name__
        if model in (Source, Court):
            continue
        cited = Citation.objects.filter(source=main, content_type__model=model._meta.model_name)
        assert set(cited.values_list("object_id", flat=True)) == set(
            rows.values_list("pk", flat=True)
        ), model.__name__
    assert synthetic.synthetic(Source).count() == Source.objects.count() > 1
    assert not synthetic.synthetic(Case).filter(pk=real.pk).exists()
    assert not synthetic.synthetic(Court).filter(pk=real.court_id).exists()


def test_records_satisfy_every_rule_of_the_models():
    generate(cases=3, seed=11)
    for model in MODELS:
        for record in model.objects.all():
            record.full_clean()


def test_the_public_site_and_the_api_show_the_synthetic_cases(client):
    generate()
    case = synthetic.synthetic(Case).order_by("slug").first()
    assert client.get(f"/cases/{case.slug}/").status_code == 200
    listed = client.get("/api/v1/cases/").json()["results"]
    assert {row["slug"] for row in listed} == set(
        synthetic.synthetic(Case).values_list("slug", flat=True)
    )
    timeline = client.get(f"/api/v1/cases/{case.slug}/timeline/").json()["items"]
    assert len(timeline) >= 5
    assert all(item["sources"] for item in timeline)
    assert synthetic.SOURCE_TITLE in {s["source"]["title"] for s in timeline[0]["sources"]}


def test_removal_takes_out_the_synthetic_records_and_nothing_else():
    call_command("loaddata", "demo", verbosity=0)
    real = f.CaseFactory(title="A real case")
    f.CitationFactory(record=real)
    before = snapshot()
    generate(cases=5)
    assert Case.objects.count() == len(before["Case"]) + 5
    call_command("generate_synthetic", remove=True, verbosity=0)
    assert snapshot() == before
    assert not synthetic.exists()


def test_the_counts_the_pages_show_follow_generation_and_removal(client):
    def shown_total():
        html = client.get("/cases/").content.decode()
        return int(re.search(r"(\d+) cases?", html).group(1))

    assert shown_total() == 0
    generate(cases=4)
    assert shown_total() == 4
    call_command("generate_synthetic", remove=True, verbosity=0)
    assert shown_total() == 0


def test_generating_twice_asks_to_remove_first():
    generate()
    with pytest.raises(CommandError, match="--remove"):
        generate()
    with pytest.raises(CommandError, match="--cases"):
        call_command("generate_synthetic", verbosity=0)


def test_the_first_cases_of_a_seed_do_not_depend_on_how_many_are_made():
    def first_three():
        rows = Case.objects.filter(slug__lte="synthetic-case-000003").order_by("slug")
        return [
            (
                case.slug,
                case.title,
                case.updated_at,
                sorted(str(d.person) for d in case.defendants.all()),
            )
            for case in rows.prefetch_related("defendants__person")
        ]

    generate(cases=3, seed=5)
    small = first_three()
    call_command("generate_synthetic", remove=True, cases=7, seed=5, verbosity=0)
    assert first_three() == small
