"""Portfolio overviews, included at the site root under the namespace "overview".

The municipality page (`overview:municipality`) draws on governance too, so the site shell
adds its route to this namespace (samarbeid/urls.py).
"""

from django.urls import path

from projects import views_overview as views

app_name = "overview"

urlpatterns = [
    path("municipalities/", views.municipality_list, name="municipalities"),
    path("overview/timeline/", views.timeline, name="timeline"),
    path("overview/matrix/", views.matrix, name="matrix"),
    path("overview/money/", views.money, name="money"),
]
