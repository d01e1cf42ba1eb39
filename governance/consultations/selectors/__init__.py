"""Reads of consultations, one module per audience: the paper's audience and deadlines, respondents,
the secretariat, reminders and the committee's analysis."""
