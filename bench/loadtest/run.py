"""Run the load test: set up a database, data and gunicorn on 127.0.0.1, run each scenario with
locust headless, print the figures, stop the server.

Setup, each step skipped when already done, so that it runs from a fresh clone:
1. the PostgreSQL database (its own, `casetracker_loadtest` by default), created if missing, then
   migrated;
2. synthetic data (`generate_synthetic --cases 10000 --seed 1`, about a minute and a half);
3. the static files, collected as for a deployment (the pages link to them by hashed names);
4. the records the clients ask for, drawn from the database with the seed (`choose`);
5. gunicorn serving `casetracker.wsgi` on a free loopback port, with `DJANGO_DEBUG` off, a
   generated secret key, and the API's throttle raised out of the way (all the clients share one
   address: at the default 600 requests a minute they would get 429s).

Scenarios, run one after the other on the same server:
- **normal**: readers and partners (bench/loadtest/mix.py), 50 clients for 60 s;
- **slow**: the same, plus 5 clients sending the slowest valid requests, to see whether normal
  traffic stays served.

Locust's own figures (CSV) and this run's (JSON, markdown) go to bench/results/ (not committed),
with gunicorn's log. The exit status is 1 when any request failed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import random
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from bench.loadtest import mix

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
RESULTS = ROOT / "bench" / "results"
LOCUSTFILE = HERE / "locustfile.py"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/casetracker_loadtest"
THROTTLE = "100000000/minute"
SCENARIOS = ("normal", "slow")
ROW_NAMES = {"pages": "pages", "API": "API", "normal": "normal (pages + API)", "slow": "slow"}


class LoadTestError(Exception):
    """Why the load test cannot run, in words."""


def arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.loadtest",
        description="A bounded load test of the site on 127.0.0.1 (see docs/performance.md).",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOADTEST_DATABASE_URL") or DEFAULT_DATABASE,
        help="the PostgreSQL database to use, created if missing (default: %(default)s)",
    )
    parser.add_argument("--users", type=int, default=50, help="normal clients (default: 50)")
    parser.add_argument(
        "--slow-users", type=int, default=5, help="slow clients in the second scenario (5)"
    )
    parser.add_argument("--duration", type=int, default=60, help="seconds per scenario (60)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default: 3)")
    parser.add_argument(
        "--cases", type=int, default=10_000, help="synthetic cases (default: 10000)"
    )
    parser.add_argument(
        "--seed", type=int, default=1, help="seed of the data and of the records asked for (1)"
    )
    parser.add_argument(
        "--scenario",
        choices=SCENARIOS,
        action="append",
        help="run only this scenario (repeatable; default: both)",
    )
    parser.add_argument(
        "--exclude-tags",
        nargs="+",
        default=[],
        metavar="TAG",
        help="leave out these requests, by their locust tag (e.g. api-calendar-unfiltered: "
        "group and name of the request in lower case, words joined by dashes)",
    )
    args = parser.parse_args(argv)
    args.scenario = args.scenario or list(SCENARIOS)
    known = {ask.tag for asks in mix.MIXES.values() for ask in asks}
    unknown = sorted(set(args.exclude_tags) - known)
    if unknown:
        parser.error(
            f"no request is tagged {', '.join(unknown)}; the tags: {', '.join(sorted(known))}"
        )
    return args


def main(argv=None) -> int:
    args = arguments(argv)
    # Stopped by a signal (make interrupted, a CI timeout): unwind, so gunicorn is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGHUP, lambda *_: sys.exit(129))
    RESULTS.mkdir(parents=True, exist_ok=True)
    try:
        environment = server_environment(args.database_url)
        chosen = prepare(args, environment)
        summaries = {}
        for scenario in args.scenario:
            # A server of its own for each scenario: a request locust gave up on at the end of
            # one scenario would still hold a worker at the start of the next.
            with gunicorn(environment, args.workers, scenario) as host:
                warm_up(host, chosen)
                summaries[scenario] = run_scenario(scenario, host, args)
    except LoadTestError as error:
        print(f"make loadtest: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("make loadtest: interrupted; gunicorn stopped.", file=sys.stderr)
        return 130
    report = write_report(args, chosen, summaries)
    print()
    print(report)
    failed = sum(
        summary["total"]["errors"] + len(summary["exceptions"]) for summary in summaries.values()
    )
    return 1 if failed else 0


# Setup -----------------------------------------------------------------------------------------


def server_environment(database_url: str) -> dict:
    """The environment of this process's Django and of gunicorn: production-like settings on the
    load test's database (these win over `.env`, which never overwrites the environment)."""
    environment = dict(os.environ)
    environment.update(
        DATABASE_URL=database_url,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        API_ANON_RATE=THROTTLE,
        DJANGO_SETTINGS_MODULE="casetracker.settings",
    )
    os.environ.update(environment)
    return environment


def create_database(url: str) -> None:
    """Create the database `url` names if it does not exist (PostgreSQL only)."""
    import environ
    import psycopg
    from psycopg import sql

    config = environ.Env.db_url_config(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise LoadTestError(
            f"The load test needs PostgreSQL, not {url}. Set LOADTEST_DATABASE_URL, e.g.\n"
            f"  make loadtest LOADTEST_DATABASE_URL={DEFAULT_DATABASE}"
        )
    where = {
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
    }
    try:
        with psycopg.connect(dbname="postgres", autocommit=True, **where) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
            ).fetchone()
            if not exists:
                print(f"Creating the database {config['NAME']}.")
                connection.execute(
                    sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"]))
                )
    except psycopg.OperationalError as error:
        raise LoadTestError(
            f"Cannot reach PostgreSQL for {url}: {error}".strip()
            + "\nStart PostgreSQL, or point LOADTEST_DATABASE_URL at a server you can use."
        ) from error


def prepare(args: argparse.Namespace, environment: dict) -> dict:
    """Database, data and static files, then the records to ask for."""
    create_database(args.database_url)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from cases import synthetic
    from cases.models import Case

    call_command("migrate", interactive=False, verbosity=0)
    present = synthetic.synthetic(Case).count()
    if not present:
        print(
            f"Adding {args.cases} synthetic cases (seed {args.seed}); about 1.5 minutes "
            "for 10,000 on 2 CPUs."
        )
        call_command("generate_synthetic", cases=args.cases, seed=args.seed)
    elif present != args.cases:
        raise LoadTestError(
            f"The database holds {present} synthetic cases, not {args.cases}. Run with "
            f'LOADTEST_ARGS="--cases {present}", or replace them:\n'
            f"  DATABASE_URL={args.database_url} .venv/bin/python manage.py generate_synthetic "
            f"--remove --cases {args.cases} --seed {args.seed}"
        )
    if static_files_stale():
        print("Collecting the static files (a minute or two: whitenoise compresses each one).")
        call_command("collectstatic", interactive=False, verbosity=0)
    chosen = choose(args.seed)
    connections.close_all()
    (RESULTS / "loadtest-records.json").write_text(json.dumps(chosen, indent=1))
    return chosen


def static_files_stale() -> bool:
    """Whether a static file changed since the last `collectstatic` (or none ran): with
    `DJANGO_DEBUG` off the pages name their static files through its manifest."""
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return True
    collected = manifest.stat().st_mtime
    return any(
        Path(storage.path(path)).stat().st_mtime > collected
        for finder in get_finders()
        for path, storage in finder.list([])
    )


def choose(seed: int) -> dict:
    """The records the clients ask for: samples of the published synthetic cases, people,
    organizations and courts (sorted, then drawn with `seed`, so the same data gives the same
    records), words to search for, and the extremes the slow clients ask for."""
    from django.db.models import Count

    from bench.run import cursor_after
    from cases import synthetic
    from cases.models import Case, CaseStatus, ChargeCategory, Court, CustodyStatus
    from people.models import Organization, Person

    rng = random.Random(seed)

    def sample(values, count: int) -> list:
        values = sorted(values)
        return rng.sample(values, min(count, len(values)))

    def slugs(model) -> list[str]:
        return list(synthetic.synthetic(model).published().values_list("slug", flat=True))

    published = Case.objects.published()
    total = published.count()
    names = sorted(synthetic.synthetic(Person).published().values_list("name", flat=True))
    courts = synthetic.synthetic(Court).published()
    biggest_organization = (
        published.filter(organizations__slug__startswith=synthetic.PREFIX)
        .values("organizations__slug")
        .annotate(cases=Count("id"))
        .order_by("-cases", "organizations__slug")
        .first()["organizations__slug"]
    )
    members = Organization.objects.get(slug=biggest_organization).published_members().count()
    biggest_court = (
        published.filter(court__slug__startswith=synthetic.PREFIX)
        .values("court__slug")
        .annotate(cases=Count("id"))
        .order_by("-cases", "court__slug")
        .first()["court__slug"]
    )
    by_slug = published.order_by("slug").values_list("slug", flat=True)
    recent = published.order_by("-updated_at", "id").values_list("updated_at", flat=True)
    return {
        "seed": seed,
        "published_cases": total,
        "case_pages": math.ceil(total / 20),
        "cases": sample(slugs(Case), 300),
        "people": sample(slugs(Person), 300),
        "organizations": sample(slugs(Organization), 40),
        "courts": sorted(courts.values_list("slug", flat=True)),
        "countries": sorted({str(country) for country in courts.values_list("country", flat=True)}),
        "statuses": list(CaseStatus.values),
        "charges": list(ChargeCategory.values),
        "custody": list(CustodyStatus.values),
        "common": sample(synthetic.FAMILY, 12) + sample(synthetic.GIVEN, 6),
        # a given and a family name: each common, together in a few cases
        "names": [
            " ".join(name.split()[:2])
            for name in sample([name for name in names if name_words(name) == 3], 30)
        ],
        "long_names": sample([name for name in names if name_words(name) == 4], 30),
        "deep": cursor_after(by_slug[int(total * 0.9)]),
        "updated_since": recent[min(99, total - 1)].isoformat(),
        "biggest_organization": biggest_organization,
        "member_pages": max(1, math.ceil(members / 50)),
        "biggest_court": biggest_court,
    }


def plural(count: int, word: str) -> str:
    return word if count == 1 else f"{word}s"


def name_words(name: str) -> int:
    return len(name.split())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(environment: dict, workers: int, scenario: str):
    """gunicorn serving the site on a free loopback port; stopped on the way out, whatever
    happens (its own process group, so a Ctrl-C reaches it only through here)."""
    import gunicorn as package

    port = free_port()
    log_path = RESULTS / f"loadtest-{scenario}-gunicorn.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "casetracker.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--graceful-timeout",
        "5",
    ]
    if package.version_info >= (25, 1):
        command.append("--no-control-socket")  # no socket shared with other gunicorns
    print(
        f"Starting gunicorn on 127.0.0.1:{port} with {workers} workers, DJANGO_DEBUG=false, "
        f"API_ANON_RATE={THROTTLE} (raised so that the test's own traffic, all from one address, "
        f"is not throttled; logs in {log_path.relative_to(ROOT)})."
    )
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            host = f"http://127.0.0.1:{port}"
            wait_until_up(host, process, log_path)
            yield host
        finally:
            stop(process)


def wait_until_up(host: str, process: subprocess.Popen, log_path: Path, seconds=90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log_path.read_text()[-2000:]
            raise LoadTestError(f"gunicorn stopped (exit {process.returncode}):\n{tail}")
        try:
            with urllib.request.urlopen(f"{host}/", timeout=10) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise LoadTestError(f"gunicorn did not answer on {host} within {seconds} s.")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def warm_up(host: str, chosen: dict) -> None:
    """A few requests per worker first: each process compiles templates and fills its caches
    on its first requests, which belongs to no scenario."""
    case, person = chosen["cases"][0], chosen["people"][0]
    paths = ["/", "/cases/", f"/cases/{case}/", f"/people/{person}/", "/search/?q=cruz"]
    paths += ["/api/v1/cases/", f"/api/v1/cases/{case}/", f"/api/v1/cases/{case}/timeline/"]
    for _ in range(3):
        for path in paths:
            with urllib.request.urlopen(host + path, timeout=60) as response:
                response.read()


# Scenarios -------------------------------------------------------------------------------------


def run_scenario(scenario: str, host: str, args: argparse.Namespace) -> dict:
    slow_users = args.slow_users if scenario == "slow" else 0
    classes = ["Reader", "Partner"] + (["SlowClient"] if slow_users else [])
    users = args.users + slow_users
    prefix = RESULTS / f"loadtest-{scenario}"
    summary_path = prefix.with_suffix(".json")
    summary_path.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "locust",
        *classes,  # first: --exclude-tags, last, takes any number of values
        "--locustfile",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        host,
        "--users",
        str(users),
        "--spawn-rate",
        str(max(1, users // 5)),  # all clients within 5 s
        "--run-time",
        f"{args.duration}s",
        "--csv",
        str(prefix),
        "--only-summary",
        "--exit-code-on-error",
        "0",
        *(["--exclude-tags", *args.exclude_tags] if args.exclude_tags else []),
    ]
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "LOADTEST_RECORDS": str(RESULTS / "loadtest-records.json"),
        "LOADTEST_SUMMARY": str(summary_path),
        "LOADTEST_SEED": str(args.seed),
        "LOADTEST_SLOW_USERS": str(args.slow_users),
    }
    slow = f" and {slow_users} slow {plural(slow_users, 'client')}" if slow_users else ""
    print(f"Scenario {scenario}: {args.users} clients{slow} for {args.duration} s...")
    log_path = prefix.with_name(f"{prefix.name}-locust.log")
    load = round(os.getloadavg()[0], 1)  # what else this machine was doing
    with open(log_path, "w") as log:
        finished = subprocess.run(
            command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, check=False
        )
    if finished.returncode != 0 or not summary_path.exists():
        tail = log_path.read_text()[-3000:]
        raise LoadTestError(f"locust failed (exit {finished.returncode}):\n{tail}")
    return {**json.loads(summary_path.read_text()), "load_before": load}


# Reporting -------------------------------------------------------------------------------------


def machine() -> dict:
    from importlib.metadata import version

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (postgresql,) = cursor.fetchone()
    connection.close()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "commit": commit,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "postgresql": postgresql.split()[0],
        "gunicorn": version("gunicorn"),
        "locust": version("locust"),
    }


def group_table(summary: dict) -> str:
    lines = [
        "| requests | count | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    rows = [(ROW_NAMES[name], summary["groups"].get(name)) for name in ROW_NAMES]
    rows = [(name, row) for name, row in rows if row is not None] + [("total", summary["total"])]
    for name, row in rows:
        lines.append(line(name, row))
    return "\n".join(lines)


def request_table(summary: dict) -> str:
    lines = [
        "| request | count | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [line(row["name"], row) for row in summary["requests"]]
    return "\n".join(lines)


def line(name: str, row: dict) -> str:
    return (
        f"| {name} | {row['requests']:,} | {row['rps']:.1f} | {row['p50_ms']:,} | "
        f"{row['p95_ms']:,} | {row['p99_ms']:,} | {row['max_ms']:,} | {row['errors']:,} |"
    )


def errors(summary: dict) -> str:
    found = [
        f"- {error['name']}: {error['error']} ({error['occurrences']} times)"
        for error in summary["errors"]
    ]
    found += [
        f"- locustfile error: {exception['message']} ({exception['count']} times)"
        for exception in summary["exceptions"]
    ]
    return "\n".join(found)


def comparison(summaries: dict) -> str:
    """Whether normal traffic stayed served next to the slow clients."""
    normal, slow = summaries["normal"]["groups"]["normal"], summaries["slow"]["groups"]["normal"]
    failed = f"{slow['errors']:,} errors" if slow["errors"] else "no errors"

    def times(key: str) -> str:
        return f"{slow[key] / normal[key]:.1f}x" if normal[key] else "-"

    return (
        f"Normal traffic (pages + API) alongside the slow clients: {failed} "
        f"(normal scenario: {normal['errors']:,}); p95 {slow['p95_ms']:,} ms, {times('p95_ms')} "
        f"the normal scenario's {normal['p95_ms']:,} ms; p99 {slow['p99_ms']:,} ms, "
        f"{times('p99_ms')} its {normal['p99_ms']:,} ms; {slow['rps']:.1f} requests/s served "
        f"against {normal['rps']:.1f}."
    )


def write_report(args: argparse.Namespace, chosen: dict, summaries: dict) -> str:
    """The markdown report (printed, and kept in bench/results/loadtest.md with each request's
    figures too); the figures in bench/results/loadtest.json."""
    about = machine()
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = (
        f"Load test, {when}, commit {about['commit']}: {chosen['published_cases']:,} published "
        f"cases (seed {args.seed}), gunicorn {about['gunicorn']} with {args.workers} sync "
        f"workers, PostgreSQL {about['postgresql']}, locust {about['locust']}, Python "
        f"{about['python']}, {about['cpus']} CPUs shared by all three."
    )
    short, full = [header], [header]
    for scenario, summary in summaries.items():
        slow = (
            f" + {args.slow_users} slow {plural(args.slow_users, 'client')}"
            if scenario == "slow"
            else ""
        )
        title = (
            f"### Scenario {scenario}: {args.users} clients{slow}, {summary['seconds']:.0f} s "
            f"(load average before it: {summary['load_before']})"
        )
        short += ["", title, "", group_table(summary)]
        full += ["", title, "", group_table(summary), "", request_table(summary)]
        if summary["errors"] or summary["exceptions"]:
            short += ["", "Errors:", errors(summary)]
            full += ["", "Errors:", errors(summary)]
    if {"normal", "slow"} <= summaries.keys():
        short += ["", comparison(summaries)]
        full += ["", comparison(summaries)]
    (RESULTS / "loadtest.md").write_text("\n".join(full) + "\n")
    (RESULTS / "loadtest.json").write_text(
        json.dumps({"machine": about, "arguments": vars(args), "scenarios": summaries}, indent=1)
    )
    short += [
        "",
        "Each request's figures: bench/results/loadtest.md; locust's own: "
        "bench/results/loadtest-*.csv.",
    ]
    return "\n".join(short)
