"""claimgraph: who said what, when, and where it was reported."""
