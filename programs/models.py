"""Programme records for options A–F (§3, §4) arrive with their own issues."""
