"""The load test (`make loadtest`): its clients ask only for paths on the server under test, which
must be on this machine, and every request of its mix answers on records it chose. No server is
started and no timing is asserted: the figures come from `make loadtest` (docs/performance.md)."""

import json
import random
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command

from bench.loadtest import mix
from bench.loadtest.run import choose

ROOT = Path(__file__).resolve().parents[2]
EVERY_ASK = [ask for asks in mix.MIXES.values() for ask in asks]


@pytest.fixture
def records(db):
    call_command("generate_synthetic", cases=12, seed=3, verbosity=0)
    return choose(seed=1)


def paths(ask, records, draws=3):
    return [ask.path(records, random.Random(n)) for n in range(draws)]


def test_every_request_of_every_client_answers_on_the_records_chosen(client, records):
    """Each is a path (no scheme, no host), so locust sends it to its loopback `--host`, and
    each answers 200: its filters and parameters are valid and its records exist."""
    for ask in EVERY_ASK:
        for path in paths(ask, records, draws=1):
            parts = urlsplit(path)
            assert path.startswith("/") and not path.startswith("//"), path
            assert not parts.scheme and not parts.netloc, path
            response = client.get(path)
            assert response.status_code == 200, (ask.label, path, response.content[:300])


def test_the_slow_searches_are_valid_ones(records):
    """At most 200 characters: the API's cap on `q` (and soon the pages')."""
    for ask in mix.MIXES["slow"]:
        for path in paths(ask, records):
            for query in parse_qs(urlsplit(path).query).get("q", []):
                assert len(query) <= 200, (ask.label, query)


def test_next_links_are_followed_on_the_server_under_test():
    link = "http://testserver.example:8000/api/v1/cases/?cursor=cD1h&status=trial"
    assert mix.relative(link) == "/api/v1/cases/?cursor=cD1h&status=trial"


@pytest.mark.parametrize(
    "host",
    ["http://127.0.0.1:8123", "http://localhost:8000", "http://[::1]:8000", "http://127.0.0.9"],
)
def test_loopback_hosts_are_accepted(host):
    assert mix.loopback(host)


@pytest.mark.parametrize(
    "host",
    [None, "", "http://10.0.0.1:8000", "http://192.168.1.5", "https://cases.example.org"],
)
def test_any_other_host_is_refused(host):
    assert not mix.loopback(host)


def test_the_locustfile_gives_each_client_its_weighted_mix():
    """Imported in a process of its own: importing locust patches the standard library (gevent)."""
    script = (
        "import json\n"
        "from bench.loadtest import locustfile as f\n"
        "print(json.dumps({user.__name__: sorted(next(iter(t.locust_tag_set)) for t in user.tasks)"
        " for user in (f.Reader, f.Partner, f.SlowClient)}))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    tags = json.loads(found.stdout.splitlines()[-1])
    for user, asks in [("Reader", mix.READER), ("Partner", mix.PARTNER)]:
        assert tags[user] == sorted(ask.tag for ask in asks for _ in range(ask.weight))
    assert tags["SlowClient"] == sorted(ask.tag for ask in mix.SLOW_CLIENT)
