"""How the site is served: what `gunicorn casetracker.wsgi` loads."""

import gc
import importlib


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
