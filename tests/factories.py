"""factory_boy factories for every domain model and the sign-in records. Records are published
unless a test says not."""

import datetime

import factory
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.db import connection

from cases import models as cases
from casetracker.publication import Publication
from people import models as people


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("a-long-test-password")


class PublishedFactory(factory.django.DjangoModelFactory):
    publication = Publication.PUBLISHED

    class Meta:
        abstract = True


class PersonFactory(PublishedFactory):
    class Meta:
        model = people.Person

    name = factory.Sequence(lambda n: f"Persona Ñúmero {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    nationalities = ["SV"]


class AliasFactory(PublishedFactory):
    class Meta:
        model = people.Alias

    person = factory.SubFactory(PersonFactory)
    name = factory.Sequence(lambda n: f"Apodo {n}")


class OrganizationFactory(PublishedFactory):
    class Meta:
        model = people.Organization

    name = factory.Sequence(lambda n: f"Organización {n}")
    slug = factory.Sequence(lambda n: f"organization-{n}")
    countries = ["SV"]


class OrganizationAliasFactory(PublishedFactory):
    class Meta:
        model = people.OrganizationAlias

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Org alias {n}")


class MembershipFactory(PublishedFactory):
    class Meta:
        model = people.Membership

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "member"


class SourceFactory(PublishedFactory):
    class Meta:
        model = cases.Source

    title = factory.Sequence(lambda n: f"Source article {n}")
    publisher = "Example News"
    url = factory.Sequence(lambda n: f"https://news.example.org/{n}")
    language = "en"


def store_refused_link(source: cases.Source, url: str) -> None:
    """Put `url` in the source's row past the database's rule, as a row written before the
    rule existed would hold it (inside the test's transaction, which undoes it)."""
    table = connection.ops.quote_name(cases.Source._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = ON")
        else:  # checking the foreign keys now lets the table be altered in this transaction
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS cases_source_url_is_web_address"
            )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        try:
            cursor.execute(f"UPDATE {table} SET url = %s WHERE id = %s", [url, source.pk])
        finally:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA ignore_check_constraints = OFF")
    source.refresh_from_db()


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.Citation

    source = factory.SubFactory(SourceFactory)
    record = factory.SubFactory(PersonFactory)


class CourtFactory(PublishedFactory):
    class Meta:
        model = cases.Court

    name = factory.Sequence(lambda n: f"District Court {n}")
    short_name = factory.Sequence(lambda n: f"D.C. {n}")
    slug = factory.Sequence(lambda n: f"court-{n}")
    country = "US"


class CaseFactory(PublishedFactory):
    class Meta:
        model = cases.Case

    title = factory.Sequence(lambda n: f"United States v. Defendant {n}")
    slug = factory.Sequence(lambda n: f"case-{n}")
    court = factory.SubFactory(CourtFactory)
    status = cases.CaseStatus.PRE_TRIAL


class DefendantFactory(PublishedFactory):
    class Meta:
        model = cases.Defendant

    case = factory.SubFactory(CaseFactory)
    person = factory.SubFactory(PersonFactory)


class ChargingDocumentFactory(PublishedFactory):
    class Meta:
        model = cases.ChargingDocument

    case = factory.SubFactory(CaseFactory)
    kind = cases.DocumentKind.INDICTMENT
    filed_date = datetime.date(2020, 12, 1)
    filed_date_precision = "month"


class ChargeFactory(PublishedFactory):
    class Meta:
        model = cases.Charge

    document = factory.SubFactory(ChargingDocumentFactory)
    defendant = factory.SubFactory(DefendantFactory, case=factory.SelfAttribute("..document.case"))
    count_number = factory.Sequence(lambda n: n + 1)
    statute = "18 U.S.C. § 2339A"
    description = "Conspiracy to provide material support to terrorists"
    category = cases.ChargeCategory.TERRORISM


class CourtEventFactory(PublishedFactory):
    class Meta:
        model = cases.CourtEvent

    case = factory.SubFactory(CaseFactory)
    kind = cases.EventKind.ARRAIGNMENT
    status = cases.EventStatus.HELD
    date = datetime.date(2023, 12, 8)
    date_precision = "day"
    place = "Central Islip, New York"
    country = "US"


class AppearanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.Appearance

    event = factory.SubFactory(CourtEventFactory)
    defendant = factory.SubFactory(DefendantFactory, case=factory.SelfAttribute("..event.case"))
    plea = cases.Plea.NOT_GUILTY


class ExtraditionRequestFactory(PublishedFactory):
    class Meta:
        model = cases.ExtraditionRequest

    person = factory.SubFactory(PersonFactory)
    requesting_country = "US"
    requested_country = "SV"
    status = cases.ExtraditionStatus.REFUSED


class CustodyRecordFactory(PublishedFactory):
    class Meta:
        model = cases.CustodyRecord

    person = factory.SubFactory(PersonFactory)
    status = cases.CustodyStatus.DETAINED
    custodian_country = "US"
    start_date = datetime.date(2023, 11, 9)
    start_date_precision = "day"


# Sign-in records (django-axes) -------------------------------------------------------------------


class SignInRecordFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    ip_address = factory.Sequence(lambda n: f"192.0.2.{n % 250 + 1}")
    user_agent = "Mozilla/5.0"
    http_accept = "text/html"
    path_info = "/admin/login/"


class AccessAttemptFactory(SignInRecordFactory):
    class Meta:
        model = AccessAttempt

    get_data = ""
    post_data = ""
    failures_since_start = 5


class AccessLogFactory(SignInRecordFactory):
    class Meta:
        model = AccessLog


class AccessFailureLogFactory(SignInRecordFactory):
    class Meta:
        model = AccessFailureLog
