"""Verify a certqr certificate with pycose, independently of certqr.

Reads one JSON object on stdin:
    {"document_hex": "<COSE_Sign1 document>", "public_key_hex": "<raw Ed25519 public key>"}
and prints one JSON object on stdout: what pycose and cbor2 read from the document,
whether the signature verifies, and whether it still verifies after one payload byte is
changed (it must not). Exits non-zero, with the reason on stderr, if the document cannot
be read at all.
"""

import json
import sys

import cbor2
from pycose.headers import KID, Algorithm, ContentType
from pycose.keys.curves import Ed25519
from pycose.keys.okp import OKPKey
from pycose.messages import Sign1Message

CLAIM_NAMES = {
    1: "family",
    2: "item",
    3: "holder_name",
    4: "sex",
    5: "id_digits",
    6: "number",
    7: "first_issued_days",
    8: "valid_from_days",
    9: "valid_until_days",
    10: "review_due_days",
}


def verifies(document: bytes, public_key: bytes) -> bool:
    message = Sign1Message.decode(document)
    message.key = OKPKey(crv=Ed25519, x=public_key)
    return message.verify_signature()


def main() -> None:
    request = json.load(sys.stdin)
    document = bytes.fromhex(request["document_hex"])
    public_key = bytes.fromhex(request["public_key_hex"])

    message = Sign1Message.decode(document)
    outer = cbor2.loads(document)
    claims = cbor2.loads(message.payload)
    if not isinstance(claims, dict) or not all(isinstance(key, int) for key in claims):
        raise SystemExit("the payload is not a map with integer keys")

    # The same document with the last payload byte changed: the signature must fail.
    payload_at = document.rindex(message.payload)
    last = payload_at + len(message.payload) - 1
    tampered = document[:last] + bytes([document[last] ^ 0x01]) + document[last + 1:]

    print(json.dumps({
        "tag": outer.tag,
        "protected_hex": message.phdr_encoded.hex(),
        "unprotected": {str(key): value for key, value in message.uhdr.items()},
        "algorithm": message.phdr[Algorithm].identifier,
        "content_type": message.phdr[ContentType],
        "key_id_hex": message.phdr[KID].hex(),
        "signature_valid": verifies(document, public_key),
        "tampered_signature_valid": verifies(tampered, public_key),
        "claims": {CLAIM_NAMES.get(key, str(key)): value for key, value in sorted(claims.items())},
    }, ensure_ascii=False, sort_keys=True))


if __name__ == "__main__":
    main()
