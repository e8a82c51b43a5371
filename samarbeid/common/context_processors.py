from django.conf import settings

from samarbeid.common.permissions import is_secretariat


def site(request):
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": "Samarbeid",
        "is_secretariat": is_secretariat(user),
        "LANGUAGES": settings.LANGUAGES,
    }
