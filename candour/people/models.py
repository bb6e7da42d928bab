"""Trust structure, people, users and the roles they hold where."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from candour.core.base import BaseModel
from candour.core.encryption import EncryptedTextField
from candour.people.roles import Role


class OrgUnitQuerySet(models.QuerySet):
    """The tree is trust → area → station, three levels at most: every walk of it is one of these."""

    def trust(self) -> OrgUnit | None:
        return self.filter(kind=OrgUnit.Kind.TRUST).first()

    def under(self, *units: OrgUnit | int) -> OrgUnitQuerySet:
        """The units given and every unit below them."""
        ids = [getattr(unit, "pk", unit) for unit in units]
        return self.filter(Q(pk__in=ids) | Q(parent_id__in=ids) | Q(parent__parent_id__in=ids))

    def stations_under(self, *units: OrgUnit | int) -> OrgUnitQuerySet:
        """The stations at or below the units given."""
        return self.under(*units).filter(kind=OrgUnit.Kind.STATION)

    def above(self, unit: OrgUnit | int) -> OrgUnitQuerySet:
        """The unit and every unit it sits under, up to the trust."""
        unit_id = getattr(unit, "pk", unit)
        return self.filter(
            Q(pk=unit_id) | Q(children__pk=unit_id) | Q(children__children__pk=unit_id)
        ).distinct()


class OrgUnit(BaseModel):
    """One node of the trust's structure: the trust, an area, or a station."""

    class Kind(models.TextChoices):
        TRUST = "trust", "Trust"
        AREA = "area", "Area"
        STATION = "station", "Station"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=120)
    code = models.CharField(max_length=20, unique=True, help_text="ODS or local code")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="trust", parent__isnull=True) | (~Q(kind="trust") & Q(parent__isnull=False)),
                name="orgunit_only_trust_is_root",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def access_unit(self) -> OrgUnit:
        return self

    @property
    def trust(self) -> OrgUnit:
        """The trust this unit belongs to (itself, for the trust)."""
        unit = self
        while unit.parent_id is not None:
            unit = unit.parent
        return unit

    @property
    def lineage_ids(self) -> list[int]:
        """This unit's id and those of the units above it, nearest first."""
        ids, unit = [self.pk], self
        while unit.parent_id is not None:
            ids.append(unit.parent_id)
            unit = unit.parent
        return ids


class CoreService(BaseModel):
    """A CQC core service of an ambulance trust (reference data)."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=40, unique=True)
    description = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProfessionalGroup(models.TextChoices):
    """Staff groups as used in the National Guardian's Office returns and NHS workforce data."""

    ALLIED_HEALTH = "allied_health", "Allied health professionals (incl. paramedics)"
    NURSING = "nursing", "Registered nurses and midwives"
    MEDICAL = "medical", "Medical and dental"
    ADDITIONAL_CLINICAL = "additional_clinical", "Additional clinical services"
    ADMIN_CLERICAL = "admin_clerical", "Administrative and clerical"
    ESTATES_ANCILLARY = "estates_ancillary", "Estates and ancillary"
    MANAGERS = "managers", "Managers and senior leaders"
    STUDENTS = "students", "Students and apprentices"


class JobRole(BaseModel):
    """A job role (reference data). Training requirements and reports hang from it."""

    name = models.CharField(max_length=120, unique=True)
    code = models.SlugField(max_length=40, unique=True)
    professional_group = models.CharField(max_length=32, choices=ProfessionalGroup.choices)
    is_clinical = models.BooleanField(default=False, help_text="Has patient contact as a clinician")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(models.QuerySet):
    def employed_on(self, day: dt.date) -> PersonQuerySet:
        return self.filter(start_date__lte=day).filter(Q(leave_date__isnull=True) | Q(leave_date__gt=day))

    def current(self) -> PersonQuerySet:
        return self.employed_on(timezone.localdate())

    def for_scope(self, scope) -> PersonQuerySet:
        return self.filter(station_id__in=scope.station_ids)


class Person(BaseModel):
    """Someone who works for the trust, whether or not they sign in."""

    staff_number = models.CharField(max_length=20, unique=True)
    given_name = models.CharField(max_length=80)
    family_name = models.CharField(max_length=80)
    job_role = models.ForeignKey(JobRole, on_delete=models.PROTECT, related_name="people")
    station = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="people",
        limit_choices_to={"kind": OrgUnit.Kind.STATION},
    )
    core_service = models.ForeignKey(CoreService, null=True, blank=True, on_delete=models.PROTECT)
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_reports"
    )
    start_date = models.DateField()
    leave_date = models.DateField(null=True, blank=True)
    is_apprentice = models.BooleanField(default=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["station", "leave_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(leave_date__isnull=True) | Q(leave_date__gte=models.F("start_date")),
                name="person_leaves_after_starting",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def professional_group(self) -> str:
        return self.job_role.professional_group

    @property
    def access_unit(self) -> OrgUnit:
        return self.station


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser, BaseModel):
    """A sign-in. Linked to the Person it belongs to; roles come from Memberships."""

    email = models.EmailField(unique=True)
    person = models.OneToOneField(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="user"
    )
    is_active = models.BooleanField(default=True)
    failed_sign_ins = models.PositiveSmallIntegerField(
        default=0, help_text="Wrong passwords and second-factor codes since the last pause or sign-in"
    )
    last_failed_sign_in_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    lockouts = models.PositiveSmallIntegerField(
        default=0, help_text="Pauses in a row without a successful sign-in: each is twice as long"
    )
    sign_in_generation = models.PositiveIntegerField(
        default=0, help_text="Raised to end every session the user has (a reset second factor, say)"
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.person.full_name if self.person_id else self.email

    @property
    def display_name(self) -> str:
        return str(self)

    # Django admin asks these; the access policy answers.
    @property
    def is_staff(self) -> bool:
        from candour.people.access import can
        from candour.people.roles import Permission

        return can(self, Permission.MANAGE_REFERENCE_DATA)

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        return bool(self.locked_until and self.locked_until > (now or timezone.now()))

    def _get_session_auth_hash(self, secret=None):
        # Django ends a user's sessions when the password changes; the generation ends them on demand too.
        return salted_hmac(
            "candour.people.User.session",
            f"{self.password}\x1f{self.sign_in_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def has_perm(self, perm, obj=None) -> bool:
        return self.is_staff

    def has_module_perms(self, app_label) -> bool:
        return self.is_staff


class MembershipQuerySet(models.QuerySet):
    def active_on(self, day: dt.date) -> MembershipQuerySet:
        return self.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=day))

    def active(self) -> MembershipQuerySet:
        return self.active_on(timezone.localdate())


class Membership(BaseModel):
    """A user holds a role over one organisation unit and everything below it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class TwoFactorDevice(BaseModel):
    """A user's authenticator app (TOTP). The shared secret is encrypted at rest."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="two_factor_device")
    secret = EncryptedTextField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(default=0, help_text="Stops a code being used twice")

    def __str__(self) -> str:
        return f"Authenticator for {self.user}"


class RecoveryCode(BaseModel):
    """One single-use code for the second factor when the authenticator app is lost. Only a hash is kept:
    the codes are shown once, when they are made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Recovery code for {self.user}"
