"""The ORM models, one module per object; importing this package registers them all."""

from claimgraph.db.models.actor import Actor, Role, role_evidence
from claimgraph.db.models.agreement import (
    Agreement,
    AgreementTerm,
    agreement_parties,
    term_evidence,
)
from claimgraph.db.models.api_key import ApiKey
from claimgraph.db.models.base import Base
from claimgraph.db.models.change import Change, ChangeKind
from claimgraph.db.models.deployment import Deployment, deployment_partners
from claimgraph.db.models.enums import (
    ActorKind,
    AgreementStatus,
    KeyScope,
    RelationKind,
    SourceKind,
    StatementMode,
    StatementStatus,
)
from claimgraph.db.models.event import Event, event_participants
from claimgraph.db.models.idempotency import IdempotencyKey
from claimgraph.db.models.revision import Revision
from claimgraph.db.models.source import Source, source_contributors
from claimgraph.db.models.statement import (
    Statement,
    StatementRelation,
    statement_agreements,
    statement_deployments,
    statement_events,
    statement_mentions,
)

__all__ = [
    "Actor",
    "ActorKind",
    "Agreement",
    "AgreementStatus",
    "AgreementTerm",
    "ApiKey",
    "Base",
    "Change",
    "ChangeKind",
    "Deployment",
    "Event",
    "IdempotencyKey",
    "KeyScope",
    "RelationKind",
    "Revision",
    "Role",
    "Source",
    "SourceKind",
    "Statement",
    "StatementMode",
    "StatementRelation",
    "StatementStatus",
    "agreement_parties",
    "deployment_partners",
    "event_participants",
    "role_evidence",
    "source_contributors",
    "statement_agreements",
    "statement_deployments",
    "statement_events",
    "statement_mentions",
    "term_evidence",
]
