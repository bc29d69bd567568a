import datetime

import pytest
from django.test import Client

from cases import models as cases
from casetracker.publication import Publication
from tests import factories as f

D = datetime.date
DRAFT = Publication.DRAFT


class Api:
    """A partner site calling the API: `api.get("cases/", status="charged")`."""

    def __init__(self):
        self.client = Client()

    def get(self, path: str, headers=None, **params):
        url = path if path.startswith(("/", "http")) else f"/api/v1/{path}"
        return self.client.get(url, params, headers=headers or {})

    def json(self, path: str, **params):
        response = self.get(path, **params)
        assert response.status_code == 200, response.content[:500]
        return response.json()

    def results(self, path: str, **params) -> list[dict]:
        return self.json(path, **params)["results"]

    def keys(self, path: str, key: str = "slug", **params) -> list:
        return [row[key] for row in self.results(path, **params)]


@pytest.fixture
def api(db):
    return Api()


def full_case(defendants: int = 1, *, case=None, court=None, organization=None, source=None):
    """A published case whose every kind of fact is present and cited, `defendants` times."""
    court = court or f.CourtFactory()
    case = case or f.CaseFactory(court=court)
    organization = organization or f.OrganizationFactory()
    source = source or f.SourceFactory()
    case.organizations.add(organization)
    f.CitationFactory(record=case, source=source, quote="the case")
    document = f.ChargingDocumentFactory(case=case)
    f.CitationFactory(record=document, source=source)
    for n in range(defendants):
        person = f.PersonFactory()
        f.CitationFactory(record=person, source=source)
        f.AliasFactory(person=person)
        membership = f.MembershipFactory(person=person, organization=organization)
        f.CitationFactory(record=membership, source=source)
        defendant = f.DefendantFactory(case=case, person=person)
        f.CitationFactory(record=defendant, source=source)
        charge = f.ChargeFactory(document=document, defendant=defendant)
        f.CitationFactory(record=charge, source=source)
        event = f.CourtEventFactory(case=case, court=court, date=D(2023, 12, 1 + n % 28))
        f.AppearanceFactory(event=event, defendant=defendant)
        f.CitationFactory(record=event, source=source)
        request = f.ExtraditionRequestFactory(
            person=person, case=case, request_date=D(2021, 1, 1), request_date_precision="year"
        )
        f.CitationFactory(record=request, source=source)
        for start, end in ((D(2021, 1, 1), D(2023, 11, 9)), (D(2023, 11, 9), None)):
            record = f.CustodyRecordFactory(
                person=person,
                status=cases.CustodyStatus.DETAINED
                if end is None
                else cases.CustodyStatus.FUGITIVE,
                start_date=start,
                start_date_precision="day",
                end_date=end,
                end_date_precision="day" if end else "",
            )
            f.CitationFactory(record=record, source=source)
    return case
