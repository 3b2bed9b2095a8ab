"""Protection of stored ID card numbers (身份证号): Fernet encryption plus a keyed digest.

Keys come from the environment variable ``MINGBAI_ID_KEYS`` (setting of the same name):
comma-separated Fernet keys (``Fernet.generate_key()``), the first is current and used for
new ciphertexts and digests; the others are older keys still accepted for reading and for
digest look-ups until ``rotate_id_keys`` has re-encrypted every row. Without the variable a
key derived from ``SECRET_KEY`` is used (development and tests only).
"""

from __future__ import annotations

import base64
import hashlib
import os
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from core.identity import id_number_digest, mask_id_number, normalize_id_number


def _configured_keys() -> tuple[str, ...]:
    raw = getattr(settings, "MINGBAI_ID_KEYS", None) or os.environ.get("MINGBAI_ID_KEYS", "")
    if isinstance(raw, list | tuple):
        keys = [k.strip() for k in raw if k.strip()]
    else:
        keys = [k.strip() for k in str(raw).split(",") if k.strip()]
    if not keys:
        seed = hashlib.sha256(b"mingbai-id-key:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(seed).decode()]
    return tuple(keys)


@lru_cache(maxsize=8)
def _fernets(keys: tuple[str, ...]) -> tuple[Fernet, ...]:
    return tuple(Fernet(k.encode()) for k in keys)


def _digest_key(fernet_key: str) -> bytes:
    return hashlib.sha256(b"mingbai-id-digest:" + fernet_key.encode()).digest()


def id_keys() -> tuple[str, ...]:
    return _configured_keys()


def encrypt_id(id_number: str) -> str:
    """Ciphertext (Fernet token, text) of the normalised ID number under the current key."""
    return _fernets(id_keys())[0].encrypt(normalize_id_number(id_number).encode()).decode()


def decrypt_id(token: str) -> str:
    """Plain ID number; accepts tokens of any configured key. Raises InvalidToken otherwise."""
    return MultiFernet(list(_fernets(id_keys()))).decrypt(token.encode()).decode()


def digest_id(id_number: str) -> str:
    """HMAC digest under the current key (stored in Person.id_digest)."""
    return id_number_digest(id_number, _digest_key(id_keys()[0]))


def digest_keys() -> tuple[bytes, ...]:
    """The HMAC keys of every configured key, current first (for many look-ups at once)."""
    return tuple(_digest_key(k) for k in id_keys())


def candidate_digests(id_number: str, keys: tuple[bytes, ...] | None = None) -> list[str]:
    """The digest under every configured key, for look-ups while a rotation is under way."""
    return [id_number_digest(id_number, key) for key in keys or digest_keys()]


def is_current(token: str) -> bool:
    """Whether a ciphertext was made with the current key."""
    try:
        _fernets(id_keys())[0].decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def protect_id(id_number: str) -> dict[str, str]:
    """The stored fields of an ID number: ciphertext, digest, last 4 and the masked form."""
    n = normalize_id_number(id_number)
    return {
        "id_cipher": encrypt_id(n),
        "id_digest": digest_id(n),
        "id_last4": n[-4:],
        "id_masked": mask_id_number(n),
    }
