"""Reference data every trust starts with: the CQC core services of an ambulance trust (STANDARDS.md §2)."""

CORE_SERVICES = [
    (
        "emergency-urgent-care",
        "Emergency and urgent care",
        "Emergency and urgent care on scene and on the road",
    ),
    (
        "emergency-operations-centre",
        "Emergency operations centre",
        "999 call handling and dispatch, including resilience, HART and major incidents",
    ),
    ("nhs-111", "NHS 111", "NHS 111 call handling and clinical assessment, rated as its own location"),
    ("patient-transport", "Patient transport", "Non-emergency patient transport"),
]


def ensure_core_services(core_service_model) -> None:
    """Create or refresh the core services (used by the data migration and the demo)."""
    for slug, name, description in CORE_SERVICES:
        core_service_model.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
