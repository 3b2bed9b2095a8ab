"""Key rotation for stored ID card numbers (身份证号密钥轮换)."""

from django.db import transaction

from people.roster.crypto import decrypt_id, digest_id, encrypt_id, is_current
from people.roster.models import Person


def id_keys_rotate(*, batch_size: int = 1000) -> dict[str, int]:
    """Re-encrypt every ID number not under the current key and recompute its digest.

    Safe to run twice and to interrupt: each batch commits on its own, rows already under
    the current key are skipped, and look-ups accept the digest of every configured key.
    """
    rotated = current = 0
    last_pk = 0
    while True:
        batch = list(
            Person.objects.filter(pk__gt=last_pk)
            .order_by("pk")
            .only("pk", "id_cipher", "id_digest")[:batch_size]
        )
        if not batch:
            break
        last_pk = batch[-1].pk
        stale = []
        for person in batch:
            plain = decrypt_id(person.id_cipher)
            digest = digest_id(plain)
            if is_current(person.id_cipher) and person.id_digest == digest:
                current += 1
                continue
            person.id_cipher = encrypt_id(plain)
            person.id_digest = digest
            stale.append(person)
        if stale:
            with transaction.atomic():
                Person.objects.bulk_update(stale, ["id_cipher", "id_digest"])
            rotated += len(stale)
    return {"rotated": rotated, "current": current}
