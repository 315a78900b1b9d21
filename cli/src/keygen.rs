//! `certqr keygen`: a new signing key pair from the system's random source.

use std::path::{Path, PathBuf};

use certqr_core::keys::{Algorithm, SigningKey};
use zeroize::Zeroizing;

use crate::error::{CliError, Report};
use crate::files::{self, Access, Existing};

/// Signature algorithms `keygen` makes keys for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AlgorithmName {
    /// EdDSA over edwards25519 (RFC 8032).
    Ed25519,
    /// SM2 with SM3 (GB/T 32918), the national algorithm Chinese government systems use.
    Sm2,
}

impl AlgorithmName {
    fn algorithm(self) -> Algorithm {
        match self {
            AlgorithmName::Ed25519 => Algorithm::Ed25519,
            AlgorithmName::Sm2 => Algorithm::Sm2,
        }
    }
}

/// Arguments of `certqr keygen`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write PREFIX.key (private key, PKCS#8 PEM, mode 0600) and PREFIX.pub (public
    /// key, SubjectPublicKeyInfo PEM). Neither may exist yet.
    #[arg(long, value_name = "PREFIX")]
    pub out: PathBuf,
    /// Signature algorithm.
    #[arg(long, value_enum, default_value = "ed25519")]
    pub algorithm: AlgorithmName,
}

/// Runs `certqr keygen`: prints the new key's id on standard output.
pub fn run(args: &Args) -> Result<Report, CliError> {
    let key = generate(args.algorithm.algorithm())?;
    let (private_path, public_path) = write_pair(&key, &args.out, Existing::Refuse)?;
    Ok(Report::success(format!("{}\n", key.public_key().key_id()))
        .with_note(format!(
            "wrote {} (private key, keep it secret)",
            private_path.display()
        ))
        .with_note(format!("wrote {} (public key)", public_path.display())))
}

/// A new key from 32 bytes of the operating system's random source.
pub fn generate(algorithm: Algorithm) -> Result<SigningKey, CliError> {
    let mut seed = Zeroizing::new([0u8; 32]);
    getrandom::getrandom(seed.as_mut_slice()).map_err(|error| {
        CliError::new(
            "无法读取系统随机源",
            format!("cannot read the system's random source: {error}"),
        )
    })?;
    Ok(SigningKey::from_seed(algorithm, &seed))
}

/// Writes PREFIX.key (owner-only) and PREFIX.pub; returns their paths.
///
/// With [`Existing::Refuse`] both paths are checked before anything is written, so a
/// refusal leaves no half-written pair behind.
pub fn write_pair(
    key: &SigningKey,
    prefix: &Path,
    existing: Existing,
) -> Result<(PathBuf, PathBuf), CliError> {
    let private_path = files::with_suffix(prefix, ".key");
    let public_path = files::with_suffix(prefix, ".pub");
    if existing == Existing::Refuse {
        for path in [&private_path, &public_path] {
            if path.symlink_metadata().is_ok() {
                return Err(CliError::in_file(
                    path,
                    "文件已存在，不会覆盖",
                    "already exists; refusing to overwrite it",
                ));
            }
        }
    }
    let private_pem = key.to_pkcs8_pem().map_err(|error| {
        CliError::new(
            "无法编码私钥",
            format!("cannot encode the private key: {error}"),
        )
    })?;
    files::write(
        &private_path,
        private_pem.as_bytes(),
        existing,
        Access::OwnerOnly,
    )?;
    let public_pem = key.public_key().to_pem();
    if let Err(error) = files::write(
        &public_path,
        public_pem.as_bytes(),
        existing,
        Access::Public,
    ) {
        // Do not leave a private key without its public half; the file is our own.
        if existing == Existing::Refuse {
            let _ = std::fs::remove_file(&private_path);
        }
        return Err(error);
    }
    Ok((private_path, public_path))
}
