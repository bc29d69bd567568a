"""A published case shaped like the seed (Crook in the Eastern District of New York), built with
the factories and published, for the page and browser tests."""

import datetime
from types import SimpleNamespace

from cases.models import (
    CaseStatus,
    ChargeCategory,
    CustodyStatus,
    DefendantStatus,
    EventKind,
    ExtraditionStatus,
    Plea,
)
from tests import factories as f
from tests.publishing import publish_all

D = datetime.date


def build_crook_case():
    """Crook's case: an indictment of December 2020, his release c. 2021, arrest in Mexico on
    9 November 2023, a first appearance in Houston and a not-guilty plea on 8 December 2023."""
    court = f.CourtFactory(
        name="U.S. District Court for the Eastern District of New York",
        short_name="E.D.N.Y.",
        slug="edny",
        country="US",
        seats="Brooklyn; Central Islip",
    )
    ms13 = f.OrganizationFactory(name="MS13", slug="ms13", countries=["SV", "US"])
    f.OrganizationAliasFactory(organization=ms13, name="Mara Salvatrucha")
    ranfla = f.OrganizationFactory(
        name="Ranfla histórica", slug="ranfla-historica", parent=ms13, kind="leadership"
    )
    case = f.CaseFactory(
        title="MS13 Ranfla histórica terrorism case (E.D.N.Y.)",
        slug="ms13-ranfla-historica-edny",
        court=court,
        status=CaseStatus.PRE_TRIAL,
        summary="US federal prosecutors charged 14 MS13 leaders in December 2020.",
        defendant_count=14,
    )
    case.organizations.add(ms13)
    crook = f.PersonFactory(
        name="Élmer Canales Rivera",
        slug="elmer-canales-rivera",
        summary="MS13 leader, member of the Ranfla histórica.",
    )
    f.AliasFactory(person=crook, name="Crook")
    f.MembershipFactory(person=crook, organization=ms13, role="leader")
    f.MembershipFactory(person=crook, organization=ranfla, role="member")
    diablito = f.PersonFactory(name="Borromeo Enrique Henriquez", slug="borromeo")
    f.AliasFactory(person=diablito, name="Diablito de Hollywood")
    f.MembershipFactory(person=diablito, organization=ms13, role="highest-ranking leader")

    defendant = f.DefendantFactory(case=case, person=crook, status=DefendantStatus.PRE_TRIAL)
    f.DefendantFactory(case=case, person=diablito, status=DefendantStatus.CHARGED)
    indictment = f.ChargingDocumentFactory(
        case=case, filed_date=D(2020, 12, 1), filed_date_precision="month"
    )
    f.ChargeFactory(
        document=indictment,
        defendant=defendant,
        count_number=None,
        statute="",
        description="Narco-terrorism",
        category=ChargeCategory.NARCOTICS,
    )
    f.ChargeFactory(
        document=indictment,
        defendant=defendant,
        count_number=None,
        description="Conspiracy to provide material support to terrorists",
        category=ChargeCategory.TERRORISM,
    )
    f.ExtraditionRequestFactory(
        person=crook,
        case=case,
        requesting_country="US",
        requested_country="SV",
        status=ExtraditionStatus.REFUSED,
        deciding_body="Government of El Salvador",
    )
    f.CustodyRecordFactory(
        person=crook,
        status=CustodyStatus.RELEASED,
        custodian_country="",
        place="El Salvador",
        start_date=D(2021, 1, 1),
        start_date_precision="year",
        start_date_approximate=True,
        end_date=D(2021, 1, 1),
        end_date_precision="year",
        end_date_approximate=True,
    )
    f.CustodyRecordFactory(
        person=crook,
        status=CustodyStatus.ARRESTED,
        custodian="Mexican authorities",
        custodian_country="MX",
        place="Mexico",
        start_date=D(2023, 11, 9),
        start_date_precision="day",
        end_date=D(2023, 11, 9),
        end_date_precision="day",
    )
    held = f.CustodyRecordFactory(
        person=crook,
        status=CustodyStatus.DETAINED,
        custodian_country="US",
        start_date=D(2023, 11, 9),
        start_date_precision="day",
        start_date_approximate=True,
    )
    houston = f.CourtEventFactory(
        case=case,
        kind=EventKind.INITIAL_APPEARANCE,
        date=D(2023, 11, 9),
        date_precision="day",
        date_approximate=True,
        place="Houston, Texas",
        country="US",
    )
    f.AppearanceFactory(event=houston, defendant=defendant, plea="")
    arraignment = f.CourtEventFactory(
        case=case,
        kind=EventKind.ARRAIGNMENT,
        date=D(2023, 12, 8),
        date_precision="day",
        court=court,
        place="Central Islip, New York",
    )
    f.AppearanceFactory(event=arraignment, defendant=defendant, plea=Plea.NOT_GUILTY)

    article = f.SourceFactory(
        title="US Terrorism Trial of MS13 Leader Could Expose El Salvador Gang Talks",
        publisher="InSight Crime",
        authors="Parker Asmann, Alex Papadovassilakis",
        publication_date=D(2023, 12, 11),
        publication_date_precision="day",
    )
    f.CitationFactory(
        record=arraignment,
        source=article,
        quote="entered the plea during his December 8 arraignment",
    )
    f.CitationFactory(record=indictment, source=article, quote="indicted Crook … in December 2020")
    f.CitationFactory(record=held, source=article, quote="in US custody")
    f.CitationFactory(record=case, source=article)
    publish_all()
    return SimpleNamespace(
        case=case,
        court=court,
        crook=crook,
        diablito=diablito,
        defendant=defendant,
        indictment=indictment,
        arraignment=arraignment,
        houston=houston,
        held=held,
        article=article,
        ms13=ms13,
        ranfla=ranfla,
    )
