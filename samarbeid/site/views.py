"""Pages of the site shell: they draw on several domain apps at once."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from governance import views as governance_views
from projects import views_overview
from projects.analytics.cache import cached
from samarbeid.common.permissions import is_inside, is_secretariat
from samarbeid.site import selectors


def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    inside = is_inside(request.user)
    # Members, key figures and counts change only with the data: once per data version.
    page = cached(
        "front-page", (today, inside), lambda: selectors.front_page(today=today, inside=inside)
    )
    purpose = page.cooperation.purpose_in(get_language()) if page.cooperation else ""
    return render(request, "home.html", {"page": page, "purpose": purpose, "today": today})


@login_required
def municipality_detail(request: HttpRequest, number: str) -> HttpResponse:
    """One page per municipality: what the cooperation did for it (projects) and the cases
    referred to its council (governance)."""
    user = request.user

    def more(m) -> dict[str, str]:
        # The council's cases and the networks' experience, rendered once per data version
        # and user (which decisions the user may record depends on the user's roles).
        def render_more() -> str:
            context = {"m": m, **governance_views.municipality_council(request, m.number)}
            return render_to_string("site/_municipality_more.html", context, request)

        key = (m.pk, timezone.localdate(), user.pk, is_secretariat(user))
        return {"more": mark_safe(cached("municipality-more", key, render_more))}

    return views_overview.municipality_detail(
        request, number, template="site/municipality_detail.html", extra=more
    )
