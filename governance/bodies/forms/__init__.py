"""Forms of the bodies app."""
