from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("download/", views.download, name="download"),
    path(
        "hearings/<int:pk>/summary.<str:fmt>",
        views.hearing_summary,
        name="hearing_summary",
    ),
]
