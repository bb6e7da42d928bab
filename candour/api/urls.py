from django.urls import path

from candour.api.views import docs, integrations

app_name = "api"
urlpatterns = [
    path("api/v1/docs/", docs.show_api_docs, name="show_api_docs"),
    path("integrations/", integrations.list_integrations, name="list_integrations"),
    path("integrations/new/", integrations.create_integration, name="create_integration"),
    path("integrations/<uuid:integration_id>/", integrations.show_integration, name="show_integration"),
    path("integrations/<uuid:integration_id>/keys/new/", integrations.issue_key, name="issue_key"),
    path(
        "integrations/<uuid:integration_id>/keys/<uuid:key_id>/rotate/",
        integrations.rotate_key,
        name="rotate_key",
    ),
    path(
        "integrations/<uuid:integration_id>/keys/<uuid:key_id>/revoke/",
        integrations.revoke_key,
        name="revoke_key",
    ),
]
