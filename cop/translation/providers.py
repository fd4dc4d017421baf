"""One interface over deep-translator's translators.

deep-translator sets no timeout (a slow provider hangs the request), lets a refused connection
escape as a raw `requests` error, and each provider wants its own language codes and text
lengths. Here every call has a timeout, texts are split by paragraph within the provider's limit,
and every failure becomes :class:`TranslationFailed` with a reason a person can read."""

from __future__ import annotations

import re
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

import requests
from deep_translator import (
    DeeplTranslator,
    GoogleTranslator,
    LibreTranslator,
    MicrosoftTranslator,
    MyMemoryTranslator,
)
from deep_translator import exceptions as dt

PROVIDERS = ("libretranslate", "google", "deepl", "mymemory", "microsoft")
# Characters per request each provider accepts (LibreTranslate puts the text in the URL).
LIMITS = {"libretranslate": 1800, "google": 4500, "deepl": 4500, "mymemory": 480, "microsoft": 4500}
# MyMemory wants locales; the others plain language codes.
MYMEMORY_LOCALES = {"en": "en-GB", "fr": "fr-FR", "de": "de-DE", "es": "es-ES", "pt": "pt-PT"}


class TranslationFailed(Exception):
    """``reason``: unreachable, timeout, refused, rate_limited, server_error, empty, garbage,
    not_configured or failed; ``detail`` says more for the log and the person."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class ProviderSettings:
    name: str = "libretranslate"
    url: str = ""
    api_key: str = ""
    timeout: float = 10.0
    region: str = ""

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ProviderSettings:
        """The provider the installation's settings name (COP_TRANSLATION_*)."""
        return cls(
            name=config["TRANSLATION_PROVIDER"],
            url=config["TRANSLATION_URL"],
            api_key=config["TRANSLATION_API_KEY"],
            timeout=config["TRANSLATION_TIMEOUT"],
        )


def split_text(text: str, limit: int) -> list[str]:
    """Paragraphs (blank-line separated), and sentences of paragraphs longer than ``limit``."""
    pieces: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        while len(paragraph) > limit:
            cut = max(paragraph.rfind(". ", 0, limit), paragraph.rfind(" ", 0, limit))
            cut = cut + 1 if cut > 0 else limit
            pieces.append(paragraph[:cut].strip())
            paragraph = paragraph[cut:].strip()
        if paragraph:
            pieces.append(paragraph)
    return pieces


def _translator(settings: ProviderSettings, source: str, target: str) -> Any:
    name = settings.name
    if name == "libretranslate":
        if not settings.url:
            raise TranslationFailed("not_configured", "COP_TRANSLATION_URL")
        url = settings.url if settings.url.endswith("/") else settings.url + "/"
        # LibreTranslator insists on some key, even for servers that need none.
        return LibreTranslator(
            source=source, target=target, custom_url=url, api_key=settings.api_key or "none"
        )
    if name == "google":
        return GoogleTranslator(source=source, target=target)
    if name == "deepl":
        if not settings.api_key:
            raise TranslationFailed("not_configured", "COP_TRANSLATION_API_KEY")
        return DeeplTranslator(
            source=source, target=target, api_key=settings.api_key, use_free_api=True
        )
    if name == "mymemory":
        return MyMemoryTranslator(
            source=MYMEMORY_LOCALES.get(source, source), target=MYMEMORY_LOCALES.get(target, target)
        )
    if name == "microsoft":
        if not settings.api_key:
            raise TranslationFailed("not_configured", "COP_TRANSLATION_API_KEY")
        return MicrosoftTranslator(
            source=source, target=target, api_key=settings.api_key, region=settings.region or None
        )
    raise TranslationFailed("not_configured", f"unknown provider {name}")


def _classify(error: BaseException) -> TranslationFailed:
    if isinstance(error, TranslationFailed):
        return error
    if isinstance(error, requests.Timeout | FutureTimeout | TimeoutError):
        return TranslationFailed("timeout", str(error))
    if isinstance(error, requests.ConnectionError):
        return TranslationFailed("unreachable", str(error)[:200])
    if isinstance(error, dt.AuthorizationException):
        return TranslationFailed("refused", "the provider refused the key (403)")
    if isinstance(error, dt.TooManyRequests):
        return TranslationFailed("rate_limited", "too many requests (429)")
    if isinstance(error, dt.ServerException):
        text = f"{getattr(error, 'status_code', '')} {error}"
        if "429" in text or "TOO_MANY" in text:
            return TranslationFailed("rate_limited", "too many requests (429)")
        return TranslationFailed("server_error", text.strip()[:200])
    if isinstance(error, dt.TranslationNotFound):
        return TranslationFailed("empty", "the provider returned no translation")
    if isinstance(error, ValueError | KeyError | TypeError):
        return TranslationFailed("garbage", f"{type(error).__name__}: {str(error)[:150]}")
    return TranslationFailed("failed", f"{type(error).__name__}: {str(error)[:150]}")


# One worker per call keeps a hanging provider from holding up the request beyond its timeout;
# the thread itself ends when the provider finally answers or drops the connection.
_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="cop-translate")


def translate_segment(text: str, source: str, target: str, settings: ProviderSettings) -> str:
    """One segment through the provider, within the timeout, or :class:`TranslationFailed`."""
    if source == target or not text.strip():
        return text
    try:
        translator = _translator(settings, source, target)
        future = _pool.submit(translator.translate, text)
        result = future.result(timeout=settings.timeout)
    except BaseException as error:  # noqa: BLE001 - every failure becomes one readable error
        if isinstance(error, KeyboardInterrupt | SystemExit):
            raise
        raise _classify(error) from error
    if not isinstance(result, str) or not result.strip():
        raise TranslationFailed("empty", "the provider returned no translation")
    return result


def limit_for(settings: ProviderSettings) -> int:
    return LIMITS.get(settings.name, 1800)
