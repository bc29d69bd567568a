"""The public pages' addresses. Their names keep the namespaces readers' links have always used
("cases:case-detail", "people:person-detail")."""

from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path
from django.views.generic import TemplateView

from . import views
from .sitemaps import SITEMAPS
from .views import read_only

case_pages = (
    [
        path("", read_only(views.HomeView.as_view()), name="home"),
        path("cases/", read_only(views.CaseListView.as_view()), name="case-list"),
        path("cases/<slug:slug>/", read_only(views.CaseDetailView.as_view()), name="case-detail"),
        path("search/", read_only(views.SearchView.as_view()), name="search"),
    ],
    "cases",
)
people_pages = (
    [
        path(
            "people/<slug:slug>/", read_only(views.PersonDetailView.as_view()), name="person-detail"
        ),
        path(
            "organizations/<slug:slug>/",
            read_only(views.OrganizationDetailView.as_view()),
            name="organization-detail",
        ),
    ],
    "people",
)

urlpatterns = [
    path("", include(case_pages)),
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
