# Sourced by run.sh and bench.sh: installs what the Kotlin tests need when it is missing
# (quiet, and fast when it is there) and sets
#   KOTLINC     the JVM compiler, from the npm package kotlin-compiler (in target/tools/)
#   KOTLIN_LIB  its lib/ (kotlin-stdlib.jar, kotlin-test.jar, kotlin-test-junit.jar)
#   JAVA_LIBS   JNA and JUnit 4 from Debian (libjna-java, junit4), ':'-separated
# Needs the repository root as the working directory, npm, a JDK and apt-get as root.

kotlin_version=2.4.20
kotlin_home=target/tools/kotlin-compiler-$kotlin_version
if [ ! -x "$kotlin_home/bin/kotlinc" ]; then
    echo "installing kotlin-compiler $kotlin_version (npm) into $kotlin_home"
    rm -rf "$kotlin_home.partial"
    mkdir -p "$kotlin_home.partial"
    (cd "$kotlin_home.partial" && npm pack --silent "kotlin-compiler@$kotlin_version" >/dev/null \
        && tar xzf "kotlin-compiler-$kotlin_version.tgz" --strip-components=1 \
        && rm "kotlin-compiler-$kotlin_version.tgz")
    chmod +x "$kotlin_home.partial"/bin/*
    mv "$kotlin_home.partial" "$kotlin_home"
fi
KOTLINC=$PWD/$kotlin_home/bin/kotlinc
KOTLIN_LIB=$PWD/$kotlin_home/lib

if [ ! -f /usr/share/java/jna.jar ] || [ ! -f /usr/share/java/junit4.jar ]; then
    echo "installing libjna-java and junit4 (apt)"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libjna-java junit4 >/dev/null 2>&1; then
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libjna-java junit4 >/dev/null
    fi
fi
JAVA_LIBS=/usr/share/java/jna.jar:/usr/share/java/junit4.jar:/usr/share/java/hamcrest-core.jar

# Compiles the generated binding $1 (certqr.kt) and the hand-written code shipped with it
# (ffi/kotlin/) with the Android demo's core logic, its
# unit tests and this directory's tests and benchmark into one jar, printed on stdout.
# The jar is kept in target/kotlin-tests/ under a hash of its sources, so a second run
# with the same sources does not compile again.
compile_kotlin_tests() {
    local binding=$1 sources hash jar
    sources=$(find "$binding" ffi/kotlin android-demo/core-logic/src/main/kotlin android-demo/core-logic/src/test/kotlin \
        ffi/tests/kotlin -name '*.kt' | LC_ALL=C sort)
    # shellcheck disable=SC2086  # one path per line, none with spaces
    hash=$( (echo "$kotlin_version"; cat $sources) | sha256sum | cut -c1-16)
    jar=target/kotlin-tests/certqr-tests-$hash.jar
    if [ ! -f "$jar" ]; then
        mkdir -p target/kotlin-tests
        rm -f target/kotlin-tests/certqr-tests-*.jar
        # C1 only: a short compiler run finishes sooner without the optimising JIT.
        # shellcheck disable=SC2086
        JAVA_OPTS="${JAVA_OPTS:--XX:TieredStopAtLevel=1}" "$KOTLINC" -nowarn -jvm-target 17 -classpath "$KOTLIN_LIB/kotlin-test.jar:$KOTLIN_LIB/kotlin-test-junit.jar:$JAVA_LIBS" \
            -d "$jar.partial.jar" $sources >&2
        mv "$jar.partial.jar" "$jar"
    fi
    echo "$jar"
}

# The classpath to run the compiled jar $1 with.
kotlin_test_classpath() {
    echo "$1:$KOTLIN_LIB/kotlin-stdlib.jar:$KOTLIN_LIB/kotlin-test.jar:$KOTLIN_LIB/kotlin-test-junit.jar:$JAVA_LIBS"
}
