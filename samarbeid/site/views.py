from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from samarbeid.common.permissions import is_inside
from samarbeid.site import selectors


def home(request):
    today = timezone.localdate()
    page = selectors.front_page(today=today, inside=is_inside(request.user))
    purpose = page.cooperation.purpose_in(get_language()) if page.cooperation else ""
    return render(request, "home.html", {"page": page, "purpose": purpose, "today": today})
