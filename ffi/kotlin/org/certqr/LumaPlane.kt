// Hand-written, shipped with the generated binding (compile it beside certqr.kt).
package org.certqr

import java.nio.ByteBuffer

/**
 * [Verifier.scanFrame] on a luma (Y) plane read the way `java.nio` buffers are read:
 * from `plane.position()` to `plane.limit()`, whatever kind of buffer it is, without
 * moving it. Prefer this to calling `scanFrame` directly.
 *
 * `scanFrame` borrows the plane's memory for the call (no copy), and uniffi hands Rust
 * the buffer's start address and `remaining()` bytes: it ignores the position, so a
 * buffer with a nonzero position would be read from the wrong byte (the library refuses
 * a length that cannot be the frame, but cannot see the position), and a heap buffer
 * is refused. This passes `plane.slice()`, a direct buffer at position 0 over the same
 * memory, and copies a heap buffer into a direct one first (only then is there a copy).
 *
 * @throws CertqrException as [Verifier.scanFrame] does.
 */
@Throws(CertqrException::class)
fun VerifierInterface.scanLumaPlane(
    plane: ByteBuffer,
    width: Int,
    height: Int,
    rowStride: Int,
    now: Long,
): List<ScannedCode> {
    val view = if (plane.isDirect) {
        plane.slice()
    } else {
        // flip() through apply: older Android has no `ByteBuffer flip()` to call directly.
        ByteBuffer.allocateDirect(plane.remaining()).apply {
            put(plane.duplicate())
            flip()
        }
    }
    return scanFrame(view, width, height, rowStride, now)
}
