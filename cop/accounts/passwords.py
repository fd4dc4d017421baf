"""Password hashing and the rules a new password must meet."""

from werkzeug.security import check_password_hash, generate_password_hash

MINIMUM_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def password_matches(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


def normalise_email(email: str) -> str:
    return email.strip().lower()
