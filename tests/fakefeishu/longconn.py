"""The long connection's server side: events pushed to the bot as the SDK's own frames
(``lark_oapi.ws.pb.pbbp2_pb2.Frame``), acknowledgements read back, and Feishu's push again of an
event that was not acknowledged in time or was answered with an error.

A data frame carries one event: headers ``type=event``, ``message_id``, ``trace_id``, ``sum=1``,
``seq=0``, the event's JSON as payload. The SDK answers with the same frame, its payload replaced by
``{"code": 200, "data": <base64 of the handler's answer>}`` (500 when the handler raised). Control
frames are pings from the SDK, answered with a pong.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web
from lark_oapi.ws.pb.pbbp2_pb2 import Frame

DATA, CONTROL = 1, 0
SERVICE_ID = 7


@dataclass
class Push:
    """One event and what became of its pushes."""

    event_id: str
    payload: dict[str, Any]
    pushes: int = 0
    acked: bool = False
    answers: list[int] = field(default_factory=list)  # the code of each answer
    answer: dict[str, Any] | None = None  # what the bot's handler returned (a card press: the toast)


class LongConnection:
    """Holds the bot's websocket(s) and the events to push; pushes each until acknowledged."""

    def __init__(self, ack_timeout: float = 3.0, retry_delay: float = 1.0) -> None:
        self.ack_timeout = ack_timeout
        self.retry_delay = retry_delay
        self.pushes: dict[str, Push] = {}
        self.connections = 0
        self._sockets: list[web.WebSocketResponse] = []
        # A frame's message id → its event, and the answer's code once it comes.
        self._waiting: dict[str, tuple[Push, asyncio.Future[int]]] = {}
        self._ids = itertools.count(1)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._wake = asyncio.Event()
        self.on_change = lambda: None
        self.lose_acks = 0  # the next answers to ignore, as if lost on the way: pushed again


    @property
    def connected(self) -> bool:
        return bool(self._sockets)

    def push(self, event_id: str, payload: dict[str, Any]) -> Push:
        """Pushes an event now (or when the bot connects), again until it is acknowledged."""
        push = self.pushes[event_id] = Push(event_id, payload)
        task = asyncio.get_running_loop().create_task(self._deliver(push))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return push

    def pending(self) -> list[Push]:
        return [push for push in self.pushes.values() if not push.acked]

    async def _deliver(self, push: Push) -> None:
        while not push.acked:
            while not self._sockets:
                self._wake.clear()
                await self._wake.wait()
            code = await self._push_once(push, self._sockets[-1])
            push.answers.append(code)
            self.on_change()
            if code == 200:
                push.acked = True
                return
            await asyncio.sleep(self.retry_delay)

    async def _push_once(self, push: Push, socket: web.WebSocketResponse) -> int:
        number = next(self._ids)
        frame_id = f"frame_{number}"
        frame = Frame(SeqID=number, LogID=number, service=SERVICE_ID, method=DATA,
                      payload=json.dumps(push.payload, ensure_ascii=False).encode())
        for key, value in (("type", "event"), ("message_id", frame_id), ("trace_id", f"trace_{number}"),
                           ("sum", "1"), ("seq", "0")):
            header = frame.headers.add()
            header.key, header.value = key, value
        answered: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._waiting[frame_id] = (push, answered)
        push.pushes += 1
        try:
            await socket.send_bytes(frame.SerializeToString())
            code = await asyncio.wait_for(answered, self.ack_timeout)
            if self.lose_acks:
                self.lose_acks -= 1
                return 0
            return code
        except (TimeoutError, ConnectionError, RuntimeError):
            return 0  # no answer in time: Feishu pushes it again
        finally:
            self._waiting.pop(frame_id, None)

    async def serve(self, request: web.Request) -> web.WebSocketResponse:
        """``GET /ws``: the SDK's websocket."""
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        self.connections += 1
        self._wake.set()
        self.on_change()
        try:
            async for message in socket:
                if message.type == WSMsgType.BINARY:
                    await self._read(socket, message.data)
        finally:
            self._sockets.remove(socket)
            self.on_change()
        return socket

    async def _read(self, socket: web.WebSocketResponse, data: bytes) -> None:
        frame = Frame()
        frame.ParseFromString(data)
        headers = {header.key: header.value for header in frame.headers}
        if frame.method == CONTROL:
            if headers.get("type") == "ping":
                pong = Frame(SeqID=0, LogID=0, service=frame.service, method=CONTROL)
                header = pong.headers.add()
                header.key, header.value = "type", "pong"
                with contextlib.suppress(ConnectionError, RuntimeError):
                    await socket.send_bytes(pong.SerializeToString())
            return
        waiting = self._waiting.get(headers.get("message_id", ""))
        if waiting is None:
            return  # an answer that came too late: the event is pushed again regardless
        push, answered = waiting
        answer = json.loads(frame.payload or b"{}")
        if answer.get("data"):
            push.answer = json.loads(base64.b64decode(answer["data"]))
        if not answered.done():
            answered.set_result(int(answer.get("code") or 0))

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for socket in list(self._sockets):
            await socket.close()


def stamp() -> str:
    """Feishu's create_time: milliseconds since the epoch, as a string."""
    return str(int(time.time() * 1000))
