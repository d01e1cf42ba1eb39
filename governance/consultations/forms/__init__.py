"""Forms of the governance app, one module per area. Forms only validate."""
