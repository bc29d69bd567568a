from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("cases/<slug:slug>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("search/", views.SearchView.as_view(), name="search"),
]
