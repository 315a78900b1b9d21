"""Shared setup of the Python binding tests (run by ffi/tests/run.sh).

Environment:
- CERTQR_FIXTURES: the directory `cargo run -p certqr-ffi --example fixtures -- DIR` wrote.
- CERTQR_BINDINGS: a directory holding the generated `certqr.py` and the library it
  loads; without it `certqr` is imported from the installed wheel.
- CERTQR_EXPECT_INSTALLED=1: fail unless `certqr` comes from site-packages (the wheel).
"""

import json
import os
import pathlib
import sys

import pytest

if os.environ.get("CERTQR_BINDINGS"):
    sys.path.insert(0, os.environ["CERTQR_BINDINGS"])

import certqr  # noqa: E402  (after the path is set)


def pytest_report_header(config):
    return f"certqr module: {certqr.__file__}"


def pytest_sessionstart(session):
    if os.environ.get("CERTQR_EXPECT_INSTALLED") == "1" and "site-packages" not in certqr.__file__:
        raise pytest.UsageError(f"certqr was imported from {certqr.__file__}, not from the wheel")


class Fixtures:
    """The files of the fixtures directory and what fixtures.json says about them."""

    def __init__(self, directory):
        self.dir = pathlib.Path(directory)
        self.info = json.loads((self.dir / "fixtures.json").read_text())
        self.now = self.info["now"]
        self.root_pem = (self.dir / "root.pub").read_text()
        self.issuer_pem = (self.dir / "issuer.key").read_text()
        self.certificate_text = (self.dir / "certificate.txt").read_text()

    def read(self, name):
        return (self.dir / name).read_bytes()


@pytest.fixture(scope="session")
def fixtures():
    directory = os.environ.get("CERTQR_FIXTURES")
    if not directory:
        raise pytest.UsageError("set CERTQR_FIXTURES (ffi/tests/run.sh does)")
    return Fixtures(directory)


@pytest.fixture
def state_dir(tmp_path):
    return str(tmp_path / "state")


@pytest.fixture
def verifier(fixtures, state_dir):
    """A verifier in a new state directory with trust list 1 installed."""
    verifier = certqr.Verifier([fixtures.root_pem], state_dir)
    verifier.install_trust_list(fixtures.read("trust-list-1.cose"))
    return verifier
