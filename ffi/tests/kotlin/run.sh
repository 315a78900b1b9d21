#!/usr/bin/env bash
# The Kotlin binding's tests on the JVM (there is no Android SDK here), run by
# ffi/tests/run.sh after it generated the bindings and the fixtures:
#   - certqr.tests.BindingTest (this directory): the binding's calls, the cases of the
#     Python tests;
#   - certqr.tests.JavaBindingTest (ffi/tests/java, javac from the JDK): the binding as
#     a Java app calls it (plain JVM names, catchable exceptions);
#   - the unit tests of the Android demo's plain-Kotlin logic (android-demo/core-logic:
#     the scan loop, verdict to screen, the trust-list update flow), against the real
#     binding and library.
# kotlinc comes from the npm package kotlin-compiler, JNA and JUnit 4 from Debian
# (tools.sh installs them when missing). The library is loaded with -Djna.library.path.
#
#   bash ffi/tests/kotlin/run.sh
#
# Alone, it builds certqr-ffi (dev profile) and generates the binding and fixtures
# itself; from ffi/tests/run.sh it uses target/bindings/ and CERTQR_FIXTURES.
set -euo pipefail
cd "$(dirname "$0")/../../.."

library_dir=target/debug
if [ -n "${CERTQR_FIXTURES:-}" ] && [ -f target/bindings/org/certqr/certqr.kt ]; then
    binding=target/bindings/org/certqr/certqr.kt
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    cargo build --quiet --locked -p certqr-ffi --features cli --lib --bin uniffi-bindgen --example fixtures
    target/debug/uniffi-bindgen generate --library "$library_dir/libcertqr_ffi.so" --no-format \
        --language kotlin --out-dir "$work/bindings" >/dev/null
    target/debug/examples/fixtures "$work/fixtures" >/dev/null
    binding=$work/bindings/org/certqr/certqr.kt
    export CERTQR_FIXTURES=$work/fixtures
fi

# shellcheck source=ffi/tests/kotlin/tools.sh
source ffi/tests/kotlin/tools.sh
jar=$(compile_kotlin_tests "$binding")

# The Java test (ffi/tests/java), compiled by javac against the Kotlin jar.
java_classes=$(mktemp -d)
trap 'rm -rf "${work:-}" "$java_classes"' EXIT
javac -nowarn -d "$java_classes" -cp "$(kotlin_test_classpath "$jar")" \
    $(find ffi/tests/java -name '*.java' | LC_ALL=C sort)

java -Djna.library.path="$PWD/$library_dir" -cp "$java_classes:$(kotlin_test_classpath "$jar")" \
    org.junit.runner.JUnitCore \
    certqr.tests.BindingTest \
    certqr.tests.JavaBindingTest \
    org.certqr.demo.core.LumaFrameTest \
    org.certqr.demo.core.ScanLoopTest \
    org.certqr.demo.core.VerdictScreenTest \
    org.certqr.demo.core.SignedListsTest
