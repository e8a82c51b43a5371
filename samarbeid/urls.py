import os

from django.contrib import admin
from django.urls import include, path

from projects import urls_overview
from samarbeid.api import api
from samarbeid.site import bench
from samarbeid.site import views as site_views

# The portfolio overviews, with the one municipality page that draws on governance as well.
overview_patterns = [
    *urls_overview.urlpatterns,
    path("municipalities/<str:number>/", site_views.municipality_detail, name="municipality"),
]

urlpatterns = [
    path("", site_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("projects/", include("projects.urls")),
    path("", include((overview_patterns, urls_overview.app_name))),
    path("governance/", include("governance.urls")),
    path("import/", include("importers.urls")),
    path("", include("samarbeid.common.urls")),  # history pages and the trash
    # The open-data API's companions: API tokens, Atom feeds, the bulk download.
    path("", include("portal.urls_api")),
    # The public portal (/portal/…) and the widget for the members' websites (/embed/…).
    path("", include("portal.urls")),
    # Public hearings (/portal/hearings/…, /embed/hearings/…) and the officer's desk.
    path("", include("hearings.urls")),
    path("networks/", include("networks.urls")),
    path("reports/", include("reports.urls")),
]

# A database outage outside a view is a 503 with the friendly page, not a 500.
handler500 = "samarbeid.common.middleware.server_error"

admin.site.site_header = "Samarbeid"
admin.site.site_title = "Samarbeid"
# The registry has many models; the list pages need the width more than a side menu.
admin.site.enable_nav_sidebar = False
# Uploaded files are never served from MEDIA_URL, not even with DEBUG on: only through
# views that check who may see them (projects:deliverable_file, governance:document).

if os.environ.get("SAMARBEID_BENCH") == "1":  # bench/run.sh: the bare view it measures against
    urlpatterns.append(path("bench/bare/", bench.bare))
