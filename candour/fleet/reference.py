"""Reference data the fleet app ships: the LOLER thorough examination intervals (STANDARDS.md §6, verified).

The Lifting Operations and Lifting Equipment Regulations 1998, regulation 9(3)(a): at least every 6 months
for equipment lifting people and for lifting accessories, at least every 12 months for other lifting
equipment (unless an examination scheme says otherwise, which may only be shorter here).
"""

LOLER_INTERVALS = {"lifts_people": 6, "accessory": 6, "other": 12}


def ensure_loler_intervals(model) -> None:
    """Write the intervals (the model is passed in so a migration can use its historical one)."""
    for category, months in LOLER_INTERVALS.items():
        model.objects.update_or_create(category=category, defaults={"months": months})
