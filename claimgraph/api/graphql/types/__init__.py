"""The GraphQL types, one per module, each built from its row by ``from_row``."""
