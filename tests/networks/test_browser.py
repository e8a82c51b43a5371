"""A network member uploads a template, finds it by a word inside it, uploads a new version
and downloads the old one; as the network's coordinator she then ends the county governor's
membership from the network page. In a real browser; screenshots at 1366 and 390 px."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from networks import services
from tests.conftest import browser_login, load_registry
from tests.factories import OrganisationFactory, PersonFactory
from tests.networks.factories import NetworkFactory, NetworkMemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _docx(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _fits(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"sideways scrolling at {width}px: {scroll}"


def _shoot(page, directory: Path, name: str) -> None:
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.evaluate("window.scrollTo(0, 0)")
        _fits(page, width)
        page.screenshot(path=str(directory / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_upload_find_new_version_download_old(
    browser_page, live_server, django_user_model, artifacts_dir, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_registry()
    shots = artifacts_dir / "networks"
    shots.mkdir(exist_ok=True)
    user = django_user_model.objects.create_user(username="medlem", password="pw-medlem")
    user.groups.add(Group.objects.get_or_create(name="network_coordinator")[0])
    network = NetworkFactory(name="Overformynderi", slug="overformynderi", field="Verjemål")
    kari = PersonFactory(name="Kari Nordmann", user=user)
    NetworkMemberFactory(network=network, person=kari)
    network.coordinator = kari
    network.save()
    governor = OrganisationFactory(name="Fylkesmannen i Vestfold")
    services.membership_add(
        actor=None, network=network, organisation=governor, start=dt.date(2002, 1, 1)
    )
    services.experience_add(
        actor=None,
        network=network,
        date=network.started,
        title="Felles mal for årsregnskap",
        text="Alle kommunene bruker samme mal; færre spørsmål fra verjene.",
    )
    old = tmp_path / "regnskapsmal.docx"
    old.write_bytes(_docx("Mal for verjemålsregnskap", "Fylles ut av verjen hvert år."))
    new = tmp_path / "regnskapsmal-2.docx"
    new.write_bytes(_docx("Mal for verjemålsregnskap, revidert", "Nå med vedlegg for bank."))

    page = browser_page
    page.set_default_timeout(60_000)  # the shared machine is slow at times
    browser_login(page, live_server, "medlem", "pw-medlem")
    page.goto(f"{live_server.url}/networks/overformynderi/")
    page.click("text=Last opp et dokument")
    page.fill("#id_title", "Regnskapsmal for verjer")
    page.select_option("#id_kind", "template")
    page.fill("#id_tags", "regnskap, verjemål")
    page.set_input_files("#id_file", str(old))
    page.fill("#id_change_note", "Første utgave")
    page.click("form.nw-form button[type=submit]")
    page.wait_for_selector("h1:has-text('Regnskapsmal for verjer')")

    # Find it by a word inside the file, typed without å
    page.goto(f"{live_server.url}/networks/library/?q=verjemalsregnskap")
    hit = page.locator("article.nw-hit")
    assert hit.count() == 1
    assert "verjemålsregnskap" in hit.locator("mark").first.inner_text()
    _shoot(page, shots, "library-search")
    hit.locator("a").first.click()

    page.set_input_files("#id_file", str(new))
    page.fill("#id_change_note", "Vedlegg for bank")
    page.click("form.nw-form button[type=submit]")
    page.wait_for_selector("text=Versjon 2")
    _shoot(page, shots, "document-versions")
    with page.expect_download() as info:
        page.click("text=Versjon 1")
    download = info.value
    assert Path(download.path()).read_bytes() == old.read_bytes()
    assert download.suggested_filename.endswith(".docx")

    # The coordinator ends the county governor's membership from the network page
    page.goto(f"{live_server.url}/networks/overformynderi/")
    _shoot(page, shots, "network")
    page.click("a[aria-label='Avslutt eller endre perioden for Fylkesmannen i Vestfold']")
    page.fill("#id_end", "2019-12-31")
    _shoot(page, shots, "membership-period")
    page.click("form.nw-form button[type=submit]")
    page.wait_for_selector("text=Deltakelsen er lagret.")
    assert "2002 – 2019" in page.locator("#members-h + p + ul, #members-h ~ ul").first.inner_text()
    _shoot(page, shots, "network-after-end")
    page.goto(f"{live_server.url}/networks/")
    _shoot(page, shots, "list")
