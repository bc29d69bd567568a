import pytest
from django.test import override_settings


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Tests render and serve static files from the source folders, as in development, without
    running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = True
    settings.WHITENOISE_USE_FINDERS = True


@pytest.fixture(autouse=True, scope="session")
def _cache_in_memory():
    """Tests keep their cache in memory, emptied around each test (`_fresh_cache`): never the
    disk cache of the checkout they run in, nor a Redis that `CACHE_URL` names."""
    memory = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}
    with override_settings(CACHES={"default": memory}):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the sessions left open in it ended before it is dropped.

    Playwright's sync API runs an event loop in the test thread, and Django keeps the database
    connections made under it apart from the thread's own (they are context-local), so the
    flush after a browser test leaves one open that nothing here can close; PostgreSQL then
    refuses to drop the database ("being accessed by other users").
    """
    yield
    with django_db_blocker.unblock():
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            connection.close()  # this one too, for the same reason
