"""A time limit on every SQL statement of the served site (PostgreSQL), and a plain 503 when a
statement runs past it, so that no single request holds a worker for long.

The limit is PostgreSQL's `statement_timeout`, set when the connection opens (`-c
statement_timeout=…` among its options), so a request runs no query more for it. It applies to
the site as served: `casetracker/wsgi.py` (what gunicorn loads) calls `serve()` before the
settings load, and the settings add the option only then (`connection_options`). `manage.py`
commands (migrate, loaddata, generate_synthetic, the tests) keep no limit. SQLite has no such
setting and runs without one.

When PostgreSQL cancels a statement (SQLSTATE 57014, psycopg's `QueryCanceled`), the request's
transaction is rolled back (`ATOMIC_REQUESTS`) and `StatementTimeoutMiddleware` answers 503 with
`Retry-After`: a short page for readers, JSON for the API; the request is logged.
"""

import logging

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

QUERY_CANCELED = "57014"
RETRY_AFTER_SECONDS = 30
TOO_LONG = "This took too long; try a narrower request: fewer words, or one filter more."

_serving = False


def serve() -> None:
    """Mark this process as the served site: its database connections get the time limit."""
    global _serving
    _serving = True


def serving() -> bool:
    return _serving


def connection_options(options: str, milliseconds: int) -> str:
    """PostgreSQL connection `options` with the time limit added (none when `milliseconds` is 0)."""
    if milliseconds <= 0:
        return options
    return f"{options} -c statement_timeout={milliseconds}".strip()


def cancelled(error: BaseException) -> bool:
    """Whether `error` is PostgreSQL cancelling a statement (Django wraps the driver's error)."""
    return any(
        getattr(cause, "sqlstate", None) == QUERY_CANCELED for cause in (error, error.__cause__)
    )


class StatementTimeoutMiddleware:
    """503 with `Retry-After` when the view's statement was cancelled, instead of a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not cancelled(exception):
            return None
        logger.warning(
            "Statement cancelled after the time limit: %s %s",
            request.method,
            request.get_full_path()[:500],
        )
        match = getattr(request, "resolver_match", None)
        if match is not None and "api" in match.namespaces:
            response = JsonResponse({"detail": TOO_LONG}, status=503)
        else:
            response = HttpResponse(render_to_string("503.html", request=request), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
