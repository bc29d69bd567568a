"""HTTP done right: ETag and Last-Modified on every GET, 304 to conditional requests, CORS on
/api/, throttling with 429 and Retry-After."""

import datetime
import json
import os
import subprocess
import sys

import environ
import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import CacheHandler, caches, close_caches
from django.core.cache.backends import locmem
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from cases.models import Case, CourtEvent
from casetracker.publication import Publication, Publishable
from tests import factories as f

from .conftest import full_case

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "",
    "cases/",
    "cases/{case}/",
    "cases/{case}/timeline/",
    "cases/{case}/timeline/?format=timelinejs",
    "people/",
    "people/{person}/",
    "people/{person}/timeline/",
    "people/{person}/timeline/?format=timelinejs",
    "organizations/",
    "organizations/{organization}/",
    "courts/",
    "courts/{court}/",
    "charges/",
    "charges/{charge}/",
    "court-events/",
    "court-events/{event}/",
    "extradition-requests/",
    "extradition-requests/{request}/",
    "custody-records/",
    "custody-records/{custody}/",
    "sources/",
    "sources/{source}/",
    "calendar.ics",
    "calendar.ics?case={case}",
    "schema/",
    "docs/",
]
LISTS = [
    "cases/",
    "people/",
    "organizations/",
    "courts/",
    "charges/",
    "court-events/",
    "extradition-requests/",
    "custody-records/",
    "sources/",
    "calendar.ics",
    "calendar.ics?case={case}",
]


@pytest.fixture
def urls(db):
    case = full_case(2)
    defendant = case.defendants.first()
    keys = {
        "case": case.slug,
        "person": defendant.person.slug,
        "organization": case.organizations.first().slug,
        "court": case.court.slug,
        "charge": defendant.charges.first().pk,
        "event": case.court_events.first().pk,
        "request": case.extradition_requests.first().pk,
        "custody": defendant.person.custody_records.first().pk,
        "source": case.citations.first().source.pk,
    }
    return {path: "/api/v1/" + path.format(**keys) for path in ENDPOINTS}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_get_is_cacheable_and_revalidates(api, urls, endpoint):
    url = urls[endpoint]
    first = api.client.get(url)
    assert first.status_code == 200
    assert first["ETag"].startswith('"')
    assert parse_http_date(first["Last-Modified"])
    assert "max-age=" in first["Cache-Control"]

    same = api.client.get(url, headers={"If-None-Match": first["ETag"]})
    assert same.status_code == 304
    assert same.content == b""
    assert same["ETag"] == first["ETag"]

    not_since = api.client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    # A list's date does not see records leave it: only its ETag answers 304.
    assert not_since.status_code == (200 if endpoint in LISTS else 304)

    other = api.client.get(url, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200
    assert other["ETag"] == first["ETag"]


def test_a_change_deep_in_a_case_changes_its_etag_and_last_modified(api):
    case = full_case(2)
    url = f"/api/v1/cases/{case.slug}/"
    long_ago = timezone.now() - datetime.timedelta(days=10)
    for model in apps.get_models():
        if issubclass(model, Publishable):
            model.objects.update(updated_at=long_ago)
    first = api.client.get(url)
    assert parse_http_date(first["Last-Modified"]) == int(long_ago.timestamp())
    charge = case.defendants.first().charges.first()
    charge.sentence = "Life in prison"
    charge.save()
    again = api.client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert parse_http_date(again["Last-Modified"]) > parse_http_date(first["Last-Modified"])
    # Saving the charge also touches its defendant and case a moment later.
    changed = parse_http_date(again["Last-Modified"])
    assert int(charge.updated_at.timestamp()) <= changed <= int(timezone.now().timestamp())
    since = api.client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 200


def settle(when: datetime.datetime) -> None:
    """Date every record `when`, as if nothing had changed since."""
    for model in apps.get_models():
        if issubclass(model, Publishable):
            model.objects.update(updated_at=when)


@pytest.mark.parametrize("path", ["cases/", "court-events/", "calendar.ics"])
def test_a_list_answers_if_modified_since_alone_in_full(api, path):
    """A record that leaves a list takes its date with it: `Last-Modified` does not move, and a
    date for the departure would tell when unpublished records change. A list revalidates by
    its ETag alone."""
    events = [f.CourtEventFactory(date=datetime.date(2030, 1, 1 + n)) for n in range(3)]
    settle(timezone.now() - datetime.timedelta(days=10))
    first = api.get(path)
    leaving = events[1].case if path == "cases/" else events[1]
    leaving.publication = Publication.WITHDRAWN
    leaving.save()
    since = api.get(path, headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 200
    assert since.content != first.content
    empty = {"If-None-Match": "", "If-Modified-Since": first["Last-Modified"]}
    assert api.get(path, headers=empty).status_code == 200
    assert since["ETag"] != first["ETag"]
    assert api.get(path, headers={"If-None-Match": since["ETag"]}).status_code == 304
    both = {"If-None-Match": since["ETag"], "If-Modified-Since": since["Last-Modified"]}
    assert api.get(path, headers=both).status_code == 304


def test_one_record_still_answers_if_modified_since(api):
    case = full_case(2)
    settle(timezone.now() - datetime.timedelta(days=10))
    for path in (f"cases/{case.slug}/", f"cases/{case.slug}/timeline/"):
        first = api.get(path)
        since = api.get(path, headers={"If-Modified-Since": first["Last-Modified"]})
        assert since.status_code == 304, path


def test_last_modified_is_the_newest_record_shown(api):
    events = [f.CourtEventFactory() for _ in range(3)]
    base = timezone.now().replace(microsecond=0) - datetime.timedelta(days=5)
    for n, event in enumerate(events):
        CourtEvent.objects.filter(pk=event.pk).update(updated_at=base + datetime.timedelta(hours=n))
    Case.objects.update(updated_at=base - datetime.timedelta(days=1))
    response = api.get("court-events/")
    assert response["Last-Modified"] == http_date((base + datetime.timedelta(hours=2)).timestamp())
    first_only = api.get("court-events/", page_size=1)
    assert first_only["Last-Modified"] == http_date(base.timestamp())


def test_cors_lets_any_site_read_the_api(api, urls):
    response = api.client.get(urls["cases/"], headers={"Origin": "https://partner.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    exposed = response["Access-Control-Expose-Headers"].lower()
    assert "etag" in exposed
    assert "last-modified" in exposed
    preflight = api.client.options(
        urls["cases/"],
        headers={
            "Origin": "https://partner.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "if-none-match" in preflight["Access-Control-Allow-Headers"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    not_modified = api.client.get(
        urls["cases/"], headers={"Origin": "https://partner.example", "If-None-Match": "*"}
    )
    assert not_modified.status_code == 304
    assert not_modified["Access-Control-Allow-Origin"] == "*"


def test_cors_is_for_the_api_only(api, urls):
    response = api.client.get("/admin/login/", headers={"Origin": "https://partner.example"})
    assert "Access-Control-Allow-Origin" not in response


def test_the_api_is_read_only(api, urls):
    response = api.client.post(urls["cases/"], {"title": "New"})
    assert response.status_code == 405
    assert Case.objects.count() == 1


@pytest.fixture
def two_a_minute(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"},
    }


def test_anonymous_clients_are_throttled(api, urls, two_a_minute):
    assert api.client.get(urls["cases/"]).status_code == 200
    assert api.client.get(urls["people/"]).status_code == 200
    third = api.client.get(urls["cases/"], headers={"Origin": "https://partner.example"})
    assert third.status_code == 429
    assert 0 < int(third["Retry-After"]) <= 60
    assert third["Access-Control-Allow-Origin"] == "*"
    assert "detail" in third.json()
    elsewhere = api.client.get(urls["cases/"], REMOTE_ADDR="203.0.113.7")
    assert elsewhere.status_code == 200


def test_x_forwarded_for_buys_no_new_budget(api, urls, two_a_minute):
    """Without a trusted proxy the client is the address the request came from: a header the
    client writes itself changes nothing."""
    url = urls["cases/"]
    assert api.client.get(url, headers={"X-Forwarded-For": "198.51.100.1"}).status_code == 200
    assert api.client.get(url, headers={"X-Forwarded-For": "198.51.100.2"}).status_code == 200
    for forwarded in ("198.51.100.1", "198.51.100.3", "198.51.100.4, 198.51.100.5"):
        assert api.client.get(url, headers={"X-Forwarded-For": forwarded}).status_code == 429


def test_behind_one_proxy_the_last_forwarded_address_is_the_client(api, urls, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"},
        "NUM_PROXIES": 1,
    }
    url = urls["cases/"]

    def via_proxy(forwarded):  # the proxy appends the address it saw
        return api.client.get(url, headers={"X-Forwarded-For": forwarded}, REMOTE_ADDR="10.0.0.2")

    assert via_proxy("203.0.113.9").status_code == 200
    assert via_proxy("198.51.100.1, 203.0.113.9").status_code == 200
    assert via_proxy("198.51.100.2, 203.0.113.9").status_code == 429  # a forged first entry
    assert via_proxy("203.0.113.10").status_code == 200  # another client, same proxy


def settings_read(expression: str, **variables: str | None) -> str:
    """`expression` evaluated in a fresh process, its settings read with these environment
    `variables` (None: unset)."""
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print({expression})"
    )
    environment = {
        **os.environ,
        **variables,
        "DJANGO_SETTINGS_MODULE": "casetracker.settings",
        "DJANGO_SECRET_KEY": "test-only",
    }
    environment = {name: value for name, value in environment.items() if value is not None}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_the_rate_comes_from_api_anon_rate():
    rate = "settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['anon']"
    assert settings_read(rate, API_ANON_RATE="7/hour") == "7/hour"


def test_throttle_counts_outlive_a_restart_with_the_default_cache(api, urls, settings, tmp_path):
    default = json.loads(settings_read("json.dumps(settings.CACHES['default'])", CACHE_URL=None))
    location = str(tmp_path)  # a folder, or the name of an in-memory cache
    settings.CACHES = {"default": {**default, "LOCATION": location}}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"},
    }
    assert api.client.get(urls["cases/"]).status_code == 200
    assert api.client.get(urls["cases/"]).status_code == 200

    # A restart: the process forgets everything it held in memory, this cache included.
    close_caches()
    del caches["default"]
    for memory in (locmem._caches, locmem._expire_info, locmem._locks):
        memory.pop(location, None)

    assert api.client.get(urls["cases/"]).status_code == 429


def test_a_redis_cache_url_works_out_of_the_box():
    """`CACHE_URL=redis://…` is Django's own Redis backend, whose client library is installed:
    with no server listening, the error is Redis's, not a missing module."""
    import redis

    config = environ.Env.cache_url_config("redis://127.0.0.1:9/0")  # port 9: nothing listens
    cache = CacheHandler({"default": config})["default"]
    with pytest.raises(redis.ConnectionError):
        cache.get("anything")


def test_the_trusted_proxies_come_from_django_trusted_proxies():
    proxies = "settings.TRUSTED_PROXIES, settings.REST_FRAMEWORK['NUM_PROXIES']"
    assert settings_read(proxies, DJANGO_TRUSTED_PROXIES="1") == "1 1"
    assert settings_read(proxies, DJANGO_TRUSTED_PROXIES=None) == "0 0"
