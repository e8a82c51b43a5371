"""`{% network_experience project=… %}` / `{% network_experience municipality_number=… %}`:
the experience log entries linked to a project or a municipality, for the project page and
the municipality page (one fragment, two queries)."""

from django import template

from networks import selectors

register = template.Library()


@register.inclusion_tag("networks/_experience.html", takes_context=True)
def network_experience(context, project=None, municipality_number: str = ""):
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"experiences": []}
    if project is not None:
        entries = selectors.experience_for_project(project)
    else:
        entries = selectors.experience_for_municipality_number(municipality_number)
    return {"experiences": list(entries), "show_network": True}
