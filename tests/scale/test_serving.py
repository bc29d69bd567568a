"""How the site is served: what `gunicorn casetracker.wsgi` loads."""

import gc
import importlib
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import OperationalError, connection


def test_the_wsgi_module_keeps_long_lived_objects_out_of_garbage_collection():
    """Full collections walk only what requests create, not the whole framework: without
    the freeze, one case list request in ten or so took 65-100 ms longer."""
    import casetracker.wsgi

    gc.unfreeze()
    try:
        importlib.reload(casetracker.wsgi)
        frozen = gc.get_freeze_count()
        assert frozen > 50_000, frozen
    finally:
        gc.unfreeze()


# The statement time limit (casetracker/statement_timeout.py) ---------------------------------


def statement_timeout_in(code: str, database: dict) -> str:
    """What a fresh process that runs `code` first sees as its connection's statement_timeout."""
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    show = (
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('SHOW statement_timeout')\n"
        "    print(cursor.fetchone()[0])\n"
    )
    environment = {**os.environ, "DATABASE_URL": url, "DATABASE_STATEMENT_TIMEOUT": "1234"}
    environment.setdefault("DJANGO_SETTINGS_MODULE", "casetracker.settings")
    result = subprocess.run(
        [sys.executable, "-c", f"{code}\n{show}"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.django_db
def test_the_served_site_limits_every_statement_and_commands_do_not():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's statement_timeout (SQLite has none)")
    served = statement_timeout_in("import casetracker.wsgi", connection.settings_dict)
    assert served == "1234ms"
    command = "import django\ndjango.setup()"  # as manage.py: migrate, generate_synthetic...
    assert statement_timeout_in(command, connection.settings_dict) == "0"


def test_on_sqlite_the_limit_is_left_out():
    code = (
        "import casetracker.wsgi\n"
        "from django.db import connection\n"
        "print(connection.vendor, connection.settings_dict.get('OPTIONS'))"
    )
    environment = {**os.environ, "DATABASE_URL": "sqlite:///:memory:"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    assert result.stdout.strip() == "sqlite {}"


class QueryCanceled(Exception):
    """psycopg's error for a cancelled statement, as far as the site looks at it."""

    sqlstate = "57014"


def run_too_long(*args, **kwargs):
    """A statement that runs past the limit: PostgreSQL cancels it; elsewhere, the same error."""
    if connection.vendor != "postgresql":
        raise OperationalError("canceling statement due to statement timeout") from QueryCanceled()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 20")
        cursor.execute("SELECT pg_sleep(2)")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/cases/?q=crook", "/search/?q=crook", "/"])
def test_a_page_whose_statement_ran_too_long_is_a_503(client, monkeypatch, caplog, url):
    monkeypatch.setattr("public.views.cases_for_lists", run_too_long)
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "<h1>This took too long</h1>" in html
    assert "This took too long; try a narrower search" in html
    assert f"Statement cancelled after the time limit: GET {url}" in caplog.text
    monkeypatch.undo()
    assert client.get(url).status_code == 200  # the connection serves the next request


@pytest.mark.django_db
def test_an_api_request_whose_statement_ran_too_long_is_a_json_503(client, monkeypatch, caplog):
    monkeypatch.setattr("cases.api.CaseViewSet.get_queryset", run_too_long)
    response = client.get("/api/v1/cases/?q=crook")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {
        "detail": "This took too long; try a narrower request: fewer words, or one filter more."
    }
    assert "Statement cancelled after the time limit: GET /api/v1/cases/?q=crook" in caplog.text
