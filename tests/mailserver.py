"""A real SMTP server (aiosmtpd) on a free loopback port, keeping what it receives."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Collector:
    def __init__(self, gate: threading.Event) -> None:
        self.messages: list[EmailMessage] = []
        self.gate = gate
        self.waiting = 0  # mails held at the gate, their senders waiting for an answer

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.waiting += 1
        while not self.gate.is_set():  # a slow server: it answers when the test opens the gate
            await asyncio.sleep(0.02)
        self.waiting -= 1
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


class MailServer:
    """``held=True``: a server that takes every mail but answers none until ``release()``,
    like one that takes seconds per mail; a sender that waits for it is seen waiting."""

    def __init__(self, held: bool = False) -> None:
        self.port = free_port()
        self._gate = threading.Event()
        if not held:
            self._gate.set()
        self._collector = _Collector(self._gate)
        self._controller = Controller(self._collector, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[EmailMessage]:
        return self._collector.messages

    @property
    def held(self) -> int:
        return self._collector.waiting

    def release(self) -> None:
        self._gate.set()

    def wait_for(self, count: int, timeout: float = 5.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages

    def __enter__(self) -> MailServer:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._gate.set()
        self._controller.stop()
