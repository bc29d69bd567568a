"""Spreadsheets through the admin: a dry-run preview, a refused file naming its bad rows, the
corrected file imported as drafts by the user who uploaded it, and exports that read back."""

import html
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import BooleanField
from django.urls import reverse

from cases.models import Charge, CourtEvent
from people.models import Person
from tests import factories


def text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def indictment(db):
    document = factories.ChargingDocumentFactory(case__slug="ms13-ranfla")
    for slug in ("elmer-canales-rivera", "borromeo-enrique-henriquez"):
        factories.DefendantFactory(case=document.case, person__slug=slug)
    return document


def charges_csv(document, bad_row=None):
    lines = ["case,document,defendant,count,statute,description,category"]
    for number in range(1, 201):
        who = "elmer-canales-rivera" if number % 2 else "borromeo-enrique-henriquez"
        if number == bad_row:
            who = "nadie"
        lines.append(
            f"ms13-ranfla,{document.pk},{who},{number},18 U.S.C. § 2339A,"
            f"Conspiración número {number},terrorism"
        )
    return "\n".join(lines).encode("utf-8")


def preview(client, model, content, name):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import")
    form = client.get(url).context["form"]
    csv = next(value for value, label in form.fields["format"].choices if label == "csv")
    return client.post(
        url,
        {"import_file": SimpleUploadedFile(name, content), "format": csv, "resource": "0"},
    )


def confirm(client, model, page):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_process_import")
    return client.post(url, page.context["confirm_form"].initial, follow=True)


def test_a_file_with_one_bad_row_is_refused_naming_the_row(client, researcher, indictment):
    client.force_login(researcher)

    page = preview(client, Charge, charges_csv(indictment, bad_row=137), "charges.csv")

    assert page.status_code == 200
    assert page.context.get("confirm_form") is None  # nothing to confirm
    invalid = page.context["result"].invalid_rows
    assert [row.number for row in invalid] == [137]
    assert "“nadie” is not a defendant in the case “ms13-ranfla”." in text(page)
    assert Charge.objects.count() == 0
    assert "All or nothing: if any row is wrong, nothing is saved" in text(page)


def test_the_corrected_file_previews_then_imports_as_drafts(client, researcher, indictment):
    client.force_login(researcher)

    page = preview(client, Charge, charges_csv(indictment), "charges.csv")
    assert Charge.objects.count() == 0  # a preview saves nothing
    assert page.context["result"].totals["new"] == 200
    assert "Conspiración número 200" in text(page)

    done = confirm(client, Charge, page)

    assert Charge.objects.count() == 200
    assert set(Charge.objects.values_list("publication", flat=True)) == {"draft"}
    version = Charge.objects.get(count_number=137).history.get()
    assert version.history_user == researcher
    assert version.history_change_reason == "Imported from charges.csv"
    assert "Imported 200 new and 0 changed charges; 0 rows were unchanged." in text(done)


def test_data_changed_between_preview_and_confirmation_imports_nothing(
    client, researcher, indictment
):
    client.force_login(researcher)
    page = preview(client, Charge, charges_csv(indictment), "charges.csv")
    indictment.case.defendants.get(person__slug="borromeo-enrique-henriquez").delete()

    done = confirm(client, Charge, page)

    assert Charge.objects.count() == 0
    assert "Nothing was imported: 100 rows (2, 4, 6," in text(done)


def export(client, model, file_format):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_export")
    form = client.get(url).context["form"]
    chosen = next(value for value, label in form.fields["format"].choices if label == file_format)
    data = {"format": chosen, "resource": "0"}
    data |= {name: "on" for name, field in form.fields.items() if isinstance(field, BooleanField)}
    return client.post(url, data)


def test_a_csv_export_keeps_accents_and_reads_back_unchanged(client, editor):
    client.force_login(editor)
    factories.PersonFactory(slug="crook", name="Élmer Canales Rivera", summary="Líder “histórico”")

    exported = export(client, Person, "csv")
    content = exported.content
    assert content.startswith("\ufeff".encode())  # so that spreadsheet programs read UTF-8
    assert "Élmer Canales Rivera" in content.decode("utf-8-sig")

    page = preview(client, Person, content, "people.csv")
    assert page.context["result"].totals["skip"] == 1
    confirm(client, Person, page)
    assert Person.objects.get().name == "Élmer Canales Rivera"
    assert Person.objects.get().history.count() == 1  # nothing changed, nothing written


def test_an_xlsx_export_has_one_column_per_partial_date(client, editor):
    client.force_login(editor)
    factories.CourtEventFactory(date_approximate=True, place="Ciudad de México")

    exported = export(client, CourtEvent, "xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    rows = list(sheet.values)
    assert "date" in rows[0] and "date_precision" not in rows[0]
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["date"], row["place"]) == ("c. 2023-12-08", "Ciudad de México")


def test_pages_without_a_spreadsheet_format_offer_no_import(client, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:cases_appearance_changelist"))
    assert "import/" not in text(response)
    assert client.get("/admin/cases/appearance/import/").status_code == 403


def test_someone_without_add_permission_cannot_import(client, db):
    viewer = factories.UserFactory(is_staff=True)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_charge"))
    client.force_login(viewer)

    assert client.get(reverse("admin:cases_charge_import")).status_code == 403
    assert client.get(reverse("admin:cases_charge_export")).status_code == 200
