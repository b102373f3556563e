"""Files: documents users send and the bot uploads, ``getFile`` and the file download URL."""

from __future__ import annotations

import mimetypes
from typing import Any

from aiohttp import web

from .messages import MAX_CAPTION, Messages, attach_markup
from .models import UploadedFile, UserLike, user_dict
from .parse_mode import ParsedText
from .updates import Updates
from .wire import TOKEN_RE, ApiError, Call, bad_request, error_response


class Files(Messages, Updates):
    """Documents both ways: a user sends one, the bot uploads one, ``getFile`` and the download."""

    def user_sends_document(
        self,
        user: UserLike,
        filename: str,
        content: bytes,
        *,
        caption: str | None = None,
        mime_type: str | None = None,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """Queue a document message from ``user``; the bot can fetch it with getFile + download."""
        sender = user_dict(user)
        message = self._user_message(sender, chat_id, None, None)
        stored = self._store_file(filename, content, mime_type)
        message["document"] = self._document_object(stored)
        if caption:
            message["caption"] = caption
        return self.push_update({"message": message})

    def document(self, chat_id: int, message_id: int) -> UploadedFile | None:
        return self._documents.get((chat_id, message_id))

    async def _m_senddocument(self, call: Call) -> Any:
        chat = self._chat(call.required_int("chat_id"))
        upload = self._uploaded_document(call)
        raw = call.string("caption")
        parsed = self._format(raw, call, "caption_entities") if raw else ParsedText("")
        if len(parsed.text) > MAX_CAPTION:
            raise bad_request("message caption is too long")
        markup = self._reply_markup(call)
        payload = self._new_bot_message(call, chat)
        payload["document"] = self._document_object(upload)
        if parsed.text:
            payload["caption"] = parsed.text
        if parsed.entities:
            payload["caption_entities"] = parsed.entities
        attach_markup(payload, markup)
        self._documents[(int(chat["id"]), payload["message_id"])] = upload
        return self._record_event("sent", call, payload, raw, markup)

    async def _m_getfile(self, call: Call) -> Any:
        file_id = call.string("file_id") or ""
        if file_id not in self._files:
            raise bad_request("invalid file_id")
        stored, path = self._files[file_id]
        return {**self._file_ids_of(stored), "file_size": len(stored.content), "file_path": path}

    def _serve_file(self, token: str, path: str) -> web.StreamResponse:
        if not TOKEN_RE.fullmatch(token):
            return error_response(ApiError(404, "Not Found"))
        for stored, file_path in self._files.values():
            if file_path == path:
                return web.Response(body=stored.content, content_type="application/octet-stream")
        return error_response(ApiError(404, "Not Found"))

    def _uploaded_document(self, call: Call) -> UploadedFile:
        value = call.params.get("document")
        upload: UploadedFile | None = None
        if isinstance(value, str) and value.startswith("attach://"):
            upload = call.files.get(value.removeprefix("attach://"))
        elif value in (None, "") and "document" in call.files:
            upload = call.files["document"]
        elif isinstance(value, str) and value in self._files:
            return self._files[value][0]
        elif isinstance(value, str) and value:
            # A URL: Telegram would download it; the fake records the name only.
            return self._store_file(value.rsplit("/", 1)[-1] or "document", b"", None)
        if upload is None:
            raise bad_request("there is no document in the request")
        if not upload.content:
            raise bad_request("file must be non-empty")
        return self._store_file(upload.filename or "document", upload.content, upload.content_type)

    def _store_file(self, filename: str, content: bytes, content_type: str | None) -> UploadedFile:
        number = next(self._file_ids)
        if content_type in (None, "application/octet-stream"):
            content_type = mimetypes.guess_type(filename)[0] or content_type
        stored = UploadedFile(f"BQACAgIAAxkDAAI{number:06d}fake", filename, content, content_type)
        self._files[stored.file_id] = (stored, f"documents/file_{number}{_suffix(filename)}")
        return stored

    def _file_ids_of(self, stored: UploadedFile) -> dict[str, Any]:
        return {"file_id": stored.file_id, "file_unique_id": f"AgAD{stored.file_id[-10:]}"}

    def _document_object(self, stored: UploadedFile) -> dict[str, Any]:
        document: dict[str, Any] = {**self._file_ids_of(stored), "file_size": len(stored.content)}
        if stored.filename:
            document["file_name"] = stored.filename
        if stored.content_type:
            document["mime_type"] = stored.content_type
        return document


def _suffix(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:] if dot > 0 else ""
