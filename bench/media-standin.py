#!/usr/bin/env python3
"""Local stand-in for Meta's media endpoints, for bench/media.sh: GET /<version>/<media-id> answers the file's URL,
type, hex SHA-256 and size; GET /file/<media-id> streams the file (SIZE bytes: a 1 MiB pseudo-random block per media
id, repeated), never held in memory whole. Usage: media-standin.py PORT SIZE_BYTES."""
import hashlib
import http.server
import json
import random
import socketserver
import sys

PORT = int(sys.argv[1])
SIZE = int(sys.argv[2])
BLOCK = 1 << 20
_blocks = {}


def block(media_id):
    if media_id not in _blocks:
        _blocks[media_id] = random.Random(media_id).randbytes(BLOCK)
    return _blocks[media_id]


def chunks(media_id):
    b, left = block(media_id), SIZE
    while left > 0:
        n = min(left, BLOCK)
        yield b[:n]
        left -= n


_hashes = {}


def sha(media_id):
    if media_id not in _hashes:
        h = hashlib.sha256()
        for c in chunks(media_id):
            h.update(c)
        _hashes[media_id] = h.hexdigest()
    return _hashes[media_id]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.path.split("?")[0].strip("/").split("/")
        if len(path) == 2 and path[0] == "file":
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(SIZE))
            self.end_headers()
            for c in chunks(path[1]):
                self.wfile.write(c)
            return
        if len(path) == 2:
            body = json.dumps({"messaging_product": "whatsapp", "url": f"http://127.0.0.1:{PORT}/file/{path[1]}",
                               "mime_type": "application/pdf", "sha256": sha(path[1]), "file_size": str(SIZE),
                               "id": path[1]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


if __name__ == "__main__":
    Server(("127.0.0.1", PORT), Handler).serve_forever()
