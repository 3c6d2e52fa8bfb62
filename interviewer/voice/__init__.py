"""Voices turn the engine's moves into words: built-in templates offline, or a language model."""
