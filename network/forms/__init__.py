"""Forms of the network app, one module per area. Forms only validate."""
