from django.shortcuts import render
from django.utils import timezone

from members import selectors as member_selectors


def home(request):
    today = timezone.localdate()
    cooperation = member_selectors.default_cooperation()
    members = []
    key_figures = []
    if cooperation is not None:
        members = member_selectors.members_on(cooperation=cooperation, on=today)
        key_figures = member_selectors.key_figures_for(cooperation=cooperation)
    return render(
        request,
        "home.html",
        {
            "cooperation": cooperation,
            "members": members,
            "key_figures": key_figures,
            "today": today,
        },
    )
