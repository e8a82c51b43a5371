"""An import fills what nobody wrote: on the demo's hand-entered projects (projects.demo,
from the 12k presentation) a richer table fills the empty fields, keeps what a person
wrote, and merges the participants, reported per row. A second run writes nothing."""

import datetime as dt

import pytest

from importers.services import overview_import
from members import demo as members_demo
from members.selectors import default_cooperation
from projects import demo as projects_demo
from projects.models import Project

pytestmark = pytest.mark.django_db

RICHER = (
    "Prosjekt\tPeriode\tDeltagere\tArbeidsform\t12k resultat\tStatus\tKommentar\n"
    "Bredbånd\t2001 –\tTønsberg, Horten, Stokke, HVE\tStyringsgruppe\tGjennomført\tI drift\t"
    "Drift overført til GigaFib AS i 2004.\n"
    "Lokale nettsider\t2006 – 2008\tAlle\tArbeidsgruppe\tGjennomført\tAvsluttet\t\n"
).encode()


@pytest.fixture
def hand_entered():
    members_demo.load_demo()
    projects_demo.load_demo()
    cooperation = default_cooperation()
    project = Project.objects.get(cooperation=cooperation, slug="bredband")
    assert project.start_date is None and project.imported_as is None
    return cooperation


def test_a_richer_table_fills_in_hand_entered_projects(hand_entered):
    cooperation = hand_entered
    before = Project.objects.get(cooperation=cooperation, slug="bredband")
    hand_parties = set(before.participations.values_list("municipality_id", "organisation_id"))
    report = overview_import(actor=None, cooperation=cooperation, data=RICHER, filename="r.tsv")
    assert report.summary["created"] == 0 and report.summary["updated"] == 2
    project = Project.objects.get(cooperation=cooperation, slug="bredband")
    # empty fields take the file's value
    assert project.start_date == dt.date(2001, 1, 1) and project.open_ended
    assert project.working_form == "project_group"
    # what a person wrote is kept
    assert project.description == before.description
    assert project.comments == before.comments
    assert project.participants_text == before.participants_text
    # the hand-entered participants stay, HVE is added from the file
    after = set(project.participations.values_list("municipality_id", "organisation_id"))
    assert hand_parties < after
    assert project.participations.filter(organisation__abbreviation="HVE").exists()
    [bredband] = [p for p in report.plans if p.slug == "bredband"]
    assert any("entered by hand kept" in w and "Høgskolen" in w for w in bredband.warnings)
    nettsider = Project.objects.get(cooperation=cooperation, slug="lokale-nettsider")
    assert (nettsider.start_date, nettsider.end_date) == (
        dt.date(2006, 1, 1),
        dt.date(2008, 12, 31),
    )


def test_importing_the_richer_table_again_writes_nothing(hand_entered):
    cooperation = hand_entered
    overview_import(actor=None, cooperation=cooperation, data=RICHER, filename="r.tsv")
    project = Project.objects.get(cooperation=cooperation, slug="bredband")
    history = project.history.count()
    report = overview_import(actor=None, cooperation=cooperation, data=RICHER, filename="r.tsv")
    assert report.summary == {"created": 0, "updated": 0, "unchanged": 2}
    assert project.history.count() == history


def test_an_import_notes_the_date_of_its_document_on_every_project(shared_coop):
    """001 is "Prosjektoversikt 9k (1998-2005)": its projects were last recorded in 2005."""
    from projects.models import Project

    ongoing = Project.objects.get(cooperation=shared_coop, slug="vei-samarbeid-kommunale-veier")
    assert ongoing.open_ended and ongoing.result == "ongoing"
    assert (ongoing.last_recorded_on, ongoing.last_recorded_precision) == (
        dt.date(2005, 12, 31),
        "year",
    )
    assert not Project.objects.filter(cooperation=shared_coop, last_recorded_on__isnull=True)
