from django.urls import path

from projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("<slug:slug>/", views.project_detail, name="detail"),
    path("<slug:slug>/edit/", views.project_edit, name="edit"),
    path("<slug:slug>/delete/", views.project_delete, name="delete"),
    path("deliverables/<int:pk>/file/", views.deliverable_file, name="deliverable_file"),
]
