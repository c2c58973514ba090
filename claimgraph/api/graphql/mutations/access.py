"""Who may write: API keys carry a scope (READ, EDIT, ADMIN); every mutation names the scope
it needs. Without a key, UNAUTHENTICATED; with too small a scope, FORBIDDEN (top-level
errors: the request, not its input, is at fault)."""

from __future__ import annotations

from claimgraph.api.errors import ClientError
from claimgraph.api.state import RequestState
from claimgraph.db.models import KeyScope

_RANK = {KeyScope.READ: 0, KeyScope.EDIT: 1, KeyScope.ADMIN: 2}


def require(state: RequestState, scope: KeyScope, mutation: str) -> str:
    """The editor's name (the key's) if the request may run ``mutation``, else the error."""
    if state.scope is None or state.key_name is None:
        raise ClientError(
            f"{mutation} needs an API key with the {scope.value} scope: send it as "
            "`Authorization: Bearer <key>` (claimgraph keys create --scope edit).",
            code="UNAUTHENTICATED",
        )
    if _RANK[state.scope] < _RANK[scope]:
        raise ClientError(
            f"{mutation} needs the {scope.value} scope; the key {state.key_name!r} has "
            f"{state.scope.value}.",
            code="FORBIDDEN",
        )
    return state.key_name
