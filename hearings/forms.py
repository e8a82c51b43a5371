from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hearings.models import MAX_COMMENT_CHARS
from samarbeid.common.forms import BoundedForm


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; the service checks each by content and size."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class CommentForm(BoundedForm, forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_COMMENT_CHARS,
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    organisation = forms.CharField(
        label=_("On behalf of an organisation (optional)"), max_length=200, required=False
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send a link to confirm the comment. The address is never shown."),
    )
    show_name = forms.BooleanField(
        label=_("Show my name with the comment when it is published"), required=False, initial=True
    )
    attachments = MultipleFileField(
        label=_("Attachments (optional)"),
        required=False,
        help_text=_(
            "PDF, Word, Excel, OpenDocument, pictures or plain text; at most %(count)s files "
            "of %(size)s each. Attachments are published with the comment."
        ),
    )
    # The honeypot: hidden from people, filled in by robots.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, **kwargs) -> None:
        from hearings.services import attachment_max_bytes, max_attachments
        from samarbeid.common.uploads import human_size

        super().__init__(*args, **kwargs)
        field = self.fields["attachments"]
        field.help_text = str(field.help_text) % {
            "count": max_attachments(),
            "size": human_size(attachment_max_bytes()),
        }


class FollowForm(BoundedForm, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send a link to confirm. Every message has a link to stop."),
    )
    website = forms.CharField(required=False, label=_("Leave this field empty"))


class HoldBackForm(BoundedForm, forms.Form):
    reason = forms.CharField(label=_("Reason for holding back"), max_length=2000)


class ProcessForm(BoundedForm, forms.Form):
    topic = forms.CharField(label=_("Plan section or topic"), max_length=200, required=False)
    response = forms.CharField(
        label=_("Response"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
        required=False,
    )


def _current_municipalities():
    from members.models import Municipality

    return Municipality.objects.filter(valid_to__isnull=True)


def _cases():
    from governance.models import Case

    return Case.objects.all()


def _projects():
    from projects.models import Project

    return Project.objects.all()


OWNERS = ("case", "project", "plan_municipality")
# The kinds of hearing and the field that names what it belongs to.
OWNER_FIELDS = {"case": "case", "project": "project", "plan": "plan_municipality"}


class HearingForm(BoundedForm, forms.Form):
    """A hearing of a board case, a project or a municipality's plan (exactly one), in
    draft. A deadline under six weeks is allowed; the desk warns.

    The choice fields only validate (one query by key): the page draws the pickers itself
    from the members and short lists (hearings.selectors), never from these querysets.
    `owner` says which of case, project and plan counts; a post without it must name
    exactly one of them. Without `may_pick_owner` (a municipality contact) only a plan."""

    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(
        label=_("Summary in plain language"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
    )
    owner = forms.ChoiceField(
        label=_("What goes out for comment"),
        choices=[
            ("case", _("A board case")),
            ("project", _("A project")),
            ("plan", _("A municipality’s plan")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    case = forms.ModelChoiceField(label=_("Board case"), queryset=_cases(), required=False)
    project = forms.ModelChoiceField(label=_("Project"), queryset=_projects(), required=False)
    plan_municipality = forms.ModelChoiceField(
        label=_("Municipality whose plan it is"),
        queryset=_current_municipalities(),
        required=False,
    )
    plan_identifier = forms.CharField(
        label=_("Plan identifier"),
        max_length=40,
        required=False,
        help_text=_("As in the municipality’s planning register, e.g. 2026007."),
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities concerned"),
        queryset=_current_municipalities(),
        required=False,
    )
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        required=False,
        help_text=_("Six weeks after the start when left empty."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    map_url = forms.URLField(label=_("Map link"), required=False, assume_scheme="https")
    location = forms.CharField(label=_("Location"), max_length=300, required=False)

    def __init__(self, *args, may_pick_owner: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not may_pick_owner:
            del self.fields["case"], self.fields["project"]
            self.fields["owner"].choices = [("plan", _("A municipality’s plan"))]

    def clean(self):
        data = super().clean() or {}
        kind = data.get("owner")
        if kind:
            self._keep_only(data, OWNER_FIELDS[kind])
        else:
            chosen = [name for name in OWNERS if data.get(name)]
            if len(chosen) != 1:
                raise forms.ValidationError(
                    _("Choose exactly one: a board case, a project or a municipality’s plan.")
                )
        if data.get("plan_municipality") and not (data.get("plan_identifier") or "").strip():
            self.add_error("plan_identifier", _("A municipality’s plan needs its plan identifier."))
        if not data.get("plan_municipality"):
            data["plan_identifier"] = ""
        data.pop("owner", None)
        return data

    def _keep_only(self, data: dict, field: str) -> None:
        """The chosen kind counts; what is left ticked in the other pickers does not."""
        for name in OWNERS:
            if name != field:
                data[name] = None
        if field in self.fields and not data.get(field) and field not in self.errors:
            self.add_error(field, OWNER_MISSING[field])


OWNER_MISSING = {
    "case": _("Choose the board case that goes out for comment."),
    "project": _("Choose the project that goes out for comment."),
    "plan_municipality": _("Choose the municipality whose plan it is."),
}


class DocumentForm(BoundedForm, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"))
