//! The LinkedIn access token: where it comes from, where `login` keeps it, and how it is kept out
//! of every message.
//!
//! A token comes from `LINKEDIN_ACCESS_TOKEN` or from the file `carousel login` wrote in
//! `$XDG_CONFIG_HOME/carousel/` (else `~/.config/carousel/`): JSON with the token and its expiry,
//! mode 0600 in a 0700 folder, written to a temporary file and renamed. [`Token`] has no
//! `Display` and a redacted `Debug`, so that it cannot end up in output by accident; the HTTP
//! client ([`super::linkedin`]) is the one place that reads [`Token::secret`].

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// The file name of the stored token, in the config folder.
pub const FILE_NAME: &str = "linkedin-token.json";

/// Largest token file read: a token file is a few hundred bytes.
const MAX_FILE_BYTES: u64 = 64 * 1024;

/// A bearer token. Never printed: `Debug` shows `<redacted>`, and there is no `Display`.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// Wraps a token string.
    pub fn new(secret: String) -> Self {
        Token(secret)
    }

    /// The token itself, for the `Authorization` header and the token file only.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// What the token file holds.
#[derive(Serialize, Deserialize)]
struct Stored {
    access_token: String,
    /// Seconds since the Unix epoch.
    expires_at: u64,
    #[serde(default)]
    scope: String,
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// The folder `login` stores the token in: `$XDG_CONFIG_HOME/carousel`, else
/// `$HOME/.config/carousel`.
pub fn config_dir() -> Result<PathBuf, String> {
    if let Some(xdg) = std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(xdg).join("carousel"));
    }
    let home = std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .filter(|v| !v.is_empty())
        .ok_or("cannot find the config folder: set XDG_CONFIG_HOME or HOME")?;
    Ok(PathBuf::from(home).join(".config").join("carousel"))
}

/// The token to publish with: `LINKEDIN_ACCESS_TOKEN`, else the stored one if it has not expired.
pub fn load() -> Result<Token, String> {
    if let Some(token) = std::env::var("LINKEDIN_ACCESS_TOKEN").ok().filter(|t| !t.trim().is_empty()) {
        return Ok(Token(token.trim().to_string()));
    }
    let path = config_dir()?.join(FILE_NAME);
    let stored = read(&path)?;
    if stored.expires_at <= now() {
        return Err(format!(
            "the LinkedIn token stored in {} has expired (tokens last 60 days): run `carousel login`",
            path.display()
        ));
    }
    Ok(Token(stored.access_token))
}

fn read(path: &Path) -> Result<Stored, String> {
    let not_logged_in = || {
        format!(
            "no LinkedIn token: run `carousel login` (it stores one in {}), or set LINKEDIN_ACCESS_TOKEN",
            path.display()
        )
    };
    let metadata = std::fs::metadata(path).map_err(|_| not_logged_in())?;
    if metadata.len() > MAX_FILE_BYTES {
        return Err(format!("{}: this is not a token file (too large); run `carousel login`", path.display()));
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read the token: {e}", path.display()))?;
    serde_json::from_str(&text)
        .map_err(|_| format!("{}: this is not a token file carousel wrote; run `carousel login`", path.display()))
}

/// Stores a token with its lifetime, readable by the user alone. Returns the file written.
pub fn store(token: &Token, expires_in: u64, scope: &str) -> Result<PathBuf, String> {
    let dir = config_dir()?;
    create_private_dir(&dir).map_err(|e| format!("{}: cannot create the folder: {e}", dir.display()))?;
    let stored =
        Stored { access_token: token.0.clone(), expires_at: now().saturating_add(expires_in), scope: scope.into() };
    let text = serde_json::to_string_pretty(&stored).map_err(|e| format!("cannot encode the token: {e}"))?;
    let path = dir.join(FILE_NAME);
    write_private(&path, text.as_bytes()).map_err(|e| format!("{}: cannot write the token: {e}", path.display()))?;
    Ok(path)
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Writes a file readable and writable by its owner alone, whole or not at all: a temporary file
/// created with mode 0600 (never wider, not even for a moment), then renamed over the old one.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".{}.{}.tmp", FILE_NAME, std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let result = options.open(&tmp).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    let result = result.and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let token = Token::new("AQX-secret-value".into());
        assert!(!format!("{token:?}").contains("secret"));
    }
}
