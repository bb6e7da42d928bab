"""The API's documentation page, read from its own OpenAPI document and served by Candour (no CDN)."""

import json

from django.shortcuts import render

from candour.api.endpoints import api
from candour.core.decorators import read_only

METHODS = ("get", "post", "put", "patch", "delete")


@read_only
def show_api_docs(request):
    schema = api.get_openapi_schema()
    operations = [
        {
            "method": method.upper(),
            "path": path,
            "id": operation.get("operationId", ""),
            "summary": operation.get("summary", ""),
            "description": operation.get("description", ""),
            "parameters": operation.get("parameters", []),
            "example": _request_example(operation),
            "responses": [
                {
                    "status": status,
                    "description": response.get("description", ""),
                    "types": list(response.get("content", {})),
                }
                for status, response in operation.get("responses", {}).items()
            ],
        }
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if method in METHODS
    ]
    return render(
        request,
        "api/show_api_docs.jinja",
        {
            "schema": schema,
            "operations": operations,
            "openapi_url": request.build_absolute_uri("/api/v1/openapi.json"),
        },
    )


def _request_example(operation) -> str:
    example = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("example")
    return json.dumps(example, indent=2) if example else ""
