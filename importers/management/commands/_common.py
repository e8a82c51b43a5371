"""Shared option handling for the importer's commands."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from members import selectors as members
from members.models import Cooperation


def cooperation_from_option(slug: str | None) -> Cooperation:
    if slug:
        try:
            return members.cooperation_by_slug(slug)
        except Cooperation.DoesNotExist as exc:
            raise CommandError(
                _("No cooperation with the slug “%(slug)s”.") % {"slug": slug}
            ) from exc
    cooperation = members.default_cooperation()
    if cooperation is None:
        raise CommandError(_("There is no cooperation yet; load the member registry first."))
    return cooperation
