package org.certqr.demo.core

import java.nio.ByteBuffer

/**
 * A camera frame's luma (Y) plane as `Verifier.scanFrame` takes it: `height` rows of
 * `width` bytes, each row starting `rowStride` bytes after the previous one. The last
 * row may stop at `width` bytes (CameraX leaves out its padding).
 *
 * The bytes are kept in a direct buffer of their own, which `scanFrame` borrows without
 * a copy; [luma] is a read-only view of it at position 0 (uniffi reads a buffer from its
 * start whatever its position), so it can be passed to `scanFrame` as it is.
 */
class LumaFrame private constructor(private val plane: ByteBuffer, val width: Int, val height: Int, val rowStride: Int) {
    /** A copy of `luma` in a direct buffer. */
    constructor(luma: ByteArray, width: Int, height: Int, rowStride: Int) :
        this(directCopy(ByteBuffer.wrap(luma)), width, height, rowStride)

    init {
        require(width > 0 && height > 0) { "empty frame: $width x $height" }
        require(rowStride >= width) { "row stride $rowStride is below the width $width" }
        require(plane.remaining().toLong() >= rowStride.toLong() * (height - 1) + width) {
            "${plane.remaining()} bytes is too short for $height rows of stride $rowStride"
        }
    }

    /** The plane: a new read-only view at position 0 on each call, direct. */
    val luma: ByteBuffer get() = plane.asReadOnlyBuffer()

    /** The plane's bytes, copied. */
    fun bytes(): ByteArray = ByteArray(plane.remaining()).also { plane.duplicate().get(it) }

    companion object {
        /**
         * The remaining bytes of `source` in a new direct buffer at position 0 (`flip()`
         * through `apply`: older Android has no `ByteBuffer flip()` to call directly).
         */
        private fun directCopy(source: ByteBuffer): ByteBuffer =
            ByteBuffer.allocateDirect(source.remaining()).apply {
                put(source)
                flip()
            }

        /**
         * Copies a Y plane out of a camera buffer (CameraX `ImageProxy.planes[0]`), which
         * must not be kept after the image is closed. With `pixelStride` 1 (the usual
         * case) the bytes are copied as they are, padding and all; otherwise the luma
         * samples are packed into rows of `width` bytes. Reads from the buffer's position
         * without moving it.
         */
        fun copyOf(plane: ByteBuffer, width: Int, height: Int, rowStride: Int, pixelStride: Int): LumaFrame {
            require(pixelStride >= 1) { "pixel stride $pixelStride" }
            val source = plane.duplicate()
            if (pixelStride == 1) {
                val needed = rowStride.toLong() * (height - 1) + width
                require(source.remaining() >= needed) {
                    "${source.remaining()} bytes in the plane, $needed needed"
                }
                val length = minOf(source.remaining().toLong(), rowStride.toLong() * height).toInt()
                source.limit(source.position() + length)
                return LumaFrame(directCopy(source), width, height, rowStride)
            }
            val needed = rowStride.toLong() * (height - 1) + pixelStride.toLong() * (width - 1) + 1
            require(source.remaining() >= needed) { "${source.remaining()} bytes in the plane, $needed needed" }
            val start = source.position()
            val luma = ByteArray(width * height)
            for (row in 0 until height) {
                for (column in 0 until width) {
                    luma[row * width + column] = source.get(start + row * rowStride + column * pixelStride)
                }
            }
            return LumaFrame(luma, width, height, width)
        }
    }
}
