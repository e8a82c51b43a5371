from django.urls import path

from governance import views

app_name = "governance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cases/", views.case_list, name="cases"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/refer/", views.case_refer, name="case_refer"),
    path("referrals/<int:pk>/close/", views.referral_close, name="referral_close"),
    path("referrals/<int:pk>/establish/", views.referral_establish, name="referral_establish"),
    path("decisions/<int:pk>/", views.decision_record, name="decision"),
    path("municipality/<str:number>/", views.municipality, name="municipality"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("board/", views.board, name="board"),
]
