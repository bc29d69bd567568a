"""Partial dates: read as researchers write them, shown as readers expect, sorted as dates."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cases.models import ChargingDocument, CourtEvent, CustodyRecord
from casetracker.dates import (
    PartialDate,
    PartialDateFormField,
    PeriodEnd,
    Precision,
    partial_date_names,
)
from tests.factories import (
    CaseFactory,
    ChargingDocumentFactory,
    CourtEventFactory,
    PersonFactory,
)

D = datetime.date


@pytest.mark.parametrize(
    ("text", "date", "precision", "approximate"),
    [
        ("2023-12-08", D(2023, 12, 8), "day", False),
        ("2023-12-8", D(2023, 12, 8), "day", False),
        ("2020-12", D(2020, 12, 1), "month", False),
        ("2022", D(2022, 1, 1), "year", False),
        ("8 December 2023", D(2023, 12, 8), "day", False),
        ("December 8, 2023", D(2023, 12, 8), "day", False),
        ("December 2020", D(2020, 12, 1), "month", False),
        ("dec 2020", D(2020, 12, 1), "month", False),
        ("Sept 2019", D(2019, 9, 1), "month", False),
        ("08/12/2023", D(2023, 12, 8), "day", False),  # day/month/year
        ("c. 2022", D(2022, 1, 1), "year", True),
        ("circa November 2021", D(2021, 11, 1), "month", True),
        ("about 2021", D(2021, 1, 1), "year", True),
        ("2021?", D(2021, 1, 1), "year", True),
        ("  9   November   2023 ", D(2023, 11, 9), "day", False),
    ],
)
def test_parse(text, date, precision, approximate):
    assert PartialDate.parse(text) == PartialDate(date, precision, approximate)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31 February 2023", "is not a real date"),
        ("2023-13", "is not a real date"),
        ("Smarch 2020", "is not a date this form understands"),
        ("last winter", "is not a date this form understands"),
        ("", "is not a date this form understands"),
    ],
)
def test_parse_refuses_with_a_message_naming_the_text(text, message):
    with pytest.raises(ValueError, match=message) as error:
        PartialDate.parse(text)
    assert f"“{text}”" in str(error.value)


@pytest.mark.parametrize(
    ("value", "display", "iso"),
    [
        (PartialDate(D(2023, 12, 8)), "8 December 2023", "2023-12-08"),
        (PartialDate(D(2020, 12, 1), "month"), "December 2020", "2020-12"),
        (PartialDate(D(2022, 1, 1), "year"), "2022", "2022"),
        (PartialDate(D(2022, 1, 1), "year", approximate=True), "c. 2022", "2022"),
        (PartialDate(D(2021, 11, 1), "month", approximate=True), "c. November 2021", "2021-11"),
    ],
)
def test_display_and_iso(value, display, iso):
    assert value.display() == str(value) == display
    assert value.iso() == iso
    assert PartialDate.from_iso(iso, approximate=value.approximate) == value
    assert value.as_dict() == {
        "date": iso,
        "precision": value.precision,
        "approximate": value.approximate,
        "display": display,
    }


@pytest.mark.parametrize("text", ["8 December 2023", "December 2020", "2022", "c. 2022"])
def test_display_reads_back_as_the_same_value(text):
    value = PartialDate.parse(text)
    assert PartialDate.parse(value.display()) == value


@pytest.mark.parametrize("text", ["2023-12-8", "20-12", "December 2020", "2023-12-08T10:00"])
def test_from_iso_accepts_only_the_iso_forms(text):
    with pytest.raises(ValueError, match="is not YYYY, YYYY-MM or YYYY-MM-DD"):
        PartialDate.from_iso(text)


def test_partial_dates_sort_at_the_start_of_their_period():
    values = [
        PartialDate(D(2023, 12, 8)),
        PartialDate(D(2023, 1, 1), "year"),
        PartialDate(D(2020, 12, 1), "month"),
        PartialDate(D(2023, 11, 9)),
        PartialDate(D(2023, 12, 1), "month"),
    ]

    assert [value.iso() for value in sorted(values)] == [
        "2020-12",
        "2023",
        "2023-11-09",
        "2023-12",
        "2023-12-08",
    ]


@pytest.mark.parametrize(
    ("value", "end"),
    [
        (PartialDate(D(2023, 12, 8)), D(2023, 12, 8)),
        (PartialDate(D(2024, 2, 1), "month"), D(2024, 2, 29)),
        (PartialDate(D(2022, 1, 1), "year"), D(2022, 12, 31)),
    ],
)
def test_end_is_the_last_day_of_the_period(value, end):
    assert value.end() == end


@pytest.mark.parametrize(
    ("date", "precision", "message"),
    [
        (D(2020, 12, 8), "month", "stored as the first of that month"),
        (D(2022, 3, 1), "year", "stored as 1 January"),
        (D(2022, 1, 1), "week", "Unknown date precision"),
    ],
)
def test_a_value_that_does_not_fit_its_precision_is_refused(date, precision, message):
    with pytest.raises(ValueError, match=message):
        PartialDate(date, precision)


def test_from_parts_needs_the_month_for_a_day():
    with pytest.raises(ValueError, match="A day needs its month"):
        PartialDate.from_parts(2023, None, 8)


def test_store_and_read_back_on_a_record():
    event = CourtEvent()
    PartialDate(D(2021, 11, 1), "month", approximate=True).store(event, "date")

    assert (event.date, event.date_precision, event.date_approximate) == (
        D(2021, 11, 1),
        "month",
        True,
    )
    assert PartialDate.from_instance(event, "date").display() == "c. November 2021"
    assert PartialDate.from_instance(CourtEvent(), "date") is None


def test_partial_date_names_lists_each_date_once():
    assert partial_date_names(ChargingDocument) == ["filed_date", "unsealed_date"]
    assert partial_date_names(CustodyRecord) == ["start_date", "end_date"]


# The form field: one text box, a precision and an "approximately" box -------------------------


def clean(text, precision="", approximate=False):
    return PartialDateFormField(required=False).clean([text, precision, approximate])


def test_form_field_reads_the_text_as_written():
    assert clean("December 2020") == PartialDate(D(2020, 12, 1), Precision.MONTH)


def test_form_field_coarser_precision_drops_the_finer_parts():
    assert clean("8 December 2023", "month") == PartialDate(D(2023, 12, 1), "month")
    assert clean("8 December 2023", "year") == PartialDate(D(2023, 1, 1), "year")


def test_form_field_approximately_box():
    assert clean("2022", approximate=True) == PartialDate(D(2022, 1, 1), "year", True)
    assert clean("c. 2022") == PartialDate(D(2022, 1, 1), "year", True)


def test_form_field_empty_is_no_date():
    assert clean("") is None


def test_form_field_finer_precision_than_the_text_is_refused():
    with pytest.raises(ValidationError) as error:
        clean("December 2020", "day")
    assert error.value.messages == [
        "Day precision needs a day: “December 2020” gives only the month. Add the missing part, "
        "or choose Month precision."
    ]


def test_form_field_precision_without_a_date_is_refused():
    with pytest.raises(ValidationError, match="Enter the date"):
        clean("", "month")


def test_form_field_unreadable_text_is_refused():
    with pytest.raises(ValidationError, match="is not a date this form understands"):
        clean("next Tuesday")


def test_a_required_partial_date_needs_its_text_even_with_the_box_unticked():
    from django import forms as django_forms

    from casetracker.dates import PartialDateFormField

    class Form(django_forms.Form):
        when = PartialDateFormField(required=True)

    form = Form(data={"when_0": "", "when_1": "", "when_2": ""})
    assert not form.is_valid()
    assert form.errors["when"] == ["This field is required."]


# Date order: an end counts from the last day of its period -------------------------------------

END_BEFORE_START = "The end cannot come before the start."

# (start, end, in order?) at every pair of precisions: the end of the end's period is what
# counts, the first day of the start's.
ORDER = [
    ("15 June 2020", "15 June 2020", True),
    ("15 June 2020", "14 June 2020", False),
    ("15 June 2020", "June 2020", True),
    ("15 June 2020", "May 2020", False),
    ("15 June 2020", "2020", True),
    ("15 June 2020", "2019", False),
    ("June 2020", "1 June 2020", True),
    ("June 2020", "31 May 2020", False),
    ("June 2020", "June 2020", True),
    ("June 2020", "May 2020", False),
    ("June 2020", "2020", True),
    ("June 2020", "2019", False),
    ("2020", "1 January 2020", True),
    ("2020", "31 December 2019", False),
    ("2020", "January 2020", True),
    ("2020", "December 2019", False),
    ("2020", "2020", True),
    ("2020", "2019", False),
    ("8 December 2020", "December 2020", True),
    ("31 December 2020", "December 2020", True),
    ("29 February 2020", "February 2020", True),
    ("1 January 2021", "December 2020", False),
    ("c. 2021", "c. 2021", True),
]


def custody(start: str, end: str) -> CustodyRecord:
    record = CustodyRecord(person=PersonFactory(), status="detained")
    PartialDate.parse(start).store(record, "start_date")
    PartialDate.parse(end).store(record, "end_date")
    return record


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "end", "in_order"), ORDER)
def test_date_order_through_the_model(start, end, in_order):
    record = custody(start, end)

    if in_order:
        record.full_clean()  # the form-side rule and the database rule (checked by a query)
    else:
        with pytest.raises(ValidationError) as error:
            record.full_clean()
        assert error.value.message_dict == {"end_date": [END_BEFORE_START]}
        with pytest.raises(ValidationError) as error:
            record.validate_constraints()  # the database rule, asked on its own
        assert error.value.messages == [END_BEFORE_START]


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "end", "in_order"), ORDER)
def test_date_order_in_the_database(start, end, in_order):
    record = custody(start, end)

    if in_order:
        record.save()  # no clean(): the database alone decides
        assert CustodyRecord.objects.filter(pk=record.pk).exists()
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            record.save()
        assert not CustodyRecord.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("filed", "unsealed", "in_order"),
    [
        ("8 December 2020", "December 2020", True),
        ("8 December 2020", "2020", True),
        ("8 December 2020", "November 2020", False),
    ],
)
def test_unsealed_counts_from_the_end_of_its_period(filed, unsealed, in_order):
    document = ChargingDocumentFactory.build(case=CaseFactory())
    PartialDate.parse(filed).store(document, "filed_date")
    PartialDate.parse(unsealed).store(document, "unsealed_date")

    if in_order:
        document.full_clean()
        document.save()
    else:
        with pytest.raises(ValidationError) as error:
            document.full_clean()
        assert error.value.message_dict == {
            "unsealed_date": ["A document cannot be unsealed before it was filed."]
        }
        with pytest.raises(IntegrityError), transaction.atomic():
            document.save()


@pytest.mark.django_db
def test_the_database_reads_the_end_of_each_period():
    """`PeriodEnd` in SQL gives the same day as `PartialDate.end()`, leap years and December
    included, on each database."""
    values = [
        PartialDate.parse(text)
        for text in ("15 June 2020", "February 2020", "February 2021", "December 2020", "2020")
    ]
    for value in values:
        event = CourtEventFactory(date=value.date, date_precision=value.precision)
        ends = CourtEvent.objects.filter(pk=event.pk).annotate(end=PeriodEnd("date"))
        assert ends.get().end == value.end()
