"""Who may call the emulator: API keys, OAuth bearer tokens, and the OAuth token endpoint.

Decisions:

- Every API request must carry a credential, as on the service: an API key (``x-goog-api-key``
  header or ``key`` query parameter) or ``Authorization: Bearer``. With neither, the Gemini API
  answers 403 PERMISSION_DENIED and Vertex AI 401 UNAUTHENTICATED. Upload chunks (authorised by
  their session id), redirected downloads and the token endpoint need none.
- Without ``api_key=``, the emulator is lenient: any key and any bearer token pass. With
  ``api_key=``, it is strict: another key is 400 INVALID_ARGUMENT (``API_KEY_INVALID``, as the
  service answers), and a bearer token must be one the token endpoint issued (else 401).
- Both backends take either kind of credential (Vertex AI express mode sends a key).
- ``POST /token`` takes the form-encoded JWT-bearer grant that service-account credentials send
  (and the refresh-token grant of user credentials) and issues ``ya29.`` tokens valid for an hour.
  A JWT signed by a key from `service_account_info` is verified (RS256); a bad signature is
  ``invalid_grant``. Unknown keys are accepted when lenient and refused when strict.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import threading
from typing import TYPE_CHECKING, Protocol
from urllib.parse import parse_qs

from replay.emulator._errors import GEMINI_SERVICE, VERTEX_SERVICE, StatusError, error_info, localized
from replay.emulator._http import Reply, json_reply
from replay.emulator._state import Ids

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
TOKEN_LIFETIME = 3599
CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform"


class TokenAuthority:
    """The OAuth side of the emulator: known service-account keys and the tokens issued.

    It survives `Emulator.reset`, so credentials made once keep working for a whole session.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[str, bytes] = {}
        self._tokens: set[str] = set()
        self._ids = Ids()

    def register(self, key_id: str, public_pem: bytes) -> None:
        """Know a service-account public key, so the JWTs it signs are verified."""
        with self._lock:
            self._keys[key_id] = public_pem

    def is_issued(self, token: str) -> bool:
        """Tell whether the token endpoint issued `token`."""
        with self._lock:
            return token in self._tokens

    def issue(self) -> str:
        """Issue a new access token."""
        token = "ya29.emulator-" + self._ids.token("access")
        with self._lock:
            self._tokens.add(token)
        return token

    def token_endpoint(self, body: bytes, *, is_strict: bool) -> Reply:
        """Answer ``POST /token``: exchange a grant for an access token."""
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        grant = form.get("grant_type", "")
        if grant == JWT_BEARER:
            problem = self._check_assertion(form.get("assertion", ""), is_strict=is_strict)
            if problem:
                return _oauth_error("invalid_grant", problem)
        elif grant == "refresh_token":
            if not form.get("refresh_token"):
                return _oauth_error("invalid_request", "Missing required parameter: refresh_token")
        else:
            return _oauth_error("unsupported_grant_type", f"Invalid grant_type: {grant}")
        return json_reply(
            {"access_token": self.issue(), "expires_in": TOKEN_LIFETIME, "token_type": "Bearer"}
        )

    def _check_assertion(self, assertion: str, *, is_strict: bool) -> str | None:
        pieces = assertion.split(".")
        if len(pieces) != 3:
            return "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe."
        try:
            header = json.loads(_unpad(pieces[0]))
            signature = _unpad(pieces[2])
        except (ValueError, binascii.Error):
            return "Invalid JWT: the header or signature does not decode."
        key_id = header.get("kid") if isinstance(header, dict) else None
        with self._lock:
            public_pem = self._keys.get(key_id) if isinstance(key_id, str) else None
        if public_pem is None:
            return "Invalid JWT Signature." if is_strict else None
        if not _verify_rs256(public_pem, f"{pieces[0]}.{pieces[1]}".encode("ascii"), signature):
            return "Invalid JWT Signature."
        return None


def check_credentials(
    headers: dict[str, str],
    query: dict[str, list[str]],
    *,
    is_vertex: bool,
    api_key: str | None,
    authority: TokenAuthority,
) -> None:
    """Raise the service's error unless the request carries an acceptable credential."""
    service = VERTEX_SERVICE if is_vertex else GEMINI_SERVICE
    key = headers.get("x-goog-api-key") or (query.get("key") or [""])[0]
    authorization = headers.get("authorization", "")
    if key:
        if api_key is not None and key != api_key:
            message = "API key not valid. Please pass a valid API key."
            raise StatusError(
                400, message, details=[error_info("API_KEY_INVALID", service), localized(message)]
            )
        return
    if authorization.lower().startswith("bearer ") and authorization[7:].strip():
        if api_key is not None and not authority.is_issued(authorization[7:].strip()):
            raise StatusError(
                401,
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
                "cookie or other valid authentication credential. See "
                "https://developers.google.com/identity/sign-in/web/devconsole-project.",
                details=[error_info("ACCESS_TOKEN_TYPE_UNSUPPORTED", service)],
            )
        return
    if is_vertex:
        raise StatusError(
            401,
            "Request is missing required authentication credential. Expected OAuth 2 access token, login "
            "cookie or other valid authentication credential. See "
            "https://developers.google.com/identity/sign-in/web/devconsole-project.",
            details=[error_info("CREDENTIALS_MISSING", service)],
        )
    raise StatusError(
        403,
        "Method doesn't allow unregistered callers (callers without established identity). Please use "
        "API Key or other form of API consumer identity to call this API.",
    )


class HasAuthority(Protocol):
    """What `service_account_info` needs of an emulator."""

    @property
    def url(self) -> str: ...

    @property
    def authority(self) -> TokenAuthority: ...


def service_account_info(emulator: HasAuthority, *, project_id: str = "emulator-project") -> dict[str, str]:
    """Make a fresh fake service-account key whose tokens come from `emulator`'s token endpoint.

    The dict has the shape of a downloaded key file, with a newly generated 2048-bit RSA key, so
    google-auth signs real JWTs and exchanges them for tokens as it does with Google::

        info = service_account_info(emulator)
        credentials = service_account.Credentials.from_service_account_info(
            info, scopes=["https://www.googleapis.com/auth/cloud-platform"]
        )
    """
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    key_id = hashlib.sha1(public_pem).hexdigest()
    emulator.authority.register(key_id, public_pem)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    email = f"emulator@{project_id}.iam.gserviceaccount.com"
    return {
        "type": "service_account",
        "project_id": project_id,
        "private_key_id": key_id,
        "private_key": private_pem.decode("ascii"),
        "client_email": email,
        "client_id": str(int(key_id[:15], 16)),
        "auth_uri": f"{emulator.url}/auth",
        "token_uri": f"{emulator.url}/token",
        "auth_provider_x509_cert_url": f"{emulator.url}/certs",
        "client_x509_cert_url": f"{emulator.url}/certs/{email}",
        "universe_domain": "googleapis.com",
    }


def _verify_rs256(public_pem: bytes, signed: bytes, signature: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding

    key: RSAPublicKey = serialization.load_pem_public_key(public_pem)  # type: ignore[assignment]
    try:
        key.verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


def _unpad(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _oauth_error(error: str, description: str) -> Reply:
    return json_reply({"error": error, "error_description": description}, status=400)
