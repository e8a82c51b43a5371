"""Every form input is bounded: year 1, year 99999, 10**30 or a 100,000-character text is
a field error (a 200/400 page naming the field), never a 500 and never a value the
database cannot hold or give back."""

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance import forms as gov_forms
from governance.models import CouncilDecision, Meeting
from importers import forms as import_forms
from members.admin import NameVariantForm
from members.models import KeyFigure
from projects import forms as project_forms
from projects import views_overview
from projects.models import Project
from samarbeid.common import bounds
from tests.governance.factories import CaseFactory, ProjectFactory, cooperation_with_members, nine

pytestmark = pytest.mark.django_db

HUGE = str(10**30)
LONG = "x" * 100_000


@pytest.fixture
def world(secretariat_user):
    from governance import services

    coop = cooperation_with_members(nine())
    case = CaseFactory(cooperation=coop)
    project = ProjectFactory(cooperation=coop)
    case.projects.add(project)
    referral = services.referral_create(
        actor=secretariat_user, case=case, referred_on=dt.date(2003, 6, 2)
    )
    return {"coop": coop, "case": case, "project": project, "referral": referral}


def all_forms(world) -> list[forms.BaseForm]:
    """One unbound instance of every form of members, projects, governance, importers."""
    empty = {"municipalities": [], "hosts": [], "organisations": [], "tags": []}
    return [
        gov_forms.DecisionForm(decision=world["referral"].decisions.first()),
        gov_forms.ReferralForm(case=world["case"]),
        gov_forms.CloseForm(),
        gov_forms.EstablishForm(referral=world["referral"], committed_ids=[]),
        gov_forms.MeetingForm(),
        gov_forms.CaseForm(cooperation=world["coop"]),
        gov_forms.DocumentForm(),
        project_forms.ProjectFilterForm(choices=empty),
        project_forms.ProjectForm(instance=world["project"]),
        project_forms.ParticipationForm(),
        project_forms.MoneyEntryForm(),
        project_forms.DeliverableForm(),
        project_forms.SpinOffForm(),
        project_forms.PhaseTransitionForm(),
        project_forms.ProjectLinkForm(),
        views_overview.OverviewFilterForm(),
        views_overview.LookupForm(),
        import_forms.UploadForm(max_bytes=1000),
        import_forms.ConfirmForm(),
        NameVariantForm(),
    ]


def hostile_values(name: str, field: forms.Field, edges: bool = True) -> list[str]:
    if isinstance(field, project_forms.PeriodPointField):
        return ["0001", "15.03.0001", "9999", LONG]
    if isinstance(field, forms.DateField):
        edge = ["1899-12-31", "2101-01-01"] if edges else ["2101-01-01"]
        return ["0001-01-01", "99999-01-01", *edge, LONG]
    if isinstance(field, forms.IntegerField):
        return ["1", "99999", HUGE, LONG] if bounds.is_year(name) else [HUGE, "-" + HUGE]
    if isinstance(field, forms.DecimalField | forms.FloatField):
        return [HUGE, "1" + "0" * 13]
    if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.HiddenInput):
        return [LONG]
    return []


def test_every_form_field_refuses_values_out_of_bounds(world):
    tried = 0
    for form in all_forms(world):
        kwargs = {}
        if isinstance(form, gov_forms.DecisionForm):
            kwargs["decision"] = form.decision
        for name, field in form.fields.items():
            for value in hostile_values(name, field):
                bound = type(form)(
                    data={form.add_prefix(name): value},
                    files={},
                    **_constructor_kwargs(form, world),
                )
                assert not bound.is_valid()
                assert name in bound.errors, (type(form).__name__, name, value[:20])
                tried += 1
    assert tried > 60


def _constructor_kwargs(form, world) -> dict:
    empty = {"municipalities": [], "hosts": [], "organisations": [], "tags": []}
    return {
        gov_forms.DecisionForm: {"decision": getattr(form, "decision", None)},
        gov_forms.ReferralForm: {"case": world["case"]},
        gov_forms.EstablishForm: {"referral": world["referral"], "committed_ids": []},
        gov_forms.CaseForm: {"cooperation": world["coop"]},
        project_forms.ProjectFilterForm: {"choices": empty},
        project_forms.ProjectForm: {"instance": world["project"]},
        import_forms.UploadForm: {"max_bytes": 1000},
    }.get(type(form), {})


def test_every_admin_form_refuses_values_out_of_bounds(rf, admin_user):
    """The admin's forms derive from the models: the model validators answer."""
    from django.contrib import admin

    request = rf.get("/admin/")
    request.user = admin_user
    tried = 0
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in bounds.DOMAIN_APPS:
            continue
        form_class = model_admin.get_form(request, None)
        for name, field in form_class.base_fields.items():
            # (municipalities' dates go back to 1838: no 1899 edge here)
            for value in hostile_values(name, field, edges=False):
                if value == LONG and isinstance(field, forms.CharField) and field.max_length:
                    continue  # a CharField's own max_length; nothing new to show
                form = form_class(data={name: value})
                assert not form.is_valid()
                assert name in form.errors, (model.__name__, name, value[:20])
                tried += 1
    assert tried > 20


def test_the_date_inputs_tell_the_browser_the_range(world):
    html = str(gov_forms.MeetingForm()["date"])
    assert 'min="1900-01-01"' in html and 'max="2100-12-31"' in html


def test_model_fields_refuse_what_the_database_cannot_hold():
    """The admin, the API and every service's full_clean go through these."""
    checked = 0
    for model in apps.get_models():
        if model._meta.app_label not in bounds.DOMAIN_APPS:
            continue
        for field in model._meta.concrete_fields:
            if not bounds.model_field_bounds(model, field):
                continue
            for value in _model_values(field):
                with pytest.raises(ValidationError):
                    field.run_validators(value)
                checked += 1
    assert checked > 40
    # The bounds are not in the migrations (makemigrations --check stays clean).
    _name, _path, _args, kwargs = Project._meta.get_field("start_date").deconstruct()
    assert "validators" not in kwargs


def _model_values(field):
    from django.db import models

    if isinstance(field, models.DateTimeField):
        return [dt.datetime(1, 1, 1, tzinfo=dt.UTC)]
    if isinstance(field, models.DateField):
        return [dt.date(1, 1, 1), dt.date(9999, 1, 1)]
    if isinstance(field, models.IntegerField):
        return [10**30, -(10**30)]
    if isinstance(field, models.DecimalField | models.FloatField):
        return [Decimal(10**30)]
    if isinstance(field, models.TextField):
        return [LONG]
    return []


# -- through the pages: 200/400 with the field's error, nothing stored --------------------


def test_decision_form_with_huge_numbers_and_old_dates(client, secretariat_user, world):
    client.force_login(secretariat_user)
    client.cookies["django_language"] = "en"
    decision = world["referral"].decisions.first()
    url = reverse("governance:decision", args=[decision.pk])
    for data in (
        {"outcome": "adopted_with_conditions", "at_least": HUGE},
        {"outcome": "adopted", "date": "0001-01-01"},
        {"outcome": "adopted", "date": "99999-01-01"},
        {"outcome": "adopted", "decision_text": LONG},
    ):
        payload = {f"d{decision.pk}-{k}": v for k, v in data.items()} | {"from": "case"}
        response = client.post(url, payload, HTTP_HX_REQUEST="true")
        assert response.status_code in (200, 400), data
        assert "errorlist" in response.content.decode(), data
    decision.refresh_from_db()
    assert decision.outcome == CouncilDecision.Outcome.PENDING


def test_meeting_form(client, secretariat_user, world):
    client.force_login(secretariat_user)
    client.cookies["django_language"] = "en"
    for data in (
        {"date": "0001-01-01"},
        {"date": "99999-01-01"},
        {"date": "2004-01-01", "minutes": LONG},
    ):
        response = client.post(reverse("governance:meeting_new"), data)
        assert response.status_code in (200, 400), data
        assert "errorlist" in response.content.decode(), data
    assert not Meeting.objects.exists()


def test_project_edit_with_year_one(client, secretariat_user, world):
    client.force_login(secretariat_user)
    client.cookies["django_language"] = "en"
    project = world["project"]
    page = client.get(reverse("projects:edit", args=[project.slug]))
    assert page.status_code == 200
    data = _form_data(page.context["form"])
    for field, value in (("start_date", "0001"), ("end_date", "99999"), ("description", LONG)):
        response = client.post(reverse("projects:edit", args=[project.slug]), data | {field: value})
        assert response.status_code in (200, 400), field
        assert field in response.context["form"].errors, field
    project.refresh_from_db()
    assert project.start_date is None or project.start_date.year >= 1900


def _form_data(form) -> dict:
    """What the browser would post back for the form and its inline formsets."""
    data = {}
    for bf in form:
        value = bf.value()
        if value is None:
            continue
        data[bf.html_name] = [str(v) for v in value] if isinstance(value, list) else value
    return data


def test_admin_key_figure_with_a_huge_value(admin_client, world):
    response = admin_client.post(
        reverse("admin:members_keyfigure_add"),
        {"cooperation": world["coop"].pk, "year": "99999", "value": HUGE, "label": "x"},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "year" in errors and "value" in errors
    assert not KeyFigure.objects.exists()
