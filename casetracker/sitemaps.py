"""sitemap.xml: the public pages search engines may list — published records only."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from cases.models import Case
from people.models import Organization, Person


class PageSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["cases:home", "cases:case-list"]

    def location(self, item):
        return reverse(item)


class CaseSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Case.objects.published().with_last_activity().order_by("slug")

    def lastmod(self, case):
        return case.last_activity


class PersonSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Person.objects.published().order_by("slug")

    def lastmod(self, person):
        return person.updated_at


class OrganizationSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Organization.objects.published().order_by("slug")

    def lastmod(self, organization):
        return organization.updated_at


SITEMAPS = {
    "pages": PageSitemap,
    "cases": CaseSitemap,
    "people": PersonSitemap,
    "organizations": OrganizationSitemap,
}
