"""A real HTTP server on loopback for the download tests: Range requests, and on demand a cut
connection, wrong bytes, a 404, a stall or a slow trickle. It also answers as an HTTP proxy
(a request line with an absolute URL), to show the system proxy is honoured.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Rule:
    body: bytes
    cut_times: int = 0  # this many responses stop halfway and drop the connection
    wrong: bool = False  # serve other bytes of the same length
    status: int = 200
    stall_s: float = 0.0  # wait this long after the headers, before the body
    trickle_s: float = 0.0  # pause between chunks of 4 KiB
    ignore_range: bool = False


@dataclass
class Seen:
    path: str
    range: str | None
    absolute: bool


@dataclass
class ModelServer:
    rules: dict[str, Rule] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)

    def start(self) -> ModelServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # noqa: ANN002 - quiet tests
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                owner._serve(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def requests_for(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        absolute = handler.path.startswith("http://")
        path = urlsplit(handler.path).path if absolute else handler.path.split("?")[0]
        asked = handler.headers.get("Range")
        self.seen.append(Seen(path, asked, absolute))
        rule = self.rules.get(path)
        if rule is None or rule.status != 200:
            handler.send_response(rule.status if rule else 404)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        body = bytes(b ^ 0xFF for b in rule.body) if rule.wrong else rule.body
        start = 0
        if asked and not rule.ignore_range:
            start = int(asked.split("=")[1].split("-")[0])
            if start >= len(body):
                handler.send_response(416)
                handler.send_header("Content-Length", "0")
                handler.end_headers()
                return
            handler.send_response(206)
            handler.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        else:
            handler.send_response(200)
        handler.send_header("Accept-Ranges", "bytes")
        handler.send_header("Content-Length", str(len(body) - start))
        handler.end_headers()
        rest = body[start:]
        if rule.cut_times > 0:
            rule.cut_times -= 1
            rest = rest[: len(rest) // 2]
            handler.close_connection = True
        if rule.stall_s:
            time.sleep(rule.stall_s)
        try:
            for offset in range(0, len(rest), 4096):
                handler.wfile.write(rest[offset : offset + 4096])
                if rule.trickle_s:
                    handler.wfile.flush()
                    time.sleep(rule.trickle_s)
            handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True
