"""`{% history_url obj %}`: the history page of any object with one."""

from typing import Any

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def history_url(instance: Any) -> str:
    return reverse("history", args=[instance._meta.label_lower, instance.pk])
