"""An HTTPS server whose clock is wrong by a fixed offset: its Date header is what a machine would see whose own clock
is off by the opposite amount. openssl s_server sends no Date, so the lab needs this one server for clock checks.
Usage: skewed_https.py ADDRESS PORT CERT KEY OFFSET_SECONDS"""
import email.utils
import http.server
import ssl
import sys
import time

address, port, cert, key, offset = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], float(sys.argv[5])


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def date_time_string(self, timestamp=None):
        return email.utils.formatdate((timestamp or time.time()) + offset, usegmt=True)

    def do_GET(self):
        body = b"skewed clock\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server = http.server.ThreadingHTTPServer((address, port), Handler)
server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
