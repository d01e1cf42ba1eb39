"""Writes of bodies, seats and terms (``bodies``, ``seats``) and the composition checker (``composition``)."""
