from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "casetracker"
admin.site.site_title = "casetracker admin"
admin.site.index_title = "Research desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("casetracker.api")),
    # Public pages for readers, from the published copy: GET and HEAD only.
    path("", include("public.urls")),
]
