from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from casetracker.sitemaps import SITEMAPS

admin.site.site_header = "casetracker"
admin.site.site_title = "casetracker admin"
admin.site.index_title = "Research desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("casetracker.api")),
    # Public pages for readers.
    path("", include("cases.urls")),
    path("", include("people.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
]
