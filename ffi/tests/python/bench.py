"""Times the Python binding's calls, as examples/bench.rs times them from Rust: prints
one line per call, `name microseconds-per-call iterations` (run by ffi/bench.sh).

Environment: CERTQR_BINDINGS (the generated certqr.py beside the library) and
CERTQR_FIXTURES (the directory the fixtures example wrote).
"""

import json
import os
import pathlib
import sys
import tempfile
import time

sys.path.insert(0, os.environ["CERTQR_BINDINGS"])

import certqr  # noqa: E402  (after the path is set)


def time_per_call(iterations, call):
    """Microseconds per call of `call`, after one warm-up call."""
    call()
    start = time.perf_counter()
    for _ in range(iterations):
        call()
    return (time.perf_counter() - start) * 1e6 / iterations


def main():
    fixtures = pathlib.Path(os.environ["CERTQR_FIXTURES"])
    info = json.loads((fixtures / "fixtures.json").read_text())
    now = info["now"]
    text = (fixtures / "certificate.txt").read_text()
    frame = info["frame"]
    luma = (fixtures / frame["file"]).read_bytes()
    with tempfile.TemporaryDirectory() as state:
        verifier = certqr.Verifier([(fixtures / "root.pub").read_text()], state)
        verifier.install_trust_list((fixtures / "trust-list-1.cose").read_bytes())

        def verify():
            if verifier.verify(text, now).status != certqr.VerdictStatus.VALID:
                raise SystemExit("the sample certificate did not verify")

        def scan_frame():
            found = verifier.scan_frame(luma, frame["width"], frame["height"], frame["row_stride"], now)
            if len(found) != 1:
                raise SystemExit(f"{len(found)} codes found in the frame, not 1")

        print(f"verify {time_per_call(5000, verify):.2f} 5000")
        print(f"scan_frame {time_per_call(30, scan_frame):.2f} 30")


if __name__ == "__main__":
    main()
