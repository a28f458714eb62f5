"""Real HTTP/1.1 for the drop recordings: GETs get a page, a POST's body is read and
acknowledged. Usage: python3 upload_server.py ADDRESS PORT (serves until killed)."""
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def reply(self, body):
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.reply(b"<html>carbon</html>")

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        while length > 0:
            length -= len(self.rfile.read(min(length, 65536)))
        self.reply(b"ok")


HTTPServer((sys.argv[1], int(sys.argv[2])), Handler).serve_forever()
