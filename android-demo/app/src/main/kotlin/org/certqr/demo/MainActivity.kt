package org.certqr.demo

import android.Manifest
import android.content.pm.PackageManager
import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.compose.setContent
import androidx.activity.result.contract.ActivityResultContracts
import androidx.activity.viewModels
import androidx.camera.view.PreviewView
import androidx.compose.foundation.background
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import androidx.compose.ui.unit.sp
import androidx.compose.ui.viewinterop.AndroidView
import androidx.core.content.ContextCompat
import androidx.lifecycle.compose.LocalLifecycleOwner
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import java.util.concurrent.Executors
import org.certqr.demo.core.Bilingual
import org.certqr.demo.core.HolderDetails
import org.certqr.demo.core.ListKind
import org.certqr.demo.core.ScreenState
import org.certqr.demo.core.Tone
import org.certqr.demo.core.VerdictScreen

/** The one screen: camera, verdict, or error, with the list-update buttons. */
class MainActivity : ComponentActivity() {
    private val model: DemoViewModel by viewModels()

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        setContent {
            MaterialTheme {
                Surface(Modifier.fillMaxSize()) {
                    val state by model.state.collectAsStateWithLifecycle()
                    App(state, model)
                }
            }
        }
    }
}

@Composable
private fun App(state: UiState, model: DemoViewModel) {
    // The system file picker; lists have no registered MIME type, so any file.
    var pickingFor by remember { mutableStateOf(ListKind.TRUST_LIST) }
    val picker = rememberLauncherForActivityResult(ActivityResultContracts.OpenDocument()) { uri ->
        if (uri != null) model.installFromFile(pickingFor, uri)
    }
    Column(Modifier.fillMaxSize()) {
        Box(Modifier.weight(1f).fillMaxWidth()) {
            when (val screen = state.screen) {
                null -> Centered(state.fatal ?: Bilingual("正在启动…", "Starting…"))
                ScreenState.Scanning -> CameraWithPermission(model)
                is ScreenState.Result -> Verdict(screen.screen, model::scanAgain)
                is ScreenState.Error -> Column(Modifier.fillMaxSize().padding(24.dp), verticalArrangement = Arrangement.Center) {
                    BilingualText(screen.message, 20.sp)
                    Button(onClick = model::scanAgain) { Text("再次扫描 Scan again") }
                }
            }
        }
        Row(Modifier.fillMaxWidth().padding(8.dp), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            OutlinedButton(onClick = { pickingFor = ListKind.TRUST_LIST; picker.launch(arrayOf("*/*")) }) {
                Text("更新信任列表\nUpdate trust list")
            }
            OutlinedButton(onClick = { pickingFor = ListKind.REVOCATION_LIST; picker.launch(arrayOf("*/*")) }) {
                Text("更新吊销列表\nUpdate revocation list")
            }
        }
    }
    state.notice?.let { notice ->
        AlertDialog(
            onDismissRequest = model::dismissNotice,
            confirmButton = { TextButton(onClick = model::dismissNotice) { Text("好 OK") } },
            text = { BilingualText(notice, 16.sp) },
        )
    }
}

@Composable
private fun CameraWithPermission(model: DemoViewModel) {
    val context = LocalContext.current
    var granted by remember {
        mutableStateOf(ContextCompat.checkSelfPermission(context, Manifest.permission.CAMERA) == PackageManager.PERMISSION_GRANTED)
    }
    val request = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) { granted = it }
    LaunchedEffect(Unit) { if (!granted) request.launch(Manifest.permission.CAMERA) }
    if (!granted) {
        Centered(Bilingual("需要相机权限才能扫描", "The camera permission is needed to scan"))
        return
    }
    val owner = LocalLifecycleOwner.current
    val analyzerExecutor = remember { Executors.newSingleThreadExecutor() }
    var scanner by remember { mutableStateOf<CameraScanner?>(null) }
    DisposableEffect(Unit) {
        onDispose {
            scanner?.unbind()
            analyzerExecutor.shutdown()
        }
    }
    AndroidView(
        modifier = Modifier.fillMaxSize(),
        factory = { viewContext ->
            PreviewView(viewContext).also { view ->
                scanner = CameraScanner(view, analyzerExecutor, model::scanLoop).also { it.bind(owner) }
            }
        },
    )
}

@Composable
private fun Verdict(screen: VerdictScreen, scanAgain: () -> Unit) {
    val (background, foreground) = when (screen.tone) {
        Tone.GREEN -> Color(0xFF1B7F3B) to Color.White
        Tone.RED -> Color(0xFFB3261E) to Color.White
    }
    Column(
        Modifier.fillMaxSize().verticalScroll(rememberScrollState()),
    ) {
        Column(Modifier.fillMaxWidth().background(background).padding(24.dp)) {
            Text(screen.title.zh, color = foreground, fontSize = 30.sp, fontWeight = FontWeight.Bold)
            Text(screen.title.en, color = foreground, fontSize = 20.sp)
            for (reason in screen.reasons) BilingualText(reason, 16.sp, foreground, Modifier.padding(top = 8.dp))
        }
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
            for (warning in screen.warnings) BilingualText(warning, 14.sp, Color(0xFF8A5300))
            screen.holder?.let { Holder(it) }
            screen.issuer?.let { Field("发证机关 Issued by", "${it.zh}\n${it.en}") }
            screen.scannedText?.let { Field("二维码内容 The code says", it) }
            Button(onClick = scanAgain, modifier = Modifier.padding(top = 16.dp)) { Text("再次扫描 Scan again") }
        }
    }
}

@Composable
private fun Holder(holder: HolderDetails) {
    if (!holder.authentic) {
        BilingualText(Bilingual("以下信息未经验证，不可采信", "These details are not verified: do not rely on them"), 16.sp, Color(0xFFB3261E))
    }
    Text("请与身份证核对 Compare with the ID card", fontWeight = FontWeight.Bold)
    Field("姓名 Name", holder.name)
    Field("性别 Sex", "${holder.sex.zh} ${holder.sex.en}")
    Field("身份证号 ID number", holder.idNumber)
    Field("证书 Certificate", "${holder.certificate.zh}\n${holder.certificate.en}")
    Field("证书编号 Certificate number", holder.certificateNumber)
    Field("有效期 Valid", holder.validity)
    holder.reviewDue?.let { Field("复审日期 Review due", it) }
    Field("初领日期 First issued", holder.firstIssued)
}

@Composable
private fun Field(label: String, value: String) {
    Column {
        Text(label, fontSize = 12.sp, color = Color.Gray)
        Text(value, fontSize = 18.sp)
    }
}

@Composable
private fun BilingualText(text: Bilingual, size: androidx.compose.ui.unit.TextUnit, color: Color = Color.Unspecified, modifier: Modifier = Modifier) {
    Column(modifier) {
        Text(text.zh, fontSize = size, color = color)
        Text(text.en, fontSize = size * 0.85f, color = color)
    }
}

@Composable
private fun Centered(text: Bilingual) {
    Box(Modifier.fillMaxSize().padding(24.dp), contentAlignment = Alignment.Center) { BilingualText(text, 18.sp) }
}
