"""Bad input is refused with a clear message, what was typed stays in the form, nothing is saved."""

import html

import pytest

from cases.models import FOREIGN_DEFENDANT, Charge, ChargingDocument, CustodyRecord, Source
from casetracker.dates import PartialDate
from casetracker.links import NOT_A_WEB_ADDRESS
from tests import factories
from tests.admin.conftest import add_row, form_values

END_BEFORE_START = "The end cannot come before the start."
DUPLICATE_COUNT = "This document already has this count number for this defendant."


def page_text(response):
    return html.unescape(response.content.decode())


def post_page(client, url, **changes):
    """Load the admin page, change some fields as a researcher would, and submit it."""
    data = form_values(client.get(url))
    data.update({name: [value] for name, value in changes.items()})
    return client.post(url, data)


def test_custody_record_ending_before_it_starts(admin_client, crook_case):
    before = CustodyRecord.objects.count()

    response = post_page(
        admin_client,
        "/admin/cases/custodyrecord/add/",
        person=str(crook_case["crook"].pk),
        status="detained",
        start_date_0="9 November 2023",
        end_date_0="March 2021",
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"end_date": [END_BEFORE_START]}
    text = page_text(response)
    assert END_BEFORE_START in text
    assert 'value="9 November 2023"' in text
    assert 'value="March 2021"' in text
    assert CustodyRecord.objects.count() == before


def test_custody_record_ending_before_it_starts_on_the_person_page(admin_client, crook_case):
    crook = crook_case["crook"]
    url = f"/admin/people/person/{crook.pk}/change/"
    data = form_values(admin_client.get(url))
    add_row(
        data, "custody_records", status="escaped", start_date_0="2022", end_date_0="December 2021"
    )
    before = CustodyRecord.objects.count()

    response = admin_client.post(url, data)

    assert response.status_code == 200
    text = page_text(response)
    assert END_BEFORE_START in text
    assert 'value="December 2021"' in text
    assert CustodyRecord.objects.count() == before


def test_day_precision_for_a_date_known_to_the_month(admin_client, crook_case):
    before = ChargingDocument.objects.count()

    response = post_page(
        admin_client,
        "/admin/cases/chargingdocument/add/",
        case=str(crook_case["case"].pk),
        kind="indictment",
        filed_date_0="December 2020",
        filed_date_1="day",
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["filed_date"]
    message = errors["filed_date"][0]
    assert message.startswith("Day precision needs a day")
    text = page_text(response)
    assert message in text
    assert 'value="December 2020"' in text
    assert '<option value="day" selected>' in text
    assert ChargingDocument.objects.count() == before


def test_day_precision_for_a_month_in_a_case_page_row(admin_client, crook_case):
    case = crook_case["case"]
    url = f"/admin/cases/case/{case.pk}/change/"
    data = form_values(admin_client.get(url))
    add_row(
        data,
        "charging_documents",
        kind="superseding_indictment",
        filed_date_0="December 2020",
        filed_date_1="day",
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    text = page_text(response)
    assert "Day precision needs a day" in text
    assert 'value="December 2020"' in text
    assert not ChargingDocument.objects.filter(kind="superseding_indictment").exists()


def test_duplicate_count_on_the_case_page(admin_client, crook_case):
    case, existing = crook_case["case"], crook_case["charge"]
    url = f"/admin/cases/case/{case.pk}/change/"
    data = form_values(admin_client.get(url))
    add_row(
        data,
        "case-charges",
        document=str(existing.document_id),
        defendant=str(existing.defendant_id),
        count_number=str(existing.count_number),
        description="Narco-terrorism conspiracy",
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    text = page_text(response)
    assert DUPLICATE_COUNT in text
    assert 'value="Narco-terrorism conspiracy"' in text
    assert list(Charge.objects.values_list("description", flat=True)) == [existing.description]


def test_duplicate_count_typed_twice_in_the_same_save(admin_client, crook_case):
    document = crook_case["document"]
    url = f"/admin/cases/chargingdocument/{document.pk}/change/"
    data = form_values(admin_client.get(url))
    for description in ("Narco-terrorism conspiracy", "Racketeering"):
        add_row(
            data,
            "charges",
            defendant=str(crook_case["defendant"].pk),
            count_number="7",
            description=description,
        )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    text = page_text(response)
    assert "Two rows give the same count number to the same defendant" in text
    assert 'value="Racketeering"' in text
    assert Charge.objects.count() == 1


def test_duplicate_count_on_the_charge_page(admin_client, crook_case):
    existing = crook_case["charge"]
    before = Charge.objects.count()

    response = post_page(
        admin_client,
        "/admin/cases/charge/add/",
        document=str(existing.document_id),
        defendant=str(existing.defendant_id),
        count_number=str(existing.count_number),
        description="Narco-terrorism conspiracy",
        category="terrorism",
    )

    assert response.status_code == 200
    assert DUPLICATE_COUNT in page_text(response)
    assert 'value="Narco-terrorism conspiracy"' in page_text(response)
    assert Charge.objects.count() == before


def test_the_next_count_on_the_charge_page_saves(admin_client, crook_case):
    existing = crook_case["charge"]

    response = post_page(
        admin_client,
        "/admin/cases/charge/add/",
        document=str(existing.document_id),
        defendant=str(existing.defendant_id),
        count_number=str(existing.count_number + 1),
        description="Narco-terrorism conspiracy",
        category="terrorism",
    )

    assert response.status_code == 302
    assert Charge.objects.filter(description="Narco-terrorism conspiracy").exists()


def test_a_charge_against_another_cases_defendant_is_refused_on_the_defendant(
    admin_client, crook_case
):
    stranger = factories.DefendantFactory()  # a defendant in another case
    before = Charge.objects.count()

    response = post_page(
        admin_client,
        "/admin/cases/charge/add/",
        document=str(crook_case["document"].pk),
        defendant=str(stranger.pk),
        description="Narco-terrorism conspiracy",
        category="terrorism",
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"defendant": [FOREIGN_DEFENDANT]}
    assert 'value="Narco-terrorism conspiracy"' in page_text(response)
    assert Charge.objects.count() == before


# Date order: what counts is the end of the later date's period ---------------------------------


@pytest.mark.parametrize(
    ("url", "first", "then", "start", "end"),
    [
        ("/admin/cases/custodyrecord/add/", "start_date", "end_date", "15 June 2020", "2020"),
        ("/admin/cases/custodyrecord/add/", "start_date", "end_date", "15 June 2020", "June 2020"),
        (
            "/admin/cases/chargingdocument/add/",
            "filed_date",
            "unsealed_date",
            "8 December 2020",
            "December 2020",
        ),
    ],
)
def test_an_end_within_the_period_of_its_start_is_saved(
    admin_client, crook_case, url, first, then, start, end
):
    response = post_page(
        admin_client,
        url,
        person=str(crook_case["crook"].pk),
        status="detained",
        case=str(crook_case["case"].pk),
        kind="superseding_indictment",
        **{f"{first}_0": start, f"{then}_0": end},
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    model = CustodyRecord if "custody" in url else ChargingDocument
    saved = model.objects.latest("pk")
    assert PartialDate.from_instance(saved, first) == PartialDate.parse(start)
    assert PartialDate.from_instance(saved, then) == PartialDate.parse(end)


@pytest.mark.parametrize(
    ("url", "first", "then", "start", "end", "message"),
    [
        (
            "/admin/cases/custodyrecord/add/",
            "start_date",
            "end_date",
            "15 June 2020",
            "2019",
            END_BEFORE_START,
        ),
        (
            "/admin/cases/chargingdocument/add/",
            "filed_date",
            "unsealed_date",
            "8 December 2020",
            "November 2020",
            "A document cannot be unsealed before it was filed.",
        ),
    ],
)
def test_an_end_whose_period_is_over_before_the_start_is_refused(
    admin_client, crook_case, url, first, then, start, end, message
):
    model = CustodyRecord if "custody" in url else ChargingDocument
    before = model.objects.count()

    response = post_page(
        admin_client,
        url,
        person=str(crook_case["crook"].pk),
        status="detained",
        case=str(crook_case["case"].pk),
        kind="superseding_indictment",
        **{f"{first}_0": start, f"{then}_0": end},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {then: [message]}
    text = page_text(response)
    assert message in text
    assert f'value="{start}"' in text
    assert f'value="{end}"' in text
    assert model.objects.count() == before


# Links ------------------------------------------------------------------------------------------


def test_a_link_that_is_not_a_web_address_is_refused_on_its_field(admin_client, db):
    page = "/admin/cases/source/add/"
    data = form_values(admin_client.get(page))
    data.update(title=["Court filing"], url=["ftp://files.example.org/indictment.pdf"])

    response = admin_client.post(page, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"url": [NOT_A_WEB_ADDRESS]}
    assert 'value="ftp://files.example.org/indictment.pdf"' in page_text(response)
    assert not Source.objects.exists()
