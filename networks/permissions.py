"""Who may do what in a network.

- The secretariat (and the system, actor None) may do everything.
- The network's coordinator (the `Person` named coordinator whose user account acts) edits
  the network, its members, meetings, experience log, proposals, training and library.
- A network member (a current `NetworkMember` whose person is the user) reads the network's
  meetings and network-only documents and uploads documents and versions to its library.
- Any signed-in user reads the network pages and the documents shared with all members of
  the cooperation; anyone reads public documents. The board reads everything.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from networks.models import Document, Network, NetworkMember
from samarbeid.common.permissions import BOARD, has_role, is_inside, is_secretariat
from samarbeid.common.services import Actor


def _signed_in(user: Actor) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def coordinated_ids(user: Actor) -> set[int]:
    """Networks whose coordinator is this user's person (cached on the user)."""
    if not _signed_in(user):
        return set()
    cached = getattr(user, "_networks_coordinated", None)
    if cached is None:
        cached = set(Network.objects.filter(coordinator__user=user).values_list("pk", flat=True))
        user._networks_coordinated = cached  # type: ignore[union-attr]
    return cached


def member_ids(user: Actor) -> set[int]:
    """Networks the user belongs to today, as member or coordinator (cached on the user)."""
    if not _signed_in(user):
        return set()
    cached = getattr(user, "_networks_member", None)
    if cached is None:
        today = timezone.localdate()
        current = Q(start__isnull=True) | Q(start__lte=today)
        current &= Q(end__isnull=True) | Q(end__gte=today)
        cached = set(
            NetworkMember.objects.filter(current, person__user=user).values_list(
                "network_id", flat=True
            )
        ) | coordinated_ids(user)
        user._networks_member = cached  # type: ignore[union-attr]
    return cached


def reads_everything(user: Actor) -> bool:
    return is_secretariat(user) or has_role(user, BOARD)


def can_coordinate(user: Actor, network: Network) -> bool:
    return user is None or is_secretariat(user) or network.pk in coordinated_ids(user)


def can_take_part(user: Actor, network: Network) -> bool:
    """Member or coordinator (or the secretariat): reads everything of the network and
    uploads to its library."""
    return can_coordinate(user, network) or network.pk in member_ids(user)


def can_read_internals(user: Actor, network: Network) -> bool:
    """Meetings' minutes and network-only documents."""
    return can_take_part(user, network) or reads_everything(user)


def can_see_document(user: Actor, document: Document) -> bool:
    if document.visibility == Document.Visibility.PUBLIC:
        return True
    if document.visibility == Document.Visibility.MEMBERS:
        return user is None or is_inside(user)
    return can_read_internals(user, document.network)


def visible_documents_q(user: Actor) -> Q:
    """The filter `can_see_document` applies, for a queryset of documents."""
    if user is None or reads_everything(user):
        return Q()
    public = Q(visibility=Document.Visibility.PUBLIC)
    if not is_inside(user):
        return public
    return (
        public
        | Q(visibility=Document.Visibility.MEMBERS)
        | Q(network_id__in=sorted(member_ids(user)))
    )


def can_edit_programme(user: Actor, programme) -> bool:
    if programme.network_id:
        return can_coordinate(user, programme.network)
    return user is None or is_secretariat(user)


def may_start_programmes(user: Actor) -> bool:
    return user is None or is_secretariat(user) or bool(coordinated_ids(user))


def require_coordinator(user: Actor, network: Network) -> None:
    if not can_coordinate(user, network):
        raise PermissionDenied(_("Only the network's coordinator or the secretariat may do this."))


def require_participant(user: Actor, network: Network) -> None:
    if not can_take_part(user, network):
        raise PermissionDenied(_("Only the network's members may do this."))


def require_secretariat_or_system(user: Actor) -> None:
    if user is not None and not is_secretariat(user):
        raise PermissionDenied(_("Only the secretariat may do this."))
