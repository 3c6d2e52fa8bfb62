"""Password hashes: argon2id with argon2-cffi's recommended parameters (RFC 9106's low-memory profile)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from interviewer.accounts.records import AccountError

MIN_LENGTH = 10
MAX_LENGTH = 256  # a bound on what one sign-in makes the server hash
_hasher = PasswordHasher()
# Checked against when the name is unknown, so a wrong name takes as long as a wrong password.
_DECOY = _hasher.hash("not a password of anyone's")


def checked(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise AccountError(f"the password is too short: use at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise AccountError(f"the password is too long: use at most {MAX_LENGTH} characters")
    return password


def hash_password(password: str) -> str:
    return _hasher.hash(checked(password))


def verify(password_hash: str, password: str) -> tuple[bool, str | None]:
    """Whether the password matches, and a new hash when the stored one has outdated parameters."""
    if len(password) > MAX_LENGTH:
        return False, None
    try:
        _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False, None
    return True, _hasher.hash(password) if _hasher.check_needs_rehash(password_hash) else None


def waste_time(password: str) -> None:
    verify(_DECOY, password)
