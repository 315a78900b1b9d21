"""Reads a private key certqr wrote with pyca/cryptography and signs with it.

Input (JSON on stdin): {"private_key_pem": "...", "message_hex": "..."}.
Output (JSON on stdout):
  {"loaded": true, "algorithm": "ed25519", "public_key_pem": "...", "signature_hex": "..."}
  or {"loaded": false, "error": "<exception class name>"} when cryptography refuses
  the key (it has no SM2: its EC curves are the NIST, SECG and Brainpool ones).
"""

import json
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519


def main():
    request = json.load(sys.stdin)
    try:
        key = serialization.load_pem_private_key(
            request["private_key_pem"].encode("ascii"), password=None
        )
    except Exception as error:  # noqa: BLE001 - the class name is the answer
        json.dump({"loaded": False, "error": type(error).__name__}, sys.stdout)
        return
    if not isinstance(key, ed25519.Ed25519PrivateKey):
        json.dump({"loaded": True, "algorithm": type(key).__name__}, sys.stdout)
        return
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signature = key.sign(bytes.fromhex(request["message_hex"]))
    json.dump(
        {
            "loaded": True,
            "algorithm": "ed25519",
            "public_key_pem": public_pem.decode("ascii"),
            "signature_hex": signature.hex(),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
