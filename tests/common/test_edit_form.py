"""The edit form governance and networks share (common/_edit_form.html): in Norwegian, in
each app's styles, with a way back."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.projects.test_overview_data import vestfold


@pytest.mark.parametrize(
    ("url", "form_class", "actions_class"),
    [
        ("governance:case_new", "card gov-form gov-edit", "gov-actions"),
        ("networks:programme_new", "card nw-form", "nw-actions"),
    ],
)
def test_both_apps_edit_forms_render_the_shared_form_in_norwegian(
    secretariat_client, url, form_class, actions_class
):
    vestfold()
    secretariat_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    response = secretariat_client.get(reverse(url))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<form method="post" class="{form_class}"' in html
    assert (
        f'<div class="{actions_class}"><button class="btn primary" type="submit">Lagre</button>'
        in html
    )
    assert "← Tilbake</a>" in html and ">Avbryt</a>" in html
    for english in (">Save<", ">Cancel<", "← Back<"):
        assert english not in html
