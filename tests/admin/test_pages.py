"""Every admin page renders for a researcher, and lists cost the same queries however long."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from casetracker.dates import partial_date_names
from tests import factories

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def one_row(model):
    """Create one listed row of `model` with parents of its own."""
    row_factories = {
        "auth.User": factories.UserFactory,
        "auth.Group": lambda: Group.objects.create(name=f"group {Group.objects.count()}"),
        "people.Person": lambda: factories.AliasFactory().person,
        "people.Alias": factories.AliasFactory,
        "people.Organization": lambda: (
            factories.OrganizationAliasFactory(
                organization__parent=factories.OrganizationFactory()
            ).organization
        ),
        "people.OrganizationAlias": factories.OrganizationAliasFactory,
        "people.Membership": factories.MembershipFactory,
        "cases.Source": factories.SourceFactory,
        "cases.Citation": lambda: factories.CitationFactory(record=factories.DefendantFactory()),
        "cases.Court": factories.CourtFactory,
        "cases.Case": lambda: factories.DefendantFactory().case,
        "cases.Defendant": factories.DefendantFactory,
        "cases.ChargingDocument": factories.ChargingDocumentFactory,
        "cases.Charge": factories.ChargeFactory,
        "cases.CourtEvent": lambda: factories.CourtEventFactory(court=factories.CourtFactory()),
        "cases.Appearance": factories.AppearanceFactory,
        "cases.ExtraditionRequest": lambda: factories.ExtraditionRequestFactory(
            case=factories.CaseFactory()
        ),
        "cases.CustodyRecord": factories.CustodyRecordFactory,
        "axes.AccessAttempt": factories.AccessAttemptFactory,
        "axes.AccessLog": factories.AccessLogFactory,
        "axes.AccessFailureLog": factories.AccessFailureLogFactory,
    }
    return row_factories[model._meta.label]()


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_add_and_change_pages_render(admin_client, crook_case, model):
    obj = model._default_manager.first() or one_row(model)

    changelist = admin_client.get(url(model, "changelist"))
    add = admin_client.get(url(model, "add"))
    change = admin_client.get(url(model, "change", obj.pk))
    history = admin_client.get(url(model, "history", obj.pk))

    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count >= 1
    # Sign-in records are written by signing in only: no page adds one.
    assert add.status_code == (403 if model._meta.app_label == "axes" else 200)
    assert change.status_code == 200
    assert history.status_code == 200


# Queries for a changelist page, whatever the number of rows: the session and user, the counts
# (filtered and in all), the rows with what they show, the choices of the filters; plus the two
# savepoint statements of the request's transaction.
CHANGELIST_QUERIES = {
    "auth.Group": 7,
    "auth.User": 8,
    "axes.AccessAttempt": 10,  # sign-in records: their date hierarchy reads the date range
    "axes.AccessFailureLog": 10,
    "axes.AccessLog": 10,
    "cases.Appearance": 7,
    "cases.Case": 9,
    "cases.Charge": 8,
    "cases.ChargingDocument": 8,
    "cases.Citation": 9,
    "cases.Court": 8,
    "cases.CourtEvent": 9,
    "cases.CustodyRecord": 8,
    "cases.Defendant": 8,
    "cases.ExtraditionRequest": 9,
    "cases.Source": 8,
    "people.Alias": 7,
    "people.Membership": 8,
    "people.Organization": 9,
    "people.OrganizationAlias": 7,
    "people.Person": 9,
}


def test_every_registered_model_has_a_pinned_changelist_count():
    assert set(CHANGELIST_QUERIES) == {model._meta.label for model in REGISTERED}


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_queries_do_not_grow_with_rows(admin_client, django_assert_num_queries, model):
    page = url(model, "changelist")
    expected = CHANGELIST_QUERIES[model._meta.label]
    for _ in range(3):
        one_row(model)
    admin_client.get(page)  # the session is loaded and content types are cached
    with django_assert_num_queries(expected):
        assert admin_client.get(page).context["cl"].result_count >= 3
    for _ in range(3):
        one_row(model)
    with django_assert_num_queries(expected):
        response = admin_client.get(page)
    assert response.context["cl"].result_count >= 6
    assert len(response.context["cl"].result_list) >= 6


PRECISION_INPUT = re.compile(r'name="[^"]*_(precision|approximate)"')


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_each_partial_date_is_one_input_on_every_page(admin_client, crook_case, model):
    obj = model._default_manager.first() or one_row(model)
    add = admin_client.get(url(model, "add")).content.decode()
    change = admin_client.get(url(model, "change", obj.pk)).content.decode()

    for page in (add, change):
        assert not PRECISION_INPUT.search(page)  # no loose precision or "approximate" fields
    for name in partial_date_names(model):
        assert f'name="{name}_0"' in add  # text such as "December 2020"
        assert f'name="{name}_1"' in add  # precision
        assert f'name="{name}_2"' in add  # "approximately"
    if model._meta.app_label in ("cases", "people"):
        assert "admin/partial_date.css" in change


def test_lists_show_country_names(admin_client, crook_case):
    courts = admin_client.get(url(crook_case["court"].__class__, "changelist")).content.decode()
    people = admin_client.get("/admin/people/person/").content.decode()

    assert "United States of America" in courts
    assert "El Salvador" in people  # nationalities, and in the nationality filter
