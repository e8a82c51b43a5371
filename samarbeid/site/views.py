"""Pages of the site shell: they draw on several domain apps at once."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from governance import views as governance_views
from projects import views_overview
from samarbeid.common.permissions import is_inside
from samarbeid.site import selectors


def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    page = selectors.front_page(today=today, inside=is_inside(request.user))
    purpose = page.cooperation.purpose_in(get_language()) if page.cooperation else ""
    return render(request, "home.html", {"page": page, "purpose": purpose, "today": today})


@login_required
def municipality_detail(request: HttpRequest, number: str) -> HttpResponse:
    """One page per municipality: what the cooperation did for it (projects) and the cases
    referred to its council (governance)."""
    return views_overview.municipality_detail(
        request,
        number,
        template="site/municipality_detail.html",
        extra=lambda m: governance_views.municipality_council(request, m.number),
    )
