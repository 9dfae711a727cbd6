"""Who is looking, and which schools they may see: the scope every core query filters by.

Deny by default: an unknown role, an adviser with no schools, a head whose URN is not a school all get an
empty scope, never everything. Only a director sees every school; only directors and advisers see
council-only information (risk assessments, notes on hours).
"""

from __future__ import annotations

from dataclasses import dataclass

from g2g_core.vocabulary import ROLES, Role  # noqa: F401 (re-exported)


@dataclass(frozen=True)
class Viewer:
    """A signed-in person as the core sees them: a role and the URNs in scope (None = every school)."""

    username: str
    role: str
    urns: frozenset[int] | None

    @property
    def all_schools(self) -> bool:
        """True only for a director."""
        return self.role == "director" and self.urns is None

    @property
    def sees_council_only(self) -> bool:
        """Whether council-only information (risk assessments, notes) may be shown."""
        return self.role in ("director", "adviser")

    @property
    def scope_key(self) -> str:
        """A stable key for caching results per scope."""
        if self.all_schools:
            return f"{self.role}:all"
        return f"{self.role}:" + ",".join(str(u) for u in sorted(self.urns or ()))

    def params(self) -> dict[str, object]:
        """The bound parameters of the scope macro `g2g_in_scope(x.urn, $scope_all, $scope_urns)` (g2g_core.store)."""
        return {"scope_all": self.all_schools, "scope_urns": sorted(self.urns or ())}

    def may_see(self, urn: int) -> bool:
        """Whether one school is in scope."""
        return self.all_schools or (self.urns is not None and urn in self.urns)

    @classmethod
    def system(cls) -> Viewer:
        """The command line's viewer: the whole portfolio, as a director."""
        return cls("system", "director", None)

    @classmethod
    def nobody(cls) -> Viewer:
        """A viewer who may see nothing."""
        return cls("anonymous", "none", frozenset())


def parse_urn(text: object) -> int | None:
    """A school's URN from text a person typed or an address carried (`?urn=`): None unless it is one.

    A URN is 1 to 9 ASCII digits, above zero. Anything else (spaces, other digits such as '¹' or '９', signs,
    lists, SQL) is None, never an exception.
    """
    if not isinstance(text, str):
        return None
    if not (1 <= len(text) <= 9 and text.isascii() and text.isdigit()):
        return None
    urn = int(text)
    return urn if urn > 0 else None


def viewer_for(store, username: str, role: str | None, urn: int | None = None) -> Viewer:
    """Build the viewer of an account from its role and the data: advisers get the schools attached to them."""
    if role == "director":
        return Viewer(username, "director", None)
    if role == "adviser":
        rows = store.sql("SELECT urn FROM schools WHERE adviser = $u", {"u": username})
        return Viewer(username, "adviser", frozenset(int(u) for u in rows["urn"]))
    if role in ("head", "governor"):
        if urn is None:
            return Viewer(username, role, frozenset())
        rows = store.sql("SELECT urn FROM schools WHERE urn = $urn", {"urn": int(urn)})
        return Viewer(username, role, frozenset(int(u) for u in rows["urn"]))
    return Viewer(username, role or "none", frozenset())
