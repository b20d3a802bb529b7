"""Alert notices sent straight through the citizen's channel, without a turn of the assistant.

``RasaTrigger`` (``bot/fanout/channels.py``) makes every delivery a turn of the conversation: Rasa
takes the conversation's lock, loads its tracker (the longer the conversation, the longer that takes),
runs its policies, calls the action server, which words the notice, saves the tracker and only then
sends. ``python -m bench.delivery`` measures what that costs against what the delivery itself needs.
This channel does the part of that turn a notice needs, for a whole batch at once:

- it words the notice as the action would (``bot/assistant/alert_messages.alert_notice``, through the
  ``words`` its composer gives it), each alert read and each language worded once per batch, in the
  language of the subscription (which follows the conversation's: ``actions/base.py``);
- it records the delivery in the conversation's record of pushed notices (``bot/fanout/pushed.py``),
  in one pipeline per batch, and sends only what it could claim there, so a delivery replayed after a
  crash, or taken over by another worker, is not sent again; "tell me more" reads the same record;
- it sends through the same output classes the Rasa server uses (Telegram's chunks, SMS pages behind
  MORE, WhatsApp's 24-hour window and templates), or where Rasa's cannot serve outside its process,
  through the channel's ``worker_output``: the web chat's room through the socket.io Redis manager or
  its offline inbox (``WebChatPush``), Messenger's Send API (``MessengerSendApi``); many at once on one
  event loop, over one pool of kept-alive connections (``keepalive.py``);
- it releases the claim of a send that failed, so that the retry sends it.

Everything else goes to ``fallback`` (``RasaTrigger``): news of a concern (worded by its action),
channels that only answer (REST, USSD: skipped there as before), channels without an output here, and
the web chat when its sockets cannot be reached from another process (``socketio_across_replicas``
off: ``bot/channels/socketio.py``, ``WebChatPush``).
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel
from redis.exceptions import RedisError

from bot.assistant.alert_messages import PushedMessage
from bot.channels.http import CALL_SECONDS, KeepsSession, ProviderError
from bot.channels.keepalive import KeepAliveSession
from bot.fanout.channels import DeliveryChannel, Outcome, SkipReason
from bot.fanout.notices import Notice, NoticeKind
from bot.fanout.pushed import Claim, PushedNotices
from bot.identity import ForeignConversation

log = logging.getLogger(__name__)

#: The input channels whose outputs can push a notice from any process: their provider's API, or the
#: web chat's Redis manager and inbox. An input with a ``worker_output()`` gives that one (None: not
#: from here), else its ``get_output_channel()`` serves.
DIRECT_INPUTS = (
    "bot.channels.telegram.TelegramInput",
    "bot.channels.twilio.TwilioSmsInput",
    "bot.channels.twilio.WhatsAppInput",
    "bot.channels.africastalking.AfricasTalkingInput",
    "bot.channels.messenger.MessengerInput",
    "bot.channels.socketio.WebChatInput",
)
#: The notices worded here (the alerts' own); others are worded by their action, through Rasa.
WORDED_HERE = frozenset({NoticeKind.ALERT, NoticeKind.CANCEL})

#: The notice in the subscriber's language: (alert id, cancelled, language) -> message, or None when
#: there is nothing to show any more (the alert gone or withdrawn).
Words = Callable[[str, bool, str], "PushedMessage | None"]
Result = tuple[Outcome, str]


def direct_outputs(credentials: Mapping[str, Any]) -> dict[str, OutputChannel]:
    """The outputs of the configured channels that can push (``channel_credentials``), by the name
    subscribers carry (``telegram``, ``twilio``, ``whatsapp``, ``africastalking``, ``facebook``,
    ``socketio``)."""
    outputs: dict[str, OutputChannel] = {}
    for path in DIRECT_INPUTS:
        if path not in credentials:
            continue
        module, _, name = path.rpartition(".")
        input_class: type[InputChannel] = getattr(importlib.import_module(module), name)
        channel = input_class.from_credentials(credentials[path])
        output = getattr(channel, "worker_output", channel.get_output_channel)()
        if output is not None:
            outputs[output.name()] = output
    return outputs


class DirectDelivery:
    """A delivery channel for a batch of notices at once (``send_many``), see the module's docstring."""

    def __init__(
        self,
        outputs: Mapping[str, OutputChannel],
        words: Words,
        pushed: PushedNotices,
        fallback: DeliveryChannel,
        *,
        in_flight: int = 64,
    ) -> None:
        self._outputs = dict(outputs)
        self._words = words
        self._pushed = pushed
        self._fallback = fallback
        self._in_flight = max(1, in_flight)
        self._fallbacks = ThreadPoolExecutor(max_workers=16, thread_name_prefix="deliver-rasa")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._session: KeepAliveSession | None = None
        self._started = threading.Lock()

    def handles(self, notice: Notice) -> bool:
        """Whether this notice is sent here (else by the fallback)."""
        return notice.kind in WORDED_HERE and notice.channel in self._outputs

    def send(self, notice: Notice) -> Result:
        """Deliver one notice."""
        return self.send_many([notice])[0]

    def send_many(self, notices: list[Notice]) -> list[Result]:
        """Deliver a batch; the outcome of each, in order."""
        results: list[Result | None] = [None] * len(notices)
        passed_on = [i for i, notice in enumerate(notices) if not self.handles(notice)]
        fallback = self._fallbacks.map(lambda i: self._fallback.send(notices[i]), passed_on)
        worded: dict[tuple[str, bool, str], PushedMessage | None] = {}
        to_send: list[tuple[int, Claim, PushedMessage]] = []
        for i, notice in enumerate(notices):
            if not self.handles(notice):
                continue
            cancelled = notice.kind is NoticeKind.CANCEL
            wording = (notice.reference, cancelled, notice.language)
            if wording not in worded:
                worded[wording] = self._words(*wording)
            message = worded[wording]
            if message is None:  # withdrawn, or gone, since it was queued: shown to nobody
                results[i] = (Outcome.SKIPPED, SkipReason.WITHDRAWN.value)
                continue
            claim = Claim(notice.address, notice.delivery_id, notice.kind, notice.reference)
            to_send.append((i, claim, message))
        claimed = self._pushed.claim_many([claim for _, claim, _ in to_send])
        sending: list[tuple[int, Claim, PushedMessage]] = []
        for item, new in zip(to_send, claimed, strict=True):
            if new:
                sending.append(item)
            else:  # the conversation has it already: sent before a crash, or by another worker
                results[item[0]] = (Outcome.SENT, "")
        if sending:
            sent = self._run(self._send_all([(notices[i], message) for i, _, message in sending]))
            unsent = []
            for (i, claim, _), result in zip(sending, sent, strict=True):
                results[i] = result
                if result[0] is not Outcome.SENT:
                    unsent.append(claim)
            self._pushed.release_many(unsent)
        for i, result in zip(passed_on, fallback, strict=True):
            results[i] = result
        return [result or (Outcome.RETRY, "not attempted") for result in results]

    def close(self) -> None:
        """Stop the event loop and its connections."""
        if self._loop is not None:
            if self._session is not None:
                self._run(self._session.close())
            for output in self._outputs.values():
                if hasattr(output, "aclose"):  # the web chat's Redis connections
                    self._run(output.aclose())
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._loop = None
        self._fallbacks.shutdown(wait=True)

    # The event loop ------------------------------------------------------------------------------

    def _run(self, work: Any) -> Any:
        loop = self._ensure_loop()
        return asyncio.run_coroutine_threadsafe(work, loop).result()

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        with self._started:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name="deliver-direct", daemon=True).start()
                self._loop = loop
            return self._loop

    async def _send_all(self, batch: list[tuple[Notice, PushedMessage]]) -> list[Result]:
        if self._session is None:
            self._session = KeepAliveSession(per_origin=self._in_flight, timeout=CALL_SECONDS)
            for output in self._outputs.values():
                if isinstance(output, KeepsSession):
                    output.session = self._session
        slots = asyncio.Semaphore(self._in_flight)
        return list(await asyncio.gather(*(self._send_one(slots, n, m) for n, m in batch)))

    async def _send_one(self, slots: asyncio.Semaphore, notice: Notice, message: PushedMessage) -> Result:
        output = self._outputs[notice.channel]
        async with slots:
            try:
                await output.send_response(notice.address, {"text": message.text, **message.extra})
            except ProviderError as error:
                return (
                    Outcome.RETRY if error.passing else Outcome.FAILED
                ), f"{type(error).__name__}: {error}"
            except ForeignConversation as error:
                return Outcome.FAILED, str(error)
            except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
                return Outcome.RETRY, f"provider unreachable: {type(error).__name__}"
            except RedisError as error:  # the web chat's presence, pub/sub or inbox
                return Outcome.RETRY, f"Redis unavailable: {type(error).__name__}"
            except Exception as error:  # a bug must not stop the batch: retried, and logged
                log.exception("channel %s raised", notice.channel)
                return Outcome.RETRY, f"{type(error).__name__}: {error}"
        return Outcome.SENT, ""
