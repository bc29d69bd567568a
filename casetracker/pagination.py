"""Keyset ("cursor") pagination: page 2,000 costs what page 1 costs.

A page is the rows strictly after (or before) the last row seen, in the list's ordering with the
id as the final tie-breaker, so the database never counts or skips rows. The cursor is an opaque
token holding that row's ordering values; it names the ordering it was made for, and any other
string names no page (404). Columns that may be empty sort their empty values last, in both
directions, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Q
from django.utils.encoding import force_str
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param


@dataclass(frozen=True)
class Key:
    """One column of the ordering."""

    name: str
    descending: bool
    nullable: bool

    def __str__(self):
        return f"-{self.name}" if self.descending else self.name

    def order(self, reverse: bool = False):
        descending = self.descending != reverse
        expression = F(self.name).desc if descending else F(self.name).asc
        if not self.nullable:
            return expression()
        # empty values last when reading forwards, hence first when reading backwards
        return expression(nulls_first=True) if reverse else expression(nulls_last=True)


def _strictly(keys: list[Key], values: list, after: bool) -> Q | None:
    """Rows strictly after (or before) the row with `values`, in the order of `keys`.

    None means no row qualifies.
    """
    if not keys:
        return None
    key, value, rest = keys[0], values[0], _strictly(keys[1:], values[1:], after)
    if value is None:  # empty values sort last
        if after:
            return Q(**{f"{key.name}__isnull": True}) & rest if rest is not None else None
        condition = Q(**{f"{key.name}__isnull": False})
        if rest is not None:
            condition |= Q(**{f"{key.name}__isnull": True}) & rest
        return condition
    greater = after != key.descending
    condition = Q(**{f"{key.name}__{'gt' if greater else 'lt'}": value})
    if key.nullable and after:
        condition |= Q(**{f"{key.name}__isnull": True})
    if rest is not None:
        condition |= Q(**{key.name: value}) & rest
    if not key.nullable:
        # a plain range first, so the database can walk an index to the starting row
        condition = Q(**{f"{key.name}__{'gte' if greater else 'lte'}": value}) & condition
    return condition


class KeysetPagination(BasePagination):
    """`cursor` and `page_size` query parameters; `next` and `previous` links, no count."""

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    max_page_size = 200

    @property
    def page_size(self) -> int:
        return api_settings.PAGE_SIZE or 50

    def paginate_queryset(self, queryset, request, view=None):
        self.request, self.model = request, queryset.model
        self.size = self.read_page_size(request)
        self.keys = self.ordering(queryset, view)
        self.signature = ",".join(str(key) for key in self.keys)
        position, backwards = self.read_cursor(request)
        self.backwards = backwards

        rows = queryset.order_by(*(key.order(reverse=backwards) for key in self.keys))
        if position is not None:
            condition = _strictly(self.keys, position, after=not backwards)
            rows = rows.none() if condition is None else rows.filter(condition)
        rows = list(rows[: self.size + 1])
        more = len(rows) > self.size
        page = rows[: self.size]
        if backwards:
            page.reverse()
        self.next_position = self.previous_position = None
        if page:
            first, last = self.values(page[0]), self.values(page[-1])
            if backwards:
                self.next_position = last
                self.previous_position = first if more else None
            else:
                self.next_position = last if more else None
                self.previous_position = first if position is not None else None
        return page

    # Reading the request -------------------------------------------------------------------------

    def read_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = int(raw) if raw.isascii() and raw.isdigit() else 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"Give a whole number from 1 to {self.max_page_size}."
                    ]
                }
            )
        return size

    def ordering(self, queryset, view) -> list[Key]:
        """The list's ordering (the `ordering` parameter, else the view's), then the id."""
        names = list(queryset.query.order_by)
        if not names or not all(isinstance(name, str) for name in names):
            names = list(getattr(view, "ordering", None) or ["pk"])
        model = queryset.model
        keys = []
        for name in names:
            descending = name.startswith("-")
            field_name = name.lstrip("-")
            field = model._meta.pk if field_name == "pk" else model._meta.get_field(field_name)
            keys.append(Key(field.name, descending, field.null))
            if field.primary_key or field.unique:
                return keys
        keys.append(Key(model._meta.pk.name, keys[-1].descending if keys else False, False))
        return keys

    def read_cursor(self, request) -> tuple[list | None, bool]:
        token = request.query_params.get(self.cursor_query_param)
        if token is None:
            return None, False
        try:
            padded = token + "=" * (-len(token) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            if data["o"] != self.signature:
                raise ValueError("another ordering")
            raw_values, backwards = data["p"], bool(data.get("r"))
            if not isinstance(raw_values, list) or len(raw_values) != len(self.keys):
                raise ValueError("wrong length")
            if not all(isinstance(raw, (str, int, float, type(None))) for raw in raw_values):
                raise ValueError("not a plain value")
            if any(isinstance(raw, str) and "\x00" in raw for raw in raw_values):
                raise ValueError("a NUL character")  # PostgreSQL refuses it in any query
            model = self.model
            values = [
                None if raw is None else model._meta.get_field(key.name).to_python(raw)
                for key, raw in zip(self.keys, raw_values, strict=True)
            ]
            for key, value in zip(self.keys, values, strict=True):
                if value is None and not key.nullable:
                    raise ValueError("empty value")
        except (
            ValueError,
            TypeError,
            KeyError,
            UnicodeError,
            DjangoValidationError,
            FieldDoesNotExist,
        ) as error:
            # Any string is a well-formed cursor, but only those this list made in this ordering
            # name a page: another one asks for a page that does not exist.
            raise NotFound(
                f"No such page: this `{self.cursor_query_param}` was not made by this list in "
                "this `ordering`. Follow the `next` and `previous` links of its pages."
            ) from error
        return values, backwards

    # Writing the response ------------------------------------------------------------------------

    def values(self, row) -> list:
        return [getattr(row, row._meta.get_field(key.name).attname) for key in self.keys]

    def encode(self, values, backwards: bool) -> str:
        data = {"o": self.signature, "p": [_jsonable(value) for value in values]}
        if backwards:
            data["r"] = 1
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    def link(self, values, backwards: bool) -> str | None:
        if values is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self.encode(values, backwards))

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self.link(self.next_position, backwards=False),
                "previous": self.link(self.previous_position, backwards=True),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page, or null on the last page.",
                },
                "previous": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The page before, or null on the first page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts: copy it from the `next` or `previous` "
                "link of the page before. Opaque; tied to the `ordering`. Any other value names "
                "no page: 404.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page, 1 to {self.max_page_size}. "
                f"Default: {self.page_size}.",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


def _jsonable(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return force_str(value)
