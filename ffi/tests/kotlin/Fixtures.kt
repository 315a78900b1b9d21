package certqr.tests

import java.io.File
import java.nio.ByteBuffer
import java.nio.file.Files

/**
 * The files `cargo run -p certqr-ffi --example fixtures -- DIR` writes, from the
 * directory in the environment variable CERTQR_FIXTURES (run.sh sets it).
 */
object Fixtures {
    val directory: File = File(
        System.getenv("CERTQR_FIXTURES")
            ?: error("set CERTQR_FIXTURES to the directory the certqr-ffi fixtures example wrote"),
    )
    private val info = file("fixtures.json").readText()

    val now: Long = number("now")
    val rootPem: String = file("root.pub").readText()
    val certificateText: String = file("certificate.txt").readText()
    val lookAlikeLink: String = string("look_alike_link")
    val frameWidth = number("width").toInt()
    val frameHeight = number("height").toInt()
    val frameRowStride = number("row_stride").toInt()
    val frameLuma: ByteArray get() = file(string("file")).readBytes()

    /** The frame's luma plane in a new direct buffer, as `Verifier.scanFrame` takes it. */
    val frameLumaBuffer: ByteBuffer get() = direct(frameLuma)

    /** `bytes` copied into a new direct buffer at position 0. */
    fun direct(bytes: ByteArray): ByteBuffer = ByteBuffer.allocateDirect(bytes.size).apply {
        put(bytes)
        flip()
    }

    fun file(name: String) = File(directory, name)

    fun bytes(name: String): ByteArray = file(name).readBytes()

    /** A new, empty state directory. */
    fun stateDirectory(): String = Files.createTempDirectory("certqr-state").resolve("state").toString()

    private fun number(key: String): Long =
        Regex("\"$key\"\\s*:\\s*(\\d+)").find(info)?.groupValues?.get(1)?.toLong() ?: error("no $key in fixtures.json")

    private fun string(key: String): String =
        Regex("\"$key\"\\s*:\\s*\"([^\"]*)\"").find(info)?.groupValues?.get(1) ?: error("no $key in fixtures.json")
}
