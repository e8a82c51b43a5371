from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("download/", views.download, name="download"),
    path("download/<str:job_id>/", views.status, name="status"),
    path("download/<str:job_id>/file", views.file, name="file"),
    path(
        "hearings/<int:pk>/summary.<str:fmt>",
        views.hearing_summary,
        name="hearing_summary",
    ),
]
