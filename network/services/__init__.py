"""Writes of the network app: one module per domain (membership, pledges, invitations, imports)."""
