"""The JSON API (django-ninja). OpenAPI at /api/docs. Apps add their routers here."""

from ninja import NinjaAPI

api = NinjaAPI(title="Samarbeid API", version="1", urls_namespace="api")


@api.get("/health", tags=["meta"])
def health(request):
    return {"status": "ok"}


api.add_router("/governance/", "governance.api.router")
api.add_router("/v1/", "portal.api.router")
api.add_router("/networks/", "networks.api.router")
