"""The member registry's models with a history page (samarbeid.common.versions)."""

from __future__ import annotations

from django.urls import reverse

from members import services
from members.models import Membership, Person
from samarbeid.common import versions
from samarbeid.common.permissions import is_secretariat


def register() -> None:
    versions.register(
        Membership,
        restore=services.membership_restore,
        object_url=lambda m: reverse("admin:members_membership_change", args=[m.pk]),
    )
    versions.register(
        Person,
        restore=services.person_restore,
        object_url=lambda p: reverse("admin:members_person_change", args=[p.pk]),
        can_read=is_secretariat,  # contact details and notes: the secretariat's register
    )
