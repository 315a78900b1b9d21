pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "certqr-demo"

// The Android app, and the logic that does not touch Android (plain Kotlin, unit-tested
// on the JVM: by `./gradlew :core-logic:test` here, and by ffi/tests/kotlin/run.sh on CI).
include(":app", ":core-logic")
