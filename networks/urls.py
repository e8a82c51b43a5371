from django.urls import path

from networks import views

app_name = "networks"

urlpatterns = [
    path("", views.network_list, name="list"),
    path("library/", views.library, name="library"),
    path("training/", views.training, name="training"),
    path("training/new/", views.programme_new, name="programme_new"),
    path("training/<slug:slug>/", views.programme_detail, name="programme"),
    path("training/<slug:slug>/courses/new/", views.course_new, name="course_new"),
    path("courses/<int:pk>/sessions/new/", views.session_new, name="session_new"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("documents/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("documents/<int:pk>/versions/new/", views.version_new, name="version_new"),
    path("versions/<int:pk>/file/", views.version_file, name="version_file"),
    path("memberships/<int:pk>/edit/", views.membership_edit, name="membership_edit"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<slug:slug>/", views.network_detail, name="detail"),
    path("<slug:slug>/edit/", views.network_edit, name="edit"),
    path("<slug:slug>/memberships/new/", views.membership_new, name="membership_new"),
    path("<slug:slug>/members/new/", views.member_new, name="member_new"),
    path("<slug:slug>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("<slug:slug>/documents/new/", views.document_new, name="document_new"),
    path("<slug:slug>/experience/new/", views.experience_new, name="experience_new"),
    path("<slug:slug>/proposals/new/", views.proposal_new, name="proposal_new"),
]
