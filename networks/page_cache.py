"""The signed-in networks pages and the library API kept per data version (issue 16).

`/networks/`, a network's page and the library (with and without a search) are kept whole
by `projects.page_shell.render_page`; `/api/networks/documents` keeps its JSON body with
`projects.analytics.cache.cached`. Both key by the data version, which moves when any
model of the networks app (a network, a membership, a person in a network, a document, a
version, a tag) or of members, projects and governance is saved or deleted, and when a user
joins or leaves a group; so an upload, a new version or an ended membership shows on the
next request.

What a user may see and do here (`networks.permissions`) is decided by their memberships,
coordinator posts and person (data: the data version covers them), the day (a membership
that ended yesterday), their roles and the superuser flag. `viewer()` names the user and
what of that is not data; the day is in every key. A value is kept per user: never shared
between two users, whatever their access.
"""

from __future__ import annotations

from typing import Any

from projects.page_shell import secretariat
from samarbeid.common.permissions import BOARD, has_role


def viewer(user: Any) -> tuple[Any, ...]:
    """The user and what decides their access that the data version does not cover: the
    superuser and active flags, and the roles (read from the cache per data version,
    `page_shell.secretariat`, so no query)."""
    return (
        user.pk,
        user.is_active,
        user.is_superuser,
        secretariat(user),
        has_role(user, BOARD),
    )
