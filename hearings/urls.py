"""Public pages under /portal/hearings/ and /embed/hearings/, the officer's desk under
/hearings/ (mounted at the root by samarbeid.urls)."""

from django.urls import path

from hearings import views

app_name = "hearings"

urlpatterns = [
    path("portal/hearings/", views.hearing_list, name="list"),
    path("portal/hearings/<int:pk>/", views.hearing_detail, name="detail"),
    path("portal/hearings/documents/<int:pk>/", views.document, name="document"),
    path("portal/hearings/confirm/<str:token>/", views.confirm, name="confirm"),
    path("portal/hearings/withdraw/<str:token>/", views.withdraw, name="withdraw"),
    path("portal/hearings/attachments/<int:pk>/", views.attachment, name="attachment"),
    path(
        "portal/hearings/municipality/<str:number>/",
        views.municipality_hearings,
        name="municipality",
    ),
    path("portal/hearings/follow/<str:token>/", views.follow_confirm, name="follow_confirm"),
    path("portal/hearings/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("embed/hearings/<int:pk>/", views.embed_form, name="embed"),
    path("embed/hearings/follow/<str:number>/", views.embed_follow, name="embed_follow"),
    path("hearings/", views.desk, name="desk"),
    path("hearings/new/", views.hearing_new, name="new"),
    path("hearings/new/pick/<str:what>/", views.hearing_pick, name="pick"),
    path("hearings/<int:pk>/", views.desk_hearing, name="desk_hearing"),
    path("hearings/<int:pk>/documents/", views.document_add, name="document_add"),
    path("hearings/<int:pk>/<str:action>/", views.hearing_action, name="hearing_action"),
    path("hearings/comments/<int:pk>/<str:action>/", views.comment_action, name="comment_action"),
]
