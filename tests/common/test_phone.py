"""A phone: at 390 px every page of the demo fits without sideways scrolling, the header
folds into a menu button, and the six pages a new user meets first are photographed at
390 px and 1366 px into artifacts/ (phone-*.png, desk-*.png)."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from samarbeid.common import permissions
from tests.conftest import browser_login, load_registry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}


def _demo(django_user_model):
    load_registry()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = django_user_model.objects.create_user(
        username="sekretær", password="pw-sekretær", first_name="Torill", last_name="Sekretær"
    )
    user.groups.add(Group.objects.get_or_create(name=permissions.SECRETARIAT)[0])
    return user


def _first_pages():
    from governance.models import Case
    from projects.models import Project

    project = Project.objects.order_by("pk").first()
    case = Case.objects.filter(referrals__isnull=False).order_by("pk").first()
    return {
        "front": reverse("home"),
        "projects": reverse("projects:list"),
        "project": reverse("projects:detail", args=[project.slug]),
        "timeline": reverse("overview:timeline"),
        "case": reverse("governance:case", args=[case.pk]),
        "referral-form": reverse("governance:case", args=[case.pk]) + "#refer",
    }


def _other_pages():
    from governance.models import Meeting
    from projects.models import Project

    project = Project.objects.order_by("pk").first()
    meeting = Meeting.objects.order_by("pk").first()
    pages = [
        reverse("overview:municipalities"),
        reverse("overview:municipality", args=["3905"]),
        reverse("overview:matrix"),
        reverse("overview:money"),
        reverse("projects:create"),
        reverse("projects:edit", args=[project.slug]),
        reverse("governance:dashboard"),
        reverse("governance:cases"),
        reverse("governance:case_new"),
        reverse("governance:meetings"),
        reverse("governance:board"),
        reverse("importers:upload"),
        reverse("password_reset"),
    ]
    if meeting:
        pages.append(reverse("governance:meeting", args=[meeting.pk]))
    return pages


def _width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def _wider_than_the_screen(page) -> list[str]:
    """The elements that stick out to the right, to name them when the test fails."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
          .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
          .filter(e => !e.closest('.table-scroll, .scroll-x, table.data'))
          .slice(0, 8)
          .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""
    )


def test_the_first_pages_fit_a_phone_and_a_desk(
    browser_page, live_server, django_user_model, artifacts_dir
):
    _demo(django_user_model)
    page = browser_page
    browser_login(page, live_server, "sekretær", "pw-sekretær")
    pages = _first_pages()
    too_wide = {}
    for viewport, prefix in ((PHONE, "phone"), (DESK, "desk")):
        page.set_viewport_size(viewport)
        for name, url in pages.items():
            page.goto(live_server.url + url)
            page.wait_for_load_state("networkidle")
            if name == "referral-form":
                page.evaluate(
                    "document.querySelectorAll('details.gov-form-wrap').forEach(d => d.open = true)"
                )
                page.locator("form[action$='/refer/']").first.scroll_into_view_if_needed()
            page.screenshot(path=str(artifacts_dir / f"{prefix}-{name}.png"), full_page=True)
            if viewport is PHONE and _width(page) > 390:
                too_wide[name] = (_width(page), _wider_than_the_screen(page))
    assert not too_wide, too_wide


def test_every_other_page_fits_a_phone(browser_page, live_server, django_user_model, artifacts_dir):
    _demo(django_user_model)
    page = browser_page
    browser_login(page, live_server, "sekretær", "pw-sekretær")
    page.set_viewport_size(PHONE)
    too_wide = {}
    for url in _other_pages():
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        name = url.strip("/").replace("/", "-") or "front"
        page.screenshot(path=str(artifacts_dir / f"phone-other-{name}.png"), full_page=True)
        if _width(page) > 390:
            too_wide[url] = (_width(page), _wider_than_the_screen(page))
    assert not too_wide, too_wide


def test_the_header_folds_into_a_menu_button_on_a_phone(
    browser_page, live_server, django_user_model, artifacts_dir
):
    _demo(django_user_model)
    page = browser_page
    browser_login(page, live_server, "sekretær", "pw-sekretær")
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    button = page.locator(".menu-toggle")
    assert button.is_visible()
    assert button.get_attribute("aria-expanded") == "false"
    assert not page.locator(".mainnav").is_visible()
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert page.locator(".mainnav a", has_text="Prosjekter").is_visible()
    page.screenshot(path=str(artifacts_dir / "phone-menu-open.png"))
    assert _width(page) <= 390
    page.keyboard.press("Escape")
    assert not page.locator(".mainnav").is_visible()

    page.set_viewport_size(DESK)
    assert not button.is_visible()
    assert page.locator(".mainnav a", has_text="Prosjekter").is_visible()
