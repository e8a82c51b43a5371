"""The yardstick of bench/run.sh: the least a Django view can do, through the same
middleware, in the same gunicorn processes as the pages it is compared with.

Mounted at /bench/bare/ only when SAMARBEID_BENCH=1 (see samarbeid/urls.py).
"""

from django.http import HttpRequest, HttpResponse


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")
