"""Training subjects every trust starts with (STANDARDS.md §4). Refresher periods marked [R] there are
defaults only: each trust edits them in the admin. Hours are set only where the intercollegiate
documents set them."""

from decimal import Decimal

# (code, name, group, level, refresher months, required hours or None)
SUBJECTS = [
    ("cstf-equality", "Equality, diversity and human rights", "core_skills", None, 36, None),
    ("cstf-health-safety", "Health, safety and welfare", "core_skills", None, 36, None),
    ("cstf-conflict", "Conflict resolution", "core_skills", None, 36, None),
    ("cstf-fire", "Fire safety", "core_skills", None, 24, None),
    ("cstf-ipc-1", "Infection prevention and control level 1", "core_skills", 1, 36, None),
    ("cstf-ipc-2", "Infection prevention and control level 2", "core_skills", 2, 12, None),
    ("cstf-moving-handling-2", "Moving and handling level 2", "core_skills", 2, 24, None),
    ("cstf-resuscitation", "Resuscitation", "core_skills", None, 12, None),
    (
        "cstf-information-governance",
        "Information governance and data security",
        "core_skills",
        None,
        12,
        None,
    ),
    ("sg-children-1", "Safeguarding children level 1", "safeguarding_children", 1, 36, None),
    ("sg-children-2", "Safeguarding children level 2", "safeguarding_children", 2, 36, None),
    ("sg-children-3", "Safeguarding children level 3", "safeguarding_children", 3, 36, Decimal("12")),
    ("sg-children-4", "Safeguarding children level 4", "safeguarding_children", 4, 36, None),
    ("sg-children-5", "Safeguarding children level 5", "safeguarding_children", 5, 36, None),
    ("sg-adults-1", "Safeguarding adults level 1", "safeguarding_adults", 1, 36, Decimal("2")),
    ("sg-adults-2", "Safeguarding adults level 2", "safeguarding_adults", 2, 36, Decimal("3")),
    ("sg-adults-3", "Safeguarding adults level 3", "safeguarding_adults", 3, 36, Decimal("8")),
    ("sg-adults-4", "Safeguarding adults level 4", "safeguarding_adults", 4, 36, None),
    ("sg-adults-5", "Safeguarding adults level 5", "safeguarding_adults", 5, 36, None),
    ("prevent-awareness", "Prevent basic awareness", "prevent", 1, 36, None),
    ("prevent-3", "Prevent level 3", "prevent", 3, 36, None),
]


def ensure_subjects(subject_model) -> None:
    """Create any missing subject; never overwrite a trust's own refresher periods."""
    for order, (code, name, group, level, months, hours) in enumerate(SUBJECTS):
        subject_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "group": group,
                "level": level,
                "refresher_months": months,
                "required_hours": hours,
                "display_order": order,
            },
        )
