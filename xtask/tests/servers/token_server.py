"""A token server the project did not generate: Python's standard library only.

Serves two providers on one loopback port, as their pages document them:
- POST /cgi-bin/stable_token: JSON body {grant_type=client_credential, appid, secret,
  force_refresh?}; errors as {"errcode", "errmsg"} with HTTP 200 (WeChat style).
- POST /api/token: HTTP Basic client authentication, form body grant_type=client_credentials;
  errors as RFC 6749 JSON with HTTP 400/401 (Spotify style).
Prints the port on its first line, then serves until killed.
"""

import base64
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

APPID, SECRET = "wx-test-app", "wx-test-secret"
CLIENT_ID, CLIENT_SECRET = "sp-client", "sp-secret"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        if self.path == "/cgi-bin/stable_token":
            return self.wechat(raw)
        if self.path == "/api/token":
            return self.spotify(raw)
        self.reply(404, {"error": "not_found"})

    def wechat(self, raw):
        if not self.headers.get("Content-Type", "").startswith("application/json"):
            return self.reply(200, {"errcode": 41002, "errmsg": "appid missing"})
        body = json.loads(raw or b"{}")
        if body.get("grant_type") != "client_credential":
            return self.reply(200, {"errcode": 40002, "errmsg": "invalid grant_type"})
        if "force_refresh" in body and not isinstance(body["force_refresh"], bool):
            return self.reply(200, {"errcode": 47001, "errmsg": "data format error"})
        if body.get("appid") != APPID:
            return self.reply(200, {"errcode": 40013, "errmsg": "invalid appid"})
        if body.get("secret") != SECRET:
            return self.reply(200, {"errcode": 40125, "errmsg": "invalid appsecret"})
        self.reply(200, {"access_token": "py-wechat-token-0123456789abcdef", "expires_in": 7200})

    def spotify(self, raw):
        auth = self.headers.get("Authorization", "")
        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        form = parse_qs(raw.decode())
        if form.get("grant_type") != ["client_credentials"]:
            return self.reply(400, {"error": "unsupported_grant_type"})
        if auth != expected:
            return self.reply(400, {"error": "invalid_client", "error_description": "Invalid client secret"})
        self.reply(200, {"access_token": "py-spotify-token-0123456789abcdef", "token_type": "Bearer", "expires_in": 3600})


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
