"""Who sees the fleet and its equipment, who records maintenance, and who may quarantine an asset.

The fleet lead looks after the whole register; operations and station managers see their own stations'
vehicles and equipment and may take an unsafe item out of use there. Quality leads and executives read.
Crews check their own station's vehicles at the start of each shift; the fleet lead clears the defects they
raise. Bariatric requests are recorded by the emergency operations centre, operations managers and the fleet
lead, and reviewed by the fleet lead and quality leads; whoever sees the fleet, and the EOC manager, sees
bariatric provision.
"""

from candour.people.roles import Role, grant

VIEW_FLEET = "fleet.view_fleet"
RECORD_MAINTENANCE = "fleet.record_maintenance"
QUARANTINE_ASSETS = "fleet.quarantine_assets"
CHECK_VEHICLES = "fleet.check_vehicles"
AUDIT_CLEANLINESS = "fleet.audit_cleanliness"
VIEW_BARIATRIC = "fleet.view_bariatric"
RECORD_BARIATRIC = "fleet.record_bariatric"
REVIEW_BARIATRIC = "fleet.review_bariatric"


def grant_permissions() -> None:
    grant(Role.FLEET_LEAD, VIEW_FLEET, RECORD_MAINTENANCE, QUARANTINE_ASSETS)
    grant(Role.OPERATIONS_MANAGER, VIEW_FLEET, QUARANTINE_ASSETS)
    for role in (Role.QUALITY_LEAD, Role.EXECUTIVE):
        grant(role, VIEW_FLEET)
    # Crews do the daily vehicle check of their own station's vehicles; their managers may too.
    for role in (Role.STAFF, Role.APPRENTICE, Role.LINE_MANAGER, Role.OPERATIONS_MANAGER, Role.FLEET_LEAD):
        grant(role, CHECK_VEHICLES)
    # Crews record cleans as they check vehicles (CHECK_VEHICLES); cleanliness audits are done by the fleet
    # lead, operations managers and quality leads, of their own stations and their vehicles.
    for role in (Role.FLEET_LEAD, Role.OPERATIONS_MANAGER, Role.QUALITY_LEAD):
        grant(role, AUDIT_CLEANLINESS)
    for role in (
        Role.FLEET_LEAD,
        Role.OPERATIONS_MANAGER,
        Role.QUALITY_LEAD,
        Role.EXECUTIVE,
        Role.EOC_MANAGER,
    ):
        grant(role, VIEW_BARIATRIC)
    for role in (Role.FLEET_LEAD, Role.OPERATIONS_MANAGER, Role.EOC_MANAGER):
        grant(role, RECORD_BARIATRIC)
    for role in (Role.FLEET_LEAD, Role.QUALITY_LEAD):
        grant(role, REVIEW_BARIATRIC)
