"""Endpoints that answer in JSON or, asked with `Accept: text/csv`, in CSV: both documented as the 200."""

from __future__ import annotations

from ninja import Schema

CSV = "text/csv"


def wants_csv(request) -> bool:
    return CSV in request.headers.get("Accept", "")


def json_or_csv(schema: type[Schema]) -> dict:
    """`openapi_extra` for the 200 answer: ninja's JSON schema of `schema`, and CSV beside it."""
    return {
        "responses": {
            "200": {
                "description": "OK",
                "content": {
                    "application/json": {"schema": {"$ref": f"#/components/schemas/{schema.__name__}"}},
                    CSV: {"schema": {"type": "string"}},
                },
            }
        }
    }
