from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path
from django.views.generic import TemplateView

from cases import views as pages
from cases.views import read_only
from casetracker.sitemaps import SITEMAPS

admin.site.site_header = "casetracker"
admin.site.site_title = "casetracker admin"
admin.site.index_title = "Research desk"

# The pages of people and organizations keep their app's namespace ("people:person-detail"), but
# their views live in `cases`, which may import `people` (never the reverse).
people_pages = (
    [
        path(
            "people/<slug:slug>/", read_only(pages.PersonDetailView.as_view()), name="person-detail"
        ),
        path(
            "organizations/<slug:slug>/",
            read_only(pages.OrganizationDetailView.as_view()),
            name="organization-detail",
        ),
    ],
    "people",
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("casetracker.api")),
    # Public pages for readers: GET and HEAD only (`read_only`).
    path("", include("cases.urls")),
    path("", include(people_pages)),
    path(
        "sitemap.xml",
        read_only(sitemaps.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        read_only(sitemaps.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path(
        "robots.txt",
        read_only(TemplateView.as_view(template_name="robots.txt", content_type="text/plain")),
        name="robots",
    ),
]
