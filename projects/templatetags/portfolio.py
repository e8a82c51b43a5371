from django import template

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
