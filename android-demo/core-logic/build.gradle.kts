// The demo's logic that does not touch Android: the scan loop, verdict -> screen state,
// the signed-list update flow. Plain Kotlin against the generated certqr binding, so it
// builds and its tests run on any JVM (ffi/tests/kotlin/run.sh compiles the same
// sources with kotlinc on CI, where there is no Android SDK).
import org.gradle.internal.os.OperatingSystem

plugins {
    id("org.jetbrains.kotlin.jvm")
}

kotlin {
    jvmToolchain(17)
}

// The repository root (android-demo/..), where cargo builds certqr-ffi.
val repository: File = rootDir.parentFile
val hostLibrary = if (OperatingSystem.current().isMacOsX) "libcertqr_ffi.dylib" else "libcertqr_ffi.so"
val bindingsDirectory = layout.buildDirectory.dir("generated/uniffi")
val fixturesDirectory = layout.buildDirectory.dir("certqr-fixtures")

// The Kotlin binding, generated from the host build of certqr-ffi (the same code serves
// every Android ABI: only the native library differs).
val generateBindings by tasks.registering(Exec::class) {
    description = "Builds certqr-ffi for the host and generates its Kotlin binding."
    workingDir = repository
    outputs.dir(bindingsDirectory)
    outputs.upToDateWhen { false } // cargo decides what is stale
    val out = bindingsDirectory.get().asFile.path
    commandLine(
        "sh", "-c",
        "cargo build --quiet -p certqr-ffi --features cli --lib --bin uniffi-bindgen && " +
            "target/debug/uniffi-bindgen generate --library target/debug/$hostLibrary " +
            "--language kotlin --no-format --out-dir \"$out\" >/dev/null",
    )
}

val generateFixtures by tasks.registering(Exec::class) {
    description = "Writes the test inputs (keys, lists, a certificate, a camera frame)."
    workingDir = repository
    outputs.dir(fixturesDirectory)
    commandLine("cargo", "run", "--quiet", "-p", "certqr-ffi", "--example", "fixtures", "--", fixturesDirectory.get().asFile.path)
}

sourceSets.main {
    kotlin.srcDir(generateBindings)
    // What is shipped with the binding (scanLumaPlane).
    kotlin.srcDir(repository.resolve("ffi/kotlin"))
}

dependencies {
    // The app brings JNA's Android AAR; tests on the JVM use the jar.
    compileOnly("net.java.dev.jna:jna:5.15.0")
    testImplementation("net.java.dev.jna:jna:5.15.0")
    testImplementation(kotlin("test-junit"))
}

tasks.test {
    useJUnit()
    dependsOn(generateFixtures)
    systemProperty("jna.library.path", File(repository, "target/debug").path)
    environment("CERTQR_FIXTURES", fixturesDirectory.get().asFile.path)
}
