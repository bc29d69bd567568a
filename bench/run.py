"""Run the benchmark: every hot path through the real request stack, next to its floor.

Each target is requested through `django.test.Client` (the whole middleware stack, set up by
`casetracker.wsgi` as gunicorn would, DEBUG off, throttling raised out of the way) and its floor
(`bench.floors`) is run right after it, in turns: endpoint, floor, endpoint, floor... so that
noise on this machine hits both alike. After a warm-up, each target gets `repetitions` turns;
the figures are the median and 95th percentile of each, the endpoint's query count (counted in
a separate, untimed request) and the ratio of the medians.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import statistics
import subprocess
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
HOST = "localhost"


class BenchError(Exception):
    """Why the benchmark cannot run here, in words."""


@dataclass
class Target:
    name: str
    url: str
    floor: object  # callable returning the floor's body (bytes)
    page: bool = False
    check: object = None  # callable(endpoint body, floor body) -> problem or None


@dataclass
class Result:
    name: str
    url: str
    median_ms: float
    p95_ms: float
    queries: int
    floor_median_ms: float
    floor_p95_ms: float
    ratio: float
    bytes: int
    floor_bytes: int
    page: bool = False
    # A trivial request through the same stack (`FIXED`), timed in the same turns, and the
    # ratio of the median to the floor plus that fixed cost.
    fixed_median_ms: float = 0.0
    stack_ratio: float = 0.0
    samples_ms: list[float] = field(default_factory=list, repr=False)
    floor_samples_ms: list[float] = field(default_factory=list, repr=False)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


# Choosing what to measure ------------------------------------------------------------------------


def choose(floors) -> dict:
    """The records the benchmark reads, chosen the same way on any database holding the data.

    The case is the first synthetic case (by slug) with two or three named defendants and 6 to
    14 dated court events: an ordinary case, not the biggest. The person is the first synthetic
    person standing trial in two cases. The deep page starts 90% of the way through the list.
    The generator makes the first cases of a seed the same whatever their number, so the same
    case is read on 10,000 and on 100,000 cases.
    """
    from django.db.models import Count, Q

    from cases import synthetic
    from cases.models import Case, CaseStatus, Defendant
    from people.models import Person

    cases = synthetic.synthetic(Case).published()
    total = Case.objects.published().count()
    if not cases.exists():
        raise BenchError(
            "This database holds no synthetic data. Add some first, e.g.\n"
            "  python manage.py generate_synthetic --cases 100000"
        )
    candidates = (
        cases.annotate(
            named=Count("defendants", distinct=True),
            events=Count("court_events", filter=Q(court_events__date__isnull=False), distinct=True),
        )
        .filter(named__in=[2, 3], events__gte=6, events__lte=14)
        .order_by("slug")
    )
    case = candidates.first() or cases.order_by("slug").first()
    people = (
        Person.objects.published()
        .filter(slug__startswith=synthetic.PREFIX)
        .annotate(cases=Count("defendant_records"))
    )
    person = (
        people.filter(cases=2).order_by("slug").first()
        or Defendant.objects.filter(case=case).select_related("person").first().person
    )
    organization = (
        Case.organizations.through.objects.filter(organization__slug__startswith=synthetic.PREFIX)
        .values("organization__slug")
        .annotate(n=Count("case"))
        .order_by("-n", "organization__slug")
        .first()["organization__slug"]
    )
    deep = (
        Case.objects.published().order_by("slug").values_list("slug", flat=True)[int(total * 0.9)]
    )
    return {
        "cases": total,
        "synthetic_cases": cases.count(),
        "case": case.slug,
        "person": person.slug,
        "organization": organization,
        "status": CaseStatus.PRE_TRIAL.value,
        "deep_after": deep,
        "q": "hernández",
    }


def cursor_after(slug: str) -> str:
    """The `cursor` of the page that starts after `slug` (the list's default ordering)."""
    from casetracker.pagination import KeysetPagination

    paginator = KeysetPagination()
    paginator.signature = "slug"
    return paginator.encode([slug], backwards=False)


def same_keys(key: str):
    """A check that the endpoint and its floor show the same records, in the same order."""

    def ids(body: bytes) -> list:
        return [
            row.get("slug") or row.get("id") or row["person"]["slug"]
            for row in json.loads(body)[key]
        ]

    def check(body: bytes, floor: bytes):
        mine, theirs = ids(body), ids(floor)
        if mine != theirs:
            return (
                f"the floor shows {len(theirs)} {key}, the endpoint {len(mine)}, or another order"
            )
        return None

    return check


def targets(chosen: dict, floors) -> list[Target]:
    from urllib.parse import quote

    case, person = chosen["case"], chosen["person"]
    organization, status, q = chosen["organization"], chosen["status"], chosen["q"]
    deep = cursor_after(chosen["deep_after"])
    return [
        Target(
            "API case list, first page",
            "/api/v1/cases/",
            lambda: floors.case_list(),
            check=same_keys("results"),
        ),
        Target(
            "API case list, deep page (90%)",
            f"/api/v1/cases/?cursor={deep}",
            lambda: floors.case_list(after=chosen["deep_after"]),
            check=same_keys("results"),
        ),
        Target(
            "API case list, organization + status",
            f"/api/v1/cases/?organization={organization}&status={status}",
            lambda: floors.case_list(organization=organization, status=status),
            check=same_keys("results"),
        ),
        Target(
            f"API case search q={q}",
            f"/api/v1/cases/?q={quote(q)}",
            lambda: floors.case_list(q=fold(q)),
            check=same_keys("results"),
        ),
        Target(
            "API case detail",
            f"/api/v1/cases/{case}/",
            lambda: floors.case_detail(case),
            check=same_keys("defendants"),
        ),
        Target(
            "API case timeline",
            f"/api/v1/cases/{case}/timeline/",
            lambda: floors.case_timeline(case),
            check=same_keys("items"),
        ),
        Target(
            "API case TimelineJS",
            f"/api/v1/cases/{case}/timeline/?format=timelinejs",
            lambda: floors.timelinejs(case),
        ),
        Target(
            "API calendar.ics (one case)",
            f"/api/v1/calendar.ics?case={case}",
            lambda: floors.calendar(case),
            check=lambda body, floor: (
                None
                if body.count(b"BEGIN:VEVENT") == floor.count(b"BEGIN:VEVENT")
                else "the floor holds another number of events"
            ),
        ),
        Target(
            "API person timeline",
            f"/api/v1/people/{person}/timeline/",
            lambda: floors.person_timeline(person),
            check=same_keys("items"),
        ),
        Target("Page: case", f"/cases/{case}/", lambda: floors.case_page(case), page=True),
        Target("Page: case list", "/cases/", lambda: floors.case_list_page(), page=True),
    ]


def fold(text: str) -> str:
    from casetracker.text import fold as fold_text

    return fold_text(text)


# Measuring -----------------------------------------------------------------------------------


# The fixed cost of a request through the same stack, with nothing to read: the API's root (DRF,
# its renderer, the request's transaction) and a page that is not there (the template engine
# drawing the site's frame, `404.html`). Timed in the same turns as the endpoints.
FIXED = {"api": ("/api/v1/", 200), "page": ("/no-such-page/", 404)}


def measure(targets: list[Target], *, repetitions: int, warmup: int, log=print) -> list[Result]:
    import logging

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME=HOST)
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 404 above, every turn

    def fixed_request(kind):
        url, status = FIXED[kind]
        response = client.get(url)
        if response.status_code != status:
            raise BenchError(f"{url} answered {response.status_code}, not {status}.")

    def get(url):
        response = client.get(url)
        if response.status_code != 200:
            raise BenchError(f"{url} answered {response.status_code}: {response.content[:300]!r}")
        return response.content

    bodies = {}
    for target in targets:
        for _ in range(warmup):
            body, floor = get(target.url), target.floor()
        bodies[target.name] = (body, floor)
        if target.check:
            problem = target.check(body, floor)
            if problem:
                raise BenchError(f"{target.name}: {problem}.")
    queries = {}
    for target in targets:
        with CaptureQueriesContext(connection) as captured:
            get(target.url)
        queries[target.name] = len(captured.captured_queries)
    samples = {target.name: ([], []) for target in targets}
    fixed_samples = {kind: [] for kind in FIXED}
    clock = time.perf_counter
    for kind in FIXED:
        for _ in range(warmup):
            fixed_request(kind)
    for rep in range(repetitions):
        for kind in FIXED:
            start = clock()
            fixed_request(kind)
            fixed_samples[kind].append((clock() - start) * 1000)
        for target in targets:
            mine, floor = samples[target.name]
            start = clock()
            get(target.url)
            mine.append((clock() - start) * 1000)
            start = clock()
            target.floor()
            floor.append((clock() - start) * 1000)
        if log and repetitions >= 10 and (rep + 1) % max(1, repetitions // 5) == 0:
            log(f"  {rep + 1}/{repetitions} repetitions")
    fixed = {kind: statistics.median(times) for kind, times in fixed_samples.items()}
    results = []
    for target in targets:
        mine, floor = samples[target.name]
        body, floor_body = bodies[target.name]
        median, floor_median = statistics.median(mine), statistics.median(floor)
        stack = floor_median + fixed["page" if target.page else "api"]
        results.append(
            Result(
                name=target.name,
                url=target.url,
                median_ms=round(median, 2),
                p95_ms=round(percentile(mine, 0.95), 2),
                queries=queries[target.name],
                floor_median_ms=round(floor_median, 2),
                floor_p95_ms=round(percentile(floor, 0.95), 2),
                ratio=round(median / floor_median, 2) if floor_median else float("inf"),
                bytes=len(body),
                floor_bytes=len(floor_body),
                page=target.page,
                fixed_median_ms=round(fixed["page" if target.page else "api"], 2),
                stack_ratio=round(median / stack, 2) if stack else float("inf"),
                samples_ms=[round(s, 3) for s in mine],
                floor_samples_ms=[round(s, 3) for s in floor],
            )
        )
    return results


# Reporting -----------------------------------------------------------------------------------


def machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()
    memory = ""
    try:
        with open("/proc/meminfo") as meminfo:
            kilobytes = int(meminfo.readline().split()[1])
            memory = f"{kilobytes / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "nproc": os.cpu_count(),
        "ram": memory,
        "postgresql": version,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": commit,
    }


def table(results: list[Result]) -> str:
    """The figures; the goal (at most 2x for the API, 3x for pages) is on the ratio to the
    floor plus the fixed cost of a trivial request through the same stack."""
    lines = [
        "| endpoint | median ms | p95 ms | queries | floor median ms | floor p95 ms | ratio "
        "| fixed ms | ratio to floor + fixed |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        goal = 3 if r.page else 2
        mark = "" if r.stack_ratio <= goal else " ⚠"
        lines.append(
            f"| {r.name} | {r.median_ms:.1f} | {r.p95_ms:.1f} | {r.queries} | "
            f"{r.floor_median_ms:.1f} | {r.floor_p95_ms:.1f} | {r.ratio:.1f}x | "
            f"{r.fixed_median_ms:.1f} | {r.stack_ratio:.1f}x{mark} |"
        )
    return "\n".join(lines)


def open_floors():
    import psycopg
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from bench.floors import Floors

    settings = connection.settings_dict
    database = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        options=settings.get("OPTIONS", {}).get("options"),  # as the app's: JIT off
        autocommit=True,
    )
    content_types = {
        kind.model: kind.pk
        for kind in ContentType.objects.filter(app_label__in=["cases", "people"])
    }
    return database, Floors(database, content_types, f"http://{HOST}")


def run(*, repetitions: int = 30, warmup: int = 3, output: Path | None = None, log=print) -> dict:
    """Measure every target; return (and write to `output`, when given) the figures."""
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        raise BenchError(
            "The benchmark needs PostgreSQL (its floors are PostgreSQL queries). Point "
            "DATABASE_URL at a PostgreSQL database holding synthetic data, e.g.\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/casetracker make bench"
        )
    if settings.DEBUG:
        raise BenchError("Run the benchmark with DJANGO_DEBUG off: DEBUG changes what it measures.")
    database, floors = open_floors()
    try:
        chosen = choose(floors)
        if log:
            log(
                f"{chosen['cases']} published cases ({chosen['synthetic_cases']} synthetic); "
                f"case {chosen['case']}, person {chosen['person']}; "
                f"{repetitions} repetitions after {warmup} warm-up rounds."
            )
        results = measure(targets(chosen, floors), repetitions=repetitions, warmup=warmup, log=log)
    finally:
        database.close()
    report = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "data": chosen,
        "repetitions": repetitions,
        "warmup": warmup,
        "results": [asdict(result) for result in results],
    }
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    return report
