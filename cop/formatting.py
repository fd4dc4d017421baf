"""Dates, times, numbers, languages and countries shown in the reader's language."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
from babel.dates import get_timezone_location
from flask import current_app
from flask_babel import (
    format_currency,
    format_date,
    format_decimal,
    get_locale,
)
from flask_babel import gettext as _

# Dates and numbers follow British conventions in English: cop's English readers are in the UK.
REGIONAL_LOCALES = {"en": "en_GB"}


def regional_locale(language: str) -> str:
    """The locale a language is read in, on pages and in mail alike (en: en_GB)."""
    return REGIONAL_LOCALES.get(language, language)


def _locale() -> Locale:
    return get_locale() or Locale("en")


def language_name(code: str) -> str:
    try:
        return Locale.parse(code).get_display_name(_locale()) or code
    except (ValueError, TypeError):
        return code


def country_name(code: str | None) -> str:
    if not code:
        return ""
    return _locale().territories.get(code.upper(), code)


def format_day(value: date | None) -> str:
    return format_date(value, "long") if value else ""


def format_day_range(start: date | None, end: date | None) -> str:
    if start is None or end is None:
        return _("To be agreed")
    if start == end:
        return format_day(start)
    return _("%(start)s to %(end)s", start=format_day(start), end=format_day(end))


def format_moment(value: datetime | None, zone_name: str | None = None) -> str:
    """A moment as the clock reads in a zone (a visit's; else the installation's), the zone's
    city named: "8 Dec 2016, 10:00 (Paris)"."""
    if value is None:
        return ""
    if zone_name is None:
        zone_name = current_app.config.get("TIME_ZONE") or "UTC"
    zone, locale = ZoneInfo(zone_name), _locale()
    local = value.astimezone(zone)
    day = babel_format_date(local.date(), "medium", locale=locale)
    clock = babel_format_time(local, "short", tzinfo=zone, locale=locale)
    return f"{day}, {clock} ({_zone_city(zone_name, str(locale))})"


def format_measure(value: float) -> str:
    """A measure with up to three decimals, in the reader's style (0,139 in French)."""
    return format_decimal(value, "#,##0.###")


def format_count(value: int | float) -> str:
    return format_decimal(value)


def format_clock(moment: datetime, zone_name: str) -> str:
    """A moment as the clock reads in a zone, in the reader's style (14:30, 2:30 pm)."""
    return babel_format_time(moment, "short", tzinfo=ZoneInfo(zone_name), locale=_locale())


def format_full_day(value: date) -> str:
    return format_date(value, "full")


def format_full_day_range(start: date, end: date) -> str:
    """Dates with their weekdays, as someone choosing dates reads them."""
    if start == end:
        return format_full_day(start)
    return _("%(start)s to %(end)s", start=format_full_day(start), end=format_full_day(end))


def format_full_day_in(moment: datetime, zone_name: str) -> str:
    """The day of a moment as the calendar reads in a zone."""
    return format_full_day(moment.astimezone(ZoneInfo(zone_name)).date())


def zone_city(zone_name: str) -> str:
    """The city that names a zone, in the reader's language (Londres for Europe/London)."""
    return _zone_city(zone_name, str(_locale()))


@lru_cache(maxsize=1024)
def _zone_city(zone_name: str, locale_name: str) -> str:
    # Babel looks the zone up in its data and formats the name anew each time (a page of 250
    # moments spent a tenth of its time here); the answer depends only on these two.
    try:
        return get_timezone_location(ZoneInfo(zone_name), locale=locale_name, return_city=True)
    except (LookupError, ValueError):
        return zone_name


def format_hours(minutes: int) -> str:
    """Minutes as hours with one decimal, in the reader's style (12.5 or 12,5)."""
    return format_decimal(minutes / 60, "#,##0.#")


def format_size(size: int) -> str:
    """Bytes as kB or MB, in the reader's style."""
    if size < 1024 * 1024:
        return _("%(size)s kB", size=format_decimal(max(size / 1024, 0.1), "#,##0.#"))
    return _("%(size)s MB", size=format_decimal(size / (1024 * 1024), "#,##0.#"))


def format_money(amount: Decimal, currency: str) -> str:
    return format_currency(amount, currency.upper())
