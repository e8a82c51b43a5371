"""Project page, create and edit forms: permissions, bad input, two tabs, history, queries."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects import services
from projects.formatting import format_point
from projects.models import (
    Deliverable,
    MoneyEntry,
    Participation,
    PhaseTransition,
    Project,
    ProjectLink,
    SpinOff,
)
from tests.factories import OrganisationFactory
from tests.projects.test_overview_data import vestfold

pytestmark = pytest.mark.django_db


@pytest.fixture
def v():
    return vestfold()


@pytest.fixture
def project(v):
    p = services.project_create(
        actor=None,
        cooperation=v.cooperation,
        name="Offentlig eid bredbånd",
        category=Project.Category.OPERATIONS,
        fields={"start_date": dt.date(2001, 1, 1), "open_ended": True, "host_municipality": v.re},
        tags=["Bredbånd"],
        source_text={"Prosjekt": "Offentlig eid bredbånd", "Periode": "2001 –"},
    )
    services.participation_add(
        actor=None,
        project=p,
        municipality=v.vale,
        joined=dt.date(2000, 1, 1),
        left=dt.date(2001, 6, 30),
        note="frafall underveis",
    )
    services.money_entry_add(
        actor=None,
        project=p,
        kind="grant",
        amount_nok=Decimal(5000000),
        funder=OrganisationFactory(name="HØYKOM"),
        year_from=2001,
        year_to=2003,
    )
    services.money_entry_add(
        actor=None,
        project=p,
        kind="cost",
        amount_nok=Decimal(10000000),
        year_from=2001,
        year_to=2003,
        approximate=True,
    )
    Deliverable.objects.create(project=p, title="Sluttrapport", due_date=dt.date(2005, 3, 1))
    Deliverable.objects.create(
        project=p,
        title="Forprosjekt",
        due_date=dt.date(2001, 3, 1),
        delivered_date=dt.date(2001, 2, 1),
    )
    services.spin_off_add(
        actor=None, project=p, kind="limited_company", name="GigaFib AS", date=dt.date(2004, 1, 1)
    )
    services.unresolved_mention_add(actor=None, project=p, column="Deltagere", text="TAU")
    return p


def _form_data(project: Project, **overrides) -> dict:
    data = {
        "name": project.name,
        "short_name": project.short_name,
        "category": project.category,
        "phase": project.phase,
        "start_date": "2001",
        "end_date": "",
        "open_ended": "on" if project.open_ended else "",
        "result": project.result,
        "result_text": "",
        "status": project.status,
        "status_text": "",
        "working_form": "",
        "working_form_text": "",
        "consultant": "",
        "project_leader": "",
        "owner_municipality": "",
        "owner_organisation": "",
        "host_municipality": project.host_municipality_id or "",
        "description": project.description,
        "comments": project.comments,
        "participants_text": "",
        "is_public": "on",
        "tags_text": "Bredbånd",
        "version": project.version,
    }
    for prefix, rel in (
        ("participations", "participations"),
        ("money", "money"),
        ("deliverables", "deliverables"),
        ("spin_offs", "spin_offs"),
        ("transitions", "transitions"),
        ("links_out", "links_out"),
    ):
        rows = list(getattr(project, rel).order_by("pk"))
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = len(rows)
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = row.pk
            data[f"{prefix}-{i}-{'source' if prefix == 'links_out' else 'project'}"] = project.pk
            if prefix == "transitions":
                data.update(
                    {
                        f"{prefix}-{i}-phase": row.phase,
                        f"{prefix}-{i}-date": format_point(row.date, row.precision),
                        f"{prefix}-{i}-note": row.note,
                    }
                )
            elif prefix == "links_out":
                data.update(
                    {
                        f"{prefix}-{i}-kind": row.kind,
                        f"{prefix}-{i}-target": row.target_id,
                        f"{prefix}-{i}-note": row.note,
                    }
                )
            elif prefix == "participations":
                data.update(
                    {
                        f"{prefix}-{i}-municipality": row.municipality_id or "",
                        f"{prefix}-{i}-organisation": row.organisation_id or "",
                        f"{prefix}-{i}-role": row.role,
                        f"{prefix}-{i}-joined": row.joined or "",
                        f"{prefix}-{i}-left": row.left or "",
                        f"{prefix}-{i}-note": row.note,
                    }
                )
            elif prefix == "money":
                data.update(
                    {
                        f"{prefix}-{i}-kind": row.kind,
                        f"{prefix}-{i}-benefit_category": row.benefit_category,
                        f"{prefix}-{i}-certainty": row.certainty,
                        f"{prefix}-{i}-amount_nok": row.amount_nok or "",
                        f"{prefix}-{i}-funder": row.funder_id or "",
                        f"{prefix}-{i}-municipality": row.municipality_id or "",
                        f"{prefix}-{i}-year_from": row.year_from or "",
                        f"{prefix}-{i}-year_to": row.year_to or "",
                        f"{prefix}-{i}-purpose": row.purpose,
                    }
                )
            elif prefix == "spin_offs":
                data.update(
                    {
                        f"{prefix}-{i}-kind": row.kind,
                        f"{prefix}-{i}-name": row.name,
                        f"{prefix}-{i}-organisation": row.organisation_id or "",
                        f"{prefix}-{i}-host_municipality": row.host_municipality_id or "",
                        f"{prefix}-{i}-date": row.date.year if row.date else "",
                        f"{prefix}-{i}-description": row.description,
                    }
                )
            else:
                data.update(
                    {
                        f"{prefix}-{i}-kind": row.kind,
                        f"{prefix}-{i}-title": row.title,
                        f"{prefix}-{i}-due_date": row.due_date or "",
                        f"{prefix}-{i}-delivered_date": row.delivered_date or "",
                        f"{prefix}-{i}-note": row.note,
                    }
                )
    data.update(overrides)
    return data


def _edit_url(project):
    return reverse("projects:edit", kwargs={"slug": project.slug})


def test_project_page_shows_everything(client, plain_user, project):
    client.force_login(plain_user)
    response = client.get(reverse("projects:detail", kwargs={"slug": project.slug}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "2001 –" in body
    assert "Våle" in body and "frafall underveis" in body
    assert "5\u00a0000\u00a0000 kr" in body  # grants total
    assert "10\u00a0000\u00a0000 kr" in body  # costs total
    assert "GigaFib AS" in body
    assert "TAU" in body  # unresolved mention, verbatim
    assert "Periode" in body  # original source cell
    assert body.count("badge bad overdue") == 1  # only the undelivered report
    assert "Edit project" not in body  # not secretariat


def test_project_page_periods_by_precision(client, plain_user, v):
    client.force_login(plain_user)
    cases = [
        ({"start_date": dt.date(1999, 1, 1), "end_date": dt.date(1999, 12, 31)}, "1999"),
        ({"start_date": dt.date(2000, 1, 1), "end_date": dt.date(2002, 12, 31)}, "2000 – 2002"),
        ({"start_date": dt.date(2001, 1, 1), "open_ended": True}, "2001 –"),
        ({"start_date": dt.date(2001, 3, 15), "start_precision": "day"}, "15.03.2001"),
    ]
    for i, (fields, label) in enumerate(cases):
        p = services.project_create(
            actor=None, cooperation=v.cooperation, name=f"P{i}", category="other", fields=fields
        )
        response = client.get(reverse("projects:detail", kwargs={"slug": p.slug}))
        assert f"<dd>{label}</dd>" in response.content.decode()


def test_create_and_edit_need_the_secretariat(client, plain_user, board_user, project):
    for user in (plain_user, board_user):
        client.force_login(user)
        assert client.get(reverse("projects:create")).status_code == 403
        assert client.get(_edit_url(project)).status_code == 403
        assert client.post(_edit_url(project), _form_data(project, name="X")).status_code == 403
    project.refresh_from_db()
    assert project.name == "Offentlig eid bredbånd"


def test_service_refuses_non_secretariat(plain_user, v):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.project_create(
            actor=plain_user, cooperation=v.cooperation, name="X", category="other"
        )


def test_edit_saves_fields_inlines_and_history(secretariat_client, secretariat_user, project, v):
    data = _form_data(project, name="Offentlig eid bredbånd (9k)", phase="in_operation")
    data["participations-TOTAL_FORMS"] = 2
    data.update(
        {
            "participations-1-municipality": v.horten.pk,
            "participations-1-role": "host",
            "participations-1-joined": "2002-01-01",
        }
    )
    data["deliverables-0-delivered_date"] = "2005-02-20"
    data["money-1-DELETE"] = "on"
    response = secretariat_client.post(_edit_url(project), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    project.refresh_from_db()
    assert project.name == "Offentlig eid bredbånd (9k)"
    assert project.version == 2
    assert project.participations.count() == 2
    assert project.money.count() == 1
    assert project.deliverables.get(title="Sluttrapport").delivered_date == dt.date(2005, 2, 20)
    assert project.transitions.get().phase == "in_operation"
    assert "horten" in project.search_text
    page = secretariat_client.get(reverse("projects:detail", kwargs={"slug": project.slug}))
    body = page.content.decode()
    assert "sekretariat-test" in body
    assert "Offentlig eid bredbånd (9k)" in body  # name change in the history
    last = project.history.first()
    assert last.history_user == secretariat_user


def test_create_with_participants_and_upload(secretariat_client, v, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    earlier = services.project_create(
        actor=None, cooperation=v.cooperation, name="Energi og miljø", category="planning"
    )
    data = {
        "name": "Biogass i Vestfold",
        "category": "planning",
        "phase": "study",
        "start_date": "2010",
        "end_date": "",
        "is_public": "on",
        "version": 1,
        "tags_text": "Miljø, Energi",
        "participations-TOTAL_FORMS": 1,
        "participations-INITIAL_FORMS": 0,
        "participations-0-municipality": v.re.pk,
        "participations-0-role": "participant",
        "money-TOTAL_FORMS": 1,
        "money-INITIAL_FORMS": 0,
        "money-0-kind": "benefit",
        "money-0-benefit_category": "freed_capacity",
        "money-0-certainty": "estimated",
        "money-0-amount_nok": "150000",
        "deliverables-TOTAL_FORMS": 1,
        "deliverables-INITIAL_FORMS": 0,
        "deliverables-0-kind": "report",
        "deliverables-0-title": "Forstudie",
        "deliverables-0-due_date": "2010-12-01",
        "deliverables-0-file": SimpleUploadedFile("forstudie.pdf", b"%PDF-1.4 test"),
        "spin_offs-TOTAL_FORMS": 1,
        "spin_offs-INITIAL_FORMS": 0,
        "spin_offs-0-kind": "host_municipality",
        "spin_offs-0-host_municipality": v.re.pk,
        "spin_offs-0-name": "Biogassanlegg",
        "spin_offs-0-date": "06.2011",
        "transitions-TOTAL_FORMS": 2,
        "transitions-INITIAL_FORMS": 0,
        "transitions-0-phase": "idea",
        "transitions-0-date": "2009",
        "transitions-0-note": "Foreslått i rådmannsutvalget",
        "transitions-1-phase": "study",
        "transitions-1-date": "15.03.2010",
        "links_out-TOTAL_FORMS": 1,
        "links_out-INITIAL_FORMS": 0,
        "links_out-0-kind": "follows_up",
        "links_out-0-target": earlier.pk,
    }
    response = secretariat_client.post(reverse("projects:create"), data)
    assert response.status_code == 302, response.context["form"].errors
    p = Project.objects.get(name="Biogass i Vestfold")
    assert p.slug == "biogass-i-vestfold"
    assert p.start_precision == "year" and p.start_date == dt.date(2010, 1, 1)
    assert sorted(t.name for t in p.tags.all()) == ["Energi", "Miljø"]
    assert p.participations.get().municipality == v.re
    assert p.money.get().amount_nok == 150000
    spin = p.spin_offs.get()
    assert (spin.host_municipality, spin.date, spin.date_precision) == (
        v.re,
        dt.date(2011, 6, 1),
        "month",
    )
    d = p.deliverables.get()
    assert re.fullmatch(r"projects/deliverable/[0-9a-f]{32}\.pdf", d.file.name)  # generated
    assert d.file.read() == b"%PDF-1.4 test"
    assert [(t.phase, t.date, t.precision, t.note) for t in p.transitions.order_by("date")] == [
        ("idea", dt.date(2009, 1, 1), "year", "Foreslått i rådmannsutvalget"),
        ("study", dt.date(2010, 3, 15), "day", ""),
    ]
    link = p.links_out.get()
    assert (link.kind, link.target) == ("follows_up", earlier)
    page = secretariat_client.get(reverse("projects:detail", kwargs={"slug": p.slug}))
    body = page.content.decode()
    assert "Energi og miljø" in body and "15.03.2010" in body
    download = reverse("projects:deliverable_file", kwargs={"pk": d.pk})
    assert "Forstudie" in body and download in body  # the uploaded file is linked


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"start_date": "2003", "end_date": "2001", "open_ended": ""},
            "end_date",
            "The period cannot end before it starts.",
        ),
        ({"money-0-amount_nok": "-5"}, "money-0-amount_nok", "An amount cannot be negative."),
        (
            {"participations-0-left": "1999-01-01"},
            "participations-0-left",
            "A participant cannot leave before joining.",
        ),
        ({"host_municipality": "999999"}, "host_municipality", "Select a valid choice"),
        ({"start_date": "våren 2001"}, "start_date", "Write a year"),
        (
            {"deliverables-0-due_date": "2005-13-45"},
            "deliverables-0-due_date",
            "Enter a valid date.",
        ),
        ({"money-0-year_from": "2004", "money-0-year_to": "2002"}, "money-0-year_to", "The period"),
        (
            {
                "transitions-TOTAL_FORMS": "1",
                "transitions-0-phase": "study",
                "transitions-0-date": "x",
            },
            "transitions-0-date",
            "Write a year",
        ),
    ],
)
def test_bad_input_is_told_at_the_field_and_nothing_is_saved(
    secretariat_client, project, overrides, field, message
):
    secretariat_client.cookies["django_language"] = "en"
    before = (project.version, project.name)
    data = _form_data(project, name="Endret navn", **overrides)
    response = secretariat_client.post(_edit_url(project), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert f'id="id_{field}"' in body
    project.refresh_from_db()
    assert (project.version, project.name) == before
    assert project.money.filter(amount_nok__lt=0).count() == 0


def test_two_tabs_later_save_is_told_not_lost(secretariat_client, project):
    secretariat_client.cookies["django_language"] = "en"
    url = _edit_url(project)
    # Both tabs load the form at version 1.
    first = _form_data(project, name="Navn fra fane 1")
    second = _form_data(project, name="Navn fra fane 2", comments="Mine kommentarer")
    assert secretariat_client.post(url, first).status_code == 302
    response = secretariat_client.post(url, second)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else saved this project" in body or "Noen andre lagret" in body
    assert "Navn fra fane 1" in body  # their value is shown
    assert 'value="Navn fra fane 2"' in body  # my input stays in the form
    assert "Mine kommentarer" in body
    project.refresh_from_db()
    assert project.name == "Navn fra fane 1"
    assert project.version == 2
    # The re-shown form carries the new version: saving again is a deliberate overwrite.
    assert 'name="version" value="2"' in body
    assert secretariat_client.post(url, {**second, "version": 2}).status_code == 302
    project.refresh_from_db()
    assert project.name == "Navn fra fane 2"


def test_service_optimistic_lock(project):
    services.project_update(actor=None, project=project, expected_version=1, changes={"name": "A"})
    stale = Project.objects.get(pk=project.pk)
    with pytest.raises(services.ProjectChangedElsewhere) as exc:
        services.project_update(
            actor=None, project=stale, expected_version=1, changes={"name": "B"}
        )
    assert exc.value.current.name == "A"
    assert Project.objects.get(pk=project.pk).name == "A"


def test_service_rejects_bad_period_without_writing(project):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.project_update(
            actor=None,
            project=project,
            expected_version=1,
            changes={
                "start_date": dt.date(2003, 1, 1),
                "end_date": dt.date(2001, 12, 31),
                "open_ended": False,
            },
        )
    assert "end_date" in exc.value.message_dict
    assert Project.objects.get(pk=project.pk).version == 1


def test_links_between_projects_shown_both_ways(client, plain_user, v):
    one = services.project_create(
        actor=None, cooperation=v.cooperation, name="Næringsarealer (1)", category="planning"
    )
    two = services.project_create(
        actor=None, cooperation=v.cooperation, name="Næringsarealer (2)", category="planning"
    )
    services.project_link_add(actor=None, source=two, target=one, kind=ProjectLink.Kind.CONTINUES)
    client.force_login(plain_user)
    body = client.get(reverse("projects:detail", kwargs={"slug": one.slug})).content.decode()
    assert "Næringsarealer (2)" in body
    body = client.get(reverse("projects:detail", kwargs={"slug": two.slug})).content.decode()
    assert "Næringsarealer (1)" in body


def _bulk_rows(project, v, n):
    Participation.objects.bulk_create(
        [Participation(project=project, municipality=v.horten, note=str(i)) for i in range(n)]
    )
    MoneyEntry.objects.bulk_create(
        [MoneyEntry(project=project, kind="grant", amount_nok=i) for i in range(n)]
    )
    Deliverable.objects.bulk_create(
        [
            Deliverable(project=project, title=f"D{i}", due_date=dt.date(2001, 1, 1))
            for i in range(n)
        ]
    )


def test_project_page_query_count_does_not_grow(client, plain_user, project, v):
    client.force_login(plain_user)
    url = reverse("projects:detail", kwargs={"slug": project.slug})

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    Project.objects.bulk_create(
        [
            Project(cooperation=v.cooperation, name=f"B{i}", slug=f"b{i}", category="other")
            for i in range(10)
        ]
    )
    _bulk_rows(project, v, 10)
    small = count()
    Project.objects.bulk_create(
        [
            Project(cooperation=v.cooperation, name=f"B{i}", slug=f"b{i}", category="other")
            for i in range(10, 500)
        ]
    )
    _bulk_rows(project, v, 490)
    assert count() == small


def test_edit_page_query_count_does_not_grow_with_rows(secretariat_client, project, v):
    url = _edit_url(project)

    def count():
        secretariat_client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert secretariat_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    _bulk_rows(project, v, 3)
    small = count()
    _bulk_rows(project, v, 40)
    assert count() == small


def test_phase_change_with_a_dated_transition_keeps_the_written_date(secretariat_client, project):
    data = _form_data(project, phase="council_treatment")
    data.update(
        {
            "transitions-TOTAL_FORMS": 1,
            "transitions-0-phase": "council_treatment",
            "transitions-0-date": "03.2004",
            "transitions-0-note": "Sendt kommunestyrene",
        }
    )
    response = secretariat_client.post(_edit_url(project), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    t = project.transitions.get()  # no second, automatic one dated today
    assert (t.phase, t.date, t.precision) == ("council_treatment", dt.date(2004, 3, 1), "month")
    body = secretariat_client.get(reverse("projects:detail", kwargs={"slug": project.slug}))
    assert "03.2004" in body.content.decode()


def test_link_to_itself_or_unknown_project_is_told_at_the_field(secretariat_client, project):
    secretariat_client.cookies["django_language"] = "en"
    for target in (project.pk, 999999):
        data = _form_data(project, name="Endret")
        data.update({"links_out-TOTAL_FORMS": 1, "links_out-0-kind": "continues"})
        data["links_out-0-target"] = target
        response = secretariat_client.post(_edit_url(project), data)
        assert response.status_code == 400
        body = response.content.decode()
        assert 'id="id_links_out-0-target_error"' in body
        assert "Select a valid choice" in body
    project.refresh_from_db()
    assert project.name != "Endret" and project.links_out.count() == 0


def test_link_edited_in_the_form_shows_on_both_projects(secretariat_client, project, v):
    other = services.project_create(
        actor=None, cooperation=v.cooperation, name="Næringsarealer (2)", category="planning"
    )
    data = _form_data(project)
    data.update(
        {"links_out-TOTAL_FORMS": 1, "links_out-0-kind": "part_of", "links_out-0-target": other.pk}
    )
    response = secretariat_client.post(_edit_url(project), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    mine = secretariat_client.get(reverse("projects:detail", kwargs={"slug": project.slug}))
    theirs = secretariat_client.get(reverse("projects:detail", kwargs={"slug": other.slug}))
    assert f'href="/projects/{other.slug}/"' in mine.content.decode()
    assert f'href="/projects/{project.slug}/"' in theirs.content.decode()
    assert "Prosjektlenke: del av Næringsarealer (2)" in mine.content.decode()  # history


def test_back_to_the_list_keeps_the_filters(secretariat_client, project):
    secretariat_client.get(reverse("projects:list"), {"q": "bredbånd", "sort": "-start"})
    for url in (reverse("projects:detail", kwargs={"slug": project.slug}), _edit_url(project)):
        body = secretariat_client.get(url).content.decode()
        assert 'href="/projects/?q=bredb%C3%A5nd&amp;sort=-start"' in body


def test_two_owners_are_refused_at_the_field(secretariat_client, project, v):
    from tests.factories import OrganisationFactory

    secretariat_client.cookies["django_language"] = "en"
    governor = OrganisationFactory(name="Fylkesmannen i Vestfold")
    data = _form_data(project, owner_municipality=v.re.pk, owner_organisation=governor.pk)
    response = secretariat_client.post(_edit_url(project), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_owner_organisation_error"' in body
    assert "A project has one owner" in body
    project.refresh_from_db()
    assert project.owner_organisation is None


def test_saving_untouched_rows_writes_no_history_for_them(secretariat_client, project):
    services.spin_off_add(
        actor=None,
        project=project,
        kind="limited_company",
        name="GigaFib AS",
        date=dt.date(2004, 1, 1),
    )
    services.phase_transition_add(
        actor=None, project=project, phase="study", date=dt.date(2001, 1, 1), precision="year"
    )
    before = SpinOff.history.count() + PhaseTransition.history.count()
    response = secretariat_client.post(_edit_url(project), _form_data(project, comments="Ny"))
    assert response.status_code == 302
    assert SpinOff.history.count() + PhaseTransition.history.count() == before


def test_two_tabs_when_the_other_deleted_a_row(secretariat_client, project):
    secretariat_client.cookies["django_language"] = "en"
    url = _edit_url(project)
    mine = _form_data(project, name="Navn fra fane 2")
    theirs = _form_data(project)
    theirs["money-1-DELETE"] = "on"
    assert secretariat_client.post(url, theirs).status_code == 302
    response = secretariat_client.post(url, mine)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else saved this project" in body
    assert "Row 2: someone else deleted this row" in body
    project.refresh_from_db()
    assert project.name != "Navn fra fane 2" and project.money.count() == 1
    mine.update({"version": project.version, "money-1-DELETE": "on"})
    assert secretariat_client.post(url, mine).status_code == 302  # dropped the row: saved
    project.refresh_from_db()
    assert project.name == "Navn fra fane 2"
