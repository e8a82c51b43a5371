"""The notes of data/municipality-overrides.json, marked for translation.

The municipality page shows them through `{% translate e.note %}`. Marking them here keeps
`make messages` from dropping their Norwegian; a test keeps this list equal to the file.
"""

from django.utils.translation import gettext_noop

OVERRIDE_NOTES = (
    gettext_noop(
        "Borre was renamed Horten on 1 June 2002. SSB records changes on 1 January only "
        "and dates the rename 2003-01-01."
    ),
    gettext_noop(
        "Boundary adjustment, not a succession: the Vear area (about 3 km², about 2,200 "
        "people) moved from Stokke to Tønsberg when Stokke, Andebu and Sandefjord merged "
        "into Sandefjord (0710). Tønsberg 0704 continues unchanged; Stokke's successor is"
        " Sandefjord. SSB's change table lists 0720 Stokke -> 0704 Tønsberg and a "
        "self-row 0704 Tønsberg -> 0704 Tønsberg for this."
    ),
    gettext_noop(
        "Boundary adjustment, not a succession: the Mulvika area moved from Re to "
        "Holmestrand when Re and Tønsberg merged into Tønsberg (3803). Re's successor is "
        "Tønsberg."
    ),
)
