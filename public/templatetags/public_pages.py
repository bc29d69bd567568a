"""Template helpers for the public pages: partial dates as readers read them, safe links."""

from django import template
from django.utils import translation
from django.utils.html import format_html

from casetracker import links
from casetracker.dates import PartialDate

register = template.Library()


@register.filter
def partial_date(record, name: str) -> PartialDate | None:
    """The partial date `name` of `record`: `{% with d=event|partial_date:"date" %}`."""
    if record is None or record == "":
        return None
    return PartialDate.from_instance(record, name)


@register.simple_tag
def date_of(record, name: str):
    """`{% date_of charge "disposition_date" %}` → <time datetime="2020-12">December 2020</time>."""
    value = partial_date(record, name)
    return time_element(value)


@register.filter
def time_element(value: PartialDate | None):
    """A partial date as a <time> element, or nothing."""
    if not value:
        return ""
    return format_html('<time datetime="{}">{}</time>', value.iso(), value.display())


@register.filter
def web_url(url) -> str:
    """An outside address fit for `href` (http or https), or "": every external link of a
    page goes through it, `{% with href=source.url|web_url %}{% if href %}<a href=…>`, and
    shows the title as plain text otherwise (see casetracker/links.py)."""
    return links.web_url(url)


@register.filter
def language_name(code: str) -> str:
    """ "en" → "English"; an unknown code is shown as it is."""
    try:
        return translation.get_language_info(code)["name"]
    except KeyError:
        return code


@register.filter
def custody_where(record) -> str:
    """Where and by whom a custody record holds someone: "Ciudad Barrios prison · La Unión"."""
    if not record:
        return ""
    country = record.custodian_country.name if record.custodian_country else ""
    parts = [record.facility, record.place, record.custodian]
    if country and not any(country in part for part in parts if part):
        parts.append(country)
    return " · ".join(part for part in parts if part)


STATUS_SENTENCES = {
    "investigation": "Prosecutors are investigating; no charges have been made public.",
    "charged": "Charges have been filed.",
    "pre_trial": "Charges have been filed; the case has not gone to trial yet.",
    "trial": "The trial is under way.",
    "convicted": "A court has found defendants guilty; sentencing has not happened yet.",
    "acquitted": "A court has found the defendants not guilty.",
    "dismissed": "The charges were dismissed.",
    "sentenced": "Defendants have been convicted and sentenced.",
    "appeal": "A judgment in the case is under appeal.",
    "closed": "The case is closed.",
}


@register.filter
def status_sentence(status: str) -> str:
    """A case status in a plain sentence."""
    return STATUS_SENTENCES.get(status, "")
