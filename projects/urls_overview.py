"""Portfolio overviews, included at the site root under the namespace "overview"."""

from django.urls import path

from projects import views_overview as views

app_name = "overview"

urlpatterns = [
    path("municipalities/", views.municipality_list, name="municipalities"),
    path("municipalities/<str:number>/", views.municipality_detail, name="municipality"),
    path("overview/timeline/", views.timeline, name="timeline"),
    path("overview/matrix/", views.matrix, name="matrix"),
    path("overview/money/", views.money, name="money"),
]
