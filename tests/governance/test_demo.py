"""The governance demo loader writes only through the services and is idempotent."""

import io

import pytest

from governance.demo import load_demo
from governance.models import (
    BoardSeat,
    Case,
    Condition,
    CouncilDecision,
    Meeting,
    Notification,
    Referral,
)
from projects.models import Participation, PhaseTransition, Project

from .factories import cooperation_with_members, nine

pytestmark = pytest.mark.django_db

MODELS = (
    BoardSeat,
    Meeting,
    Case,
    Referral,
    CouncilDecision,
    Condition,
    Notification,
    Project,
    Participation,
    PhaseTransition,
)


def _counts() -> dict[str, int]:
    counts = {}
    for model in MODELS:
        counts[model.__name__] = model.objects.count()
        if hasattr(model, "history"):
            counts[f"{model.__name__} history"] = model.history.count()
    return counts


def test_loading_the_demo_twice_adds_nothing():
    cooperation_with_members(nine())
    out = io.StringIO()
    load_demo(out)
    assert "8 council decisions" not in out.getvalue()  # all nine were referred
    assert "9 council decisions and 21 board seats added" in out.getvalue()
    first = _counts()
    assert first["Case"] == 1 and first["Referral"] == 1 and first["CouncilDecision"] == 9
    assert first["Condition"] == 2 and first["Notification"] == 0

    out = io.StringIO()
    load_demo(out)
    assert "0 council decisions and 0 board seats added" in out.getvalue()
    assert _counts() == first


def test_the_demo_is_written_by_the_system_with_service_reasons():
    cooperation_with_members(nine())
    load_demo(io.StringIO())
    case = Case.objects.get()
    assert {h.history_change_reason for h in case.history.all()} == {"case created"}
    stokke = CouncilDecision.objects.get(municipality__name="Stokke")
    assert stokke.outcome == CouncilDecision.Outcome.ADOPTED_WITH_CONDITIONS
    assert stokke.recorded_by is None
    assert [h.history_change_reason for h in stokke.history.order_by("history_id")] == [
        "referred",
        "council decision recorded",
    ]
    nøtterøy = CouncilDecision.objects.get(municipality__name="Nøtterøy")
    assert nøtterøy.outcome == CouncilDecision.Outcome.PENDING
    project = Project.objects.get(name="Havnevesen")
    assert project.history.first().history_change_reason == "demo data"
