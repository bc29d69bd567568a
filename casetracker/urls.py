from django.contrib import admin
from django.urls import path

admin.site.site_header = "casetracker"
admin.site.site_title = "casetracker admin"
admin.site.index_title = "Research desk"

urlpatterns = [
    path("admin/", admin.site.urls),
]
