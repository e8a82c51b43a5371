"""Who may run a hearing and moderate its comments: the secretariat, the system, and the
municipality contacts of a municipality the hearing concerns (or whose plan it is)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.permissions import contact_municipality_ids
from hearings.models import Hearing
from members.models import Municipality
from samarbeid.common.permissions import is_secretariat
from samarbeid.common.services import Actor


def hearing_municipality_ids(hearing: Hearing) -> set[int]:
    ids = {m.pk for m in hearing.municipalities.all()}
    if hearing.plan_municipality_id is not None:
        ids.add(hearing.plan_municipality_id)
    return ids


def can_run(user: Actor, municipality_ids: Iterable[int]) -> bool:
    """Secretariat, or contact of one of the municipalities (with predecessors/successors)."""
    if is_secretariat(user):
        return True
    mine = contact_municipality_ids(user, timezone.localdate())
    return bool(mine & set(municipality_ids))


def can_moderate(user: Actor, hearing: Hearing) -> bool:
    return can_run(user, hearing_municipality_ids(hearing))


def require_can_run(actor: Actor, municipalities: Iterable[Municipality]) -> None:
    if actor is None:
        return
    if not can_run(actor, [m.pk for m in municipalities]):
        raise PermissionDenied(
            _(
                "Only the secretariat and the contacts of the municipalities concerned may "
                "run this hearing."
            )
        )


def require_can_moderate(actor: Actor, hearing: Hearing) -> None:
    if actor is None:
        return
    if not can_moderate(actor, hearing):
        raise PermissionDenied(
            _(
                "Only the secretariat and the contacts of the municipalities concerned may "
                "handle the comments on this hearing."
            )
        )
