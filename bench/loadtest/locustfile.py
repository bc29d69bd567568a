"""Locust's users for `make loadtest`: readers, partners and slow clients, each asking for the
requests of its mix (bench/loadtest/mix.py) with short think times.

`run.py` starts locust on this file with the records to ask for (`LOADTEST_RECORDS`, a JSON file),
where to write the figures (`LOADTEST_SUMMARY`) and the users of the scenario by class name
(`Reader Partner`, then `Reader Partner SlowClient`). Any `--host` but a loopback address is
refused. Each request is reported under its label, `<group>: <name>`; the figures add a row per
group (pages, API, slow), one for normal traffic (pages and API) and the total.
"""

import itertools
import json
import logging
import os
import random
import sys
from functools import cache
from pathlib import Path

from locust import FastHttpUser, between, events, tag
from locust.stats import StatsEntry

from bench.loadtest import mix

SEED = int(os.environ.get("LOADTEST_SEED", "1"))
NORMAL = (mix.PAGES, mix.API)
PERCENTILES = {"p50_ms": 0.5, "p95_ms": 0.95, "p99_ms": 0.99}

random.seed(SEED)  # locust picks each next task with the random module
numbering = itertools.count()


@cache
def records() -> dict:
    return json.loads(Path(os.environ["LOADTEST_RECORDS"]).read_text())


def tasks(asks: list[mix.Ask]) -> dict:
    """Locust tasks for `asks`, weighted, each tagged (`--exclude-tags api-calendar-unfiltered`)."""

    def task(ask):
        def run(user):
            user.ask(ask)

        run.__name__ = ask.tag.replace("-", "_")
        return tag(ask.tag)(run)

    return {task(ask): ask.weight for ask in asks}


class Client(FastHttpUser):
    abstract = True
    wait_time = between(0.5, 2.5)

    def on_start(self):
        # Each user draws its own records from its own stream: the same run asks for the same
        # records, whatever the order in which gevent runs the users.
        self.rng = random.Random(f"{SEED}:{type(self).__name__}:{next(numbering)}")

    def ask(self, ask: mix.Ask) -> None:
        response = self.client.get(ask.path(records(), self.rng), name=ask.label)
        for _ in range(ask.follow):
            if response.status_code != 200:
                return
            link = response.json().get("next")
            if not link:
                return
            response = self.client.get(mix.relative(link), name=f"{ask.label}, next page")


class Reader(Client):
    weight = 3
    tasks = tasks(mix.READER)


class Partner(Client):
    weight = 2
    tasks = tasks(mix.PARTNER)


class SlowClient(Client):
    """A client that sends only the slowest valid requests, one after another."""

    fixed_count = int(os.environ.get("LOADTEST_SLOW_USERS", "5"))
    wait_time = between(0.5, 1.5)
    tasks = tasks(mix.SLOW_CLIENT)


@events.init.add_listener
def refuse_other_hosts(environment, **kwargs):
    host = environment.host or getattr(environment.parsed_options, "host", None)
    if not mix.loopback(host):
        logging.error("The load test sends traffic to 127.0.0.1 only, not to %r.", host)
        sys.exit(2)


def figures(entry: StatsEntry) -> dict:
    return {
        "requests": entry.num_requests,
        "errors": entry.num_failures,
        "rps": round(entry.total_rps, 2),
        **{key: entry.get_response_time_percentile(share) for key, share in PERCENTILES.items()},
        "max_ms": round(entry.max_response_time),
    }


@events.quitting.add_listener
def write_summary(environment, **kwargs):
    """Each request's figures, each group's, normal traffic's and the total, to
    `LOADTEST_SUMMARY` (read by run.py)."""
    if not os.environ.get("LOADTEST_SUMMARY"):
        return
    stats = environment.stats
    groups = {name: StatsEntry(stats, name, "") for name in (*mix.GROUPS, "normal")}
    rows = []
    for entry in sorted(stats.entries.values(), key=lambda entry: entry.name):
        group = entry.name.split(":")[0]
        groups[group].extend(entry)
        if group in NORMAL:
            groups["normal"].extend(entry)
        rows.append({"name": entry.name, "group": group, **figures(entry)})
    summary = {
        "seconds": round(stats.last_request_timestamp - stats.start_time, 1)
        if stats.last_request_timestamp
        else 0,
        "requests": rows,
        "groups": {name: figures(entry) for name, entry in groups.items() if entry.num_requests},
        "total": figures(stats.total),
        "errors": [
            {"name": error.name, "error": str(error.error), "occurrences": error.occurrences}
            for error in stats.errors.values()
        ],
        "exceptions": [
            {"message": exception["msg"], "count": exception["count"]}
            for exception in environment.runner.exceptions.values()
        ],
    }
    Path(os.environ["LOADTEST_SUMMARY"]).write_text(json.dumps(summary, indent=1))
