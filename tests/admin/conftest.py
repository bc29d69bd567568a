import datetime
from html.parser import HTMLParser

import pytest

from cases import models as cases
from tests import factories


@pytest.fixture
def crook_case(db):
    """The seed case, in part: court, case, a named defendant with an alias, an indictment, a
    charge, an arraignment with a plea, an extradition refusal, custody, and a cited source."""
    court = factories.CourtFactory(
        name="U.S. District Court for the Eastern District of New York", short_name="E.D.N.Y."
    )
    case = factories.CaseFactory(
        title="United States v. Canales Rivera et al.", court=court, defendant_count=14
    )
    crook = factories.PersonFactory(name="Élmer Canales Rivera", slug="elmer-canales-rivera")
    factories.AliasFactory(person=crook, name="Crook")
    diablito = factories.PersonFactory(
        name="Borromeo Enrique Henriquez", slug="borromeo-enrique-henriquez"
    )
    factories.AliasFactory(person=diablito, name="Diablito de Hollywood")
    defendant = factories.DefendantFactory(case=case, person=crook)
    factories.DefendantFactory(case=case, person=diablito)
    document = factories.ChargingDocumentFactory(case=case)
    charge = factories.ChargeFactory(document=document, defendant=defendant, count_number=1)
    arraignment = factories.CourtEventFactory(case=case, court=court)
    factories.AppearanceFactory(event=arraignment, defendant=defendant)
    factories.ExtraditionRequestFactory(person=crook, case=case)
    factories.CustodyRecordFactory(
        person=crook, status=cases.CustodyStatus.ARRESTED, custodian_country="MX"
    )
    ms13 = factories.OrganizationFactory(name="MS13", slug="ms13")
    factories.OrganizationAliasFactory(organization=ms13, name="Mara Salvatrucha")
    factories.OrganizationFactory(name="Ranfla histórica", slug="ranfla-historica", parent=ms13)
    factories.MembershipFactory(person=crook, organization=ms13, role="leader")
    source = factories.SourceFactory(
        title="US Terrorism Trial of MS13 Leader Could Expose El Salvador Gang Talks",
        publisher="InSight Crime",
        publication_date=datetime.date(2023, 12, 11),
        publication_date_precision="day",
    )
    factories.CitationFactory(source=source, record=case)
    return {
        "court": court,
        "case": case,
        "crook": crook,
        "diablito": diablito,
        "defendant": defendant,
        "document": document,
        "charge": charge,
        "arraignment": arraignment,
        "ms13": ms13,
        "source": source,
    }


class _FormValues(HTMLParser):
    """What a browser would submit from the admin's model form, left as rendered."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, list[str]] = {}
        self.in_form = False
        self.select = None  # (name, multiple, options, selected)
        self.textarea = None

    def add(self, name, value):
        if name:
            self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("id") or "").endswith("_form"):
            self.in_form = True
        if not self.in_form:
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.add(attrs.get("name"), attrs.get("value", "on"))
                return
            self.add(attrs.get("name"), attrs.get("value") or "")
        elif tag == "select":
            self.select = [attrs.get("name"), "multiple" in attrs, [], []]
        elif tag == "option" and self.select is not None:
            value = attrs.get("value")
            self.select[2].append(value)
            if "selected" in attrs:
                self.select[3].append(value)
        elif tag == "textarea":
            self.textarea = [attrs.get("name"), ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "select" and self.select is not None:
            name, multiple, options, selected = self.select
            chosen = selected if (selected or multiple) else options[:1]
            for value in chosen:
                self.add(name, value or "")
            if multiple and not chosen and name:
                self.values.setdefault(name, [])
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.add(name, text.removeprefix("\n"))
            self.textarea = None


def form_values(response) -> dict[str, list[str]]:
    """The values the admin page's form would post if submitted untouched.

    As in a browser, that includes the hidden template row of each inline ("__prefix__"), which
    Django ignores; `add_row` copies its defaults into a new row.
    """
    parser = _FormValues()
    parser.feed(response.content.decode())
    return {name: values for name, values in parser.values.items() if values}


def add_row(data, prefix, **fields):
    """Fill a new row of the `prefix` inline, as "Add another" does (empty rows are skipped)."""
    row = int(data[f"{prefix}-TOTAL_FORMS"][0])
    data[f"{prefix}-TOTAL_FORMS"] = [str(row + 1)]
    template = f"{prefix}-__prefix__-"
    for name, values in list(data.items()):
        if name.startswith(template):
            data[f"{prefix}-{row}-{name.removeprefix(template)}"] = values
    for name, value in fields.items():
        data[f"{prefix}-{row}-{name}"] = [value]
    return data
