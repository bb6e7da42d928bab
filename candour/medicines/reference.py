"""Reference data every trust starts with: the controlled drugs UK ambulance services commonly carry, with
their schedule under the Misuse of Drugs Regulations 2001 (STANDARDS.md §5, verified). Midazolam is
Schedule 3, which needs no register by law, but is registered here by default because many trusts register
it locally; a trust that does not changes `register_required`. The strengths and forms are typical
ambulance stock, not a national list: a trust adds its own."""

# (name, strength, form, unit counted, schedule, register required)
CONTROLLED_DRUGS = [
    ("Morphine sulfate", "10 mg in 1 ml", "ampoule", "ampoule", "2", True),
    ("Diamorphine hydrochloride", "5 mg", "ampoule", "ampoule", "2", True),
    ("Fentanyl", "100 micrograms in 2 ml", "ampoule", "ampoule", "2", True),
    ("Ketamine", "200 mg in 20 ml", "vial", "vial", "2", True),
    ("Midazolam", "10 mg in 2 ml", "oromucosal", "prefilled syringe", "3", True),
    ("Diazepam", "10 mg in 2 ml", "ampoule", "ampoule", "4-1", False),
]


def ensure_controlled_drugs(drug_model) -> None:
    """Create the drugs a trust starts with, leaving any the trust has changed as it left them (used by the
    data migration, the demo and tests)."""
    for name, strength, form, unit_name, schedule, register_required in CONTROLLED_DRUGS:
        drug_model.objects.get_or_create(
            name=name,
            strength=strength,
            form=form,
            defaults={"unit_name": unit_name, "schedule": schedule, "register_required": register_required},
        )
