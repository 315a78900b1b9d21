package org.certqr.demo

import android.util.Size
import androidx.camera.core.CameraSelector
import androidx.camera.core.ImageAnalysis
import androidx.camera.core.ImageProxy
import androidx.camera.core.Preview
import androidx.camera.core.resolutionselector.ResolutionSelector
import androidx.camera.core.resolutionselector.ResolutionStrategy
import androidx.camera.lifecycle.ProcessCameraProvider
import androidx.camera.view.PreviewView
import androidx.core.content.ContextCompat
import androidx.lifecycle.LifecycleOwner
import java.util.concurrent.ExecutorService
import org.certqr.demo.core.LumaFrame
import org.certqr.demo.core.ScanLoop

/**
 * Binds the back camera's preview to [previewView] and hands each analysis frame's Y
 * plane, with its row stride, to the scan loop. The loop copies a frame only when it
 * will scan it, and scans on its own thread, so the analyzer returns at once and the
 * camera keeps only the latest frame.
 */
class CameraScanner(
    private val previewView: PreviewView,
    private val analyzerExecutor: ExecutorService,
    private val loop: () -> ScanLoop?,
) {
    private var provider: ProcessCameraProvider? = null
    private var released = false

    /** Unbinds the camera (the verdict screen replaced the preview). Main thread. */
    fun unbind() {
        released = true
        provider?.unbindAll()
        provider = null
    }

    /** Starts the preview and the analysis for [owner]'s lifetime. */
    fun bind(owner: LifecycleOwner) {
        val context = previewView.context
        val future = ProcessCameraProvider.getInstance(context)
        future.addListener({
            if (released) return@addListener
            val provider = future.get()
            val preview = Preview.Builder().build().also { it.setSurfaceProvider(previewView.surfaceProvider) }
            val analysis = ImageAnalysis.Builder()
                // 1280x720 is enough for a card's code at arm's length, and quick to scan.
                .setResolutionSelector(
                    ResolutionSelector.Builder()
                        .setResolutionStrategy(
                            ResolutionStrategy(Size(1280, 720), ResolutionStrategy.FALLBACK_RULE_CLOSEST_HIGHER_THEN_LOWER),
                        )
                        .build(),
                )
                .setBackpressureStrategy(ImageAnalysis.STRATEGY_KEEP_ONLY_LATEST)
                .setOutputImageFormat(ImageAnalysis.OUTPUT_IMAGE_FORMAT_YUV_420_888)
                .build()
            analysis.setAnalyzer(analyzerExecutor) { image -> analyze(image) }
            provider.unbindAll()
            provider.bindToLifecycle(owner, CameraSelector.DEFAULT_BACK_CAMERA, preview, analysis)
            this.provider = provider
        }, ContextCompat.getMainExecutor(context))
    }

    private fun analyze(image: ImageProxy) {
        image.use {
            val luma = it.planes[0]
            // The code is found whatever its rotation: the sensor's orientation needs no fixing.
            loop()?.offer { LumaFrame.copyOf(luma.buffer, it.width, it.height, luma.rowStride, luma.pixelStride) }
        }
    }
}
