"""The fleet's feeds (docs/feeds/fleet.md): the asset register, maintenance history and odometer readings,
each through the importer framework, from a file (a management command) or as rows through the API."""

from candour.fleet.importers.history import import_maintenance_history
from candour.fleet.importers.odometer import import_odometer_readings
from candour.fleet.importers.register import import_asset_register

__all__ = ["import_asset_register", "import_maintenance_history", "import_odometer_readings"]
