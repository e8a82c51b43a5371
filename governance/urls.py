from django.urls import path

from governance import views

app_name = "governance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cases/", views.case_list, name="cases"),
    path("cases/new/", views.case_edit, name="case_new"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/delete/", views.case_delete, name="case_delete"),
    path("cases/<int:pk>/documents/", views.case_document_add, name="case_document_add"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("cases/<int:pk>/refer/", views.case_refer, name="case_refer"),
    path("referrals/<int:pk>/close/", views.referral_close, name="referral_close"),
    path("referrals/<int:pk>/establish/", views.referral_establish, name="referral_establish"),
    path("decisions/<int:pk>/", views.decision_record, name="decision"),
    path("municipality/<str:number>/", views.municipality, name="municipality"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_edit, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("board/", views.board, name="board"),
]
