import json
from pathlib import Path

from django.conf import settings

from projects.override_notes import OVERRIDE_NOTES


def test_every_note_of_the_overrides_file_is_marked_for_translation():
    data = json.loads(Path(settings.MUNICIPALITY_OVERRIDES_FILE).read_text(encoding="utf-8"))
    notes = {o["note"] for o in data["overrides"] if o.get("note")}
    assert set(OVERRIDE_NOTES) == notes
