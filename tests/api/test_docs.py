"""The interactive docs over HTTP: methods other than GET get a proper answer, the responses
shared caches keep set no cookie, and the Content-Security-Policy is loosened for them only as
far as Swagger UI needs (in Chromium: tests/browser/test_api_docs.py)."""

import pytest

pytestmark = pytest.mark.django_db

DOCS = "/api/v1/docs/"


def test_options_lists_the_methods(client):
    response = client.options(DOCS)

    assert response.status_code == 200
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.content == b""


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writing_methods_are_not_allowed(client, method):
    response = getattr(client, method)(DOCS)

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("url", [DOCS, DOCS + "?script="])
def test_the_docs_set_no_cookie_on_a_public_response(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert not response.cookies
    assert "Set-Cookie" not in response.headers


def test_the_start_up_script_is_javascript(client):
    response = client.get(DOCS + "?script=")

    assert response["Content-Type"] == "application/javascript"
    assert b"SwaggerUIBundle(" in response.content


def test_the_docs_policy_allows_only_data_images_beyond_the_site(client):
    docs = client.get(DOCS)["Content-Security-Policy"]
    page = client.get("/")["Content-Security-Policy"]

    assert "img-src 'self' data:" in docs
    assert "data:" not in page
    assert "unsafe-inline" not in docs
    assert "script-src" not in docs  # default-src 'self': no inline script
