"""JSON bodies kept in the cache by the signed-in API lists (governance's referrals,
networks' documents): encoded once, answered as bytes on every hit."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from ninja import Schema
from ninja.responses import NinjaJSONEncoder


def encode(schema: type[Schema], data: Any) -> bytes:
    """`data` checked against `schema` and encoded as Ninja would answer it."""
    return json.dumps(schema.model_validate(data).model_dump(), cls=NinjaJSONEncoder).encode()


def json_response(body: bytes) -> HttpResponse:
    return HttpResponse(body, content_type="application/json; charset=utf-8")
