import SwiftUI
import UniformTypeIdentifiers

/// The one screen: camera, verdict or error, with the list-update buttons.
struct ContentView: View {
    @ObservedObject var model: AppModel
    @State private var importing: ListKind?
    @State private var camera: CameraScanner?

    var body: some View {
        VStack(spacing: 0) {
            Group {
                switch model.screen {
                case .starting:
                    centered(Bilingual(zh: "正在启动…", en: "Starting…"))
                case .fatal(let message):
                    centered(message)
                case .scanning:
                    scanner
                case .result(let screen):
                    VerdictView(screen: screen, scanAgain: model.scanAgain)
                case .error(let message):
                    VStack(spacing: 16) {
                        BilingualText(text: message, size: 20)
                        Button("再次扫描 Scan again", action: model.scanAgain).buttonStyle(.borderedProminent)
                    }
                }
            }
            .frame(maxWidth: .infinity, maxHeight: .infinity)
            HStack {
                Button("更新信任列表\nUpdate trust list") { importing = .trustList }
                Button("更新吊销列表\nUpdate revocation list") { importing = .revocationList }
            }
            .buttonStyle(.bordered)
            .padding(8)
        }
        // Lists have no registered type: any file.
        .fileImporter(isPresented: Binding(get: { importing != nil }, set: { if !$0 { importing = nil } }),
                      allowedContentTypes: [.data]) { result in
            if case .success(let url) = result, let kind = importing { model.install(kind, from: url) }
            importing = nil
        }
        .alert(model.notice?.zh ?? "", isPresented: Binding(get: { model.notice != nil }, set: { if !$0 { model.notice = nil } })) {
            Button("好 OK") { model.notice = nil }
        } message: {
            Text(model.notice?.en ?? "")
        }
    }

    private var scanner: some View {
        let camera = self.camera ?? CameraScanner { [weak model] in model?.loop }
        return CameraPreview(session: camera.session)
            .onAppear {
                self.camera = camera
                camera.start()
            }
            .onDisappear { camera.stop() }
    }

    private func centered(_ text: Bilingual) -> some View {
        BilingualText(text: text, size: 18).padding(24)
    }
}

struct VerdictView: View {
    let screen: VerdictScreen
    let scanAgain: () -> Void

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 6) {
                VStack(alignment: .leading, spacing: 8) {
                    Text(screen.title.zh).font(.system(size: 30, weight: .bold))
                    Text(screen.title.en).font(.title3)
                    ForEach(Array(screen.reasons.enumerated()), id: \.offset) { _, reason in
                        BilingualText(text: reason, size: 16)
                    }
                }
                .foregroundColor(.white)
                .padding(24)
                .frame(maxWidth: .infinity, alignment: .leading)
                .background(screen.tone == .green ? Color(red: 0.11, green: 0.5, blue: 0.23) : Color(red: 0.7, green: 0.15, blue: 0.12))

                VStack(alignment: .leading, spacing: 6) {
                    ForEach(Array(screen.warnings.enumerated()), id: \.offset) { _, warning in
                        BilingualText(text: warning, size: 14).foregroundColor(.orange)
                    }
                    if let holder = screen.holder { HolderView(holder: holder) }
                    if let issuer = screen.issuer { field("发证机关 Issued by", "\(issuer.zh)\n\(issuer.en)") }
                    if let text = screen.scannedText { field("二维码内容 The code says", text) }
                    Button("再次扫描 Scan again", action: scanAgain).buttonStyle(.borderedProminent).padding(.top, 16)
                }
                .padding(16)
            }
        }
    }
}

struct HolderView: View {
    let holder: VerdictScreen.Holder

    var body: some View {
        VStack(alignment: .leading, spacing: 6) {
            if !holder.authentic {
                BilingualText(text: Bilingual(zh: "以下信息未经验证，不可采信",
                                              en: "These details are not verified: do not rely on them"), size: 16)
                    .foregroundColor(.red)
            }
            Text("请与身份证核对 Compare with the ID card").bold()
            field("姓名 Name", holder.name)
            field("性别 Sex", "\(holder.sex.zh) \(holder.sex.en)")
            field("身份证号 ID number", holder.idNumber)
            field("证书 Certificate", "\(holder.certificate.zh)\n\(holder.certificate.en)")
            field("证书编号 Certificate number", holder.certificateNumber)
            field("有效期 Valid", holder.validity)
            if let reviewDue = holder.reviewDue { field("复审日期 Review due", reviewDue) }
            field("初领日期 First issued", holder.firstIssued)
        }
    }
}

struct BilingualText: View {
    let text: Bilingual
    let size: CGFloat

    var body: some View {
        VStack(alignment: .leading, spacing: 2) {
            Text(text.zh).font(.system(size: size))
            Text(text.en).font(.system(size: size * 0.85))
        }
    }
}

private func field(_ label: String, _ value: String) -> some View {
    VStack(alignment: .leading, spacing: 1) {
        Text(label).font(.caption).foregroundColor(.gray)
        Text(value).font(.system(size: 18))
    }
}
