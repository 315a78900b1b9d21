"""Decode PNG pictures of QR codes with two independent decoders: zxing-cpp and ZBar.

Reads JSON on stdin: {"images": [{"png_hex": "..."}, ...]}. Each PNG is opened with
Pillow, converted to 8-bit grey, and read by zxing-cpp (QR codes only, TextMode.Plain)
and by ZBar through pyzbar (QR codes only; its bytes read as UTF-8). Prints JSON:
{"zxing_cpp": version, "pyzbar": version, "pillow": version,
 "results": [{"zxing": [texts], "zbar": [texts]}, ...]}.
"""

import importlib.metadata
import io
import json
import sys

import zxingcpp
from PIL import Image
from pyzbar import pyzbar


def main():
    request = json.load(sys.stdin)
    results = []
    for entry in request["images"]:
        picture = Image.open(io.BytesIO(bytes.fromhex(entry["png_hex"]))).convert("L")
        zxing = zxingcpp.read_barcodes(
            picture,
            formats=zxingcpp.BarcodeFormat.QRCode,
            text_mode=zxingcpp.TextMode.Plain,
        )
        zbar = pyzbar.decode(picture, symbols=[pyzbar.ZBarSymbol.QRCODE])
        results.append(
            {
                "zxing": [barcode.text for barcode in zxing],
                "zbar": [symbol.data.decode("utf-8") for symbol in zbar],
            }
        )
    json.dump(
        {
            "zxing_cpp": importlib.metadata.version("zxing-cpp"),
            "pyzbar": importlib.metadata.version("pyzbar"),
            "pillow": importlib.metadata.version("pillow"),
            "results": results,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
