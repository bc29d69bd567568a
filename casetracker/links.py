"""Links to the outside world (a source's address, a court document's): http and https only.

A page that writes a stored address into `href` runs whatever scheme it holds: a
`javascript:alert(1)` saved by a script would run in every reader's browser. So the rule is
kept at every step, in one place: the model field refuses any other scheme (`WebURLField`), the
database refuses it too (`web_url_constraint`, for what bypasses validation: the shell, scripts,
`QuerySet.update()`), and what is written into a page or a TimelineJS document goes through
`web_url`, which gives back an address only when it is http(s).
"""

from django import forms
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q

WEB_SCHEMES = ("http", "https")
PREFIXES = tuple(f"{scheme}://" for scheme in WEB_SCHEMES)
NOT_A_WEB_ADDRESS = "Enter a web address starting with http:// or https://."

validate_web_url = URLValidator(schemes=list(WEB_SCHEMES), message=NOT_A_WEB_ADDRESS)


def web_url(url) -> str:
    """`url` when it is an http(s) address, otherwise "" (show the title without a link)."""
    url = str(url or "")
    return url if url.lower().startswith(PREFIXES) else ""


class WebURLFormField(forms.URLField):
    default_error_messages = {"invalid": NOT_A_WEB_ADDRESS}
    default_validators = [validate_web_url]


class WebURLField(models.URLField):
    """A URLField for addresses readers follow: http and https only (ftp is refused as well,
    which Django's URLField allows), with one plain message."""

    default_validators = [validate_web_url]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebURLFormField, **kwargs})


def web_url_constraint(name: str) -> models.CheckConstraint:
    """Database rule that the address in `name` is empty or starts with http:// or https://
    (in any case, as `web_url` reads it)."""
    return models.CheckConstraint(
        condition=Q(**{name: ""})
        | Q(**{f"{name}__istartswith": PREFIXES[0]})
        | Q(**{f"{name}__istartswith": PREFIXES[1]}),
        name=f"%(app_label)s_%(class)s_{name}_is_web_address",
        violation_error_message="A link must be a web address starting with http:// or https://.",
    )
