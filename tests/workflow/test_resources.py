"""Spreadsheet import and export: one column per partial date, all or nothing, drafts, history,
round trips that change nothing, accents kept."""

import datetime

import pytest
import tablib
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from import_export.formats.base_formats import CSV, XLSX

from cases import models as cases
from cases.resources import (
    CaseResource,
    ChargeResource,
    CourtEventResource,
    CustodyRecordResource,
    SourceResource,
)
from casetracker.dates import PartialDate
from casetracker.resources import PartialDateWidget
from people import models as people
from people.resources import AliasResource, OrganizationResource, PersonResource
from tests import factories

# Partial dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2023-12-08", PartialDate(datetime.date(2023, 12, 8))),
        ("2020-12", PartialDate(datetime.date(2020, 12, 1), "month")),
        ("2022", PartialDate(datetime.date(2022, 1, 1), "year")),
        ("c. 2022", PartialDate(datetime.date(2022, 1, 1), "year", approximate=True)),
        ("c. 2020-12", PartialDate(datetime.date(2020, 12, 1), "month", approximate=True)),
        ("December 2020", PartialDate(datetime.date(2020, 12, 1), "month")),
        (datetime.datetime(2023, 12, 8), PartialDate(datetime.date(2023, 12, 8))),  # XLSX date
        (2022.0, PartialDate(datetime.date(2022, 1, 1), "year")),  # XLSX number
        ("", None),
        (None, None),
    ],
)
def test_a_partial_date_cell_reads(cell, expected):
    assert PartialDateWidget().clean(cell) == expected


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (PartialDate(datetime.date(2023, 12, 8)), "2023-12-08"),
        (PartialDate(datetime.date(2020, 12, 1), "month"), "2020-12"),
        (PartialDate(datetime.date(2022, 1, 1), "year", approximate=True), "c. 2022"),
        (None, ""),
    ],
)
def test_a_partial_date_writes_as_iso_reduced_precision(value, cell):
    assert PartialDateWidget().render(value) == cell


def test_a_bad_date_says_how_to_write_it():
    with pytest.raises(ValueError, match="2023-12-08"):
        PartialDateWidget().clean("next Tuesday")
    with pytest.raises(ValueError, match="not a real date"):
        PartialDateWidget().clean("2023-02-30")


# Round trips -------------------------------------------------------------------------------


@pytest.fixture
def spanish_records(db):
    """One record of each exported kind, with accents, quotes and partial dates."""
    court = factories.CourtFactory(slug="edny", name="Tribunal de Nueva York")
    case = factories.CaseFactory(
        slug="ms13-ranfla", title="Caso “Ranfla histórica”", court=court, defendant_count=14
    )
    ms13 = factories.OrganizationFactory(slug="ms13", name="MS13", countries=["SV", "US"])
    factories.OrganizationFactory(slug="ranfla", name="Ranfla histórica", parent=ms13)
    case.organizations.add(ms13)
    crook = factories.PersonFactory(
        slug="elmer-canales-rivera",
        name="Élmer Canales Rivera",
        summary="Líder de la MS13, “Crook”; extradición rechazada.",
        birth_date=datetime.date(1972, 1, 1),
        birth_date_precision="year",
        birth_date_approximate=True,
        nationalities=["SV"],
    )
    factories.AliasFactory(person=crook, name="Crook", language="en")
    defendant = factories.DefendantFactory(case=case, person=crook)
    document = factories.ChargingDocumentFactory(case=case)
    factories.ChargeFactory(
        document=document,
        defendant=defendant,
        count_number=None,
        description="Narcoterrorismo",
        disposition=cases.Disposition.PLEADED_GUILTY,
        disposition_date=datetime.date(2024, 6, 1),
        disposition_date_precision="month",
    )
    factories.ChargeFactory(document=document, defendant=defendant, count_number=2)
    factories.CourtEventFactory(case=case, court=court, description="Se declaró no culpable.")
    factories.CustodyRecordFactory(
        person=crook, custodian="Autoridades mexicanas", place="Ciudad de México", end_date=None
    )
    factories.SourceFactory(
        title="¿Quién es “Crook”?",
        authors="Parker Asmann, Alex Papadovassilakis",
        language="es",
        publication_date=datetime.date(2023, 12, 1),
        publication_date_precision="month",
    )


RESOURCES = [
    PersonResource,
    AliasResource,
    OrganizationResource,
    SourceResource,
    CaseResource,
    ChargeResource,
    CourtEventResource,
    CustodyRecordResource,
]


def snapshot(model):
    return [model_to_dict(record) for record in model.objects.order_by("pk")]


def through_file(dataset, file_format):
    """Write the dataset as the admin's export would, and read it back as its import does."""
    data = file_format.export_data(dataset)
    if isinstance(data, str):
        data = data.encode("utf-8-sig")  # what the admin sends for CSV
        return CSV(encoding="utf-8-sig").create_dataset(data.decode("utf-8-sig"))
    return file_format.create_dataset(data)


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("file_format", [CSV(), XLSX()], ids=["csv", "xlsx"])
def test_export_then_import_changes_nothing(spanish_records, resource, file_format):
    model = resource._meta.model
    before, versions = snapshot(model), model.history.count()

    result = resource().import_data(through_file(resource().export(), file_format))

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == len(before) and result.totals["new"] == 0
    assert snapshot(model) == before
    assert model.history.count() == versions  # nothing written, so nothing in the history


def test_accents_survive_the_csv_file(spanish_records):
    data = CSV().export_data(PersonResource().export())
    assert "Élmer Canales Rivera" in data
    assert "Líder de la MS13, “Crook”; extradición rechazada." in data
    assert "c. 1972" in data


@pytest.mark.parametrize("file_format", [CSV(), XLSX()], ids=["csv", "xlsx"])
def test_imported_into_an_empty_table_the_records_come_back_as_drafts(spanish_records, file_format):
    exported = through_file(SourceResource().export(), file_format)
    for row in range(len(exported)):
        exported[row] = ("", *exported[row][1:])  # new rows: no id
    before = [
        {k: v for k, v in row.items() if k not in ("id", "publication")}
        for row in snapshot(cases.Source)
    ]
    cases.Source.objects.all().delete()

    result = SourceResource().import_data(exported)

    assert result.totals["new"] == 1
    after = snapshot(cases.Source)
    assert [{k: v for k, v in row.items() if k not in ("id", "publication")} for row in after] == (
        before
    )
    assert cases.Source.objects.get().publication == "draft"


# Rules of an import ------------------------------------------------------------------------

CHARGE_HEADERS = ["case", "document", "defendant", "count", "statute", "description", "category"]


@pytest.fixture
def indictment(db):
    document = factories.ChargingDocumentFactory(case__slug="ms13-ranfla")
    for slug in ("elmer-canales-rivera", "borromeo-enrique-henriquez"):
        factories.DefendantFactory(case=document.case, person__slug=slug)
    return document


def charges_file(document, count=200, bad=()):
    dataset = tablib.Dataset(headers=CHARGE_HEADERS)
    for number in range(1, count + 1):
        defendant = "elmer-canales-rivera" if number % 2 else "borromeo-enrique-henriquez"
        category = "terrorism"
        if number in bad:
            defendant, category = "nobody-in-this-case", "treason-ish"
        dataset.append(
            [
                "ms13-ranfla",
                document.pk,
                defendant,
                number,
                "18 U.S.C. § 2339A",
                f"Conspiración, cargo {number}",
                category,
            ]
        )
    return dataset


def test_a_file_with_a_bad_row_imports_nothing_and_names_the_row_and_fields(indictment, editor):
    result = ChargeResource().import_data(
        charges_file(indictment, bad={137}), user=editor, file_name="charges.csv"
    )

    assert cases.Charge.objects.count() == 0
    assert [row.number for row in result.invalid_rows] == [137]
    errors = result.invalid_rows[0].error_dict
    assert errors["defendant"] == [
        "“nobody-in-this-case” is not a defendant in the case “ms13-ranfla”."
    ]
    assert "“treason-ish” is not one of: terrorism" in errors["category"][0]


def test_a_charge_on_another_cases_document_is_refused_and_nothing_saved(indictment, editor):
    """The case column decides: a document number of another case is not taken, even when the
    row's case has no document of its own yet."""
    other = factories.ChargingDocumentFactory(case__slug="another-case")
    factories.DefendantFactory(case=other.case, person__slug="someone-else")
    indictment.delete()  # the row's case now has no document
    dataset = charges_file(other, count=2)

    result = ChargeResource().import_data(dataset, user=editor)

    assert cases.Charge.objects.count() == 0
    assert [row.number for row in result.invalid_rows] == [1, 2]
    assert result.invalid_rows[0].error_dict["document"] == [
        f"No charging document number {other.pk} in the case “ms13-ranfla”."
    ]


def test_the_corrected_file_imports_every_row_as_a_draft_with_its_history(indictment, editor):
    result = ChargeResource().import_data(
        charges_file(indictment), user=editor, file_name="charges.csv"
    )

    assert result.totals["new"] == 200
    charges = cases.Charge.objects.all()
    assert charges.count() == 200
    assert set(charges.values_list("publication", flat=True)) == {"draft"}
    version = charges.first().history.get()
    assert version.history_user == editor
    assert version.history_change_reason == "Imported from charges.csv"


def test_a_reimport_updates_instead_of_duplicating(indictment, researcher):
    ChargeResource().import_data(charges_file(indictment, count=3))
    changed = charges_file(indictment, count=3)
    changed[0] = (*changed[0][:5], "Conspiración (corregido)", "terrorism")
    cases.Charge.objects.update(publication="published")

    result = ChargeResource().import_data(changed, user=researcher)

    assert (result.totals["update"], result.totals["skip"], result.totals["new"]) == (1, 2, 0)
    assert cases.Charge.objects.count() == 3
    first = cases.Charge.objects.get(count_number=1)
    assert first.description == "Conspiración (corregido)"
    assert first.publication == "published"  # an import never changes the review state
    assert first.history.first().history_user == researcher


def test_the_publication_column_is_not_imported(db):
    dataset = tablib.Dataset(headers=["slug", "name", "publication"])
    dataset.append(["nuevo", "Persona nueva", "published"])

    PersonResource().import_data(dataset)

    assert people.Person.objects.get(slug="nuevo").publication == "draft"


def test_an_unknown_id_is_refused_rather_than_created(db):
    dataset = tablib.Dataset(headers=["id", "title"])
    dataset.append([999, "Fuente"])

    result = SourceResource().import_data(dataset)

    assert cases.Source.objects.count() == 0
    assert "Leave the id empty" in result.invalid_rows[0].error_dict["id"][0]


def test_partial_dates_import_with_their_precision(db):
    person = factories.PersonFactory(slug="crook")
    dataset = tablib.Dataset(headers=["person", "status", "start_date", "end_date"])
    dataset.append(["crook", "Detained pending trial", "c. 2022", "2023-11"])

    result = CustodyRecordResource().import_data(dataset)

    assert not result.has_validation_errors(), result.invalid_rows
    record = person.custody_records.get()
    assert PartialDate.from_instance(record, "start_date").display() == "c. 2022"
    assert PartialDate.from_instance(record, "end_date").display() == "November 2023"
    assert record.status == "detained"  # the label is understood


def test_the_pages_are_marked_updated_once_whatever_the_number_of_rows(indictment):
    def case_updates(count):
        cases.Charge.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            ChargeResource().import_data(charges_file(indictment, count=count))
        return [q for q in queries if q["sql"].startswith('UPDATE "cases_case"')]

    assert len(case_updates(3)) == len(case_updates(40)) == 1
