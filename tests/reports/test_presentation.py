"""The presentation in the manner of 000, in English and Norwegian."""

import datetime as dt
import io

import docx
import pytest
from django.http import QueryDict

from reports import registry
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db


def test_english_presentation_as_on_the_day_of_000(demo, tmp_path, artifacts_dir):
    out = registry.generate("presentation", fmt="pdf", lang="en", params=QueryDict("on=2010-11-30"))
    (artifacts_dir / "report-presentation-en.pdf").write_bytes(out.data)
    text = " ".join(pdf_text(out.data, tmp_path).split())
    assert "12-kommunesamarbeidet i Vestfold (12k)" in text
    assert "12 municipalities: Andebu, Hof, Holmestrand" in text
    assert "216 000 inhabitants" in text and "14 000 employees" in text
    for heading in ("Organisation and board", "Projects", "Professional network groups", "Results"):
        assert heading in text
    assert "Postal address: 12k c/o HVE" in text


def test_norwegian_presentation_in_docx(demo):
    out = registry.generate(
        "presentation", fmt="docx", lang="nb", params=QueryDict("on=2010-11-30")
    )
    document = docx.Document(io.BytesIO(out.data))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Organisasjon og styre",
        "Prosjekter",
        "Faglige nettverksgrupper",
        "Resultater",
    ]
    text = " ".join(" ".join(p.text for p in document.paragraphs).split())
    assert "12 kommuner: Andebu, Hof" in text and "216 000 innbyggere" in text


def test_a_bad_date_is_a_clear_error(demo, client, plain_user):
    client.force_login(plain_user)
    response = client.get("/reports/download/?report=presentation&format=pdf&on=30.11.2010")
    assert response.status_code == 400
    assert "2010-11-30" in response.content.decode()


def test_results_total_agrees_with_the_money_page(demo, client, plain_user):
    from django.urls import reverse
    from django.utils import translation

    from reports.common import nok

    client.force_login(plain_user)
    by_year = client.get(reverse("overview:money")).context["by_year"]
    assert by_year.grand_total > 0
    doc = registry.build("presentation", lang="en", params=QueryDict("on=2010-11-30"))
    results = next(s for s in doc.sections if s.title == "Results")
    with translation.override("en"):
        assert nok(by_year.grand_total) in results.blocks[0].text


def _network_bullets(doc, title: str) -> list[str]:
    section = next(s for s in doc.sections if s.title == title)
    bullets = [b for b in section.blocks if hasattr(b, "items")]
    return bullets[0].items if bullets else []


def test_networks_come_from_the_networks_app_with_field_and_members_on_the_day(demo):
    from networks.models import Network
    from projects.models import Project
    from tests.networks.factories import NetworkFactory

    Project.objects.create(
        cooperation=demo, name="Bare en rad i prosjektlista", slug="bare-en-rad", category="network"
    )
    NetworkFactory(cooperation=demo, name="Hvilende nettverk", status=Network.Status.RESTING)
    NetworkFactory(cooperation=demo, name="Nytt nettverk", started=dt.date(2011, 1, 1))
    doc = registry.build("presentation", lang="en", params=QueryDict("on=2010-11-30"))
    bullets = _network_bullets(doc, "Professional network groups")
    it = Network.objects.get(name="IKT-ledere")
    members = it.memberships.filter(start__lte=dt.date(2010, 11, 30)).count()
    assert members > 1
    assert bullets == [
        "Helse- og sosial (Helse og sosial, pleie og omsorg): "
        f"{Network.objects.get(name='Helse- og sosial').memberships.count()} members",
        f"IKT-ledere (IKT): {members} members",
        "Overformynderi (Overformynderi (verjemål)): 1 member",
    ]
    section = next(s for s in doc.sections if s.title == "Professional network groups")
    assert section.blocks[0].text.startswith("There are 3 professional networks in 12k.")
    # Before the health network started, two; in Norwegian.
    doc = registry.build("presentation", lang="nb", params=QueryDict("on=2003-06-30"))
    assert _network_bullets(doc, "Faglige nettverksgrupper") == [
        f"IKT-ledere (IKT): {members} medlemmer",
        "Overformynderi (Overformynderi (verjemål)): 1 medlem",
    ]


def test_a_network_without_field_and_a_member_that_left(demo):
    from tests.factories import OrganisationFactory
    from tests.networks.factories import NetworkFactory

    network = NetworkFactory(cooperation=demo, name="Arkiv", field="", started=None)
    network.memberships.create(organisation=OrganisationFactory(), end=dt.date(2009, 12, 31))
    network.memberships.create(organisation=OrganisationFactory(), start=dt.date(2008, 1, 1))
    doc = registry.build("presentation", lang="en", params=QueryDict("on=2010-11-30"))
    assert "Arkiv: 1 member" in _network_bullets(doc, "Professional network groups")
