"""Password hashing and the rules a new password must meet."""

from werkzeug.security import check_password_hash, generate_password_hash

MINIMUM_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def password_matches(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


_STAND_IN: list[str] = []


def spend_as_long_as_a_check(password: str) -> None:
    """Check a password against a hash nobody has, so that an unknown address takes as long to
    refuse as a wrong password (the time would otherwise tell who has an account)."""
    if not _STAND_IN:
        _STAND_IN.append(hash_password("a password nobody has"))
    password_matches(_STAND_IN[0], password)


def normalise_email(email: str) -> str:
    return email.strip().lower()
