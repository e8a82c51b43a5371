"""A secretariat user walks the portfolio in a real browser: list → filter → project →
edit → save → back to the list, with a screenshot of each page in artifacts/."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from projects import services
from projects.models import Project
from samarbeid.common.permissions import SECRETARIAT
from tests.conftest import browser_login
from tests.projects.test_overview_data import vestfold


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_secretariat_walks_the_portfolio(
    browser_page, live_server, artifacts_dir, django_user_model
):
    v = vestfold()
    user = django_user_model.objects.create_user(
        username="sekretær", password="hemmelig-passord", first_name="Torill", last_name="Sekretær"
    )
    user.groups.add(Group.objects.get_or_create(name=SECRETARIAT)[0])
    d = dt.date
    broadband = services.project_create(
        actor=user,
        cooperation=v.cooperation,
        name="Bredbånd i klasserommet",
        category=Project.Category.OPERATIONS,
        fields={
            "start_date": d(2001, 1, 1),
            "end_date": d(2002, 12, 31),
            "phase": Project.Phase.IN_OPERATION,
            "status": Project.Status.IN_OPERATION,
            "host_municipality": v.tonsberg_0704,
            "description": "Fiber til skoler, rådhus og offentlige bygg.",
        },
        tags=["Bredbånd", "IKT"],
    )
    services.participation_add(actor=user, project=broadband, municipality=v.tonsberg_0704)
    services.participation_add(actor=user, project=broadband, municipality=v.horten)
    services.money_entry_add(
        actor=user,
        project=broadband,
        kind="grant",
        amount_nok=5000000,
        year_from=2001,
        year_to=2003,
        purpose="HØYKOM-tilskudd",
    )
    services.spin_off_add(
        actor=user, project=broadband, kind="limited_company", name="GigaFib AS", date=d(2004, 1, 1)
    )
    for name, cat in [
        ("Etablering bredbåndsselskap", "operations"),
        ("Havnevesen", "planning"),
        ("Geodatasamarbeid", "planning"),
        ("Trygghetsnett", "operations"),
    ]:
        services.project_create(
            actor=user,
            cooperation=v.cooperation,
            name=name,
            category=cat,
            fields={"start_date": d(2003, 1, 1), "end_date": d(2004, 12, 31)},
        )

    page = browser_page
    browser_login(page, live_server, "sekretær", "hemmelig-passord")
    page.goto(f"{live_server.url}/projects/")
    page.wait_for_selector("table.portfolio")
    page.screenshot(path=str(artifacts_dir / "projects-list.png"), full_page=True)

    page.fill("#id_q", "bredbånd")
    if not page.evaluate("typeof window.htmx !== 'undefined'"):
        page.press("#id_q", "Enter")  # without htmx the filter form is a plain GET
    page.wait_for_function(
        "() => document.querySelectorAll('table.portfolio tbody tr').length === 2"
    )
    assert "q=bredb" in page.url  # the filter is in the address (hx-push-url)
    page.screenshot(path=str(artifacts_dir / "projects-list-filtered.png"), full_page=True)
    page.go_back()  # back and forward move between filter states
    page.wait_for_function(
        "() => document.querySelectorAll('table.portfolio tbody tr').length === 5"
    )
    page.go_forward()
    page.wait_for_function(
        "() => document.querySelectorAll('table.portfolio tbody tr').length === 2"
    )

    page.click("text=Bredbånd i klasserommet")
    page.wait_for_selector("h1")
    assert "GigaFib AS" in page.content()
    page.screenshot(path=str(artifacts_dir / "projects-detail.png"), full_page=True)

    page.click(f"a[href='/projects/{broadband.slug}/edit/']")
    page.wait_for_selector("#id_name")
    page.screenshot(path=str(artifacts_dir / "projects-edit.png"), full_page=True)
    page.fill("#id_comments", "Driften overført til GigaFib AS i 2004.")
    # A second participant through "Add a row" (the empty form copied by formset.js).
    page.click("#participations [data-add-row]")
    page.select_option("#id_participations-3-municipality", str(v.re.pk))
    page.fill("#id_participations-3-note", "frafall underveis")
    page.click("button[type=submit].primary")
    page.wait_for_selector(".msg-success")
    assert "Driften overført" in page.content()
    assert "frafall underveis" in page.content()
    page.screenshot(path=str(artifacts_dir / "projects-detail-saved.png"), full_page=True)

    page.click("nav.crumbs a")  # back to the list as it was left: still filtered
    page.wait_for_selector("table.portfolio")
    assert "q=bredb" in page.url
    assert page.input_value("#id_q") == "bredbånd"
    assert len(page.query_selector_all("table.portfolio tbody tr")) == 2
    page.screenshot(path=str(artifacts_dir / "projects-list-back.png"), full_page=True)
