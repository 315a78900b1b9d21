plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
    id("org.jetbrains.kotlin.plugin.compose")
}

android {
    namespace = "org.certqr.demo"
    compileSdk = 35

    defaultConfig {
        applicationId = "org.certqr.demo"
        minSdk = 26
        targetSdk = 35
        versionCode = 1
        versionName = "0.1"
    }

    buildTypes {
        release {
            isMinifyEnabled = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"), "proguard-rules.pro")
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    kotlinOptions {
        jvmTarget = "17"
    }

    buildFeatures {
        compose = true
    }
}

// libcertqr_ffi.so for each ABI, built by cargo-ndk into src/main/jniLibs (README.md).
// Skip with -Pcertqr.skipRust=true when the libraries are already there.
val abis = listOf("arm64-v8a", "armeabi-v7a", "x86_64")
val buildRustLibraries by tasks.registering(Exec::class) {
    description = "Builds libcertqr_ffi.so for ${abis.joinToString()} with cargo-ndk."
    workingDir = rootDir.parentFile
    onlyIf { findProperty("certqr.skipRust") != "true" }
    val args = mutableListOf("cargo", "ndk")
    abis.forEach { args += listOf("-t", it) }
    args += listOf("-o", file("src/main/jniLibs").path, "build", "--release", "--locked", "-p", "certqr-ffi")
    commandLine(args)
}
tasks.named("preBuild") { dependsOn(buildRustLibraries) }

dependencies {
    implementation(project(":core-logic"))
    // uniffi's Kotlin loads the library through JNA: the Android build, with its native part.
    implementation("net.java.dev.jna:jna:5.15.0@aar")

    val cameraX = "1.4.1"
    implementation("androidx.camera:camera-camera2:$cameraX")
    implementation("androidx.camera:camera-lifecycle:$cameraX")
    implementation("androidx.camera:camera-view:$cameraX")

    implementation(platform("androidx.compose:compose-bom:2024.12.01"))
    implementation("androidx.compose.ui:ui")
    implementation("androidx.compose.material3:material3")
    implementation("androidx.activity:activity-compose:1.9.3")
    implementation("androidx.lifecycle:lifecycle-viewmodel-compose:2.8.7")
    implementation("androidx.lifecycle:lifecycle-runtime-compose:2.8.7")
}
