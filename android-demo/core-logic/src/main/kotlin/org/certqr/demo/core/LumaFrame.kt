package org.certqr.demo.core

import java.nio.ByteBuffer

/**
 * A camera frame's luma (Y) plane as `Verifier.scanFrame` takes it: `height` rows of
 * `width` bytes, each row starting `rowStride` bytes after the previous one. The last
 * row may stop at `width` bytes (CameraX leaves out its padding).
 */
class LumaFrame(val luma: ByteArray, val width: Int, val height: Int, val rowStride: Int) {
    init {
        require(width > 0 && height > 0) { "empty frame: $width x $height" }
        require(rowStride >= width) { "row stride $rowStride is below the width $width" }
        require(luma.size.toLong() >= rowStride.toLong() * (height - 1) + width) {
            "${luma.size} bytes is too short for $height rows of stride $rowStride"
        }
    }

    companion object {
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
                val luma = ByteArray(minOf(source.remaining().toLong(), rowStride.toLong() * height).toInt())
                source.get(luma)
                return LumaFrame(luma, width, height, rowStride)
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
