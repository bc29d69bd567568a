"""Links to the outside world are http(s) or no link at all, whatever the database holds."""

import re

import pytest

from public.templatetags.public_pages import web_url
from tests import factories as f
from tests.pages.crook import build_crook_case
from tests.publishing import publish_all

BAD = "javascript:alert(1)"


@pytest.mark.parametrize(
    ("url", "href"),
    [
        ("https://news.example.org/a", "https://news.example.org/a"),
        ("http://news.example.org/a", "http://news.example.org/a"),
        ("HTTPS://NEWS.EXAMPLE.ORG/A", "HTTPS://NEWS.EXAMPLE.ORG/A"),
        ("javascript:alert(1)", ""),
        ("JavaScript:alert(1)", ""),
        (" javascript:alert(1)", ""),  # browsers ignore the leading space
        ("data:text/html,<script>alert(1)</script>", ""),
        ("vbscript:msgbox(1)", ""),
        ("ftp://files.example.org/a.pdf", ""),
        ("//news.example.org/a", ""),
        ("news.example.org/a", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_the_filter_gives_an_address_only_when_it_is_http_or_https(url, href):
    assert web_url(url) == href


@pytest.fixture
def crook_with_a_bad_link(db):
    crook = build_crook_case()
    f.CitationFactory(record=crook.ms13, source=crook.article)
    f.store_refused_link(crook.article, BAD)
    assert crook.article.url == BAD
    publish_all()
    return crook


def links(html: str) -> list[str]:
    return re.findall(r"<a\b[^>]*\bhref=\"([^\"]*)\"", html)


@pytest.mark.parametrize(
    "path",
    ["/cases/ms13-ranfla-historica-edny/", "/people/elmer-canales-rivera/", "/organizations/ms13/"],
)
def test_a_bad_link_in_the_database_is_shown_as_plain_text(client, crook_with_a_bad_link, path):
    response = client.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    assert "javascript" not in html.lower()
    assert not [href for href in links(html) if not href.startswith(("/", "#", "http"))]
    title = crook_with_a_bad_link.article.title
    assert f"<cite>{title}</cite>" in html  # the source is still listed, without a link


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cases/ms13-ranfla-historica-edny/timeline/?format=timelinejs",
        "/api/v1/people/elmer-canales-rivera/timeline/?format=timelinejs",
    ],
)
def test_a_bad_link_is_no_link_in_timelinejs(client, crook_with_a_bad_link, path):
    response = client.get(path)

    assert response.status_code == 200
    body = response.content.decode()
    assert crook_with_a_bad_link.article.title in body
    assert "javascript" not in body.lower()
