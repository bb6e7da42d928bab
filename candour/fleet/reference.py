"""Reference data the fleet app ships: the LOLER thorough examination intervals (STANDARDS.md §6, verified),
and the daily vehicle checklists.

The Lifting Operations and Lifting Equipment Regulations 1998, regulation 9(3)(a): at least every 6 months
for equipment lifting people and for lifting accessories, at least every 12 months for other lifting
equipment (unless an examination scheme says otherwise, which may only be shorter here).
"""

LOLER_INTERVALS = {"lifts_people": 6, "accessory": 6, "other": 12}


def ensure_loler_intervals(model) -> None:
    """Write the intervals (the model is passed in so a migration can use its historical one)."""
    for category, months in LOLER_INTERVALS.items():
        model.objects.update_or_create(category=category, defaults={"months": months})


# The vehicle daily inspection, per vehicle type: (section, question), each answered yes or no at the start
# of a shift. A trust replaces these with its own checklists; they are a sensible start, not a standard.
_VEHICLE = [
    ("vehicle", "Tyres, lights and indicators are in working order"),
    ("vehicle", "No warning lights show on the dashboard"),
    ("vehicle", "Fuel, oil and screen wash are at working levels"),
    ("vehicle", "Blue lights and sirens work"),
]
_DEFIB = ("equipment", "The defibrillator is present, passes its self-test and its pads are in date")
_POUCH = ("drugs", "The drugs pouch is sealed and its seal number matches the record")
_CLEAN = [("cleanliness", "The vehicle is clean and free of clutter at a glance")]
_PATIENT_AREA = [
    _DEFIB,
    ("equipment", "The stretcher and carry chair are present with no visible damage"),
    ("equipment", "Oxygen and suction are present and in date"),
    _POUCH,
    ("cleanliness", "The patient area is clean and the linen is fresh"),
]
CHECKLISTS = {
    "emergency_ambulance": [*_VEHICLE, *_PATIENT_AREA, *_CLEAN],
    "bariatric": [
        *_VEHICLE,
        *_PATIENT_AREA,
        ("equipment", "The bariatric stretcher, ramp and winch are present with no visible damage"),
        *_CLEAN,
    ],
    "patient_transport": [
        *_VEHICLE[:3],
        ("equipment", "Wheelchair restraints and the tail-lift work and show no damage"),
        ("cleanliness", "Seats and the patient area are clean"),
        *_CLEAN,
    ],
    "rapid_response_car": [
        *_VEHICLE,
        _DEFIB,
        ("equipment", "The response bag and oxygen are present and in date"),
        _POUCH,
        *_CLEAN,
    ],
    "hart": [*_VEHICLE, ("equipment", "The HART kit is present, sealed and in date"), _POUCH, *_CLEAN],
}


def ensure_checklists(model) -> None:
    """Write the checklists where a vehicle type has none yet (a trust's own are kept)."""
    for vehicle_type, items in CHECKLISTS.items():
        if model.objects.filter(vehicle_type=vehicle_type).exists():
            continue
        model.objects.bulk_create(
            model(vehicle_type=vehicle_type, position=position, section=section, text=text)
            for position, (section, text) in enumerate(items, start=1)
        )
