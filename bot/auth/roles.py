"""Who may do what: the roles of ministry API keys, in one table.

- **author** writes alerts and submits them;
- **approver** approves (or cancels) what authors submit, and may write too;
- **admin** can do everything for their ministry but answer citizens in the inbox;
- **analyst** reads everything (all ministries) and writes nothing;
- **reporter** is a partner application (an Open311 client) that files concerns for citizens and
  reads nothing beyond what the public may read;
- **agent** is a person answering citizens handed over by the assistant: their key opens the inbox of
  the desks it names (``Actor.desks``) and nothing else of the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Role(str, Enum):
    """The role an API key carries."""

    AUTHOR = "author"
    APPROVER = "approver"
    ADMIN = "admin"
    ANALYST = "analyst"
    REPORTER = "reporter"
    AGENT = "agent"


class Permission(str, Enum):
    """Something a key may be allowed to do."""

    READ = "read"
    WRITE = "write"  #: create, update, submit
    APPROVE = "approve"
    CANCEL = "cancel"
    READ_ALL_MINISTRIES = "read_all_ministries"
    FILE_CONCERNS = "file_concerns"  #: file concerns on a citizen's behalf (Open311)
    ANSWER_CITIZENS = "answer_citizens"  #: the handoff inbox of the key's desks


PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.AUTHOR: frozenset({Permission.READ, Permission.WRITE, Permission.CANCEL}),
    Role.APPROVER: frozenset({Permission.READ, Permission.WRITE, Permission.APPROVE, Permission.CANCEL}),
    Role.ADMIN: frozenset(
        {Permission.READ, Permission.WRITE, Permission.APPROVE, Permission.CANCEL, Permission.FILE_CONCERNS}
    ),
    Role.ANALYST: frozenset({Permission.READ, Permission.READ_ALL_MINISTRIES}),
    Role.REPORTER: frozenset({Permission.FILE_CONCERNS}),
    Role.AGENT: frozenset({Permission.ANSWER_CITIZENS}),
}


class Forbidden(PermissionError):
    """Something the key's role or ministry does not allow (HTTP 403); each feature has its own."""


@dataclass(frozen=True)
class Actor:
    """The holder of an API key, as the services see them."""

    key_id: str
    ministry: str
    role: Role
    name: str = ""
    #: The person who holds the key (one person may hold several keys); "" for keys issued before.
    person: str = ""
    #: The handoff desks an agent's key answers for (empty for every other role).
    desks: frozenset[str] = frozenset()

    @property
    def person_id(self) -> str:
        """Who this is for the two-person rule: the key's person, or the key itself when unnamed."""
        return self.person or f"key:{self.key_id}"

    def may(self, permission: Permission) -> bool:
        """Whether this actor's role carries ``permission``."""
        return permission in PERMISSIONS[self.role]

    def may_see(self, ministry: str) -> bool:
        """Whether this actor may read a ministry's records."""
        return self.ministry == ministry or self.may(Permission.READ_ALL_MINISTRIES)
