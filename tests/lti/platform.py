"""A learning platform for the tests: its own RSA keys, its JWKS, token and roster (NRPS) endpoints
served over HTTP by a local server on a loopback thread, and the signed messages it sends.

It plays the platform's half of LTI 1.3 for real: the tool fetches the JWKS over HTTP, asks the
token endpoint for an access token with a JWT signed by its own key, and follows the roster's
`Link: <…>; rel="next"` headers page by page.
"""

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto.jwk import JWK

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
INSTRUCTOR, LEARNER = ROLE + "Instructor", ROLE + "Learner"
TEACHING_ASSISTANT = "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"
ADMINISTRATOR = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"
CLIENT_ID = "actionsets-client"
DEPLOYMENT_ID = "deployment-1"
CONTEXT_ID = "course-101"
TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"


def _key_pair():
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    public = private.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return pem, public


class TestPlatform:
    __test__ = False

    def __init__(self, host: str = "127.0.0.1"):
        self.keys: list[tuple[str, bytes, bytes]] = []  # (kid, private pem, public pem); the last one signs
        self.rotate_keys()
        self.roster_pages: list[list[dict]] = [[]]
        self.requests: list[tuple[str, str, dict]] = []  # (method, path, form or headers) as received
        self.registrations: list[dict] = []  # dynamic registration requests, as JSON
        self.last_body = ""
        self.next_launch: dict = {}  # the claims /auth signs for the next browser launch
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://{host}:{self.server.server_address[1]}"
        self.issuer = self.url

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def rotate_keys(self, *, keep_old: bool = True):
        pem, public = _key_pair()
        self.keys = [*(self.keys if keep_old else []), (f"platform-{uuid.uuid4().hex[:8]}", pem, public)]

    def jwks(self) -> dict:
        keys = []
        for kid, _, public in self.keys:
            jwk = json.loads(JWK.from_pem(public).export_public())
            keys.append({**jwk, "kid": kid, "alg": "RS256", "use": "sig"})
        return {"keys": keys}

    # --- messages -----------------------------------------------------------------------------

    def sign(self, payload: dict, *, kid: str | None = None, key: bytes | None = None) -> str:
        signing_kid, pem, _ = self.keys[-1]
        return jwt.encode(payload, key or pem, algorithm="RS256", headers={"kid": kid or signing_kid})

    def claims(self, *, nonce: str, sub: str = "user-1", roles=(LEARNER,), email: str = "", name: str = "Ada Learner",
               message_type: str = "LtiResourceLinkRequest", custom: dict | None = None, **overrides) -> dict:
        now = int(time.time())
        claims = {
            "iss": self.issuer, "aud": CLIENT_ID, "sub": sub, "nonce": nonce, "iat": now, "exp": now + 300,
            "name": name, "email": email,
            CLAIM + "message_type": message_type, CLAIM + "version": "1.3.0",
            CLAIM + "deployment_id": DEPLOYMENT_ID, CLAIM + "roles": list(roles),
            CLAIM + "target_link_uri": "http://127.0.0.1:8000/lti/launch/",
            CLAIM + "context": {"id": CONTEXT_ID, "title": "Leading Change 101"},
            "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
                "context_memberships_url": self.url + "/members", "service_versions": ["2.0"]},
        }
        if message_type == "LtiResourceLinkRequest":
            claims[CLAIM + "resource_link"] = {"id": "link-1", "title": "ActionSets"}
        else:
            claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = {
                "deep_link_return_url": self.url + "/deep-link-return", "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe", "window"], "data": "opaque-data"}
        if custom:
            claims[CLAIM + "custom"] = custom
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}

    def id_token(self, **kwargs) -> str:
        return self.sign(self.claims(**kwargs))

    def openid_configuration(self) -> dict:
        return {
            "issuer": self.issuer, "authorization_endpoint": self.url + "/auth", "token_endpoint": self.url + "/token",
            "jwks_uri": self.url + "/jwks", "registration_endpoint": self.url + "/register",
            "https://purl.imsglobal.org/spec/lti-platform-configuration": {"product_family_code": "moodle"},
        }

    # --- the HTTP side ------------------------------------------------------------------------

    def _handler(self):
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, data, *, status=200, headers=()):
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                parts = urlsplit(self.path)
                platform.requests.append(("GET", parts.path, dict(self.headers)))
                if parts.path == "/jwks":
                    return self._json(platform.jwks())
                if parts.path == "/auth":  # the platform's OIDC authorisation: post the id_token back
                    return self._auth(parse_qs(parts.query))
                if parts.path == "/.well-known/openid-configuration":
                    return self._json(platform.openid_configuration())
                if parts.path == "/members":
                    if self.headers.get("Authorization") != "Bearer platform-access-token":
                        return self._json({"error": "unauthorised"}, status=401)
                    page = int(parse_qs(parts.query).get("page", ["0"])[0])
                    links = []
                    if page + 1 < len(platform.roster_pages):
                        links = [("Link", f'<{platform.url}/members?page={page + 1}>; rel="next"')]
                    return self._json({"id": platform.url + self.path, "context": {"id": CONTEXT_ID},
                                       "members": platform.roster_pages[page]}, headers=links)
                return self._json({"error": "not found"}, status=404)

            def _auth(self, query):
                params = {k: v[0] for k, v in query.items()}
                token = platform.id_token(nonce=params["nonce"], **platform.next_launch)
                page = (f'<!doctype html><title>Platform</title><form method="post" action="{params["redirect_uri"]}">'
                        f'<input type="hidden" name="id_token" value="{token}">'
                        f'<input type="hidden" name="state" value="{params["state"]}"></form>'
                        "<script>document.forms[0].submit()</script>").encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                platform.last_body = self.rfile.read(length).decode()
                form = {k: v[0] for k, v in parse_qs(platform.last_body).items()}
                platform.requests.append(("POST", self.path, form))
                if self.path == "/register":
                    body = json.loads(form_body) if (form_body := platform.last_body) else {}
                    if self.headers.get("Authorization") != "Bearer registration-token-1":
                        return self._json({"error": "unauthorised"}, status=401)
                    platform.registrations.append(body)
                    return self._json({**body, "client_id": "dynamic-client-1", TOOL_CONFIGURATION: {
                        **body.get(TOOL_CONFIGURATION, {}), "deployment_id": "dynamic-deployment-1"}})
                if self.path == "/token":
                    return self._json({"access_token": "platform-access-token", "token_type": "Bearer",
                                       "expires_in": 3600, "scope": form.get("scope", "")})
                return self._json({"error": "not found"}, status=404)

        return Handler
