"""The choices of the people records' fields, shared with the published copy."""

from django.db import models


class AliasKind(models.TextChoices):
    ALIAS = "alias", "Alias"
    NICKNAME = "nickname", "Nickname"
    BIRTH_NAME = "birth_name", "Birth name"
    MISSPELLING = "misspelling", "Misspelling"
    OTHER = "other", "Other name"


class OrganizationKind(models.TextChoices):
    GANG = "gang", "Gang"
    CARTEL = "cartel", "Cartel"
    CRIMINAL_GROUP = "criminal_group", "Criminal group"
    LEADERSHIP = "leadership", "Leadership body"
    GOVERNMENT = "government", "Government body"
    LAW_ENFORCEMENT = "law_enforcement", "Law enforcement"
    OTHER = "other", "Other"
