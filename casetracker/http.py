"""HTTP for the partner API: conditional GET, sources in one query, strict formats, throttling,
and the schema's description of all of it.

Every successful GET answers with an `ETag` (a hash of the body) and a `Last-Modified` (the newest
`updated_at` among the records the response shows, nested ones included), and with 304 Not
Modified to a matching `If-None-Match`, or on a single record's endpoints to `If-Modified-Since`
(a list's date misses records that leave it). The records a response shows are the ones its
queries loaded (selected and prefetched), so finding them costs no query.
"""

from __future__ import annotations

import datetime
import hashlib

from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_etags, quote_etag
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from casetracker.serializers import cites_sources
from casetracker.text import WHITE_SPACE

CACHE_SECONDS = 60


class StrictContentNegotiation(DefaultContentNegotiation):
    """`?format=` naming a format the endpoint does not have is a 400 naming `format`."""

    def filter_renderers(self, renderers, format):
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            known = ", ".join(renderer.format for renderer in renderers)
            raise ValidationError(
                {
                    self.settings.URL_FORMAT_OVERRIDE: [
                        f"Unknown format “{format}”. This endpoint answers in: {known}."
                    ]
                }
            )
        return matching


def exception_handler(error, context):
    """DRF's handler, with two rules for the whole API: a 404 says "Not found." whatever was
    looked for (Django's message names the model: "No Case matches the given query."), and errors
    are JSON, also on the endpoints that answer in YAML (the schema) or iCalendar (the calendar).
    """
    from rest_framework.views import exception_handler  # here: DRF's views import our throttle

    if isinstance(error, Http404):
        error = NotFound()
    response = exception_handler(error, context)
    request = context.get("request")
    if response is not None and request is not None:
        request.accepted_renderer, request.accepted_media_type = (
            JSONRenderer(),
            JSONRenderer.media_type,
        )
    return response


class AnonymousRateThrottle(AnonRateThrottle):
    """Anonymous clients, by address, at `API_ANON_RATE`; read afresh so tests can change it."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


# What a response shows ---------------------------------------------------------------------------


def loaded_records(objects) -> list[models.Model]:
    """`objects` and every record loaded along with them (select_related, prefetch_related)."""
    seen: dict[int, models.Model] = {}  # by identity: one row may be loaded twice, differently
    stack = list(objects)
    while stack:
        record = stack.pop()
        if not isinstance(record, models.Model) or id(record) in seen:
            continue
        seen[id(record)] = record
        stack.extend(value for value in record._state.fields_cache.values() if value is not None)
        for rows in getattr(record, "_prefetched_objects_cache", {}).values():
            stack.extend(rows)
    return list(seen.values())


def citations_by_record(records) -> dict:
    """Published citations of `records` (those that can cite), by record, in one query."""
    from cases.models import Citation  # here: the settings import this module before the apps

    citing = [
        record
        for record in records
        if any(field.name == "citations" for field in record._meta.private_fields)
    ]
    return Citation.objects.published().by_record(citing)


def newest_change(records) -> datetime.datetime | None:
    """The newest `updated_at` among the published `records`."""
    times = [
        record.updated_at
        for record in records
        if getattr(record, "updated_at", None) and getattr(record, "is_published", True)
    ]
    return max(times, default=None)


def conditional(
    request,
    response,
    last_modified: datetime.datetime | None,
    content: bytes,
    *,
    exact_date: bool = True,
):
    """Add ETag (a hash of `content`), Last-Modified and Cache-Control to a rendered 200; answer
    304 when the client's copy is current.

    `exact_date`: whether `last_modified` moves whenever the content changes. When it does not,
    only the ETag answers 304: `If-Modified-Since` alone gets the full response."""
    etag = quote_etag(hashlib.sha256(content).hexdigest()[:40])
    response["ETag"] = etag
    modified = int((last_modified or timezone.now()).timestamp())
    response["Last-Modified"] = http_date(modified)
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    answer = get_conditional_response(request, etag=etag, last_modified=modified, response=response)
    by_date = not parse_etags(request.headers.get("If-None-Match", ""))
    if answer.status_code == 304 and by_date and not exact_date:
        return response
    return answer


class ConditionalGetMixin:
    """ETag / Last-Modified / 304 for a DRF view; `shown` holds what the response shows."""

    def initial(self, request, *args, **kwargs):
        self.shown: list[models.Model] = []
        super().initial(request, *args, **kwargs)

    def last_modified(self) -> datetime.datetime | None:
        return newest_change(getattr(self, "shown", []))

    def etag_content(self, response) -> bytes:
        """What the ETag hashes: the body."""
        return response.content

    def lists_records(self) -> bool:
        """Whether the response is a list (a page of one, a feed). A list's `Last-Modified`, the
        newest change among the records it shows, does not move when a record leaves it
        (withdrawn, deleted, no longer matching), and dating that departure would tell when
        unpublished records change: a list answers 304 to its ETag only."""
        return getattr(self, "action", None) == "list"

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response.render()
            content = self.etag_content(response)
            response = conditional(
                request,
                response,
                self.last_modified(),
                content,
                exact_date=not self.lists_records(),
            )
        return response


class PublicViewSetMixin(ConditionalGetMixin):
    """Read-only public API views: sources of every shown record loaded in one query."""

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "citations": {}}

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if args:
            objects = list(args[0]) if kwargs.get("many") else [args[0]]
            serializer.context["citations"].update(
                self.show(objects, cited=cites_sources(serializer))
            )
        return serializer

    def show(self, objects, *, cited: bool = True, citations=None) -> dict:
        """Note `objects` (and what was loaded with them) as shown; return their citations."""
        records = loaded_records(objects)
        if citations is None:
            citations = citations_by_record(records) if cited else {}
        sources = [c.source for rows in citations.values() for c in rows]
        self.shown.extend(records + sources)
        return citations


# The schema: what every endpoint shares ----------------------------------------------------------

LIST_DATE = (
    "A record that leaves a list (withdrawn, deleted, or no longer matching its filters) takes "
    "its date with it, so a list's date can stay the same while the list changes: lists answer "
    "`If-Modified-Since` with the full list, and only `If-None-Match` gets a 304."
)
HEADERS = {
    "ETag": {
        "description": "Hash of the body. Send it back in `If-None-Match` to get a 304 when "
        "nothing changed.",
        "required": True,
        "schema": {"type": "string"},
    },
    "Last-Modified": {
        "description": "When the newest record this response shows (nested ones included) last "
        "changed. Send it back in `If-Modified-Since`.",
        "required": True,
        "schema": {"type": "string"},
    },
    "Cache-Control": {
        "description": f"`public, max-age={CACHE_SECONDS}`.",
        "required": True,
        "schema": {"type": "string"},
    },
}
LIST_HEADERS = {
    **HEADERS,
    "Last-Modified": {
        **HEADERS["Last-Modified"],
        "description": "When the newest record this response shows (nested ones included) last "
        f"changed, for information. {LIST_DATE}",
    },
}
CONDITIONAL_PARAMETERS = [
    {
        "name": "If-None-Match",
        "in": "header",
        "required": False,
        "description": "An `ETag` this endpoint gave before: 304 Not Modified if it still holds.",
        "schema": {"type": "string"},
    },
    {
        "name": "If-Modified-Since",
        "in": "header",
        "required": False,
        "description": "A `Last-Modified` this endpoint gave before (HTTP date): 304 Not Modified "
        "if nothing shown has changed since. Ignored when `If-None-Match` is sent.",
        "schema": {"type": "string"},
    },
]
LIST_CONDITIONAL_PARAMETERS = [
    CONDITIONAL_PARAMETERS[0],
    {
        **CONDITIONAL_PARAMETERS[1],
        "description": f"Never gives a 304 here. {LIST_DATE}",
    },
]


# A text parameter: something besides white space (alone, it counts as empty), and no NUL
# character (Django's form fields refuse it).
TEXT_PATTERN = rf"^[^\u0000]*[^\u0000{WHITE_SPACE}][^\u0000]*$"


# Descriptions of the fields every resource shares, for those serializers leave undescribed.
SHARED_FIELDS = {
    "id": "Stable id of the record.",
    "slug": "Stable key of the record in URLs.",
    "api_url": "This record in the API.",
    "results": "The records of this page, in the list's ordering.",
}


# Keys of records in the demo data (`loaddata demo`), to try the docs with.
PATH_EXAMPLES = {
    "cases": "ms13-ranfla-historica-edny",
    "people": "elmer-canales-rivera",
    "organizations": "ms13",
    "courts": "edny",
}


def describe_shared_fields(schemas: dict) -> None:
    for schema in schemas.values():
        for name, field in schema.get("properties", {}).items():
            if "description" in field or "$ref" in field:
                continue
            if name in SHARED_FIELDS:
                field["description"] = SHARED_FIELDS[name]
            elif name.endswith("_label"):
                field["description"] = f"`{name.removesuffix('_label')}` in words, for display."
    if "BlankEnum" in schemas:
        schemas["BlankEnum"]["description"] = "Empty: none recorded."


def document_http(result, generator, request, public):
    """drf-spectacular postprocessing hook: shared fields, conditional requests, errors and
    throttling."""
    components = result.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    describe_shared_fields(schemas)
    schemas["ParameterErrors"] = {
        "type": "object",
        "description": "Each query parameter that is unknown or has a value the endpoint cannot "
        "read, with what is wrong with it.",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {"status": ["Select a valid choice. x is not one of the available choices."]},
    }
    schemas["Error"] = {
        "type": "object",
        "description": "What went wrong.",
        "properties": {"detail": {"type": "string", "description": "What went wrong, in words."}},
        "required": ["detail"],
    }
    json_of = {"application/json": {"schema": {"$ref": "#/components/schemas/ParameterErrors"}}}
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        listing = "{" not in path  # the other paths name one record
        for operation in operations.values():
            parameters = operation.setdefault("parameters", [])
            for parameter in parameters:
                if parameter["in"] == "path" and not parameter.get("description"):
                    parameter["description"] = f"The record's {parameter['name']}."
                if parameter["in"] == "path":
                    resource = path.removeprefix("/api/v1/").split("/")[0]
                    parameter.setdefault("example", PATH_EXAMPLES.get(resource, 1))
                if parameter["in"] == "query":  # an empty value is refused: leave it out
                    schema = parameter["schema"]
                    target = schema.get("items", schema)
                    if schema.get("type") == "array":
                        schema.setdefault("minItems", 1)
                    if target.get("type") == "string" and "enum" not in target:
                        target.setdefault("minLength", 1)
                        if "format" not in target:
                            target.setdefault("pattern", TEXT_PATTERN)
            conditions = LIST_CONDITIONAL_PARAMETERS if listing else CONDITIONAL_PARAMETERS
            parameters.extend(dict(parameter) for parameter in conditions)
            headers = LIST_HEADERS if listing else HEADERS
            responses = operation.setdefault("responses", {})
            for status, response in responses.items():
                if str(status).startswith("2"):
                    response["description"] = response.get("description") or operation.get(
                        "summary", "OK"
                    )
                    response.setdefault("headers", {}).update(
                        {name: dict(header) for name, header in headers.items()}
                    )
            responses["304"] = {
                "description": "Not modified: the representation the client holds is current."
                + (" Only in answer to `If-None-Match`." if listing else ""),
                "headers": {name: dict(HEADERS[name]) for name in ("ETag", "Last-Modified")},
            }
            responses["400"] = {
                "description": "An unknown query parameter, a repeated one, or a value that "
                "cannot be read. The body names each parameter.",
                "content": json_of,
            }
            if "{" in path:
                responses["404"] = {
                    "description": "No published record has this key.",
                    "content": error,
                }
            elif any(parameter["name"] == "cursor" for parameter in parameters):
                responses["404"] = {
                    "description": "No such page: the `cursor` was not made by this list in this "
                    "`ordering` (follow the `next` and `previous` links).",
                    "content": error,
                }
            responses["429"] = {
                "description": "Too many requests from this client. Wait the number of seconds "
                "in `Retry-After`.",
                "headers": {
                    "Retry-After": {
                        "description": "Seconds to wait before trying again.",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                },
                "content": error,
            }
    return result
