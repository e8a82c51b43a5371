"""Business actions of the portal: personal API tokens (made, used, revoked)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any, cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from portal.models import ApiToken
from portal.permissions import require_can_hold_tokens, require_can_revoke
from samarbeid.common.services import Actor, stamp

TOKEN_START = "smb_"


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str
    """The whole token as the user must send it; shown once and never stored."""


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor: Actor, name: str) -> NewToken:
    """A new token for the acting user. The secret is in the answer only."""
    require_can_hold_tokens(actor)
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    secret = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        user=cast(Any, actor), name=name.strip(), prefix=prefix, secret_hash=hash_secret(secret)
    )
    token.full_clean()
    stamp(token, actor, gettext_noop("API token created"))
    token.save()
    return NewToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke the token: it stops working on the next request."""
    require_can_revoke(actor, token)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.full_clean()
    stamp(token, actor, gettext_noop("API token revoked"))
    token.save()
    return token


def api_token_authenticate(secret: str) -> ApiToken | None:
    """The active token this secret belongs to (its user loaded), or None; notes the use."""
    if not secret.startswith(TOKEN_START) or secret.count("_") < 2:
        return None
    prefix = secret[len(TOKEN_START) :].split("_", 1)[0]
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=prefix, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, hash_secret(secret)):
        return None
    now = timezone.now()
    # The last use is bookkeeping, not a change anyone reviews: no history row.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    return token
