"""Writes of the outbox: queueing messages with their event (``queue``), delivering them (``delivery``)."""
