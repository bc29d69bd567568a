"""What every page shares: layout, landmarks, metadata, sitemap, robots.txt and the 404 page."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from casetracker.publication import Publication
from public.sitemaps import CaseSitemap
from tests import factories as f
from tests.pages.crook import build_crook_case
from tests.publishing import publish_all

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/cases/",
    "/cases/ms13-ranfla-historica-edny/",
    "/people/elmer-canales-rivera/",
    "/organizations/ms13/",
    "/search/?q=crook",
]


@pytest.fixture
def crook():
    return build_crook_case()


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_one_h1_landmarks_a_skip_link_and_metadata(client, crook, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith("<!doctype html>")
    assert '<html lang="en">' in html
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in html
    assert '<main id="main"' in html
    assert "<header" in html and '<nav class="site-nav" aria-label="Main">' in html
    assert "<footer" in html
    assert re.search(r"<title>[^<]+</title>", html)
    assert '<meta name="description" content="' in html
    path = url.split("?")[0]
    assert f'<link rel="canonical" href="http://testserver{path}">' in html
    assert '<meta property="og:title"' in html
    assert '<meta property="og:url" content="http://testserver' in html
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    # everything is served from this site: no CDN, no external script or stylesheet
    assert "<script" not in html
    for address in re.findall(r'<link[^>]+href="([^"]+)"', html):
        assert address.startswith(("/", "http://testserver")), address


def test_the_stylesheets_are_served_locally(client, crook):
    html = client.get("/").content.decode()
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in html


def sitemap_locations(client, url) -> tuple[list[str], str]:
    response = client.get(url)
    assert response.status_code == 200
    xml = response.content.decode()
    return re.findall(r"<loc>([^<]+)</loc>", xml), xml


def test_sitemap_lists_published_pages_only(client, crook):
    f.CaseFactory(slug="draft-case", publication=Publication.DRAFT)
    f.PersonFactory(slug="draft-person", publication=Publication.IN_REVIEW)
    f.OrganizationFactory(slug="draft-org", publication=Publication.WITHDRAWN)
    publish_all()
    sections, index = sitemap_locations(client, "/sitemap.xml")
    assert "<sitemapindex" in index
    assert sections == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-cases.xml",
        "http://testserver/sitemap-people.xml",
        "http://testserver/sitemap-organizations.xml",
    ]
    assert index.count("<lastmod>") == 3  # the sections of records
    locations = []
    for section in sections:
        found, xml = sitemap_locations(client, section.removeprefix("http://testserver"))
        locations += found
    assert "http://testserver/" in locations
    assert "http://testserver/cases/" in locations
    assert "http://testserver/cases/ms13-ranfla-historica-edny/" in locations
    assert "http://testserver/people/elmer-canales-rivera/" in locations
    assert "http://testserver/organizations/ms13/" in locations
    assert not [loc for loc in locations if "draft" in loc]
    assert "<lastmod>" in xml
    for location in locations:
        assert client.get(location.removeprefix("http://testserver")).status_code == 200


def test_a_sitemap_section_comes_in_pages_of_a_fixed_size(
    client, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(CaseSitemap, "limit", 3)
    for n in range(7):
        f.CaseFactory(slug=f"case-{n}")
    publish_all()
    _sections, index = sitemap_locations(client, "/sitemap.xml")
    assert "http://testserver/sitemap-cases.xml?p=3</loc>" in index
    assert "?p=4" not in index
    pages = []
    for page in (1, 2, 3):
        # savepoints 2, count 1, the page 1
        with django_assert_num_queries(4):
            found, _xml = sitemap_locations(client, f"/sitemap-cases.xml?p={page}")
        pages.append([location.rsplit("/", 2)[1] for location in found])
    assert pages == [["case-0", "case-1", "case-2"], ["case-3", "case-4", "case-5"], ["case-6"]]
    assert client.get("/sitemap-cases.xml?p=4").status_code == 404


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "User-agent: *" in body
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_the_not_found_page_is_helpful(client):
    f.CaseFactory(slug="draft-case", publication=Publication.DRAFT)
    publish_all()
    response = client.get("/cases/draft-case/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert "There is no published page at this address." in html
    assert '<meta name="robots" content="noindex">' in html
    assert 'href="/search/"' in html


# Every public page, by URL name, with an address for it in the Crook case.
PUBLIC_URLS = {
    "cases:home": "/",
    "cases:case-list": "/cases/?q=crook",
    "cases:case-detail": "/cases/ms13-ranfla-historica-edny/",
    "cases:search": "/search/?q=crook",
    "people:person-detail": "/people/elmer-canales-rivera/",
    "people:organization-detail": "/organizations/ms13/",
    "sitemap": "/sitemap.xml",
    "sitemap-section": "/sitemap-cases.xml",
    "robots": "/robots.txt",
}


def url_names(patterns, namespace="") -> set[str]:
    """The names of every URL pattern outside the admin and the API."""
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) in ("admin/", "api/v1/"):
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_public_page_is_checked_below():
    assert url_names(get_resolver().url_patterns) == set(PUBLIC_URLS)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "TRACE"])
@pytest.mark.parametrize("url", PUBLIC_URLS.values())
def test_public_pages_answer_only_get_and_head(crook, url, method):
    client = Client(enforce_csrf_checks=True)  # as a browser or a script meets the site
    response = client.generic(method, url, "q=x", "application/x-www-form-urlencoded")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert client.get(url).status_code == 200
    assert client.head(url).status_code == 200


def test_the_admin_still_checks_csrf(crook):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
