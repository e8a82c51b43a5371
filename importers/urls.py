from django.urls import path

from importers import views

app_name = "importers"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("confirm/", views.confirm, name="confirm"),
    path("status/<str:token>/", views.status, name="status"),
]
