"""Who may record a council's decision: the secretariat, the system, and the municipality
contacts of that council (or of a predecessor or successor identity) on the day."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from members import selectors as member_selectors
from members.models import Municipality, Position
from samarbeid.common.permissions import is_secretariat
from samarbeid.common.services import Actor


def related_identity_ids(municipality: Municipality, on: dt.date) -> set[int]:
    """The identity itself, its predecessors and its successors on `on`."""
    ids = {municipality.pk}
    ids.update(m.pk for m in member_selectors.predecessors(municipality))
    ids.update(m.pk for m in member_selectors.successors(municipality, on))
    return ids


def contact_positions_on(on: dt.date) -> QuerySet[Position]:
    """Municipality-contact positions valid on the day."""
    return Position.objects.filter(role=Position.Role.MUNICIPALITY_CONTACT).filter(
        (Q(start__isnull=True) | Q(start__lte=on)) & (Q(end__isnull=True) | Q(end__gte=on))
    )


def is_contact_for(user: Actor, municipality: Municipality, on: dt.date) -> bool:
    """Whether the user's person is municipality contact for this identity (or one of its
    predecessors/successors) on the day."""
    if user is None or not user.is_authenticated:
        return False
    return (
        contact_positions_on(on)
        .filter(
            person__user__pk=user.pk, municipality_id__in=related_identity_ids(municipality, on)
        )
        .exists()
    )


def contact_municipality_ids(user: Actor, on: dt.date) -> set[int]:
    """Identities (with predecessors/successors) the user is municipality contact for."""
    if user is None or not user.is_authenticated:
        return set()
    ids: set[int] = set()
    positions = (
        contact_positions_on(on)
        .filter(person__user__pk=user.pk, municipality__isnull=False)
        .select_related("municipality")
    )
    for position in positions:
        if position.municipality is not None:
            ids |= related_identity_ids(position.municipality, on)
    return ids


def can_record_decision(user: Actor, municipality: Municipality, on: dt.date | None = None) -> bool:
    """Whether a signed-in user may record this council's decision (pages ask this)."""
    on = on or timezone.localdate()
    return is_secretariat(user) or is_contact_for(user, municipality, on)


def require_can_record_decision(actor: Actor, municipality: Municipality) -> None:
    """The system (None), the secretariat or the council's municipality contact."""
    if actor is None:
        return
    if not can_record_decision(actor, municipality):
        raise PermissionDenied(
            _(
                "Only the secretariat and the municipality contact of %(name)s may record "
                "its decision."
            )
            % {"name": municipality.name}
        )
