package org.certqr.demo.core

import java.nio.ByteBuffer
import kotlin.test.Test
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

class LumaFrameTest {
    @Test
    fun planeWithPixelStrideOneIsCopiedAsItIsWithoutMovingTheBuffer() {
        // 3 rows of 4 pixels, stride 6, the last row without its padding (as CameraX gives it).
        val bytes = ByteArray(6 * 2 + 4) { it.toByte() }
        val plane = ByteBuffer.wrap(bytes)
        val frame = LumaFrame.copyOf(plane, 4, 3, 6, 1)
        assertContentEquals(bytes, frame.bytes())
        assertTrue(frame.luma.isDirect, "scanFrame borrows only direct buffers")
        assertEquals(0, frame.luma.position())
        assertEquals(listOf(4, 3, 6), listOf(frame.width, frame.height, frame.rowStride))
        assertEquals(0, plane.position())
        bytes[0] = 99
        assertEquals(0, frame.bytes()[0], "the frame must be a copy")
    }

    @Test
    fun planeWithPixelStrideTwoIsPacked() {
        // 2 rows of 3 pixels, pixel stride 2, row stride 8: pixel (r, c) is 10 * r + c.
        val bytes = ByteArray(8 + 5)
        for (row in 0 until 2) for (column in 0 until 3) bytes[row * 8 + column * 2] = (10 * row + column).toByte()
        val frame = LumaFrame.copyOf(ByteBuffer.wrap(bytes), 3, 2, 8, 2)
        assertContentEquals(byteArrayOf(0, 1, 2, 10, 11, 12), frame.bytes())
        assertEquals(3, frame.rowStride)
    }

    @Test
    fun shortPlanesAndBadStridesAreRefused() {
        assertFailsWith<IllegalArgumentException> { LumaFrame.copyOf(ByteBuffer.allocate(6 * 2 + 3), 4, 3, 6, 1) }
        assertFailsWith<IllegalArgumentException> { LumaFrame(ByteArray(100), 10, 10, 9) }
        assertFailsWith<IllegalArgumentException> { LumaFrame(ByteArray(0), 0, 10, 10) }
    }
}
