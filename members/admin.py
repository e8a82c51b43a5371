from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from members import models

for model in (
    models.Municipality,
    models.MunicipalityEvent,
    models.Cooperation,
    models.Membership,
    models.KeyFigure,
    models.Organisation,
    models.Person,
    models.Position,
):
    admin.site.register(model, SimpleHistoryAdmin)
