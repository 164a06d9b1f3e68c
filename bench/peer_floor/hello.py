"""A bare WSGI app for bench/peer_floor.sh: what gunicorn, the kernel and the driver cost
for one request with no Django and no database."""


def app(environ, start_response):
    body = b'{"ok": true}'
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "12")])
    return [body]
