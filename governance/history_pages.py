"""Governance models with a history page, and the case in the trash
(samarbeid.common.versions and samarbeid.common.trash)."""

from __future__ import annotations

from django.urls import reverse

from governance import services
from governance.models import Case, CouncilDecision, Referral
from samarbeid.common import trash, versions


def register() -> None:
    versions.register(
        Case,
        restore=services.case_restore,
        object_url=lambda c: reverse("governance:case", args=[c.pk]),
    )
    versions.register(
        Referral,
        restore=services.referral_restore,
        object_url=lambda r: reverse("governance:case", args=[r.case_id]),
    )
    versions.register(
        CouncilDecision,
        restore=services.council_decision_restore,
        object_url=lambda d: reverse(
            "governance:case", args=[Referral._base_manager.get(pk=d.referral_id).case_id]
        ),
    )
    trash.register(Case, untrash=services.case_restore_from_trash, purge=services.case_purge)
