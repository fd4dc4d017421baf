"""Password hashing and the rules a new password must meet."""

from werkzeug.security import check_password_hash, generate_password_hash

MINIMUM_PASSWORD_LENGTH = 8
# Werkzeug's scrypt with its default cost. The tests set a far cheaper cost through the
# PASSWORD_HASH_METHOD setting (thousands of hashes otherwise dominate the suite's time); a
# hash carries its own cost, so checking never depends on this.
DEFAULT_METHOD = "scrypt"
_method = [DEFAULT_METHOD]


def use_hash_method(method: str) -> None:
    """Choose how new passwords are hashed (``create_app`` passes PASSWORD_HASH_METHOD)."""
    _method[0] = method


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=_method[0])


def password_matches(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


# One stand-in hash per method, made when first needed.
_STAND_IN: dict[str, str] = {}


def spend_as_long_as_a_check(password: str) -> None:
    """Check a password against a hash nobody has, so that an unknown address takes as long to
    refuse as a wrong password (the time would otherwise tell who has an account)."""
    method = _method[0]
    if method not in _STAND_IN:
        _STAND_IN[method] = hash_password("a password nobody has")
    password_matches(_STAND_IN[method], password)


def normalise_email(email: str) -> str:
    return email.strip().lower()
