import io

import pytest
from django.core.management import call_command

from networks.models import Network, NetworkMembership, Programme
from projects.models import Project

pytestmark = pytest.mark.django_db


def test_demo_links_the_three_networks_to_their_portfolio_rows_once():
    call_command("load_demo", stdout=io.StringIO())
    projects_before = Project.objects.count()
    networks = {n.name: n for n in Network.objects.select_related("project")}
    assert set(networks) == {"IKT-ledere", "Helse- og sosial", "Overformynderi"}
    for name, network in networks.items():
        assert network.project is not None and network.project.name == name
        assert Project.objects.filter(name=name).count() == 1  # linked, not duplicated
        assert "ni faglige nettverk" in network.description
    overformynderi = NetworkMembership.objects.filter(network=networks["Overformynderi"])
    assert [str(m) for m in overformynderi] == ["Fylkesmannen i Vestfold (FM)"]
    assert "14 kommuner" in networks["Overformynderi"].description
    assert Programme.objects.get(name="12k Trainee").courses.get().note.startswith("6 traineer")
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "networks: 0 created" in out.getvalue()
    assert Project.objects.count() == projects_before
    assert Network.objects.count() == 3
