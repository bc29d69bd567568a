"""What the load test's clients ask for, and how often (`make loadtest`).

Three kinds of client, each a weighted list of requests:

- **readers** (`READER`) read the public pages: the home page, the case list (first pages, a
  few deeper ones, filters, a search), case, person and organization pages, and the search
  page with common and rare words;
- **partners** (`PARTNER`) read the API: lists with filters, following their `next` links,
  details, timelines, TimelineJS, the hearings calendar of a case, a person or a court, and
  now and then the unfiltered calendar;
- **slow clients** (`SLOW_CLIENT`, second scenario only) send the slowest valid requests found: long
  searches (at most 200 characters, the API's cap), many short common words, four-word common
  names, the last pages of the case list and of the biggest organization's members, and the
  largest feeds.

Every request is a path on the server under test, never a full URL: locust sends it to the
loopback `--host` that `run.py` gives it (`loopback()` refuses any other). The records asked for
(`records`, chosen by `run.py` with a fixed seed) are real published synthetic records.

This module imports no locust (its import patches the standard library with gevent), so the
tests read the mix directly.
"""

from __future__ import annotations

import ipaddress
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

PAGES, API, SLOW = "pages", "API", "slow"
GROUPS = (PAGES, API, SLOW)

# Words that are in no synthetic name or title: what a reader mistypes or a name from elsewhere.
RARE_WORDS = ["hernandes", "gonsales", "rodrigues", "martines", "smith", "loera", "zetas"]
# Slow searches. Every word is in thousands of names and titles, so a case is checked for each;
# none is longer than 200 characters (the API's cap on `q`).
SHORT_COMMON = "ez an ar er ia el os ra es ro"
# The longest valid search: 10 words (the cap), 199 characters, each a run of a common pair of
# letters, so that every trigram of it is common and the trigram index narrows little.
LONG_SEARCH = " ".join((pair * 10)[:19] for pair in SHORT_COMMON.split())


@dataclass(frozen=True)
class Ask:
    """One kind of request: its group and name (as reported), its weight among its client's
    requests, how to build its path from the records, and how many `next` links of an API list
    to follow after it."""

    group: str
    name: str
    weight: int
    path: Callable[[dict, random.Random], str]
    follow: int = 0

    @property
    def label(self) -> str:
        return f"{self.group}: {self.name}"

    @property
    def tag(self) -> str:
        """The locust tag of this request, e.g. `api-calendar-unfiltered` (`--exclude-tags`)."""
        return re.sub(r"[^a-z0-9]+", "-", self.label.lower()).strip("-")


def url(path: str, **params) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def relative(link: str) -> str:
    """The path and query of a link the server wrote (an API list's `next`): the request goes
    to the server under test whatever host the link names."""
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def loopback(host: str | None) -> bool:
    """Whether `host` (locust's `--host`, e.g. `http://127.0.0.1:8123`) is on this machine."""
    if not host:
        return False
    name = urlsplit(host).hostname
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name or "").is_loopback
    except ValueError:
        return False


# Readers ---------------------------------------------------------------------------------------


def page_between(r: dict, rng: random.Random, first: int, last: int) -> int:
    """A page of the unfiltered case list from `first` to `last`, if it has that many."""
    pages = r["case_pages"]
    return rng.randint(min(first, pages), min(last, pages))


def case_list_filtered(r: dict, rng: random.Random) -> str:
    """The case list narrowed by one filter, sometimes two, as a reader sets them."""
    filters = {
        "status": lambda: rng.choice(r["statuses"]),
        "court": lambda: rng.choice(r["courts"]),
        "country": lambda: rng.choice(r["countries"]),
        "organization": lambda: rng.choice(r["organizations"]),
        "charge": lambda: rng.choice(r["charges"]),
        "sort": lambda: rng.choice(["title", "status"]),
    }
    chosen = rng.sample(sorted(filters), rng.choice([1, 1, 1, 2]))
    return url("/cases/", **{name: filters[name]() for name in sorted(chosen)})


def rare_search(r: dict, rng: random.Random) -> str:
    """A word in no record, or a two-word name (a given and a family name, found in a few
    cases)."""
    return rng.choice(RARE_WORDS) if rng.random() < 0.4 else rng.choice(r["names"])


READER = [
    Ask(PAGES, "home", 10, lambda r, rng: "/"),
    Ask(PAGES, "case list", 12, lambda r, rng: "/cases/"),
    Ask(
        PAGES,
        "case list, pages 2-5",
        6,
        lambda r, rng: url("/cases/", page=page_between(r, rng, 2, 5)),
    ),
    Ask(
        PAGES,
        "case list, deeper page",
        3,
        lambda r, rng: url("/cases/", page=page_between(r, rng, 6, 100)),
    ),
    Ask(PAGES, "case list, filtered", 8, case_list_filtered),
    Ask(PAGES, "case list, search", 4, lambda r, rng: url("/cases/", q=rng.choice(r["common"]))),
    Ask(PAGES, "case", 25, lambda r, rng: f"/cases/{rng.choice(r['cases'])}/"),
    Ask(PAGES, "person", 12, lambda r, rng: f"/people/{rng.choice(r['people'])}/"),
    Ask(
        PAGES,
        "organization",
        5,
        lambda r, rng: f"/organizations/{rng.choice(r['organizations'])}/",
    ),
    Ask(PAGES, "search, common word", 6, lambda r, rng: url("/search/", q=rng.choice(r["common"]))),
    Ask(PAGES, "search, rare words", 4, lambda r, rng: url("/search/", q=rare_search(r, rng))),
]


# Partners --------------------------------------------------------------------------------------


def api_cases_filtered(r: dict, rng: random.Random) -> str:
    filters = {
        "status": lambda: rng.choice(r["statuses"]),
        "court": lambda: rng.choice(r["courts"]),
        "country": lambda: rng.choice(r["countries"]),
        "organization": lambda: rng.choice(r["organizations"]),
        "charge_category": lambda: rng.choice(r["charges"]),
        "person": lambda: rng.choice(r["people"]),
        "updated_since": lambda: r["updated_since"],
        "filed_after": lambda: str(rng.randint(2010, 2024)),
    }
    chosen = rng.sample(sorted(filters), rng.choice([1, 1, 2]))
    return url("/api/v1/cases/", **{name: filters[name]() for name in sorted(chosen)})


def api_people_filtered(r: dict, rng: random.Random) -> str:
    filters = {
        "organization": lambda: rng.choice(r["organizations"]),
        "custody": lambda: rng.choice(r["custody"]),
        "q": lambda: rng.choice(r["common"]),
    }
    name = rng.choice(sorted(filters))
    return url("/api/v1/people/", **{name: filters[name]()})


def case(r: dict, rng: random.Random) -> str:
    return rng.choice(r["cases"])


def person(r: dict, rng: random.Random) -> str:
    return rng.choice(r["people"])


PARTNER = [
    Ask(API, "case list", 6, lambda r, rng: "/api/v1/cases/"),
    Ask(API, "case list, following next", 4, lambda r, rng: "/api/v1/cases/", follow=3),
    Ask(API, "case list, filtered", 10, api_cases_filtered, follow=1),
    Ask(API, "case list, deep cursor", 2, lambda r, rng: url("/api/v1/cases/", cursor=r["deep"])),
    Ask(
        API,
        "case search, common word",
        4,
        lambda r, rng: url("/api/v1/cases/", q=rng.choice(r["common"])),
    ),
    Ask(
        API,
        "case search, rare words",
        3,
        lambda r, rng: url("/api/v1/cases/", q=rare_search(r, rng)),
    ),
    Ask(API, "people, filtered", 5, api_people_filtered),
    Ask(API, "case", 15, lambda r, rng: f"/api/v1/cases/{case(r, rng)}/"),
    Ask(API, "person", 8, lambda r, rng: f"/api/v1/people/{person(r, rng)}/"),
    Ask(API, "case timeline", 10, lambda r, rng: f"/api/v1/cases/{case(r, rng)}/timeline/"),
    Ask(API, "person timeline", 6, lambda r, rng: f"/api/v1/people/{person(r, rng)}/timeline/"),
    Ask(
        API,
        "case TimelineJS",
        8,
        lambda r, rng: f"/api/v1/cases/{case(r, rng)}/timeline/?format=timelinejs",
    ),
    Ask(
        API,
        "court events of a case",
        3,
        lambda r, rng: url("/api/v1/court-events/", case=case(r, rng), ordering="date"),
    ),
    Ask(
        API, "calendar, one case", 6, lambda r, rng: url("/api/v1/calendar.ics", case=case(r, rng))
    ),
    Ask(
        API,
        "calendar, one person",
        2,
        lambda r, rng: url("/api/v1/calendar.ics", person=person(r, rng)),
    ),
    Ask(
        API,
        "calendar, one court",
        1,
        lambda r, rng: url("/api/v1/calendar.ics", court=rng.choice(r["courts"])),
    ),
    Ask(API, "calendar, unfiltered", 1, lambda r, rng: "/api/v1/calendar.ics"),
    Ask(
        API,
        "organizations and courts",
        2,
        lambda r, rng: rng.choice(["/api/v1/organizations/", "/api/v1/courts/"]),
    ),
]


# Slow clients ----------------------------------------------------------------------------------

SLOW_CLIENT = [
    Ask(
        SLOW,
        "search page, 10 short common words",
        1,
        lambda r, rng: url("/search/", q=SHORT_COMMON),
    ),
    Ask(SLOW, "search page, 200 characters", 1, lambda r, rng: url("/search/", q=LONG_SEARCH)),
    Ask(
        SLOW,
        "search page, four-word common name",
        1,
        lambda r, rng: url("/search/", q=rng.choice(r["long_names"])),
    ),
    Ask(
        SLOW,
        "case list, 10 short common words, last page by title",
        1,
        lambda r, rng: url("/cases/", q=SHORT_COMMON, sort="title", page="last"),
    ),
    Ask(SLOW, "case list, 200 characters", 1, lambda r, rng: url("/cases/", q=LONG_SEARCH)),
    Ask(
        SLOW,
        "case list, last page by stage",
        1,
        lambda r, rng: url("/cases/", sort="status", page="last"),
    ),
    Ask(
        SLOW,
        "biggest organization, last page of members",
        1,
        lambda r, rng: url(f"/organizations/{r['biggest_organization']}/", page=r["member_pages"]),
    ),
    Ask(SLOW, "API calendar, unfiltered", 1, lambda r, rng: "/api/v1/calendar.ics"),
    Ask(
        SLOW,
        "API calendar, biggest court",
        1,
        lambda r, rng: url("/api/v1/calendar.ics", court=r["biggest_court"]),
    ),
    Ask(
        SLOW,
        "API case search, 200 characters",
        1,
        lambda r, rng: url("/api/v1/cases/", q=LONG_SEARCH),
    ),
    Ask(
        SLOW,
        "API case search, four-word common name",
        1,
        lambda r, rng: url("/api/v1/cases/", q=rng.choice(r["long_names"])),
    ),
    Ask(
        SLOW,
        "API people of the biggest organization, 200 a page",
        1,
        lambda r, rng: url(
            "/api/v1/people/", organization=r["biggest_organization"], page_size=200
        ),
    ),
    Ask(
        SLOW,
        "API court events, 200 a page",
        1,
        lambda r, rng: url("/api/v1/court-events/", page_size=200),
    ),
]
MIXES = {"reader": READER, "partner": PARTNER, "slow": SLOW_CLIENT}
