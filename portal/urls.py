"""The public portal under /portal/ and the widget under /embed/ (mounted at the root by
samarbeid.urls, so both keep the one `portal:` namespace)."""

from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("portal/", views.home, name="home"),
    path("portal/language/", views.language, name="language"),
    path("portal/projects/", views.project_list, name="projects"),
    path("portal/projects/<slug:slug>/", views.project_detail, name="project"),
    path("portal/municipalities/", views.municipality_list, name="municipalities"),
    path("portal/municipalities/<str:number>/", views.municipality_detail, name="municipality"),
    path("portal/cases/", views.case_list, name="cases"),
    path("portal/cases/<int:pk>/", views.case_detail, name="case"),
    path("portal/documents/<int:pk>/", views.document, name="document"),
    path("portal/networks/", views.network_list, name="networks"),
    path("portal/networks/<slug:slug>/", views.network_detail, name="network"),
    path("portal/network-files/<int:pk>/", views.network_file, name="network_file"),
    path("embed/municipality/<str:number>.json", views.embed_municipality_json, name="embed_json"),
    path("embed/municipality/<str:number>/", views.embed_municipality, name="embed"),
]
