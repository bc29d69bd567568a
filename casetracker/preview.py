"""Staff preview a unit's public page before it is published: `?preview=1` on its address.

The page is drawn by the public views as they always are, from the published copy, while the
copy holds the unit as publishing it now would write it (`public.publishing.rehearsal`, rolled
back after the response is rendered). Readers never see a preview: it takes a signed-in staff
member, and the answer is neither cached nor indexed.
"""

from django.utils.cache import patch_cache_control

from cases.models import Case
from people.models import Organization, Person
from public import publishing

from . import units

PREVIEWED = {
    "cases:case-detail": Case,
    "people:person-detail": Person,
    "people:organization-detail": Organization,
}


def previewing(request) -> bool:
    """A staff member asks to see a unit's public page before it is published."""
    user = getattr(request, "user", None)
    return request.GET.get("preview") == "1" and bool(user and user.is_active and user.is_staff)


def notice(unit) -> str:
    """What the preview's banner says."""
    name = unit._meta.verbose_name
    if unit.publication == units.PUBLISHED:
        return (
            f"this page shows the {name} as publishing it now would show it. Readers see the "
            "version last published."
        )
    return (
        f"this page is {unit.get_publication_display().lower()}, not public. Readers see it "
        "only once an editor publishes it."
    )


class PreviewMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        model = PREVIEWED.get(getattr(request.resolver_match, "view_name", ""))
        if model is None or not previewing(request):
            return None
        unit = model.objects.filter(slug=kwargs.get("slug")).first()
        if unit is None:
            return None
        states = (units.PUBLISHED, *units.coming_states(unit))
        needed = units.needed_units([unit, *units.facts_in(unit, states)])
        with publishing.rehearsal(unit, states=states, also=needed):
            request.preview = notice(unit)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex"
        return response
