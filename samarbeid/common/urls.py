from django.urls import path

from samarbeid.common import views

urlpatterns = [
    path("history/<str:key>/<int:pk>/", views.history, name="history"),
    path(
        "history/<str:key>/<int:pk>/restore/<int:history_id>/",
        views.restore,
        name="history_restore",
    ),
    path("trash/", views.trash_list, name="trash"),
    path("trash/<str:key>/<int:pk>/restore/", views.trash_restore, name="trash_restore"),
    path("trash/<str:key>/<int:pk>/purge/", views.trash_purge, name="trash_purge"),
]
