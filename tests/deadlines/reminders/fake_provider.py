"""A local stand-in for a Twilio-compatible messaging API: records every request, answers like the provider.

Like a provider that honours ``Idempotency-Key``, it delivers a key once; ``requests`` holds every attempt and
``delivered`` the messages it would have delivered. ``status_for`` and ``delay_for`` script failures and slowness by
message body.
"""

import base64
import json
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


@dataclass
class FakeProvider:
    url: str = ""
    requests: list[dict] = field(default_factory=list)
    delivered: dict[str, dict] = field(default_factory=dict)
    # Body substring -> HTTP status to answer, or seconds to wait before answering.
    status_for: dict[str, int] = field(default_factory=dict)
    delay_for: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _handler(provider: FakeProvider):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output clean
            pass

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
            auth = self.headers.get("Authorization", "")
            user, _, password = base64.b64decode(auth.removeprefix("Basic ")).decode().partition(":")
            record = {
                "path": self.path,
                "form": form,
                "auth": (user, password),
                "idempotency_key": self.headers.get("Idempotency-Key", ""),
            }
            with provider.lock:
                provider.requests.append(record)
            body = form.get("Body", "")
            for needle, seconds in provider.delay_for.items():
                if needle in body:
                    threading.Event().wait(seconds)
            status = next((code for needle, code in provider.status_for.items() if needle in body), 201)
            if status >= 400:
                answer = {"code": 21211, "message": "scripted failure", "status": status}
            else:
                sid = "SM" + uuid.uuid4().hex
                with provider.lock:
                    provider.delivered.setdefault(record["idempotency_key"] or sid, {**record, "sid": sid})
                answer = {"sid": sid, "status": "queued", "to": form.get("To")}
            payload = json.dumps(answer).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except OSError:  # the client gave up (a timeout, a killed worker)
                pass

    return Handler


@contextmanager
def fake_provider():
    provider = FakeProvider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    server.daemon_threads = True
    provider.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
