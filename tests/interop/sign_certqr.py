"""Sign certqr claims as a certificate with pycose, independently of certqr.

Reads one JSON object on stdin:
    {"claims_hex": "<claims map>", "seed_hex": "<Ed25519 seed>", "key_id_hex": "<8 bytes>",
     "header": "encoded" | "dict" | "dict-unsorted"}
and prints {"document_hex": ..., "protected_hex": ...} on stdout.

The protected header must be the deterministic CBOR map {1: -8, 3: 65001, 4: kid}.
pycose encodes a header given as a dict with cbor2 in the dict's insertion order, so:
- "encoded" passes the header pre-encoded (cbor2 canonical) as phdr_encoded, which pycose
  signs and sends byte for byte: the robust way;
- "dict" passes a dict inserted in the order 1, 3, 4, which happens to be the
  deterministic order;
- "dict-unsorted" passes a dict inserted in the order 4, 1, 3, to show what a verifier
  that insists on deterministic CBOR receives from a careless signer.
"""

import json
import sys

import cbor2
from pycose.algorithms import EdDSA
from pycose.headers import KID, Algorithm, ContentType
from pycose.keys.curves import Ed25519
from pycose.keys.okp import OKPKey
from pycose.messages import Sign1Message

CERTIFICATE_CONTENT_TYPE = 65001


def main() -> None:
    request = json.load(sys.stdin)
    claims = bytes.fromhex(request["claims_hex"])
    seed = bytes.fromhex(request["seed_hex"])
    key_id = bytes.fromhex(request["key_id_hex"])
    mode = request["header"]

    if mode == "encoded":
        protected = cbor2.dumps({1: EdDSA.identifier, 3: CERTIFICATE_CONTENT_TYPE, 4: key_id}, canonical=True)
        message = Sign1Message(phdr_encoded=protected, payload=claims)
    elif mode == "dict":
        message = Sign1Message(
            phdr={Algorithm: EdDSA, ContentType: CERTIFICATE_CONTENT_TYPE, KID: key_id}, payload=claims)
    elif mode == "dict-unsorted":
        message = Sign1Message(
            phdr={KID: key_id, Algorithm: EdDSA, ContentType: CERTIFICATE_CONTENT_TYPE}, payload=claims)
    else:
        raise SystemExit(f"unknown header mode {mode!r}")

    message.key = OKPKey(crv=Ed25519, d=seed)
    document = message.encode(tag=True)
    print(json.dumps({"document_hex": document.hex(), "protected_hex": message.phdr_encoded.hex()}))


if __name__ == "__main__":
    main()
