"""What the reports share: errors, the footer, formats of numbers and dates per language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from members.models import Cooperation
from reports import selectors

LANGUAGES = ("nb", "en")


class ReportError(ValueError):
    """Bad input to a report: the message names what was wrong and what is valid."""


def footer_lines(coop: Cooperation | None) -> list[str]:
    """The cooperation's postal and visiting address and phone, as in the footer of 000."""
    address = selectors.footer_address(coop)
    lines = []
    if address.postal:
        lines.append(_("Postal address: %(address)s") % {"address": address.postal})
    if address.visiting:
        lines.append(_("Visiting address: %(address)s") % {"address": address.visiting})
    if address.phone:
        lines.append(_("Phone: %(phone)s") % {"phone": address.phone})
    return lines


def nok(amount: Decimal | int | float | None) -> str:
    """12 500 000 kr, with a narrow no-break space between thousands."""
    if amount is None:
        return "—"
    whole = int(Decimal(amount).quantize(Decimal(1)))
    return _("%(amount)s NOK") % {"amount": f"{whole:,}".replace(",", "\u00a0")}


def day(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


def years_label(first: int | None, last: int | None) -> str:
    if first is None and last is None:
        return ""
    if first is None:
        return _("until %(year)s") % {"year": last}
    if last is None:
        return _("from %(year)s") % {"year": first}
    return str(first) if first == last else f"{first}–{last}"
