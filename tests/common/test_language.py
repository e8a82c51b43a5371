"""Plain Norwegian: every catalogue is complete, every page of the demo renders in bokmål
without a msgid left untranslated or English words showing, and the error pages are in the
site's frame and language."""

import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import trans_real

ROOT = Path(settings.BASE_DIR)
CATALOGUES = sorted(p for p in ROOT.glob("**/locale/*/LC_MESSAGES/*.po") if ".venv" not in p.parts)


def _po_entries(path: Path):
    """A small .po parser: yields (flags, msgid, {msgstr key: text}) per entry."""
    flags: list[str] = []
    msgid = None
    strs: dict[str, str] = {}
    current = None

    def unquote(s: str) -> str:
        return s.strip()[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")

    def flush():
        if msgid is not None:
            yield flags, msgid, strs

    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            yield from flush()
            flags, msgid, strs, current = [], None, {}, None
        elif line.startswith("#,"):
            flags += [f.strip() for f in line[2:].split(",")]
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid "):
            msgid, current = unquote(line[6:]), "msgid"
        elif line.startswith("msgid_plural "):
            current = "msgid_plural"
        elif line.startswith("msgstr"):
            key, _, rest = line.partition(" ")
            strs[key] = unquote(rest)
            current = key
        elif line.startswith('"') and current:
            if current == "msgid":
                msgid += unquote(line)
            elif current.startswith("msgstr"):
                strs[current] += unquote(line)


def test_the_catalogues_are_found():
    apps = {p.relative_to(ROOT).parts[0] for p in CATALOGUES}
    assert {"members", "projects", "governance", "importers", "samarbeid"} <= apps


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_catalogue_entry_is_translated_and_not_fuzzy(path):
    problems = []
    for flags, msgid, strs in _po_entries(path):
        if not msgid:
            continue  # the header
        if "fuzzy" in flags:
            problems.append(f"fuzzy: {msgid!r}")
        if not strs or any(not text for text in strs.values()):
            problems.append(f"empty msgstr: {msgid!r}")
    assert not problems, f"{path.relative_to(ROOT)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_catalogue_is_compiled(path):
    mo = path.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: msgfmt -o {mo.name} {path.name}"
    assert mo.stat().st_mtime >= path.stat().st_mtime - 1, f"{mo} is older than {path}"


# --- every page in bokmål ----------------------------------------------------------------

SKIP_PREFIXES = ("admin/", "api/", "i18n/", "^media/", "accounts/logout/")
# Words that are English and never Norwegian; a page showing one has text left untranslated.
ENGLISH = re.compile(
    r"\b(the|and|with|without|of|waiting|pending|approved|rejected|declined|created|changed|"
    r"updated|deleted|added|removed|project|projects|case|cases|municipality|municipalities|"
    r"decision|decisions|referral|referrals|meeting|meetings|members|member|none|yes|no|"
    r"unknown|since|until|today|grant|grants|total|history|search|sign in|sign out|"
    r"save|cancel|edit|new|back|next|previous|page|overview|was|were|is|when|moved|renamed|"
    r"merged|successor|boundary)\b",
    re.IGNORECASE,
)
# One of something takes the singular: "1 sak", not "1 saker".
ONE_PLURAL = re.compile(
    r"(?<![\d.,])\b1 (saker|prosjekter|kommuner|medlemmer|deltakere|dokumenter|møter|rader|"
    r"kommunestyrer|oversendelser|endringer|tilskudd beløp)\b"
)
DOUBLED = re.compile(r"\b([a-zæøå]{3,}) \1\b")


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            for sub_route, name in _patterns(entry, route):
                yield sub_route, f"{ns}:{name}" if ns and name else name
        elif isinstance(entry, URLPattern) and entry.name:
            yield route, entry.name


def _visible_text(body: str) -> str:
    # Code to copy (the portal's widget snippet, addresses) is not prose to translate.
    body = re.sub(r"(?is)<(script|style|svg|select|textarea|code)\b.*?</\1>", " ", body)
    body = re.sub(r"(?is)<!--.*?-->", " ", body)
    # A cell, item or paragraph ends a run of words: two cells may say the same word.
    body = re.sub(r"(?i)</?(td|th|li|p|div|dd|dt|h[1-6]|option|br|tr)\b[^>]*>", " | ", body)
    body = re.sub(r"(?s)<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html.unescape(body))


class Recorder:
    """Wraps gettext and ngettext and keeps every msgid asked for in bokmål."""

    def __init__(self, monkeypatch):
        self.msgids: set[str] = set()
        self.plurals: set[str] = set()
        self._gettext = trans_real.gettext
        self._ngettext = trans_real.ngettext
        for module in (trans_real, translation._trans):
            monkeypatch.setattr(module, "gettext", self.gettext, raising=False)
            monkeypatch.setattr(module, "ngettext", self.ngettext, raising=False)

    def gettext(self, message):
        if translation.get_language() == "nb" and message:
            self.msgids.add(str(message))
        return self._gettext(message)

    def ngettext(self, singular, plural, number):
        if translation.get_language() == "nb":
            self.plurals.add(str(singular))
        return self._ngettext(singular, plural, number)

    def missing(self) -> list[str]:
        catalog = trans_real.translation("nb")._catalog
        out = [m for m in self.msgids if m not in catalog and trans_real.CONTEXT_SEPARATOR not in m]
        out += [m for m in self.plurals if (m, 0) not in catalog and m not in catalog]
        return sorted(out)


def _demo_kwargs(user):
    from governance.models import Case, CaseDocument, CouncilDecision, Meeting, Referral
    from hearings.models import Hearing
    from members.models import Municipality
    from projects.models import Project

    def pk(model):
        obj = model.objects.order_by("pk").first()
        return obj.pk if obj else None

    project = Project.objects.order_by("pk").first()
    number = "3905" if Municipality.objects.filter(number="3905").exists() else None
    by_name = {
        "governance:case": pk(Case),
        "governance:case_edit": pk(Case),
        "governance:case_document_add": pk(Case),
        "governance:case_refer": pk(Case),
        "governance:document": pk(CaseDocument),
        "governance:referral_close": pk(Referral),
        "governance:referral_establish": pk(Referral),
        "governance:decision": pk(CouncilDecision),
        "governance:meeting": pk(Meeting),
        "governance:meeting_edit": pk(Meeting),
        "hearings:detail": pk(Hearing),
        "hearings:embed": pk(Hearing),
        "hearings:desk_hearing": pk(Hearing),
    }
    from members.models import Membership

    members = sorted(set(Membership.objects.values_list("municipality__number", flat=True)))
    return {
        "members": members,
        "slug": project.slug if project else None,
        "number": number or "3905",
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "by_name": by_name,
    }


def _url(route: str, name: str, values: dict) -> str | None:
    params = re.findall(r"<(?:\w+:)?(\w+)>", route)
    kwargs = {}
    for param in params:
        value = values["by_name"].get(name) if param == "pk" else values.get(param)
        if value is None:
            return None
        kwargs[param] = value
    return reverse(name, kwargs=kwargs)


@pytest.fixture
def demo(db, secretariat_user):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    secretariat_user.email = "sekretariat@example.no"
    secretariat_user.save()
    return secretariat_user


def test_every_page_renders_in_norwegian_without_untranslated_text(client, demo, monkeypatch):
    client.force_login(demo)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    recorder = Recorder(monkeypatch)
    values = _demo_kwargs(demo)
    seen, english, doubled, errors, urls, plural_one = [], [], [], [], [], []
    for number in values["members"]:
        urls.append(reverse("overview:municipality", args=[number]))
    for route, name in _patterns():
        if route.startswith(SKIP_PREFIXES):
            continue
        url = _url(route, name, values)
        if url is None:
            continue
        seen.append(url)
        urls.append(url)
    for url in urls:
        response = client.get(url, follow=True)
        if response.status_code >= 500:
            errors.append(f"{url}: {response.status_code}")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        text = _visible_text(response.content.decode())
        for match in ENGLISH.finditer(text):
            english.append(f"{url}: …{text[max(0, match.start() - 40) : match.end() + 40]}…")
        for match in ONE_PLURAL.finditer(text):
            plural_one.append(f"{url}: …{text[max(0, match.start() - 40) : match.end() + 40]}…")
        for match in DOUBLED.finditer(text):
            doubled.append(f"{url}: …{text[max(0, match.start() - 60) : match.end() + 60]}…")
    assert len(seen) >= 25, seen
    assert not errors, errors
    assert not recorder.missing(), "msgids without a Norwegian translation:\n" + "\n".join(
        recorder.missing()
    )
    assert not english, "English on Norwegian pages:\n" + "\n".join(english[:40])
    assert not doubled, "doubled words:\n" + "\n".join(doubled)
    assert not plural_one, "a plural after 1:\n" + "\n".join(plural_one)


@pytest.mark.parametrize(
    ("n", "expected"), [(1, "1 sak til behandling"), (2, "2 saker til behandling")]
)
def test_counts_on_the_front_page_take_singular_and_plural(n, expected):
    from django.template import Context, Template

    template = Template(
        "{% load i18n %}{{ n }} {% blocktranslate count n=n %}case referred to the councils, "
        "open{% plural %}cases referred to the councils, open{% endblocktranslate %}"
    )
    with translation.override("nb"):
        assert template.render(Context({"n": n})).startswith(expected)
    with translation.override("en"):
        assert ("cases" in template.render(Context({"n": n}))) == (n != 1)


def test_every_boundary_note_of_the_registry_has_a_norwegian_translation():
    import json

    data = json.loads(Path(settings.MUNICIPALITY_OVERRIDES_FILE).read_text(encoding="utf-8"))
    notes = [o["note"] for o in data["overrides"] if o.get("note")]
    assert notes
    with translation.override("nb"):
        untranslated = [n for n in notes if translation.gettext(n) == n]
    assert not untranslated, untranslated


# --- error pages and password reset ---------------------------------------------------------


@override_settings(DEBUG=False)
def test_unknown_address_gives_the_sites_404_in_norwegian(client, db):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Vi fant ikke den siden" in body
    assert 'class="topbar"' in body  # the site's frame
    assert f'href="{reverse("home")}"' in body and "Gå til forsiden" in body


@override_settings(DEBUG=False)
def test_403_is_in_the_sites_frame_with_a_way_back(rf, db):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = rf.get("/governance/cases/new/")
    request.user = AnonymousUser()
    with translation.override("nb"):
        response = permission_denied(request, PermissionDenied())
    body = response.content.decode()
    assert response.status_code == 403
    assert "Du har ikke tilgang til denne siden" in body
    assert "Gå til forsiden" in body and 'class="topbar"' in body


def test_500_is_in_the_sites_frame_with_a_way_back(rf):
    from django.views.defaults import server_error

    with translation.override("nb"):
        response = server_error(rf.get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "Noe gikk galt" in body and "Gå til forsiden" in body
    assert "samarbeid/site" in body and ".css" in body  # the site's stylesheet


def test_login_page_links_to_password_reset_and_reset_looks_like_the_site(client, db):
    login = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in login and "Glemt passordet?" in login
    page = client.get(reverse("password_reset")).content.decode()
    assert 'class="topbar"' in page and "Tilbakestill passordet" in page
    assert "Django" not in _visible_text(page)


def test_password_reset_sends_a_link_that_leads_to_a_new_password(client, db, django_user_model):
    from django.core import mail

    user = django_user_model.objects.create_user("kari", "kari@example.no", "gammelt-passord")
    response = client.post(reverse("password_reset"), {"email": "kari@example.no"}, follow=True)
    assert "Sjekk e-posten din" in response.content.decode()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Velg nytt passord" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"new_password1": "et-nytt-langt-passord-17", "new_password2": "et-nytt-langt-passord-17"},
        follow=True,
    )
    assert "Passordet er endret" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password("et-nytt-langt-passord-17")
