"""zxing-cpp on grey pictures, timed: the baseline of certqr's scan-eval.

Reads JSON on stdin: {"repeats": R, "images": ["a.pgm", ...]}, each an 8-bit binary
PGM ("P5") written by scan-eval. Each picture is loaded first; then only the decode call,
zxingcpp.read_barcodes(formats=QRCode, text_mode=Plain, other options at their
defaults), is timed with time.perf_counter, R times. Prints JSON:
{"zxing_cpp": version, "python": version,
 "results": [{"texts": [...], "ms": [...]}, ...]}, one result per picture in order.
"""

import importlib.metadata
import json
import platform
import sys
import time

import zxingcpp


def read_pgm(path):
    with open(path, "rb") as file:
        data = file.read()
    fields = []
    position = 0
    # Magic, width, height, maxval, separated by whitespace; one whitespace byte, then pixels.
    while len(fields) < 4:
        while data[position : position + 1].isspace():
            position += 1
        start = position
        while not data[position : position + 1].isspace():
            position += 1
        fields.append(data[start:position])
    position += 1
    if fields[0] != b"P5" or int(fields[3]) != 255:
        raise ValueError(f"{path}: not an 8-bit binary PGM")
    width, height = int(fields[1]), int(fields[2])
    pixels = data[position : position + width * height]
    if len(pixels) != width * height:
        raise ValueError(f"{path}: truncated")
    return memoryview(pixels).cast("B", (height, width))


def main():
    request = json.load(sys.stdin)
    repeats = max(1, int(request["repeats"]))
    results = []
    for path in request["images"]:
        pixels = read_pgm(path)
        texts = None
        millis = []
        for _ in range(repeats):
            started = time.perf_counter()
            barcodes = zxingcpp.read_barcodes(
                pixels,
                formats=zxingcpp.BarcodeFormat.QRCode,
                text_mode=zxingcpp.TextMode.Plain,
            )
            millis.append((time.perf_counter() - started) * 1000.0)
            if texts is None:
                texts = [barcode.text for barcode in barcodes]
        results.append({"texts": texts, "ms": millis})
    json.dump(
        {
            "zxing_cpp": importlib.metadata.version("zxing-cpp"),
            "python": platform.python_version(),
            "results": results,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
