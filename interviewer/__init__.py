"""A mock interviewer for machine-learning roles."""
