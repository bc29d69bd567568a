"""sitemap.xml: the public pages search engines may list — published records only.

`/sitemap.xml` is an index of sections (`/sitemap-cases.xml`, `?p=2`…), each page of a section
holding at most `LIMIT` addresses, so that no response grows with the number of records. A page's
`lastmod` is its record's `updated_at`, which moves whenever anything shown on the page changes
(`casetracker.workflow.touch_parents`); the index's is the newest of its section, in one query.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils.functional import cached_property

from cases.models import Case
from people.models import Organization, Person

LIMIT = 1000  # addresses per page of a section: about 40 ms (search engines take up to 50,000)


class PageSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["cases:home", "cases:case-list"]

    def location(self, item):
        return reverse(item)


class RecordSitemap(Sitemap):
    """The published records of `model` with a public page (`url_name`), in slug order."""

    model = None
    url_name = ""
    limit = LIMIT

    @cached_property
    def address(self) -> tuple[str, str]:
        """The page's path around its slug, reversed once rather than once per record."""
        return tuple(reverse(self.url_name, kwargs={"slug": "-"}).rsplit("-", 1))

    def location(self, record):
        before, after = self.address
        return f"{before}{record.slug}{after}"

    def items(self):
        records = self.model.objects.published().only("slug", "updated_at")
        return records.order_by("slug")

    def lastmod(self, record):
        return record.updated_at

    def get_latest_lastmod(self):
        return self.model.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class CaseSitemap(RecordSitemap):
    model = Case
    url_name = "cases:case-detail"
    changefreq = "weekly"


class PersonSitemap(RecordSitemap):
    model = Person
    url_name = "people:person-detail"
    changefreq = "weekly"


class OrganizationSitemap(RecordSitemap):
    model = Organization
    url_name = "people:organization-detail"
    changefreq = "monthly"


SITEMAPS = {
    "pages": PageSitemap,
    "cases": CaseSitemap,
    "people": PersonSitemap,
    "organizations": OrganizationSitemap,
}
