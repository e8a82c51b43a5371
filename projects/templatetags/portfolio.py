from django import template
from django.utils.translation import gettext_lazy as _

from projects.formatting import format_nok, format_point, project_period

register = template.Library()


@register.filter
def period(project) -> str:
    return project_period(project)


@register.simple_tag
def point(value, precision) -> str:
    return format_point(value, precision)


@register.filter
def nok(amount) -> str:
    return format_nok(amount)


@register.filter
def party_names(participations) -> list[str]:
    """Names of the parties, each once, in order (a municipality with two roles, or two
    identities of one municipality, shows once in a summary)."""
    seen: dict[str, None] = {}
    for p in participations:
        party = p.party
        if party is not None:
            seen.setdefault(party.name, None)
    return list(seen)


_COLUMNS = {
    "participants": _("Participants"),
    "status": _("Status"),
    "result": _("Result"),
    "working_form": _("Working form"),
    "period": _("Period"),
    "money": _("Money"),
    "owner": _("Owner"),
    "host": _("Host municipality"),
    "comments": _("Comments"),
}


@register.filter
def column_label(column: str) -> str:
    """A readable label for the column an unresolved mention came from."""
    return str(_COLUMNS.get(column, column))
