from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from candour.core.demo import SCALES, build_demo
from candour.people.demo import DEMO_USERS, demo_email
from candour.people.models import OrgUnit


class Command(BaseCommand):
    help = "Build the fictional Northmoor Ambulance Service NHS Trust. Deterministic for a given seed."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if a trust already exists")
        parser.add_argument(
            "--snapshot-months",
            type=int,
            default=settings.CANDOUR_CHART_MONTHS,
            help="Months of measure snapshots to compute (default: the chart span)",
        )

    def handle(self, *args, seed, scale, if_empty, snapshot_months, **options):
        if OrgUnit.objects.exists():
            if not if_empty:
                raise CommandError("The database already has a trust. Use a fresh database for the demo.")
            self.stdout.write("The demo trust is already in the database.")
        else:
            self.stdout.write(f"Building the demo trust ({scale} scale, seed {seed}) ...")
            build_demo(seed=seed, scale=scale, snapshot_months=snapshot_months)
        self._print_sign_ins()

    def _print_sign_ins(self):
        self.stdout.write("\nDemo sign-ins (password: " + settings.CANDOUR_DEMO_PASSWORD + ")")
        for role, slug, _, _ in DEMO_USERS:
            self.stdout.write(f"  {role.label:<32} {demo_email(slug)}")
        self.stdout.write("")
