package org.certqr.demo

import android.app.Application
import android.net.Uri
import androidx.lifecycle.AndroidViewModel
import java.io.File
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.update
import org.certqr.demo.core.Bilingual
import org.certqr.demo.core.ListKind
import org.certqr.demo.core.ScanLoop
import org.certqr.demo.core.ScreenState
import org.certqr.demo.core.SignedLists
import org.certqr.CertqrException

/** Everything the UI draws. */
data class UiState(
    /** Null until the verifier is open (it reads the state directory: off the UI thread). */
    val screen: ScreenState? = null,
    /** Opening the verifier failed: the app cannot verify. */
    val fatal: Bilingual? = null,
    /** The result of the last list update, shown until dismissed. */
    val notice: Bilingual? = null,
)

/**
 * Holds the verifier and the scan loop for the activity's lifetime across rotations.
 * The verifier is opened from the app's assets (`root.pub`, the pinned root keys, one
 * PEM after another; `trust-list.cose`, the trust list shipped with the app) and keeps
 * its state in the app's files directory.
 */
class DemoViewModel(application: Application) : AndroidViewModel(application) {
    private val _state = MutableStateFlow(UiState())

    /** What the UI draws. */
    val state: StateFlow<UiState> = _state

    /** Opens the verifier, scans frames and installs lists: one at a time, off the UI thread. */
    private val worker: ExecutorService = Executors.newSingleThreadExecutor()

    @Volatile
    private var lists: SignedLists? = null

    @Volatile
    private var loop: ScanLoop? = null

    init {
        worker.execute { open() }
    }

    private fun open() {
        val assets = getApplication<Application>().assets
        try {
            val roots = Regex("-----BEGIN PUBLIC KEY-----.*?-----END PUBLIC KEY-----\\s*", RegexOption.DOT_MATCHES_ALL)
                .findAll(assets.open("root.pub").use { it.readBytes().decodeToString() })
                .map { it.value }
                .toList()
            val bundled = assets.open("trust-list.cose").use { it.readBytes() }
            val directory = File(getApplication<Application>().filesDir, "certqr").path
            val opened = SignedLists.open(roots, directory, bundled)
            lists = opened
            loop = ScanLoop(opened.verifier, worker, { System.currentTimeMillis() / 1000 }) { outcome ->
                _state.update { it.copy(screen = ScreenState.of(outcome)) }
            }
            _state.update { it.copy(screen = ScreenState.Scanning) }
        } catch (error: CertqrException) {
            _state.update { it.copy(fatal = Bilingual("无法启动核验", "Cannot start verifying: ${error.message}")) }
        } catch (error: java.io.IOException) {
            _state.update { it.copy(fatal = Bilingual("应用资源缺失", "Missing app asset: ${error.message}")) }
        }
    }

    /** The scan loop, once the verifier is open; the camera analyzer offers it frames. */
    fun scanLoop(): ScanLoop? = loop

    /** Back to the camera after a verdict. */
    fun scanAgain() {
        _state.update { it.copy(screen = ScreenState.Scanning) }
        loop?.reset()
    }

    /** Installs the list of [kind] from the file the system picker returned. */
    fun installFromFile(kind: ListKind, uri: Uri) {
        val resolver = getApplication<Application>().contentResolver
        worker.execute {
            val current = lists ?: return@execute
            val notice = try {
                resolver.openInputStream(uri)?.use { current.update(kind, it).message() }
                    ?: Bilingual("无法打开文件", "The file could not be opened")
            } catch (error: java.io.IOException) {
                Bilingual("无法读取文件", "The file could not be read: ${error.message}")
            }
            _state.update { it.copy(notice = notice) }
        }
    }

    /** Hides the list update's message. */
    fun dismissNotice() = _state.update { it.copy(notice = null) }

    override fun onCleared() {
        worker.shutdown()
        lists?.verifier?.close()
    }
}
