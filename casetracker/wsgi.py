"""WSGI entry point: `gunicorn casetracker.wsgi`.

The process is marked as serving the site before the settings load, so that its database
connections get the statement time limit (`casetracker.statement_timeout`).

Once the application is built, its URLconf is loaded (and with it every view, serializer and
template tag module, as the first request would) and everything loaded so far is taken out of
the garbage collector's reach with `gc.freeze()`. Those objects live as long as the process;
without this, every full collection walked all of them — measured at 65 to 100 ms, in one request
out of ten or so on the case list page, most of that page's p95. A gunicorn worker imports this
module after the fork (or before it, with `--preload`); either way the freeze holds in the
worker.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from casetracker import statement_timeout

statement_timeout.serve()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casetracker.settings")

application = get_wsgi_application()


def settle() -> None:
    """Load what the first request would load, then freeze everything loaded so far."""
    get_resolver().url_patterns  # noqa: B018 - imports every view module
    gc.collect()
    gc.freeze()


settle()
