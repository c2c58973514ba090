"""The data room: settings, engine and sessions, ORM models and query functions.

Imports neither ``claimgraph.api`` nor ``claimgraph.seed``.
"""
