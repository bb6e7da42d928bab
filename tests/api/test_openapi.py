"""The OpenAPI document and the page that reads it, both served by Candour itself."""

from django.test import Client

from candour.core.importing import feeds


def test_the_openapi_document_lists_every_feed_and_measures_operation(db):
    schema = Client().get("/api/v1/openapi.json").json()

    paths = set(schema["paths"])
    assert {f"/api/v1/feeds/{feed.path}" for feed in feeds.all_feeds()} <= paths
    assert {"/api/v1/measures", "/api/v1/measures/{measure_key}/series", "/api/v1/key"} <= paths
    assert {"/api/v1/exports/guardian-return", "/api/v1/exports/training-compliance"} <= paths
    assert schema["components"]["securitySchemes"]["KeyBearer"]["scheme"] == "bearer"


def test_every_refusal_is_documented_as_problem_details_with_an_example(db):
    schema = Client().get("/api/v1/openapi.json").json()

    for path, operations in schema["paths"].items():
        for operation in operations.values():
            refusals = {status: r for status, r in operation["responses"].items() if int(status) >= 400}
            assert refusals, path
            for response in refusals.values():
                problem = response["content"]["application/problem+json"]
                assert problem["schema"]["$ref"] == "#/components/schemas/Problem"
                assert problem["example"]["status"]


def test_an_answer_in_json_or_csv_documents_both_and_the_jsons_shape(db):
    schema = Client().get("/api/v1/openapi.json").json()

    for path in (
        "/api/v1/measures/{measure_key}/series",
        "/api/v1/exports/guardian-return",
        "/api/v1/exports/training-compliance",
    ):
        answer = schema["paths"][path]["get"]["responses"]["200"]["content"]
        shape = answer["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        assert shape in schema["components"]["schemas"], path
        assert answer["text/csv"]["schema"] == {"type": "string"}, path


def test_a_feeds_example_body_has_its_columns(db):
    schema = Client().get("/api/v1/openapi.json").json()

    for feed in feeds.all_feeds():
        body = schema["paths"][f"/api/v1/feeds/{feed.path}"]["post"]["requestBody"]["content"]
        assert list(body["application/json"]["example"]["rows"][0]) == list(feed.columns)


def test_the_docs_page_is_served_here_and_names_every_operation(db):
    page = Client().get("/api/v1/docs/")

    assert page.status_code == 200
    text = page.content.decode()
    for path in ("/api/v1/feeds/training-records", "/api/v1/submissions/{submission_id}", "/api/v1/measures"):
        assert path in text
    assert "cdn" not in text.lower() and "swagger" not in text.lower()
