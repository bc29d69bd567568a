from django.urls import path

from . import views
from .views import read_only

app_name = "cases"

urlpatterns = [
    path("", read_only(views.HomeView.as_view()), name="home"),
    path("cases/", read_only(views.CaseListView.as_view()), name="case-list"),
    path("cases/<slug:slug>/", read_only(views.CaseDetailView.as_view()), name="case-detail"),
    path("search/", read_only(views.SearchView.as_view()), name="search"),
]
