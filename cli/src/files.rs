//! Reading and writing the command's files: keys, descriptions, trust lists, images.
//!
//! Every read is bounded, so a wrong path (a disk image, `/dev/zero`) fails with a
//! clear message instead of filling memory.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use certqr_core::keys::{KeyError, PublicKey, SigningKey};
use zeroize::Zeroizing;

use crate::error::CliError;

/// Largest key file read (a PEM key is a few hundred bytes).
pub const MAX_KEY_BYTES: u64 = 64 * 1024;
/// Largest description file read.
pub const MAX_DESCRIPTION_BYTES: u64 = 4 * 1024 * 1024;

/// Reads at most `max` bytes from the file at `path`; a longer file is refused.
pub fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, CliError> {
    let file = File::open(path).map_err(|error| CliError::io(path, &error))?;
    let mut bytes = Vec::new();
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|error| CliError::io(path, &error))?;
    if bytes.len() as u64 > max {
        return Err(CliError::in_file(
            path,
            format!("文件太大：超过读取上限 {max} 字节"),
            format!("file is larger than the {max} bytes read"),
        ));
    }
    Ok(bytes)
}

/// Reads a UTF-8 text file of at most `max` bytes.
pub fn read_text(path: &Path, max: u64) -> Result<String, CliError> {
    String::from_utf8(read_bounded(path, max)?)
        .map_err(|_| CliError::in_file(path, "不是 UTF-8 文本", "is not UTF-8 text"))
}

/// Reads a private key: a PEM `PRIVATE KEY` (PKCS#8) file as `certqr keygen` writes.
pub fn signing_key(path: &Path) -> Result<SigningKey, CliError> {
    let pem = Zeroizing::new(read_text(path, MAX_KEY_BYTES)?);
    SigningKey::from_pkcs8_pem(&pem).map_err(|error| {
        if pem.contains("-----BEGIN PUBLIC KEY-----") {
            CliError::in_file(
                path,
                "这是公钥；此处需要私钥（PEM PRIVATE KEY，即 certqr keygen 写出的 .key 文件）",
                "is a public key; a private key (PEM PRIVATE KEY, the .key file of certqr keygen) is needed here",
            )
        } else if matches!(error, KeyError::Pem { .. }) {
            CliError::in_file(
                path,
                "不是受支持算法（Ed25519 或 SM2）的 PEM 私钥",
                "is not a PEM private key of a supported algorithm (Ed25519 or SM2)",
            )
        } else {
            CliError::in_file(
                path,
                "私钥不可用",
                format!("is not a usable private key: {error}"),
            )
        }
    })
}

/// Reads a public key: a PEM `PUBLIC KEY` (SubjectPublicKeyInfo) file.
pub fn public_key(path: &Path) -> Result<PublicKey, CliError> {
    let pem = Zeroizing::new(read_text(path, MAX_KEY_BYTES)?);
    PublicKey::from_pem(&pem).map_err(|error| {
        if pem.contains("PRIVATE KEY-----") {
            CliError::in_file(
                path,
                "这是私钥；请给出公钥（PEM PUBLIC KEY，即 certqr keygen 写出的 .pub 文件）",
                "is a private key; give the public key (PEM PUBLIC KEY, the .pub file of certqr keygen)",
            )
        } else {
            CliError::in_file(
                path,
                "公钥不可用",
                format!("is not a usable public key: {error}"),
            )
        }
    })
}

/// How [`write()`] treats an existing file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Refuse to touch it.
    Refuse,
    /// Replace it.
    Replace,
}

/// Who may read a file [`write()`] creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The usual permissions (0644 less the umask).
    Public,
    /// The owner only (0600), from the moment the file exists: for private keys.
    OwnerOnly,
}

/// Writes `bytes` to a file at `path`.
///
/// With [`Existing::Refuse`] the file is created with `create_new`, so an existing file
/// (or one created meanwhile) is never overwritten. With [`Access::OwnerOnly`] the mode
/// is set when the file is created; a file being replaced is removed first so that it
/// cannot keep wider permissions.
pub fn write(
    path: &Path,
    bytes: &[u8],
    existing: Existing,
    access: Access,
) -> Result<(), CliError> {
    let io_error = |error: io::Error| CliError::io(path, &error);
    if existing == Existing::Replace && access == Access::OwnerOnly {
        match fs::remove_file(path) {
            Ok(()) => {}
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => return Err(io_error(error)),
        }
    }
    let mut options = OpenOptions::new();
    options.write(true);
    match existing {
        Existing::Refuse => options.create_new(true),
        Existing::Replace => options.create(true).truncate(true),
    };
    if access == Access::OwnerOnly {
        owner_only(&mut options);
    }
    let mut file = options.open(path).map_err(io_error)?;
    file.write_all(bytes).map_err(io_error)?;
    file.sync_all().map_err(io_error)
}

#[cfg(unix)]
fn owner_only(options: &mut OpenOptions) {
    use std::os::unix::fs::OpenOptionsExt;
    options.mode(0o600);
}

/// On systems without Unix modes the file gets the directory's default access.
#[cfg(not(unix))]
fn owner_only(_options: &mut OpenOptions) {}

/// `path` with `suffix` appended to its last component: `keys/a` + `.pub` = `keys/a.pub`.
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The folder relative paths in the description file at `path` are read from.
pub fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffix_goes_on_the_last_component() {
        assert_eq!(
            with_suffix(Path::new("keys/a"), ".pub"),
            PathBuf::from("keys/a.pub")
        );
        assert_eq!(
            with_suffix(Path::new("a.b"), ".key"),
            PathBuf::from("a.b.key")
        );
    }

    #[test]
    fn folder_of_a_bare_name_is_the_current_folder() {
        assert_eq!(folder_of(Path::new("list.toml")), Path::new("."));
        assert_eq!(folder_of(Path::new("d/list.toml")), Path::new("d"));
    }
}
