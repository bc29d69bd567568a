"""Synthetic data for load and scale testing: realistic in shape, unmistakably made up.

`generate(cases=N, seed=S)` adds N published cases with their courts, organizations, people
(accented names, aliases, memberships), multi-defendant line-ups and 5 to 40 dated facts per case
of every kind (charging documents and charges, court events with pleas, extradition requests,
custody), at mixed date precisions. The same seed gives the same data. `remove()` takes it all
out again, and nothing else.

How the data is marked, so that nobody mistakes it for research and removal is exact:
- every person, organization, court and case has a slug starting with "synthetic-";
- every source has a link under https://synthetic.invalid/ (a domain that cannot exist), and the
  main one is called "Synthetic data";
- every record that can cite a source cites "Synthetic data".

Rows are bulk-inserted in batches of cases, each batch in one transaction. `bulk_create` fills
the folded search columns but writes no history (simple-history listens to `save()` only), and it
does not move any "last updated" time: the generator sets `created_at` and `updated_at` itself, a
case or person last updated no earlier than any of its facts, as the research workflow keeps them.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction

from casetracker.bulk import delete_rows
from casetracker.dates import PartialDate, Precision
from casetracker.publication import Publication
from people.models import (
    Alias,
    AliasKind,
    Membership,
    Organization,
    OrganizationAlias,
    OrganizationKind,
    Person,
)

from .models import (
    Appearance,
    Case,
    CaseStatus,
    Charge,
    ChargeCategory,
    ChargingDocument,
    Citation,
    Court,
    CourtEvent,
    CustodyRecord,
    CustodyStatus,
    Defendant,
    DefendantStatus,
    Disposition,
    DocumentKind,
    EventKind,
    EventStatus,
    ExtraditionRequest,
    ExtraditionStatus,
    Plea,
    Source,
    SourceKind,
)

PREFIX = "synthetic-"
SOURCE_TITLE = "Synthetic data"
SOURCE_URL = "https://synthetic.invalid/"
PUBLISHED = Publication.PUBLISHED
UTC = datetime.UTC

# Courts, organizations and extra sources are shared by all cases. Their number is fixed, so the
# first N cases of a seed are the same whatever the number of cases asked for (a benchmark on
# 10,000 and on 100,000 cases reads the same case).
COURTS = 60
ORGANIZATIONS = 400
SOURCES = 300
REUSED_PERSON = 0.12  # chance that a defendant already stands trial in another synthetic case
# ... one of the people of the last few thousand cases (prosecutions of the same network come
# together), so that early cases keep their people whatever the number of cases made.
RECENT_PEOPLE = 5000


def words(text: str, separator: str = " ") -> list[str]:
    return text.split(separator)


GIVEN = words(
    "José Élmer Jesús Ángel Óscar Raúl Héctor Néstor Iván Rubén Andrés Sebastián Julián "
    "Adrián Martín Joaquín Ramón Tomás Nicolás Efraín Marvin Wílber Édgar Álvaro Germán "
    "Abigaíl Lucía Sofía Inés Mónica Verónica Beatriz Rocío María Dalia Yésica Noé Moisés "
    "Ezequiel Fermín Ismael"
)
FAMILY = words(
    "Hernández García Martínez López González Pérez Rodríguez Sánchez Ramírez Cruz Flores "
    "Gómez Díaz Reyes Morales Jiménez Ruiz Álvarez Vásquez Castillo Ortiz Gutiérrez Chávez "
    "Ramos Herrera Medina Aguilar Vargas Castro Núñez Domínguez Peña Guzmán Muñoz Suárez "
    "Rivera Canales Orellana Menjívar Quiñónez Argueta Bonilla Escobar Fuentes Galdámez "
    "Lemus Portillo Umaña Zelaya Ávila"
)
NICKNAMES = words(
    "Flaco Cobra Chepe Diablito Sniper Tigre Gordo Chino Cuervo Payaso Zorro Gato Lobo "
    "Piolín Chucky Pelón Viejo Sombra Tortuga Conejo Trueno Rayo Demonio Duende Brujo Mono "
    "Shaggy Pollo Cholo Oso Pirata Fantasma Araña Negro Güero Chele Enano Tachuela Cabezón"
)
PLACES = words(
    "San Miguel|Santa Ana|Soyapango|Mejicanos|Usulután|Sonsonate|Chalatenango|Tegucigalpa|"
    "San Pedro Sula|Choloma|Quetzaltenango|Escuintla|Culiacán|Tijuana|Reynosa|Matamoros|"
    "Cúcuta|Medellín|Houston|Los Ángeles|Long Island|Charlotte|Nashville|Omaha|Newark|Queens|"
    "Bogotá|Valencia|Málaga|Ciudad Juárez",
    "|",
)
GANG_WORDS = words(
    "Locos|Normandie|Fulton|Hollywood|Sailors|Coronados|Pinos|Centrales|Guanacos|Vatos|"
    "Stoners|Teclas|Criminales|Revolucionarios|Sureños|Tepeyac|Peluches|Fénix|Catrachos|"
    "Perrones",
    "|",
)
COUNTRIES = ["US", "SV", "HN", "GT", "MX", "CO", "ES", "CR", "PA", "NI"]
STATUTES = {
    ChargeCategory.TERRORISM: ("18 U.S.C. § 2339A", "Conspiracy to provide material support"),
    ChargeCategory.NARCOTICS: ("21 U.S.C. § 846", "Conspiracy to distribute cocaine"),
    ChargeCategory.RACKETEERING: ("18 U.S.C. § 1962(d)", "Racketeering conspiracy"),
    ChargeCategory.VIOLENCE: ("18 U.S.C. § 1959", "Murder in aid of racketeering"),
    ChargeCategory.WEAPONS: ("18 U.S.C. § 924(c)", "Use of a firearm in a crime of violence"),
    ChargeCategory.MONEY_LAUNDERING: ("18 U.S.C. § 1956(h)", "Money laundering conspiracy"),
    ChargeCategory.EXTORTION: ("18 U.S.C. § 1951", "Hobbs Act extortion"),
    ChargeCategory.SMUGGLING: ("8 U.S.C. § 1324", "Alien smuggling conspiracy"),
    ChargeCategory.CORRUPTION: ("Art. 325 Código Penal", "Cohecho propio"),
    ChargeCategory.OTHER: ("", "Illegal association"),
}
CASE_STATUS_WEIGHTS = {
    CaseStatus.INVESTIGATION: 4,
    CaseStatus.CHARGED: 12,
    CaseStatus.PRE_TRIAL: 30,
    CaseStatus.TRIAL: 6,
    CaseStatus.CONVICTED: 10,
    CaseStatus.ACQUITTED: 2,
    CaseStatus.DISMISSED: 3,
    CaseStatus.SENTENCED: 22,
    CaseStatus.APPEAL: 5,
    CaseStatus.CLOSED: 6,
}
TIMELINE_START = datetime.date(2005, 1, 1)
TIMELINE_END = datetime.date(2026, 6, 30)
FUTURE_START = datetime.date(2027, 1, 4)  # scheduled hearings: after any clock this code will see
EPOCH = datetime.datetime(2019, 1, 1, tzinfo=UTC)  # records are created from here on


# Marking and removing ---------------------------------------------------------------------------


def synthetic_sources():
    return Source.objects.filter(url__startswith=SOURCE_URL)


def synthetic(model: type[models.Model]) -> models.QuerySet:
    """The synthetic rows of `model`, found through their own slug or their owners' slugs."""
    slugged = models.Q(slug__startswith=PREFIX)
    case = models.Q(case__slug__startswith=PREFIX)
    person = models.Q(person__slug__startswith=PREFIX)
    conditions = {
        Source: models.Q(url__startswith=SOURCE_URL),
        Court: slugged,
        Organization: slugged,
        Person: slugged,
        Case: slugged,
        OrganizationAlias: models.Q(organization__slug__startswith=PREFIX),
        Alias: person,
        Membership: person | models.Q(organization__slug__startswith=PREFIX),
        Defendant: case | person,
        ChargingDocument: case,
        Charge: models.Q(document__case__slug__startswith=PREFIX)
        | models.Q(defendant__person__slug__startswith=PREFIX),
        CourtEvent: case,
        Appearance: models.Q(event__case__slug__startswith=PREFIX)
        | models.Q(defendant__person__slug__startswith=PREFIX),
        ExtraditionRequest: case | person,
        CustodyRecord: person,
    }
    return model.objects.filter(conditions[model])


# Children before the records they point to.
REMOVAL_ORDER = [
    Appearance,
    Charge,
    ChargingDocument,
    CourtEvent,
    ExtraditionRequest,
    CustodyRecord,
    Defendant,
    Membership,
    Alias,
    OrganizationAlias,
    Case,
    Person,
    Organization,
    Court,
    Source,
]
CITING = [
    Source,
    Person,
    Alias,
    Organization,
    OrganizationAlias,
    Membership,
    Case,
    Defendant,
    ChargingDocument,
    Charge,
    CourtEvent,
    ExtraditionRequest,
    CustodyRecord,
]


def remove() -> dict[str, int]:
    """Delete every synthetic record (and nothing else); returns the rows deleted per model."""
    removed: dict[str, int] = {}
    with transaction.atomic():
        citations = Citation.objects.filter(source__in=synthetic_sources())
        for model in CITING:  # a citation of a synthetic record, whatever source it cites
            if model is Source:
                continue
            kind = ContentType.objects.get_for_model(model)
            citations |= Citation.objects.filter(
                content_type=kind, object_id__in=synthetic(model).values("pk")
            )
        removed["citation"] = delete_rows(citations)
        links = Case.organizations.through.objects.filter(
            models.Q(case__slug__startswith=PREFIX)
            | models.Q(organization__slug__startswith=PREFIX)
        )
        removed["case organization"] = delete_rows(links)
        for model in REMOVAL_ORDER:
            if model is Organization:  # sub-groups first (the generator nests one level deep)
                removed["organization"] = delete_rows(
                    synthetic(Organization).filter(parent__slug__startswith=PREFIX)
                )
            count = delete_rows(synthetic(model))
            removed[model._meta.model_name] = removed.get(model._meta.model_name, 0) + count
    return removed


def exists() -> bool:
    return synthetic(Case).exists() or synthetic_sources().exists()


# Generating -------------------------------------------------------------------------------------

TIMESTAMPED = [
    Source,
    Court,
    Organization,
    OrganizationAlias,
    Person,
    Alias,
    Membership,
    Case,
    Defendant,
    ChargingDocument,
    Charge,
    CourtEvent,
    ExtraditionRequest,
    CustodyRecord,
]


@contextmanager
def own_timestamps() -> Iterator[None]:
    """Let the generator set `created_at` and `updated_at` itself (they are auto fields)."""
    fields = [
        field
        for model in TIMESTAMPED
        for field in model._meta.concrete_fields
        if field.name in ("created_at", "updated_at")
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def dated(name: str, value: PartialDate | None) -> dict:
    """Model keyword arguments for the partial date `name`."""
    if value is None:
        return {name: None, f"{name}_precision": "", f"{name}_approximate": False}
    return {
        name: value.date,
        f"{name}_precision": value.precision,
        f"{name}_approximate": value.approximate,
    }


class Generator:
    """One run: a random stream from the seed, shared records, then batches of cases."""

    def __init__(self, seed: int):
        self.seed = seed
        self.rng = random.Random(seed)  # shared records; each case then has its own stream
        self.kinds = {model: ContentType.objects.get_for_model(model) for model in CITING}
        self.citations: list[Citation] = []
        self.people: list[int] = []  # people of earlier batches, who may stand trial again
        self.batch_people: list[Person] = []  # people of this batch, not saved yet
        self.person_number = 0

    # Random pieces --------------------------------------------------------------------------

    def day(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    def partial(self, start: datetime.date, end: datetime.date, *, not_before=None) -> PartialDate:
        """A date between `start` and `end`, known to the day mostly, else to the month or year,
        sometimes only roughly; its stored value never falls before `not_before`."""
        when = self.day(start, end)
        roll = self.rng.random()
        if roll < 0.72:
            value = PartialDate(when, Precision.DAY, self.rng.random() < 0.03)
        elif roll < 0.92:
            value = PartialDate(when.replace(day=1), Precision.MONTH, self.rng.random() < 0.15)
        else:
            value = PartialDate(
                datetime.date(when.year, 1, 1), Precision.YEAR, self.rng.random() < 0.3
            )
        if not_before is not None and value.date < not_before:
            value = PartialDate(when, Precision.DAY)
        return value

    def moment(self, after: datetime.datetime, days: int) -> datetime.datetime:
        return after + datetime.timedelta(seconds=self.rng.randint(0, days * 86400))

    def stamps(self, created: datetime.datetime, days: int = 200) -> dict:
        updated = self.moment(created, days)
        return {
            "publication": PUBLISHED,
            "created_at": created,
            "updated_at": updated,
            "published_at": created,
        }

    def cite(self, records, *, quote_chance: float = 0.2) -> None:
        """Every record cites "Synthetic data"; some also cite a synthetic report, with a quote."""
        for record in records:
            kind = self.kinds[type(record)]
            self.citations.append(
                Citation(source=self.main_source, content_type=kind, object_id=record.pk)
            )
            if self.rng.random() < quote_chance:
                report = self.rng.choice(self.sources)
                self.citations.append(
                    Citation(
                        source=report,
                        content_type=kind,
                        object_id=record.pk,
                        quote=f"Synthetic quote {self.rng.randint(1, 99999)}: not a real fact.",
                        page=str(self.rng.randint(1, 80)),
                    )
                )

    def flush_citations(self) -> None:
        Citation.objects.bulk_create(self.citations, batch_size=5000)
        self.citations = []

    # Shared records -------------------------------------------------------------------------

    def shared(self) -> None:
        rng = self.rng
        created = EPOCH
        (self.main_source,) = Source.objects.bulk_create(
            [
                Source(
                    title=SOURCE_TITLE,
                    kind=SourceKind.OTHER,
                    publisher="casetracker generate_synthetic",
                    url=SOURCE_URL,
                    language="en",
                    notes="Made-up records for load testing. Remove them with "
                    "`python manage.py generate_synthetic --remove`.",
                    **self.stamps(created, 0),
                )
            ]
        )
        self.sources = Source.objects.bulk_create(
            [
                Source(
                    title=f"{SOURCE_TITLE}: report {n}",
                    kind=rng.choice(SourceKind.values),
                    publisher=f"Synthetic Press {n % 17}",
                    authors=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                    url=f"{SOURCE_URL}report/{n}",
                    language=rng.choice(["en", "es"]),
                    **dated("publication_date", self.partial(TIMELINE_START, TIMELINE_END)),
                    **self.stamps(created, 30),
                )
                for n in range(1, SOURCES + 1)
            ]
        )
        court_count = COURTS
        self.courts = Court.objects.bulk_create(
            [
                Court(
                    name=f"Synthetic court of {place} ({n})",
                    short_name=f"S.C. {n}",
                    slug=f"{PREFIX}court-{n}",
                    country=rng.choice(COUNTRIES),
                    seats=place,
                    **self.stamps(created, 30),
                )
                for n, place in ((n, rng.choice(PLACES)) for n in range(1, court_count + 1))
            ]
        )
        organization_count = ORGANIZATIONS
        groups = []
        for n in range(1, organization_count + 1):
            word, place = rng.choice(GANG_WORDS), rng.choice(PLACES)
            kind = rng.choice(
                [OrganizationKind.GANG] * 4 + [OrganizationKind.CARTEL, OrganizationKind.OTHER]
            )
            name = (
                f"{word} de {place} {n}" if kind == OrganizationKind.GANG else f"Cártel {word} {n}"
            )
            groups.append(
                Organization(
                    name=name,
                    slug=f"{PREFIX}organization-{n}",
                    kind=kind,
                    countries=rng.sample(COUNTRIES, rng.randint(1, 3)),
                    summary=f"A made-up organization for load testing ({SOURCE_TITLE}).",
                    **self.stamps(created, 60),
                )
            )
        self.organizations = Organization.objects.bulk_create(groups)
        # a quarter of the groups are cliques of one of the first six
        for group in self.organizations[6::4]:
            group.parent = rng.choice(self.organizations[:6])
        Organization.objects.bulk_update(self.organizations[6::4], ["parent"])
        aliases = OrganizationAlias.objects.bulk_create(
            [
                OrganizationAlias(
                    organization=group,
                    name=f"{group.name.split()[0][:3].upper()}-{n}",
                    **self.stamps(group.created_at, 10),
                )
                for group in self.organizations
                for n in range(rng.randint(0, 2))
            ]
        )
        self.cite([*self.organizations, *aliases], quote_chance=0.1)
        self.flush_citations()
        # the biggest groups show up in most cases, as MS13 does in the real data
        self.organization_weights = [1 / (n + 1) for n in range(len(self.organizations))]

    # Cases ----------------------------------------------------------------------------------

    def batch(self, first: int, count: int) -> None:
        """Cases `first` to `first + count - 1`, with everything in them.

        Each case draws from its own random stream (`plan`), so a case is the same whatever
        the cases around it; the batch only groups the inserts.
        """
        plans = [self.plan(number) for number in range(first, first + count)]

        def each(make):
            """Records made for every case of the batch, each from its case's stream."""
            made = []
            for plan in plans:
                self.rng = plan["rng"]
                records = list(make(plan))
                plan["records"].extend(records)
                made.extend(records)
            return made

        # People: new ones first, so that their ids are known.
        new_people = [person for plan in plans for person in plan["new_people"]]
        Person.objects.bulk_create(new_people, batch_size=2000)
        aliases = each(lambda plan: self.aliases(plan["new_people"]))
        memberships = each(lambda plan: self.memberships(plan["new_people"]))
        custody = each(
            lambda plan: [
                record for person in plan["new_people"] for record in self.custody(person)
            ]
        )
        self.people.extend(person.pk for person in self.batch_people)
        self.batch_people = []
        for plan in plans:
            plan["person_ids"] = [
                person if isinstance(person, int) else person.pk for person in plan["people"]
            ]
        Alias.objects.bulk_create(aliases, batch_size=2000)
        Membership.objects.bulk_create(memberships, batch_size=2000)

        # Cases and what hangs on them.
        cases = Case.objects.bulk_create([plan["case"] for plan in plans], batch_size=2000)
        links = [
            Case.organizations.through(case_id=plan["case"].pk, organization_id=group.pk)
            for plan in plans
            for group in plan["organizations"]
        ]
        Case.organizations.through.objects.bulk_create(links, batch_size=5000)
        defendants = each(self.defendants)
        Defendant.objects.bulk_create(defendants, batch_size=2000)
        documents = each(self.documents)
        ChargingDocument.objects.bulk_create(documents, batch_size=2000)
        charges = each(self.charges)
        Charge.objects.bulk_create(charges, batch_size=5000)
        events = each(self.events)
        CourtEvent.objects.bulk_create(events, batch_size=5000)
        appearances = []
        for plan in plans:
            self.rng = plan["rng"]
            appearances.extend(self.appearances(plan))
        Appearance.objects.bulk_create(appearances, batch_size=5000)
        requests = each(self.extraditions)
        ExtraditionRequest.objects.bulk_create(requests, batch_size=2000)
        CustodyRecord.objects.bulk_create(custody, batch_size=5000)

        # "Last updated": a case is no older than its facts; a person no older than theirs.
        latest: dict[int, datetime.datetime] = {}
        for record in [*defendants, *events, *requests]:
            latest[record.case_id] = max(latest.get(record.case_id, EPOCH), record.updated_at)
        for charge in charges:
            case_id = charge.document.case_id
            latest[case_id] = max(latest.get(case_id, EPOCH), charge.updated_at)
        for case in cases:
            case.updated_at = max(case.updated_at, latest.get(case.pk, EPOCH))
        Case.objects.bulk_update(cases, ["updated_at"], batch_size=2000)
        person_latest: dict[int, datetime.datetime] = {}
        for record in [*aliases, *memberships, *custody]:
            person_latest[record.person_id] = max(
                person_latest.get(record.person_id, EPOCH), record.updated_at
            )
        for person in new_people:
            person.updated_at = max(person.updated_at, person_latest.get(person.pk, EPOCH))
        Person.objects.bulk_update(new_people, ["updated_at"], batch_size=2000)

        for plan in plans:
            self.rng = plan["rng"]
            self.cite([*plan["new_people"], plan["case"], *plan["records"]])
        self.flush_citations()

    def aliases(self, people: list[Person]) -> list[Alias]:
        rng, aliases = self.rng, []
        for person in people:
            for n, nickname in enumerate(rng.sample(NICKNAMES, rng.choice([0, 1, 1, 1, 2, 3]))):
                aliases.append(
                    Alias(
                        person=person,
                        name=nickname if n else f"El {nickname}",
                        kind=rng.choice([AliasKind.ALIAS, AliasKind.NICKNAME, AliasKind.ALIAS]),
                        language="es",
                        **self.stamps(person.created_at, 5),
                    )
                )
        return aliases

    def memberships(self, people: list[Person]) -> list[Membership]:
        rng, memberships = self.rng, []
        for person in people:
            for _ in range(rng.choice([0, 1, 1, 2])):
                start = self.partial(datetime.date(1995, 1, 1), datetime.date(2018, 12, 31))
                memberships.append(
                    Membership(
                        person=person,
                        organization=rng.choices(self.organizations, self.organization_weights)[0],
                        role=rng.choice(["member", "leader", "clique leader", "treasurer", ""]),
                        **dated("start_date", start if rng.random() < 0.6 else None),
                        **self.stamps(person.created_at, 5),
                    )
                )
        return memberships

    def defendants(self, plan: dict) -> list[Defendant]:
        case = plan["case"]
        plan["defendants"] = [
            Defendant(
                case=case,
                person_id=person_id,
                status=self.rng.choice(DefendantStatus.values),
                **self.stamps(case.created_at, 60),
            )
            for person_id in plan["person_ids"]
        ]
        return plan["defendants"]

    def plan(self, number: int) -> dict:
        """The case record, its people (new or already on file) and its fact budget, drawn from
        the case's own random stream."""
        rng = self.rng = random.Random(f"{self.seed}/{number}")
        created = self.moment(EPOCH, 6 * 365)
        named = rng.choices([1, 2, 3, 4, 5], [40, 30, 15, 10, 5])[0]
        people: list = []
        new_people = []
        for _ in range(named):
            known = len(self.people) + len(self.batch_people)
            if known and rng.random() < REUSED_PERSON:
                n = known - 1 - rng.randrange(min(known, RECENT_PEOPLE))
                person = (
                    self.people[n]
                    if n < len(self.people)
                    else self.batch_people[n - len(self.people)]
                )
                if person not in people:
                    people.append(person)
                continue
            person = self.person(created)
            new_people.append(person)
            self.batch_people.append(person)
            people.append(person)
        lead = people[0]
        lead_name = lead.name if isinstance(lead, Person) else None
        family = (
            lead_name.split()[-2] if lead_name and not lead.name_is_alias else rng.choice(FAMILY)
        )
        country = rng.choice(COUNTRIES)
        title = (
            f"United States v. {family} et al."
            if country == "US" and len(people) > 1
            else f"United States v. {family}"
            if country == "US"
            else f"Fiscalía contra {family} y otros"
            if len(people) > 1
            else f"Fiscalía contra {family}"
        )
        status = rng.choices(list(CASE_STATUS_WEIGHTS), list(CASE_STATUS_WEIGHTS.values()))[0]
        groups = rng.choices(self.organizations, self.organization_weights, k=rng.choice([1, 1, 2]))
        case = Case(
            title=f"{title} ({number})",
            slug=f"{PREFIX}case-{number:06d}",
            court=rng.choice(self.courts),
            docket_number=f"{rng.randint(10, 26)}-CR-{rng.randint(1, 999):03d}"
            if rng.random() < 0.7
            else "",
            status=status,
            summary=f"A made-up case for load testing ({SOURCE_TITLE}): {len(people)} named "
            "defendant(s), invented charges, hearings and custody.",
            defendant_count=len(people) + rng.choice([0, 0, 0, 1, 5, 12])
            if rng.random() < 0.8
            else None,
            **self.stamps(created, 400),
        )
        return {
            "rng": rng,
            "records": [],
            "case": case,
            "people": people,
            "new_people": new_people,
            "organizations": list(dict.fromkeys(groups)),
            "budget": round(rng.triangular(5, 40, 10)),
            "start": self.day(TIMELINE_START, datetime.date(2023, 12, 31)),
        }

    def person(self, created: datetime.datetime) -> Person:
        rng = self.rng
        self.person_number += 1
        alias_only = rng.random() < 0.04
        given = rng.choice(GIVEN) if rng.random() < 0.8 else " ".join(rng.sample(GIVEN, 2))
        family = f"{rng.choice(FAMILY)} {rng.choice(FAMILY)}"
        birth = self.partial(datetime.date(1955, 1, 1), datetime.date(2000, 12, 31))
        return Person(
            name=rng.choice(NICKNAMES) if alias_only else f"{given} {family}",
            name_is_alias=alias_only,
            given_name="" if alias_only else given,
            family_name="" if alias_only else family,
            slug=f"{PREFIX}person-{self.person_number:07d}",
            nationalities=rng.sample(COUNTRIES[1:6], rng.choice([1, 1, 1, 2])),
            summary=f"A made-up person for load testing ({SOURCE_TITLE}).",
            **dated("birth_date", birth if rng.random() < 0.5 else None),
            **self.stamps(created, 300),
        )

    def custody(self, person: Person) -> list[CustodyRecord]:
        """One to three custody periods, each starting when the one before ended."""
        rng = self.rng
        chain = rng.choice(
            [
                [CustodyStatus.ARRESTED, CustodyStatus.DETAINED],
                [CustodyStatus.DETAINED],
                [CustodyStatus.FUGITIVE, CustodyStatus.ARRESTED, CustodyStatus.DETAINED],
                [CustodyStatus.DETAINED, CustodyStatus.SERVING_SENTENCE],
                [CustodyStatus.IN_PRISON, CustodyStatus.ESCAPED],
                [CustodyStatus.AT_LARGE],
            ]
        )
        records, start = [], self.partial(TIMELINE_START, datetime.date(2022, 12, 31))
        for n, status in enumerate(chain):
            last = n == len(chain) - 1
            end = None
            if not last:
                end = self.partial(
                    start.date, start.date + datetime.timedelta(days=900), not_before=start.date
                )
            country = rng.choice(COUNTRIES)
            records.append(
                CustodyRecord(
                    person=person,
                    status=status,
                    custodian_country=country,
                    custodian=f"Authorities of {country}" if rng.random() < 0.5 else "",
                    facility=f"Synthetic facility {rng.randint(1, 90)}"
                    if rng.random() < 0.4
                    else "",
                    place=rng.choice(PLACES),
                    notes="" if rng.random() < 0.7 else "Made up for load testing.",
                    **dated("start_date", start),
                    **dated("end_date", end),
                    **self.stamps(person.created_at, 250),
                )
            )
            if end is None:
                break
            start = end
        return records

    def documents(self, plan: dict) -> list[ChargingDocument]:
        case = plan["case"]
        rng = self.rng
        count = 1 + (plan["budget"] > 16) + (plan["budget"] > 32)
        documents, filed_from = [], plan["start"]
        for n in range(count):
            filed = self.partial(filed_from, filed_from + datetime.timedelta(days=500))
            unsealed = None
            if rng.random() < 0.5:
                unsealed = self.partial(
                    filed.date, filed.date + datetime.timedelta(days=120), not_before=filed.date
                )
            kind = DocumentKind.INDICTMENT if n == 0 else DocumentKind.SUPERSEDING_INDICTMENT
            documents.append(
                ChargingDocument(
                    case=case,
                    kind=rng.choice([kind, kind, kind, DocumentKind.COMPLAINT]),
                    title="" if n == 0 else f"Superseding indictment {n}",
                    court=None if rng.random() < 0.85 else rng.choice(self.courts),
                    document_url=f"{SOURCE_URL}documents/{case.slug}/{n + 1}"
                    if rng.random() < 0.3
                    else "",
                    **dated("filed_date", filed),
                    **dated("unsealed_date", unsealed),
                    **self.stamps(case.created_at, 300),
                )
            )
            filed_from = filed.end()
        plan["documents"] = documents
        return documents

    def charges(self, plan: dict) -> list[Charge]:
        """About a third of the fact budget, spread over documents and defendants."""
        rng = self.rng
        budget = max(len(plan["defendants"]), plan["budget"] // 3)
        charges = []
        pairs = [(doc, defendant) for doc in plan["documents"] for defendant in plan["defendants"]]
        counts: dict[tuple[int, int], int] = {}
        for n in range(budget):
            document, defendant = pairs[n % len(pairs)] if n < len(pairs) else rng.choice(pairs)
            key = (id(document), id(defendant))
            counts[key] = counts.get(key, 0) + 1
            category = rng.choice(ChargeCategory.values)
            statute, description = STATUTES[ChargeCategory(category)]
            disposition = rng.choices(Disposition.values, [60, 8, 16, 12, 4])[0]
            decided = None
            if disposition != Disposition.PENDING and rng.random() < 0.85:
                filed = document.filed_date
                decided = self.partial(
                    filed, filed + datetime.timedelta(days=1500), not_before=filed
                )
            charges.append(
                Charge(
                    document=document,
                    defendant=defendant,
                    count_number=counts[key] if rng.random() < 0.8 else None,
                    statute=statute,
                    description=description,
                    category=category,
                    disposition=disposition,
                    sentence=f"{rng.randint(2, 40)} years in prison"
                    if disposition in (Disposition.CONVICTED, Disposition.PLEADED_GUILTY)
                    and rng.random() < 0.6
                    else "",
                    **dated("disposition_date", decided),
                    **self.stamps(plan["case"].created_at, 300),
                )
            )
        plan["charge_count"] = len(charges)
        return charges

    def events(self, plan: dict) -> list[CourtEvent]:
        case = plan["case"]
        rng = self.rng
        used = len(plan["documents"]) + plan["charge_count"]
        count = max(1, plan["budget"] - used - len(plan["person_ids"]))
        events, when = [], plan["documents"][0].filed_date
        kinds = [
            EventKind.INITIAL_APPEARANCE,
            EventKind.ARRAIGNMENT,
            EventKind.DETENTION_HEARING,
            *[EventKind.STATUS_CONFERENCE] * 3,
            EventKind.MOTION_HEARING,
            EventKind.PLEA_HEARING,
            EventKind.TRIAL,
            EventKind.VERDICT,
            EventKind.SENTENCING,
            EventKind.APPEAL,
        ]
        for n in range(count):
            kind = kinds[n] if n < 3 else rng.choice(kinds[3:])
            scheduled = n == count - 1 and rng.random() < 0.3
            if scheduled:
                date = PartialDate(self.day(FUTURE_START, datetime.date(2028, 12, 31)))
                status = EventStatus.SCHEDULED
            else:
                when = when + datetime.timedelta(days=rng.randint(1, 120))
                date = self.partial(when, when) if rng.random() < 0.95 else None
                status = EventStatus.CANCELLED if rng.random() < 0.05 else EventStatus.HELD
            court = None if rng.random() < 0.8 else rng.choice(self.courts)
            time = None
            if date is not None and date.precision == Precision.DAY and rng.random() < 0.4:
                time = datetime.time(rng.choice([9, 10, 11, 14, 15]), rng.choice([0, 30]))
            events.append(
                CourtEvent(
                    case=case,
                    kind=kind,
                    status=status,
                    time=time,
                    court=court,
                    place=rng.choice(PLACES),
                    country=rng.choice(COUNTRIES) if rng.random() < 0.7 else "",
                    description="" if rng.random() < 0.6 else "A made-up hearing.",
                    **dated("date", date),
                    **self.stamps(case.created_at, 350),
                )
            )
        plan["events"] = events
        return events

    def appearances(self, plan: dict) -> list[Appearance]:
        rng = self.rng
        appearances = []
        for event in plan["events"]:
            routine = event.kind in (EventKind.STATUS_CONFERENCE, EventKind.MOTION_HEARING)
            if routine and rng.random() < 0.5:
                continue
            takes_plea = event.kind in (
                EventKind.ARRAIGNMENT,
                EventKind.INITIAL_APPEARANCE,
                EventKind.PLEA_HEARING,
            )
            for defendant in plan["defendants"]:
                if rng.random() < 0.75:
                    plea = ""
                    if takes_plea and event.status != EventStatus.CANCELLED:
                        plea = rng.choices(Plea.values, [70, 15, 2, 13])[0]
                    appearances.append(Appearance(event=event, defendant=defendant, plea=plea))
        return appearances

    def extraditions(self, plan: dict) -> list[ExtraditionRequest]:
        case = plan["case"]
        rng = self.rng
        requests = []
        for defendant in plan["defendants"]:
            if rng.random() > 0.25:
                continue
            requesting = "US" if rng.random() < 0.7 else rng.choice(COUNTRIES)
            requested = rng.choice([c for c in COUNTRIES if c != requesting])
            asked = self.partial(plan["start"], plan["start"] + datetime.timedelta(days=700))
            status = rng.choice(ExtraditionStatus.values)
            decided = None
            if status != ExtraditionStatus.PENDING and rng.random() < 0.8:
                decided = self.partial(
                    asked.date, asked.date + datetime.timedelta(days=600), not_before=asked.date
                )
            requests.append(
                ExtraditionRequest(
                    person_id=defendant.person_id,
                    case=case,
                    requesting_country=requesting,
                    requested_country=requested,
                    status=status,
                    deciding_body=f"Supreme Court of {requested}" if decided else "",
                    reason="" if rng.random() < 0.7 else "A made-up reason.",
                    **dated("request_date", asked),
                    **dated("decision_date", decided),
                    **self.stamps(case.created_at, 300),
                )
            )
        return requests


def generate(
    cases: int,
    *,
    seed: int = 1,
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Add `cases` synthetic cases and all that goes with them (see the module docstring)."""
    if exists():
        raise ValueError(
            "There is synthetic data already. Remove it first: "
            "python manage.py generate_synthetic --remove"
        )
    generator = Generator(seed)
    with own_timestamps():
        with transaction.atomic():
            generator.shared()
        for first in range(1, cases + 1, batch_size):
            count = min(batch_size, cases + 1 - first)
            with transaction.atomic():
                generator.batch(first, count)
            if progress:
                progress(count)
    analyze()


def analyze(models=None) -> None:
    """Do for the tables just filled (those of `models`, or the working records' by default)
    what autovacuum would do later: refresh PostgreSQL's statistics (until then the planner
    takes the new rows for a handful and picks slow plans) and, outside a transaction, vacuum
    them (so that counts can read the indexes alone)."""
    if connection.vendor != "postgresql":
        return
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    if models is None:
        models = [*TIMESTAMPED, Appearance, Citation, Case.organizations.through]
    tables = {model._meta.db_table for model in models}
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"{command} {connection.ops.quote_name(table)}")
