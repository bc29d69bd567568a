"""The OpenAPI 3 schema: valid, every parameter, field and enum described, docs served from local
files, and the API itself checked against it by schemathesis (in-process, through WSGI)."""

import json
import os
import re

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api):
    response = api.get("schema/", format="json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)
    assert set(schema["paths"]) >= {
        "/api/v1/cases/",
        "/api/v1/cases/{slug}/",
        "/api/v1/cases/{slug}/timeline/",
        "/api/v1/people/{slug}/timeline/",
        "/api/v1/calendar.ics",
        "/api/v1/court-events/{id}/",
    }


def test_every_operation_parameter_field_and_enum_is_described(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), (path, method)
            for parameter in operation["parameters"]:
                assert parameter.get("description"), (path, parameter["name"])
            for status, response in operation["responses"].items():
                assert response.get("description"), (path, status)
    for name, component in schema["components"]["schemas"].items():
        if "enum" in component:
            assert component.get("description"), name
        for field, definition in component.get("properties", {}).items():
            if "$ref" not in definition:
                assert definition.get("description"), f"{name}.{field}"


@pytest.mark.parametrize(
    ("params", "name", "media_type"),
    [
        ({}, "casetracker-api.yaml", "application/vnd.oai.openapi"),
        ({"format": "yaml"}, "casetracker-api.yaml", "application/vnd.oai.openapi"),
        ({"format": "json"}, "casetracker-api.json", "application/vnd.oai.openapi+json"),
    ],
)
def test_the_schema_downloads_under_a_fixed_name(api, params, name, media_type):
    response = api.get("schema/", **params)
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == media_type
    assert response["Content-Disposition"] == f'inline; filename="{name}"'


@pytest.mark.parametrize("path", ["", "schema/"])
def test_the_root_and_the_schema_answer_every_method_without_error(api, path):
    url = f"/api/v1/{path}"
    head = api.client.head(url)
    assert head.status_code == 200
    assert head.content == b""
    options = api.client.options(url)
    assert options.status_code == 200
    for method in ("post", "put", "patch", "delete"):
        response = getattr(api.client, method)(url)
        assert response.status_code == 405, method
        assert response["Content-Type"] == "application/json"
        assert "not allowed" in response.json()["detail"]


def test_court_times_are_local_without_an_offset(schema):
    """RFC 3339's `format: time` needs an offset; a court's time is on the court's own clock."""
    time = schema["components"]["schemas"]["CourtEvent"]["properties"]["time"]
    assert "format" not in time
    assert time["type"] == "string"
    assert re.fullmatch(time["pattern"].strip("^$"), "15:30:00")
    assert not re.fullmatch(time["pattern"].strip("^$"), "15:30:00Z")
    assert "local" in time["description"].lower()


def test_text_parameters_say_what_is_refused(schema):
    """Only spaces count as empty, and a NUL character is refused: the pattern says both."""
    [q] = [p for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"] if p["name"] == "q"]
    pattern = re.compile(q["schema"]["pattern"])
    assert pattern.search("crook") and pattern.search(" élmer ")
    for blank in ("  ", "\x1c", "\u3000", "\t\n"):  # as str.strip() sees white space
        assert not pattern.search(blank), repr(blank)
    assert not pattern.search("crook\x00")
    assert q["schema"]["maxLength"] == 200  # as the API refuses longer ones


def test_lists_document_the_404_of_a_cursor(schema):
    for path in ("/api/v1/cases/", "/api/v1/court-events/"):
        assert "cursor" in schema["paths"][path]["get"]["responses"]["404"]["description"]


def test_the_docs_use_only_local_files(api):
    response = api.get("docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"(?i)\b(https?:)?//", html.replace("http://testserver", ""))
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(assets) >= 3
    for asset in assets[:-1]:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset
    # The start-up script comes from the docs themselves (no inline script).
    assert assets[-1] == "/api/v1/docs/?script="
    script = api.get(assets[-1]).content.decode()
    assert not re.search(r"(?i)\b(https?:)?//", script)
    assert "/api/v1/schema/" in script
    assert '"validatorUrl": null' in script  # no call to the online validator either


# schemathesis -----------------------------------------------------------------------------------


@pytest.fixture
def demo_data(db, settings):
    """The demo data, so that the schema's examples find real records; no throttling."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute"},
    }
    call_command("loaddata", "demo", verbosity=0)
    # As Django's test client does: the WSGI handler must not close the test's connection (and
    # its transaction) at the end of each request.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def generated_schema() -> dict:
    """The schema `/api/v1/schema/` serves, built without a request (collection has no DB)."""
    generator = SchemaGenerator()
    return json.loads(OpenApiJsonRenderer().render(generator.get_schema(request=None, public=True)))


# In-process: schemathesis calls the WSGI application, not the network.
api_schema = schemathesis.openapi.from_dict(generated_schema())
api_schema.app = get_wsgi_application()


def test_the_served_schema_is_the_one_tested(schema):
    assert schema == generated_schema()


@api_schema.parametrize()
@hypothesis_settings(
    # 12 examples per operation in the suite; SCHEMATHESIS_EXAMPLES=200 for a longer hunt.
    max_examples=int(os.environ.get("SCHEMATHESIS_EXAMPLES", 12)),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_keeps_its_schema(case, demo_data):
    response = case.call()
    assert response.status_code < 500, response.text[:500]
    case.validate_response(response)  # every check, valid requests accepted included


# Found by schemathesis against gunicorn: JSON Schema reads `\w` as ASCII only (ECMAScript), so
# a search of 13 short non-ASCII words matched the schema's pattern and was refused.
FOUND_BY_THE_FUZZER = [
    "&Ⱥ\U000c7425\x90_ê_à__*_Å\x9dB7CS_8_ÂÇ_;¿_Ġ\U0005744b¢\x1f\x01_\U000e9776į_Å_ᐌ_~7YMh0M4 _QJe",
    "𣼻Ą____å__Y7r4JOqy_Ğ😍mh\U00096628bDUZ¨_\x8e=0nJHLhB6𐡲__\x9e\x8e_á~\U000cc3c6ā_òÛ_sBFeby0d",
    "ñ é ü ß ø å æ œ ç ð",  # 10 words: accepted
    "Élmer—Canales, “MS13”, José\u0301",  # a dash and a combining accent
]


@pytest.mark.parametrize("text", FOUND_BY_THE_FUZZER)
def test_the_search_pattern_reads_the_same_in_json_schemas_dialect(schema, api, text):
    """The pattern gives the same answer whether `\\w` means ASCII (JSON Schema) or Unicode
    (Python), and that answer is the API's."""
    [q] = [p for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"] if p["name"] == "q"]
    unicode, ascii = re.compile(q["schema"]["pattern"]), re.compile(q["schema"]["pattern"], re.A)
    matches = bool(unicode.fullmatch(text))
    assert bool(ascii.fullmatch(text)) == matches
    assert (api.get("cases/", q=text).status_code == 200) == matches
