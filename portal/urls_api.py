"""URLs of the API's companions: the token page, the Atom feeds and the bulk download.
Included at the root from samarbeid/urls.py (namespace `portal_api`)."""

from django.urls import path

from portal import bulk, feeds, token_views

app_name = "portal_api"

urlpatterns = [
    path("account/api-tokens/", token_views.token_list, name="tokens"),
    path("account/api-tokens/<int:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
    path("data/samarbeid.zip", bulk.download, name="bulk"),
    path("data/datapackage.json", bulk.datapackage, name="datapackage"),
    path(
        "feeds/<str:scope>/<str:key>/<str:kind>.atom",
        feeds.feed_view,
        name="feed",
    ),
]
