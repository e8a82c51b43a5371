import pytest
from django.urls import reverse

from governance import models

pytestmark = pytest.mark.django_db

MODELS = [
    models.BoardSeat,
    models.Meeting,
    models.Case,
    models.Referral,
    models.CouncilDecision,
    models.Condition,
    models.Notification,
]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_governance_model_is_in_the_admin(admin_client, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(changelist + "?q=Horten").status_code == 200
    assert (
        admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code
        == 200
    )
