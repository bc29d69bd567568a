"""Migrations that change stored data do what they say to rows written before them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE_WEB_LINKS = [("cases", "0007_editors_lift_signin_lockouts")]
AFTER_WEB_LINKS = [("cases", "0008_web_links_period_order_and_created_at")]


def migrate(targets):
    """Migrate to `targets` and return the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_links_that_are_not_web_addresses_are_emptied_and_kept_in_notes_and_history():
    old = migrate(BEFORE_WEB_LINKS)
    try:
        Source = old.get_model("cases", "Source")
        script = Source.objects.create(
            title="Script", url="javascript:alert(1)", notes="Archive copy at the library."
        )
        ftp = Source.objects.create(title="Old filing", url="ftp://files.example.org/a.pdf")
        web = Source.objects.create(title="Article", url="HTTPS://news.example.org/a")
        empty = Source.objects.create(title="Book")
        case = old.get_model("cases", "Case").objects.create(title="Case", slug="case")
        document = old.get_model("cases", "ChargingDocument").objects.create(
            case=case, document_url=" javascript:alert(2)"
        )
    finally:
        new = migrate(AFTER_WEB_LINKS)

    Source = new.get_model("cases", "Source")
    assert [(s.url, s.notes) for s in Source.objects.order_by("pk")] == [
        (
            "",
            "Archive copy at the library.\n\n"
            "Link removed, not a web address (http:// or https://): javascript:alert(1)",
        ),
        (
            "",
            "Link removed, not a web address (http:// or https://): ftp://files.example.org/a.pdf",
        ),
        ("HTTPS://news.example.org/a", ""),
        ("", ""),
    ]
    assert [script.pk, ftp.pk, web.pk, empty.pk] == list(
        Source.objects.order_by("pk").values_list("pk", flat=True)
    )
    history = new.get_model("cases", "HistoricalSource").objects.filter(id=script.pk).get()
    assert (history.url, history.history_type) == ("", "~")
    assert history.history_change_reason.endswith(": javascript:alert(1)")
    Document = new.get_model("cases", "ChargingDocument")
    assert Document.objects.get(pk=document.pk).document_url == ""
    history = new.get_model("cases", "HistoricalChargingDocument").objects.get(id=document.pk)
    assert history.history_change_reason == (
        "Link removed, not a web address (http:// or https://):  javascript:alert(2)"
    )
