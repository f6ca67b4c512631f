"""Who is acting: a person's name and their role in the deployment."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    MEMBER = "member"
    AUDITOR = "auditor"
    INTEGRATOR = "integrator"


WRITING_ROLES = {Role.ADMIN.value, Role.MEMBER.value}


@dataclass(frozen=True)
class Actor:
    name: str
    role: str = Role.MEMBER.value

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN.value

    @property
    def may_write(self) -> bool:
        return self.role in WRITING_ROLES
