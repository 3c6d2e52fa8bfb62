"""Offline grading helpers: compare candidate answers with rubric concepts."""
