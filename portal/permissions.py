"""Who may do what with API tokens: every signed-in user has their own, and only they
(or the secretariat) may revoke one."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from portal.models import ApiToken
from samarbeid.common.permissions import is_inside, is_secretariat
from samarbeid.common.services import Actor


def require_can_hold_tokens(actor: Actor) -> None:
    if not is_inside(actor):
        raise PermissionDenied(_("Sign in to make an API token."))


def require_can_revoke(actor: Actor, token: ApiToken) -> None:
    if actor is None:
        return
    if not is_inside(actor) or (token.user_id != actor.pk and not is_secretariat(actor)):
        raise PermissionDenied(_("Only the token's owner may revoke it."))
