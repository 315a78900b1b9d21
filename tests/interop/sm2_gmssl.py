"""SM2 with SM3 (GB/T 32918) interoperability between certqr and gmssl (pure Python).

Run by tests/tests/interop_sm2.rs with one JSON object on stdin; prints one JSON object.

{"operation": "verify", "message_hex", "signature_hex", "public_key_hex"}
    gmssl verifies certqr's signature over the message (the COSE Sig_structure), and
    again over the message with one byte changed.
{"operation": "sign", "message_hex", "private_key_hex"}
    gmssl computes the public key of the private key and signs the message with a nonce
    from Python's `secrets`.

Both sides sign e = SM3(Z_A || M) with Z_A = SM3(ENTL_A || ID_A || a || b || x_G || y_G ||
x_A || y_A): gmssl's CryptSM2._sm3_z hard-codes ID_A = "1234567812345678" (ENTL_A =
0x0080 bits) and the curve of GB/T 32918.5, and sign_with_sm3 / verify_with_sm3 apply
SM3 themselves, so M is passed unhashed. Signatures are r || s (asn1=False), 64 bytes.

What to avoid in gmssl 3.2.2, found while writing this:
- CryptSM2.__init__ removes a "04" prefix with str.lstrip("04"), which strips every
  leading '0' and '4' character: a key whose x starts with those hex digits is mangled.
  The script sets the 128-hex-digit x || y on the object after construction instead.
- sign_with_sm3 draws k with random.choice (Mersenne Twister, not a cryptographic
  source) and does not reduce it below n: the script passes its own k.
- verify does not check 1 <= r, s <= n - 1 (GB/T 32918.2 B1, B2); certqr does.
"""

import json
import secrets
import sys

from gmssl import sm2

ORDER = int(sm2.default_ecc_table["n"], 16)


def crypt(private_key_hex, public_key_xy_hex):
    if len(public_key_xy_hex) != 128:
        raise ValueError("public key must be x || y, 128 hex digits")
    crypt_sm2 = sm2.CryptSM2(private_key=private_key_hex, public_key="")
    # Not through the constructor: see the lstrip note above.
    crypt_sm2.public_key = public_key_xy_hex
    return crypt_sm2


def verify(request):
    public_key = request["public_key_hex"].lower()
    if not (len(public_key) == 130 and public_key.startswith("04")):
        raise ValueError("expected a 65-byte SEC1 uncompressed point")
    crypt_sm2 = crypt("", public_key[2:])
    message = bytes.fromhex(request["message_hex"])
    signature = request["signature_hex"].lower()
    tampered = bytearray(message)
    tampered[len(tampered) // 2] ^= 0x01
    return {
        "signature_valid": bool(crypt_sm2.verify_with_sm3(signature, message)),
        "tampered_valid": bool(crypt_sm2.verify_with_sm3(signature, bytes(tampered))),
    }


def sign(request):
    private_key = request["private_key_hex"].lower()
    d = int(private_key, 16)
    if not 1 <= d <= ORDER - 2:
        raise ValueError("private key out of range")
    probe = sm2.CryptSM2(private_key=private_key, public_key="")
    public_key_xy = probe._kg(d, sm2.default_ecc_table["g"])
    crypt_sm2 = crypt(private_key, public_key_xy)
    message = bytes.fromhex(request["message_hex"])
    signature = None
    while signature is None:  # gmssl returns None where GB/T 32918.2 A5/A6 draws again
        k = secrets.randbelow(ORDER - 1) + 1
        signature = crypt_sm2.sign_with_sm3(message, "%064x" % k)
    return {
        "public_key_hex": "04" + public_key_xy,
        "signature_hex": signature,
        # gmssl verifies its own signature (a sanity check of the script itself).
        "self_check": bool(crypt_sm2.verify_with_sm3(signature, message)),
    }


def main():
    request = json.load(sys.stdin)
    operation = request["operation"]
    if operation == "verify":
        result = verify(request)
    elif operation == "sign":
        result = sign(request)
    else:
        raise ValueError(f"unknown operation {operation!r}")
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
