"""Review states: every move, by role; refused moves say why and change nothing."""

import itertools

import pytest
from django.core.exceptions import ValidationError

from cases.models import CourtEvent
from casetracker import workflow
from casetracker.publication import Publication
from tests import factories

STATES = Publication.values
RESEARCHER_MOVES = {("draft", "in_review"), ("in_review", "draft")}
EDITOR_MOVES = RESEARCHER_MOVES | {
    ("draft", "published"),
    ("in_review", "published"),
    ("published", "withdrawn"),
    ("withdrawn", "published"),
    ("withdrawn", "draft"),
    ("withdrawn", "in_review"),
}
MOVES = [pair for pair in itertools.product(STATES, STATES) if pair[0] != pair[1]]


@pytest.mark.parametrize(("current", "target"), MOVES)
def test_researcher_moves(researcher, current, target):
    event = factories.CourtEventFactory(publication=current)

    moved, refused = workflow.set_publication([event], target, researcher)

    event.refresh_from_db()
    if (current, target) in RESEARCHER_MOVES:
        assert (moved, refused) == ([event], [])
        assert event.publication == target
    else:
        assert moved == []
        assert refused[0][0] == event
        assert event.publication == current


@pytest.mark.parametrize(("current", "target"), MOVES)
def test_editor_moves(editor, current, target):
    event = factories.CourtEventFactory(publication=current)

    moved, _ = workflow.set_publication([event], target, editor)

    event.refresh_from_db()
    assert event.publication == (target if (current, target) in EDITOR_MOVES else current)
    assert bool(moved) == ((current, target) in EDITOR_MOVES)


@pytest.mark.parametrize(
    ("current", "target", "user", "reason"),
    [
        ("draft", "published", "researcher", "Only an editor can publish. Send it to review"),
        ("in_review", "published", "researcher", "Only an editor can publish."),
        ("published", "withdrawn", "researcher", "Only an editor can withdraw"),
        ("withdrawn", "draft", "researcher", "Only an editor can take a withdrawn record back"),
        ("published", "draft", "editor", "Withdraw it first"),
        ("published", "in_review", "editor", "Withdraw it first"),
        ("draft", "withdrawn", "editor", "Only a published record can be withdrawn."),
        ("in_review", "withdrawn", "researcher", "Only a published record can be withdrawn."),
    ],
)
def test_refused_moves_say_why(request, current, target, user, reason):
    user = request.getfixturevalue(user)
    with pytest.raises(ValidationError, match=reason):
        workflow.check_transition(user, CourtEvent, current, target)


def test_someone_without_change_permission_moves_nothing(db):
    outsider = factories.UserFactory(is_staff=True)
    assert workflow.allowed_states(outsider, CourtEvent, "draft") == ["draft"]
    assert "permission" in workflow.transition_error(outsider, CourtEvent, "draft", "in_review")


def test_the_states_a_form_offers(researcher, editor):
    assert workflow.allowed_states(researcher, CourtEvent, "draft") == ["draft", "in_review"]
    assert workflow.allowed_states(researcher, CourtEvent, "published") == ["published"]
    assert workflow.allowed_states(editor, CourtEvent, "published") == ["published", "withdrawn"]
    assert workflow.allowed_states(editor, CourtEvent, "withdrawn") == STATES


def test_superusers_are_editors(db):
    boss = factories.UserFactory(is_staff=True, is_superuser=True)
    assert workflow.allowed_states(boss, CourtEvent, "in_review") == [
        "draft",
        "in_review",
        "published",
    ]


def test_publishing_stamps_who_and_when_and_writes_the_history(editor):
    event = factories.CourtEventFactory(publication="in_review")

    workflow.set_publication([event], "published", editor)

    event.refresh_from_db()
    assert event.published_by == editor
    assert event.published_at is not None
    latest = event.history.first()
    assert (latest.history_user, latest.history_change_reason) == (editor, "Published")
    assert latest.publication == "published"


def test_withdrawing_keeps_who_first_published(editor, researcher):
    event = factories.CourtEventFactory(publication="in_review")
    workflow.set_publication([event], "published", editor)
    published_at = CourtEvent.objects.get(pk=event.pk).published_at

    workflow.set_publication([event], "withdrawn", editor)

    event.refresh_from_db()
    assert (event.publication, event.published_by, event.published_at) == (
        "withdrawn",
        editor,
        published_at,
    )
    assert event.history.first().history_change_reason == "Withdrawn from the public site"


def test_a_refused_move_writes_no_history(researcher):
    event = factories.CourtEventFactory(publication="draft")
    versions = event.history.count()

    moved, refused = workflow.set_publication([event], "published", researcher)

    assert moved == []
    assert "Only an editor can publish" in refused[0][1]
    assert event.history.count() == versions
    assert CourtEvent.objects.get(pk=event.pk).published_by is None


def test_a_mixed_selection_moves_what_it_may(editor):
    draft = factories.CourtEventFactory(publication="draft")
    published = factories.CourtEventFactory(publication="published")
    already = factories.CourtEventFactory(publication="withdrawn")

    moved, refused = workflow.set_publication([draft, published, already], "withdrawn", editor)

    assert moved == [published]
    assert [record for record, _ in refused] == [draft]
    assert already.history.count() == 1  # already withdrawn: left alone


def test_deleting_what_was_public_is_an_editors_call(researcher, editor):
    for state, researcher_may in [
        ("draft", True),
        ("in_review", True),
        ("published", False),
        ("withdrawn", False),
    ]:
        event = factories.CourtEventFactory(publication=state)
        assert workflow.can_delete(researcher, event) is researcher_may
        assert workflow.can_delete(editor, event) is True
    assert workflow.can_delete(factories.UserFactory(), factories.CourtEventFactory()) is False
