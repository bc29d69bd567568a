import pytest
from django.core.exceptions import ValidationError

from casetracker.text import fold
from people.models import Organization, Person
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_fold_drops_accents_case_and_extra_spaces():
    assert fold("  Élmer   CANALES Rivera ") == "elmer canales rivera"
    assert fold("Ranfla histórica") == "ranfla historica"


class TestPersonSearch:
    @pytest.fixture
    def people(self):
        crook = f.PersonFactory(name="Élmer Canales Rivera")
        f.AliasFactory(person=crook, name="Crook")
        diablito = f.PersonFactory(name="Borromeo Enrique Henriquez")
        f.AliasFactory(person=diablito, name="Diablito de Hollywood")
        cobra = f.PersonFactory(name="Cobra", name_is_alias=True)
        return crook, diablito, cobra

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("elmer canales", "Élmer Canales Rivera"),
            ("ÉLMER", "Élmer Canales Rivera"),
            ("canales elmer", "Élmer Canales Rivera"),
            ("crook", "Élmer Canales Rivera"),
            ("diablito", "Borromeo Enrique Henriquez"),
            ("HOLLYWOOD henriquez", "Borromeo Enrique Henriquez"),
            ("cobra", "Cobra"),
        ],
    )
    def test_finds_by_name_or_alias_ignoring_accents_and_case(self, people, query, expected):
        assert [p.name for p in Person.objects.search(query)] == [expected]

    def test_every_word_must_match(self, people):
        assert list(Person.objects.search("crook hollywood")) == []

    def test_a_person_with_several_matching_aliases_is_listed_once(self, people):
        crook = people[0]
        f.AliasFactory(person=crook, name="Crooky")
        assert list(Person.objects.search("crook")) == [crook]


def test_someone_known_only_by_an_alias_reads_as_an_alias():
    cobra = f.PersonFactory(name="Cobra", name_is_alias=True)
    assert str(cobra) == "alias “Cobra”"


def test_organization_search_by_alias():
    ms13 = f.OrganizationFactory(name="MS13")
    f.OrganizationAliasFactory(organization=ms13, name="Mara Salvatrucha")
    f.OrganizationFactory(name="Barrio 18")
    assert list(Organization.objects.search("mara salvatrucha")) == [ms13]
    assert list(Organization.objects.search("MS-13")) == [ms13]


def test_an_organization_cannot_be_part_of_itself_even_indirectly():
    ms13 = f.OrganizationFactory(name="MS13")
    ranfla = f.OrganizationFactory(name="Ranfla histórica", parent=ms13)
    ms13.parent = ranfla
    with pytest.raises(ValidationError) as error:
        ms13.full_clean()
    assert error.value.message_dict["parent"] == ["An organization cannot be part of itself."]


def test_alias_end_before_start_message():
    alias = f.AliasFactory.build(
        person=f.PersonFactory(),
        start_date="2020-01-01",
        start_date_precision="year",
        end_date="2019-01-01",
        end_date_precision="year",
    )
    with pytest.raises(ValidationError) as error:
        alias.full_clean()
    assert error.value.message_dict["end_date"] == ["The end cannot come before the start."]
