"""The hashes the app really makes: the other account tests use cheap ones (cheap_password_hashes)."""

from __future__ import annotations

from argon2 import extract_parameters
from argon2.profiles import RFC_9106_LOW_MEMORY

from interviewer.accounts import passwords


def test_passwords_are_hashed_with_argon2id_and_rfc_9106_low_memory_parameters() -> None:
    assert extract_parameters(passwords.hash_password("correct horse battery")) == RFC_9106_LOW_MEMORY
    assert RFC_9106_LOW_MEMORY.type.name == "ID" and RFC_9106_LOW_MEMORY.memory_cost == 64 * 1024
    # The decoy checked for unknown names costs what a real hash does, so it gives no name away.
    assert extract_parameters(passwords._DECOY) == RFC_9106_LOW_MEMORY
