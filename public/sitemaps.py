"""sitemap.xml: the public pages search engines may list — published units only.

`/sitemap.xml` is an index of sections (`/sitemap-cases.xml`, `?p=2`…), each page of a section
holding at most `LIMIT` addresses, so that no response grows with the number of records. A page's
`lastmod` is when its unit was last published; the index's is the newest of its section, in one
query. A withdrawn unit leaves its section.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils.functional import cached_property

from .models import Case, Organization, Person
from .reading import live

LIMIT = 1000  # addresses per page of a section: about 40 ms (search engines take up to 50,000)


class PageSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["cases:home", "cases:case-list"]

    def location(self, item):
        return reverse(item)


class RecordSitemap(Sitemap):
    """The published units of `model` (`url_name`: their page), in slug order."""

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
        records = live(self.model).only("slug", "published_at")
        return records.order_by("slug")

    def lastmod(self, record):
        return record.published_at

    def get_latest_lastmod(self):
        return live(self.model).aggregate(latest=Max("published_at"))["latest"]


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
