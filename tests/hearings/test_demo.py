import pytest
from django.core.management import call_command
from django.urls import reverse

from hearings.models import Hearing

pytestmark = pytest.mark.django_db


def test_demo_has_one_example_hearing_on_the_portal_and_in_the_widget(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    hearing = Hearing.objects.get()
    assert hearing.state == Hearing.State.OPEN and hearing.project is not None
    assert client.get(reverse("hearings:detail", args=[hearing.pk])).status_code == 200
    widget = client.get(reverse("portal:embed_json", args=["3905"])).json()
    assert [h["title"] for h in widget["hearings"]] == [hearing.title]
