"""The interview engine: state and pure transitions; the rubric decides, the voice only phrases."""
