"""Entering a case as a researcher does: the case page and its rows, then charges and pleas."""

import html

from django.contrib.auth import get_user_model

from cases.models import Appearance, Case, Charge, ChargingDocument, Defendant
from casetracker.dates import PartialDate
from casetracker.publication import Publication
from tests import factories
from tests.admin.conftest import add_row, form_values


def text(response):
    return html.unescape(response.content.decode())


def errors(response):
    """The form and row errors of a page that did not save, for assertion messages."""
    if response.context is None:
        return None
    return [response.context["adminform"].form.errors] + [
        inline.formset.errors for inline in response.context["inline_admin_formsets"]
    ]


def test_new_case_with_a_defendant_and_an_indictment_in_one_save(admin_client, db):
    court = factories.CourtFactory(short_name="E.D.N.Y.")
    crook = factories.PersonFactory(name="Élmer Canales Rivera")
    page = admin_client.get("/admin/cases/case/add/")
    data = form_values(page)
    data.update(
        title=["United States v. Canales Rivera et al."],
        slug=["united-states-v-canales-rivera"],
        court=[str(court.pk)],
        status=["pre_trial"],
        defendant_count=["14"],
    )
    add_row(data, "defendants", person=str(crook.pk), status="pre_trial")
    add_row(data, "charging_documents", kind="indictment", filed_date_0="December 2020")
    add_row(
        data,
        "court_events",
        kind="arraignment",
        status="held",
        date_0="8 December 2023",
        place="Central Islip, New York",
        country="US",
    )

    response = admin_client.post("/admin/cases/case/add/", data)

    assert response.status_code == 302, errors(response)
    case = Case.objects.get()
    assert case.court == court
    assert case.publication == Publication.DRAFT
    assert [d.person for d in case.defendants.all()] == [crook]
    document = case.charging_documents.get()
    assert PartialDate.from_instance(document, "filed_date").display() == "December 2020"
    event = case.court_events.get()
    assert PartialDate.from_instance(event, "date").iso() == "2023-12-08"


def test_charges_and_pleas_wait_for_a_saved_case(admin_client, db):
    response = admin_client.get("/admin/cases/case/add/")
    formsets = {f.formset.prefix: f.formset for f in response.context["inline_admin_formsets"]}

    assert len(formsets["case-charges"].forms) == 0
    assert len(formsets["case-appearances"].forms) == 0
    assert formsets["case-charges"].max_num == 0  # no "Add another" before the case exists
    assert "click “Save and continue editing”, then add its charges" in text(response)


def test_charge_and_plea_rows_offer_only_this_cases_saved_records(admin_client, crook_case):
    other = factories.ChargeFactory()  # another case, its document and defendant
    other_event = factories.CourtEventFactory()
    response = admin_client.get(f"/admin/cases/case/{crook_case['case'].pk}/change/")
    formsets = {f.formset.prefix: f.formset for f in response.context["inline_admin_formsets"]}
    new_charge = formsets["case-charges"].forms[-1]
    new_plea = formsets["case-appearances"].forms[-1]

    def offered(form, name):
        return [label for value, label in form.fields[name].choices if value != ""]

    def offered_ids(form, name):
        return [value.value for value, label in form.fields[name].choices if value != ""]

    assert offered(new_charge, "document") == [str(crook_case["document"])]
    assert offered(new_charge, "defendant") == [
        "Borromeo Enrique Henriquez",
        "Élmer Canales Rivera",
    ]
    assert offered_ids(new_charge, "document") == [crook_case["document"].pk]
    assert other.document.pk not in offered_ids(new_charge, "document")
    assert other.defendant.pk not in offered_ids(new_charge, "defendant")
    assert offered(new_plea, "event") == [str(crook_case["arraignment"])]
    assert offered_ids(new_plea, "event") == [crook_case["arraignment"].pk]
    assert other_event.pk not in offered_ids(new_plea, "event")
    # One document and one event: the new rows start with them chosen.
    assert new_charge["document"].value() == crook_case["document"].pk
    assert new_plea["event"].value() == crook_case["arraignment"].pk
    assert new_charge["defendant"].value() is None


def test_charges_and_a_plea_entered_on_the_case_page(admin_client, crook_case):
    case, diablito = crook_case["case"], crook_case["diablito"]
    url = f"/admin/cases/case/{case.pk}/change/"
    data = form_values(admin_client.get(url))
    diablito_defendant = Defendant.objects.get(person=diablito)
    add_row(
        data,
        "case-charges",
        document=str(crook_case["document"].pk),
        defendant=str(diablito_defendant.pk),
        count_number="1",
        statute="18 U.S.C. § 2339A",
        description="Conspiracy to provide material support to terrorists",
        category="terrorism",
        publication="draft",
    )
    add_row(
        data,
        "case-appearances",
        event=str(crook_case["arraignment"].pk),
        defendant=str(diablito_defendant.pk),
        plea="not_guilty",
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302, errors(response)
    charge = Charge.objects.get(defendant=diablito_defendant)
    assert charge.document == crook_case["document"]
    assert charge.statute == "18 U.S.C. § 2339A"
    assert Appearance.objects.get(defendant=diablito_defendant).plea == "not_guilty"


def test_a_charge_row_without_its_document_says_to_save_first(admin_client, crook_case):
    case = crook_case["case"]
    url = f"/admin/cases/case/{case.pk}/change/"
    data = form_values(admin_client.get(url))
    add_row(data, "charging_documents", kind="superseding_indictment", filed_date_0="2024")
    add_row(
        data,
        "case-charges",
        document="",
        defendant=str(crook_case["defendant"].pk),
        count_number="3",
        description="Narco-terrorism conspiracy",
    )
    documents_before = ChargingDocument.objects.count()

    response = admin_client.post(url, data)

    assert response.status_code == 200
    page = text(response)
    assert (
        "Choose the charging document. Only this case's saved charging documents are listed: "
        "one added on this page appears here after “Save and continue editing”."
    ) in page
    assert 'value="Narco-terrorism conspiracy"' in page
    assert ChargingDocument.objects.count() == documents_before


def test_another_cases_document_is_refused(admin_client, crook_case):
    case = crook_case["case"]
    other = factories.ChargingDocumentFactory()
    url = f"/admin/cases/case/{case.pk}/change/"
    data = form_values(admin_client.get(url))
    add_row(
        data,
        "case-charges",
        document=str(other.pk),
        defendant=str(crook_case["defendant"].pk),
        count_number="3",
        description="Narco-terrorism conspiracy",
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "Select a valid choice" in text(response)
    assert not Charge.objects.filter(description="Narco-terrorism conspiracy").exists()


def test_an_unchanged_case_page_saves_as_it_is(admin_client, crook_case):
    case = crook_case["case"]
    url = f"/admin/cases/case/{case.pk}/change/"

    response = admin_client.post(url, form_values(admin_client.get(url)))

    assert response.status_code == 302, errors(response)
    assert Charge.objects.count() == 1
    assert Appearance.objects.count() == 1


def test_publishing_on_the_page_records_who_and_when(admin_client, db):
    case = factories.CaseFactory(publication=Publication.DRAFT)
    url = f"/admin/cases/case/{case.pk}/change/"
    data = form_values(admin_client.get(url))
    data["publication"] = [Publication.PUBLISHED]

    assert admin_client.post(url, data).status_code == 302

    case.refresh_from_db()
    assert case.publication == Publication.PUBLISHED
    assert case.published_by == get_user_model().objects.get(username="admin")
    assert case.published_at is not None


def test_publish_action_publishes_the_selected_rows_only(admin_client, db):
    chosen, left = factories.CaseFactory.create_batch(2, publication=Publication.IN_REVIEW)

    response = admin_client.post(
        "/admin/cases/case/",
        {"action": "publish", "_selected_action": [chosen.pk]},
        follow=True,
    )

    assert "1 record published." in text(response)
    chosen.refresh_from_db()
    left.refresh_from_db()
    assert chosen.publication == Publication.PUBLISHED
    assert chosen.published_at is not None
    assert left.publication == Publication.IN_REVIEW
    assert chosen.history.count() == 2  # the change is in the record's history
