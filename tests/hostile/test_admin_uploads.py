"""Uploads through the admin are checked by content like those of the site's forms: the
deliverable inline on a project and the document inline on a board case, tried with the
whole hostile corpus."""

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from governance.models import Case
from projects.models import Project
from tests.governance.factories import CaseFactory
from tests.hostile import corpus
from tests.projects.factories import ProjectFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

REFUSED = [*corpus.ACTIVE, "xlsx_bomb", "docx_bomb", "docx_xxe"]


def _inline_form(model, obj, inline_model, user):
    request = RequestFactory().get("/admin/")
    request.user = user
    model_admin = admin.site._registry[model]
    for formset_class, inline in model_admin.get_formsets_with_inlines(request, obj):
        if inline.model is inline_model:
            return formset_class.form
    raise AssertionError(f"no {inline_model.__name__} inline")


def _deliverable_form(user):
    from projects.models import Deliverable

    return _inline_form(Project, ProjectFactory(), Deliverable, user)


def _document_form(user):
    from governance.models import CaseDocument

    return _inline_form(Case, CaseFactory(), CaseDocument, user)


@pytest.mark.parametrize("key", REFUSED)
def test_admin_deliverable_upload_refuses(hostile, key, admin_user):
    form_class = _deliverable_form(admin_user)
    path = hostile[key]
    form = form_class(
        data={"kind": "report", "title": "Rapport"},
        files={"file": SimpleUploadedFile(path.name, path.read_bytes())},
    )
    assert not form.is_valid()
    assert "file" in form.errors, key


@pytest.mark.parametrize("key", REFUSED)
def test_admin_case_document_upload_refuses(hostile, key, admin_user):
    form_class = _document_form(admin_user)
    path = hostile[key]
    form = form_class(
        data={"title": "Dokument"},
        files={"file": SimpleUploadedFile(path.name, path.read_bytes())},
    )
    assert not form.is_valid()
    assert "file" in form.errors, key


def test_admin_upload_of_a_plain_document_gets_a_generated_name(admin_user):
    form_class = _document_form(admin_user)
    upload = SimpleUploadedFile("<script>.svg.pdf", b"%PDF-1.4 styret")
    form = form_class(data={"title": "Dokument"}, files={"file": upload})
    form.is_valid()
    assert "file" not in form.errors
    name = form.cleaned_data["file"].name
    assert name.endswith(".pdf") and "<" not in name and "svg" not in name
