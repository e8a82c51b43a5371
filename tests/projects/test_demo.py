"""The demo loader: the 12k projects of the 2010 presentation, idempotent."""

import io

import pytest

from members import demo as members_demo
from projects import demo, selectors
from projects.models import PhaseTransition, Project, ProjectLink

pytestmark = pytest.mark.django_db


def test_demo_loads_the_12k_projects_once():
    members_demo.load_demo(io.StringIO())
    out = io.StringIO()
    demo.load_demo(out)
    assert "11 created" in out.getvalue()
    slugs = set(Project.objects.values_list("slug", flat=True))
    assert {s.slug for s in demo.PROJECTS} <= slugs

    broadband = Project.objects.get(slug="bredband")
    assert broadband.name == "Bredbånd"
    assert broadband.participations.filter(municipality__isnull=False).count() == 12
    spin = broadband.spin_offs.get()
    assert spin.organisation.name == "GigaFib AS" and spin.date.year == 2004
    assert broadband.start_date is None  # the presentation gives no period

    geodata = Project.objects.get(slug="geodatasamarbeid")
    assert geodata.participations.count() == 0
    assert geodata.unresolved.get().text == "8 municipalities"

    trainee = Project.objects.get(slug="12k-trainee")
    assert trainee.start_date.year == 2010 and trainee.open_ended

    health = Project.objects.get(slug="helsesamarbeid")
    partners = set(
        health.participations.filter(role="partner").values_list("organisation__name", flat=True)
    )
    assert partners == {"Sykehuset i Vestfold", "Psykiatrien i Vestfold"}
    assert "bredband" in broadband.search_text and "å" not in broadband.search_text  # folded

    count = Project.objects.count()
    out = io.StringIO()
    demo.load_demo(out)
    assert "0 created" in out.getvalue()
    assert Project.objects.count() == count


def test_demo_has_the_001_projects_with_links_and_dated_phases():
    from importers import demo as importers_demo

    members_demo.load_demo(io.StringIO())
    importers_demo.load_demo(io.StringIO())
    out = io.StringIO()
    demo.load_demo(out)
    assert Project.objects.count() >= 58 + 11  # 001's rows and the 12k presentation's
    for name in ("Offentlig eid bredbånd", "Geodata", "Næringsarealer (1)", "Havnevesen"):
        assert Project.objects.filter(name=name).exists(), name
    second = Project.objects.get(slug="naeringsarealer-2")
    assert second.links_out.filter(target__slug="naeringsarealer-1", kind="continues").exists()
    assert [
        (t.phase, t.date.isoformat(), t.precision) for t in selectors.dated_transitions(second)
    ] == [
        ("study", "2004-01-01", "year"),
        ("joint_report", "2005-03-01", "month"),
        ("council_treatment", "2005-01-01", "year"),
    ]
    broadband = Project.objects.get(slug="offentlig-eid-bredband")
    assert {link.source.slug for link in broadband.links_in.all()} >= {
        "fiberskoleprosjektet",
        "etablering-bredbandsselskap",
        "bredband",
    }
    links, transitions = ProjectLink.objects.count(), PhaseTransition.objects.count()
    assert "links" in out.getvalue() and links >= 10 and transitions >= 15
    demo.load_demo(io.StringIO())  # idempotent
    assert (ProjectLink.objects.count(), PhaseTransition.objects.count()) == (links, transitions)
