"""Roles and permission checks, used by services so pages, API and commands share them.

Roles are Django groups. A municipality contact is a user whose `Person` holds an active
`Position` with role `municipality_contact` for a municipality (see members.selectors).
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

SECRETARIAT = "secretariat"
BOARD = "board"
MUNICIPALITY_CONTACT = "municipality_contact"
NETWORK_COORDINATOR = "network_coordinator"

ROLE_GROUPS = (SECRETARIAT, BOARD, MUNICIPALITY_CONTACT, NETWORK_COORDINATOR)


def has_role(user, role: str) -> bool:
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cache = getattr(user, "_samarbeid_roles", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._samarbeid_roles = cache
    return role in cache


def is_secretariat(user) -> bool:
    return has_role(user, SECRETARIAT)


def is_inside(user) -> bool:
    """Signed in with any role: may read the internal pages."""
    return bool(user and user.is_authenticated and user.is_active)


def require_secretariat(user) -> None:
    if not is_secretariat(user):
        raise PermissionDenied("Only the secretariat may do this.")


def require_inside(user) -> None:
    if not is_inside(user):
        raise PermissionDenied("Sign in to do this.")
