"""Partial dates: facts known to the day, the month or only the year, perhaps roughly.

One idea, one home. A partial date is stored as three columns next to each other — the calendar
date of the first day of its period, its precision and an "approximate" flag — declared on a model
in one line:

    start_date, start_date_precision, start_date_approximate = partial_date_fields("start date")

`PartialDate` is the value those three columns hold together: it sorts and filters as its date,
displays as "8 December 2023", "December 2020" or "c. 2022" and serialises as the ISO 8601
reduced-precision string "2023-12-08", "2020-12" or "2022".
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

APPROXIMATE_PREFIX = re.compile(
    r"^(c\.|ca\.|circa|about|around|approx\.?|approximately|~)\s*", re.I
)


class Precision(models.TextChoices):
    YEAR = "year", "Year"
    MONTH = "month", "Month"
    DAY = "day", "Day"


@dataclass(frozen=True)
class PartialDate:
    """A date known to a precision: `date` is the first day of the period it names."""

    date: datetime.date
    precision: str = Precision.DAY
    approximate: bool = False

    def __post_init__(self):
        if self.precision not in Precision.values:
            raise ValueError(f"Unknown date precision {self.precision!r}.")
        if self.precision == Precision.YEAR and (self.date.month, self.date.day) != (1, 1):
            raise ValueError("A date known only to the year is stored as 1 January of that year.")
        if self.precision == Precision.MONTH and self.date.day != 1:
            raise ValueError("A date known only to the month is stored as the first of that month.")

    def __str__(self):
        return self.display()

    def __lt__(self, other: PartialDate) -> bool:
        return self.date < other.date

    @classmethod
    def from_parts(cls, year, month=None, day=None, approximate=False) -> PartialDate:
        """Build from a year, an optional month and an optional day (which needs the month)."""
        if day and not month:
            raise ValueError("A day needs its month.")
        precision = Precision.DAY if day else Precision.MONTH if month else Precision.YEAR
        return cls(datetime.date(int(year), int(month or 1), int(day or 1)), precision, approximate)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read "2023-12-08", "2020-12", "2022", "8 December 2023", "December 2020", "c. 2022"…

        Raises ValueError with a message a researcher understands.
        """
        value = " ".join(str(text).replace(",", " ").split())
        approximate = False
        if match := APPROXIMATE_PREFIX.match(value):
            approximate = True
            value = value[match.end() :]
        if value.endswith("?"):
            approximate = True
            value = value[:-1].strip()
        try:
            if m := re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value):
                return cls.from_parts(*m.groups(), approximate=approximate)
            if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value):  # day/month/year
                day, month, year = m.groups()
                return cls.from_parts(year, month, day, approximate=approximate)
            words = value.lower().split()
            if len(words) == 2 and words[0] in MONTHS and words[1].isdigit():
                return cls.from_parts(words[1], MONTHS[words[0]], approximate=approximate)
            if len(words) == 3 and words[1] in MONTHS and words[0].isdigit() and words[2].isdigit():
                return cls.from_parts(words[2], MONTHS[words[1]], words[0], approximate=approximate)
            if len(words) == 3 and words[0] in MONTHS and words[1].isdigit() and words[2].isdigit():
                return cls.from_parts(words[2], MONTHS[words[0]], words[1], approximate=approximate)
        except ValueError as error:
            raise ValueError(f"“{text}” is not a real date ({error}).") from error
        raise ValueError(
            f"“{text}” is not a date this form understands. Write it as 2023-12-08, "
            "8 December 2023, 2020-12, December 2020 or 2022."
        )

    @classmethod
    def from_iso(cls, text: str, approximate: bool = False) -> PartialDate:
        """Read the ISO 8601 reduced-precision form only: "2023-12-08", "2020-12" or "2022"."""
        m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
        if not m:
            raise ValueError(f"“{text}” is not YYYY, YYYY-MM or YYYY-MM-DD.")
        return cls.from_parts(*m.groups(), approximate=approximate)

    @classmethod
    def from_instance(cls, instance: models.Model, field_name: str) -> PartialDate | None:
        """The partial date stored in `field_name` and its companions, or None when empty."""
        value = getattr(instance, field_name)
        if value is None:
            return None
        return cls(
            value,
            getattr(instance, f"{field_name}_precision") or Precision.DAY,
            getattr(instance, f"{field_name}_approximate"),
        )

    def store(self, instance: models.Model, field_name: str) -> None:
        """Write this value into `field_name` and its companions on `instance`."""
        setattr(instance, field_name, self.date)
        setattr(instance, f"{field_name}_precision", self.precision)
        setattr(instance, f"{field_name}_approximate", self.approximate)

    def iso(self) -> str:
        if self.precision == Precision.YEAR:
            return f"{self.date.year:04d}"
        if self.precision == Precision.MONTH:
            return f"{self.date.year:04d}-{self.date.month:02d}"
        return self.date.isoformat()

    def display(self) -> str:
        if self.precision == Precision.YEAR:
            text = str(self.date.year)
        elif self.precision == Precision.MONTH:
            text = f"{calendar.month_name[self.date.month]} {self.date.year}"
        else:
            text = f"{self.date.day} {calendar.month_name[self.date.month]} {self.date.year}"
        return f"c. {text}" if self.approximate else text

    def end(self) -> datetime.date:
        """The last day of the period this date names."""
        if self.precision == Precision.YEAR:
            return datetime.date(self.date.year, 12, 31)
        if self.precision == Precision.MONTH:
            last = calendar.monthrange(self.date.year, self.date.month)[1]
            return datetime.date(self.date.year, self.date.month, last)
        return self.date

    def as_dict(self) -> dict:
        return {
            "date": self.iso(),
            "precision": self.precision,
            "approximate": self.approximate,
            "display": self.display(),
        }


def partial_date_fields(verbose_name: str, *, help_text: str = ""):
    """The three columns of one partial date, to unpack into a model body."""
    return (
        models.DateField(verbose_name, null=True, blank=True, help_text=help_text),
        models.CharField(f"{verbose_name} precision", max_length=5, choices=Precision, blank=True),
        models.BooleanField(f"{verbose_name} is approximate", default=False),
    )


def partial_date_names(model: type[models.Model]) -> list[str]:
    """Names of the partial dates a model declares, in field order."""
    names = {field.name for field in model._meta.concrete_fields}
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.DateField)
        and f"{field.name}_precision" in names
        and f"{field.name}_approximate" in names
    ]


def partial_date_constraints(name: str) -> list[models.CheckConstraint]:
    """Database rules for one partial date: a precision goes with a date, and fits it."""
    precision = f"{name}_precision"
    return [
        models.CheckConstraint(
            condition=Q(**{f"{name}__isnull": True, precision: ""})
            | (Q(**{f"{name}__isnull": False}) & ~Q(**{precision: ""})),
            name=f"%(app_label)s_%(class)s_{name}_has_precision",
            violation_error_message="A date needs a precision, and a precision needs a date.",
        ),
        models.CheckConstraint(
            condition=Q(**{f"{name}__isnull": True})
            | Q(**{precision: Precision.DAY})
            | Q(**{precision: Precision.MONTH, f"{name}__day": 1})
            | Q(**{precision: Precision.YEAR, f"{name}__month": 1, f"{name}__day": 1}),
            name=f"%(app_label)s_%(class)s_{name}_fits_precision",
            violation_error_message=(
                "A date known to the month is stored as the 1st of the month, "
                "and one known to the year as 1 January."
            ),
        ),
    ]


class PeriodEnd(models.Func):
    """The last day of the period a stored partial date names, in SQL: the database's twin of
    `PartialDate.end()`, for rules such as `date_order_constraint`.

    The date column holds the first day of its period (the `fits_precision` rule), so the end is
    that day plus one year or one month, less a day. Only built-in date arithmetic that is the
    same for every row (immutable), as a CHECK constraint needs: `date()` on SQLite, date plus
    interval on PostgreSQL.
    """

    output_field = models.DateField()

    def __init__(self, name: str, **extra):
        super().__init__(F(name), F(f"{name}_precision"), **extra)

    def as_sql(self, compiler, connection, **extra_context):
        return self.period_end(compiler, connection, "(CAST({} + INTERVAL '1 {}' AS DATE) - 1)")

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.period_end(compiler, connection, "date({}, '+1 {}', '-1 day')")

    def period_end(self, compiler, connection, template: str):
        date, precision = self.get_source_expressions()
        date_sql, date_params = compiler.compile(date)
        precision_sql, precision_params = compiler.compile(precision)
        date_sql = f"CAST({date_sql} AS DATE)" if connection.vendor != "sqlite" else date_sql
        sql = (
            f"CASE {precision_sql} "
            f"WHEN '{Precision.YEAR}' THEN {template.format(date_sql, 'year')} "
            f"WHEN '{Precision.MONTH}' THEN {template.format(date_sql, 'month')} "
            f"ELSE {date_sql} END"
        )
        return sql, (*precision_params, *date_params, *date_params, *date_params)


def date_order_constraint(first: str, then: str, rule: str, message: str) -> models.CheckConstraint:
    """Database rule that the partial date `then` does not end before `first` starts.

    What counts is the end of `then`'s period and the first day of `first`'s: a custody from
    15 June 2020 until "2020" is in order, one until "2019" is not.
    """
    return models.CheckConstraint(
        condition=Q(**{f"{first}__isnull": True})
        | Q(**{f"{then}__isnull": True})
        | Q(**{f"{first}__lte": PeriodEnd(then)}),
        name=f"%(app_label)s_%(class)s_{rule}",
        violation_error_message=message,
    )


def check_date_order(instance, first: str, then: str, message: str) -> None:
    """The form-side twin of `date_order_constraint`: raise on the later field when the period
    of `then` ends before `first` starts."""
    try:
        start = PartialDate.from_instance(instance, first)
        end = PartialDate.from_instance(instance, then)
    except ValueError:
        return  # a date that does not fit its precision: its own rule reports it
    if start and end and end.end() < start.date:
        raise ValidationError({then: message})


# Forms: one input for one partial date ----------------------------------------------------------

PRECISION_AS_WRITTEN = ""
FINER = {Precision.YEAR: 0, Precision.MONTH: 1, Precision.DAY: 2}


class PartialDateWidget(forms.MultiWidget):
    template_name = "widgets/partial_date.html"

    def __init__(self, attrs=None):
        super().__init__(
            [
                forms.TextInput(
                    attrs={"placeholder": "8 December 2023, 2020-12, 2022", "size": 22}
                ),
                forms.Select(
                    choices=[(PRECISION_AS_WRITTEN, "Precision as written"), *Precision.choices]
                ),
                forms.CheckboxInput(),
            ],
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, datetime.date):
            value = PartialDate(value)
        if isinstance(value, PartialDate):
            exact = PartialDate(value.date, value.precision)
            return [exact.display(), value.precision, value.approximate]
        return [None, PRECISION_AS_WRITTEN, False]


class PartialDateFormField(forms.MultiValueField):
    """Text such as "December 2020", an optional precision and an "approximately" box."""

    widget = PartialDateWidget

    def __init__(self, **kwargs):
        kwargs.pop("max_length", None)
        super().__init__(
            fields=[
                forms.CharField(required=False),
                forms.ChoiceField(
                    required=False,
                    choices=[(PRECISION_AS_WRITTEN, "Precision as written"), *Precision.choices],
                ),
                forms.BooleanField(required=False),
            ],
            require_all_fields=False,
            **kwargs,
        )

    def compress(self, data_list):
        text, precision, approximate = ([*list(data_list), None, None, None])[:3]
        text = (text or "").strip()
        if not text:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            if precision:
                raise ValidationError(
                    "Enter the date, or set the precision back to “as written”.", code="no_date"
                )
            return None
        try:
            value = PartialDate.parse(text)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from error
        if precision and FINER[precision] > FINER[value.precision]:
            raise ValidationError(
                f"{Precision(precision).label} precision needs a "
                f"{Precision(precision).label.lower()}: “{text}” gives only the "
                f"{Precision(value.precision).label.lower()}. Add the missing part, or choose "
                f"{Precision(value.precision).label} precision.",
                code="precision_without_part",
            )
        if precision and precision != value.precision:
            parts = value.date.year, value.date.month if precision != Precision.YEAR else None
            value = PartialDate.from_parts(*parts)
        return PartialDate(value.date, value.precision, bool(approximate) or value.approximate)


class PartialDateModelForm(forms.ModelForm):
    """A ModelForm that edits each partial date of its model through one `PartialDateFormField`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.partial_dates = [n for n in partial_date_names(self._meta.model) if n in self.fields]
        for name in self.partial_dates:
            model_field = self._meta.model._meta.get_field(name)
            self.fields[name] = PartialDateFormField(
                label=self.fields[name].label,
                required=not model_field.blank,
                help_text=model_field.help_text,
            )
            for companion in (f"{name}_precision", f"{name}_approximate"):
                self.fields.pop(companion, None)
            if self.instance.pk and name not in self.initial:
                self.initial[name] = PartialDate.from_instance(self.instance, name)
            elif isinstance(self.initial.get(name), datetime.date):
                self.initial[name] = PartialDate.from_instance(self.instance, name) or (
                    PartialDate(self.initial[name])
                )

    def clean(self):
        cleaned_data = super().clean()
        for name in self.partial_dates:
            if name not in cleaned_data:
                continue  # the field has its own error already
            value = cleaned_data[name]
            if value is None:
                cleaned_data[name] = None
                setattr(self.instance, f"{name}_precision", "")
                setattr(self.instance, f"{name}_approximate", False)
            else:
                value.store(self.instance, name)
                cleaned_data[name] = value.date
        return cleaned_data
