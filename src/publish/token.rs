//! The LinkedIn access token: where it comes from, where `login` keeps it, how long it has left,
//! and how it is kept out of every message.
//!
//! A token comes from `LINKEDIN_ACCESS_TOKEN` or from the file `carousel login` wrote in
//! `$XDG_CONFIG_HOME/carousel/` (else `~/.config/carousel/`): JSON with the token, its expiry and
//! scopes, mode 0600 in a 0700 folder, written to a temporary file and renamed, read back as a
//! regular file of at most 64 KB (bounded by what is read: a symlink to `/dev/zero` or a FIFO is
//! refused, not read). A stored token that expires within [`EXPIRY_MARGIN`] counts as expired (a
//! publish takes minutes); one with less than [`WARN_DAYS`] days left is used with a warning.
//! [`Token`] has no `Display` and a redacted `Debug`, and every token loaded is remembered by
//! [`super::safe`] so that no message shows it in any encoding.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::{safe, when};
use crate::files;

/// The file name of the stored token, in the config folder.
pub const FILE_NAME: &str = "linkedin-token.json";

/// Largest token file read: a token file is a few hundred bytes.
const MAX_FILE_BYTES: u64 = 64 * 1024;

/// A stored token that expires sooner than this is not used: uploading, processing and posting
/// can take twenty minutes.
pub const EXPIRY_MARGIN: u64 = 30 * 60;

/// Fewer days left than this, and `publish`, `whoami` and `--dry-run` warn.
pub const WARN_DAYS: u64 = 7;

/// A bearer token. Never printed: `Debug` shows `<redacted>`, and there is no `Display`.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// Wraps a token string, and remembers it for redaction.
    pub fn new(secret: String) -> Self {
        safe::remember(&secret, None);
        Token(secret)
    }

    /// The token itself, for the `Authorization` header, form bodies to LinkedIn's OAuth
    /// endpoints and the token file only.
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

/// Where a token came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `LINKEDIN_ACCESS_TOKEN`.
    Env,
    /// The file `login` wrote.
    File(PathBuf),
}

/// A token with what is known about it.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The token.
    pub token: Token,
    /// Where it came from.
    pub source: Source,
    /// When it expires (stored tokens only), in seconds since the Unix epoch.
    pub expires_at: Option<u64>,
    /// Its scopes as LinkedIn granted them (stored tokens only).
    pub scope: Option<String>,
}

impl Loaded {
    /// A warning when the token has fewer than [`WARN_DAYS`] days left.
    pub fn expiry_warning(&self) -> Option<String> {
        let at = self.expires_at?;
        let left = at.saturating_sub(now());
        (left < WARN_DAYS * 86_400).then(|| {
            format!(
                "warning: the LinkedIn token expires {} (on {}): run `carousel login` before then",
                when::relative(at as i64, now() as i64),
                when::show_utc(at)
            )
        })
    }

    /// `the token from LINKEDIN_ACCESS_TOKEN` / `the token stored in PATH`.
    pub fn described(&self) -> String {
        match &self.source {
            Source::Env => "the token from LINKEDIN_ACCESS_TOKEN".to_string(),
            Source::File(path) => format!("the token stored in {}", path.display()),
        }
    }
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

/// The stored token's file.
pub fn file_path() -> Result<PathBuf, String> {
    Ok(config_dir()?.join(FILE_NAME))
}

/// The token to publish with: `LINKEDIN_ACCESS_TOKEN`, else the stored one if it has more than
/// [`EXPIRY_MARGIN`] left.
pub fn load() -> Result<Loaded, String> {
    let loaded = load_any()?;
    if let (Source::File(path), Some(at)) = (&loaded.source, loaded.expires_at) {
        let now = now();
        if at <= now {
            return Err(format!(
                "the LinkedIn token stored in {} expired {} (on {}; tokens last 60 days): run `carousel login`",
                path.display(),
                when::relative(at as i64, now as i64),
                when::show_utc(at)
            ));
        }
        if at <= now + EXPIRY_MARGIN {
            return Err(format!(
                "the LinkedIn token stored in {} expires {}, too soon to finish a publish: run `carousel login`",
                path.display(),
                when::relative(at as i64, now as i64)
            ));
        }
    }
    Ok(loaded)
}

/// The token from the environment or the file, expired or not (for `whoami` and `logout`).
pub fn load_any() -> Result<Loaded, String> {
    if let Some(token) = std::env::var("LINKEDIN_ACCESS_TOKEN").ok().filter(|t| !t.trim().is_empty()) {
        return Ok(Loaded {
            token: Token::new(token.trim().to_string()),
            source: Source::Env,
            expires_at: None,
            scope: None,
        });
    }
    let path = file_path()?;
    let stored = read(&path)?;
    Ok(Loaded {
        token: Token::new(stored.access_token),
        source: Source::File(path),
        expires_at: Some(stored.expires_at),
        scope: Some(stored.scope).filter(|s| !s.is_empty()),
    })
}

fn read(path: &Path) -> Result<Stored, String> {
    let not_logged_in = || {
        format!(
            "no LinkedIn token: run `carousel login` (it stores one in {}), or set LINKEDIN_ACCESS_TOKEN",
            path.display()
        )
    };
    let text = match files::read_text(path, MAX_FILE_BYTES) {
        Ok(Some(text)) => text,
        Ok(None) => return Err(not_logged_in()),
        Err(e) => {
            return Err(format!("{}: not a token file carousel wrote ({e}); run `carousel login`", path.display()))
        }
    };
    warn_if_shared(path);
    let stored: Stored = serde_json::from_str(&text)
        .map_err(|_| format!("{}: this is not a token file carousel wrote; run `carousel login`", path.display()))?;
    if stored.access_token.trim().is_empty() || stored.access_token.chars().any(char::is_control) {
        return Err(format!("{}: this token file holds no usable token; run `carousel login`", path.display()));
    }
    Ok(stored)
}

/// Warns when others may read the token file.
fn warn_if_shared(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        if let Ok(metadata) = std::fs::metadata(path) {
            let mode = metadata.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                eprintln!(
                    "warning: {} can be read by other users (mode {mode:o}): run `chmod 600 {}`",
                    path.display(),
                    path.display()
                );
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
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

/// Removes the stored token; `Ok(false)` when there was none. A symlink is removed, not its
/// target.
pub fn remove() -> Result<(PathBuf, bool), String> {
    let path = file_path()?;
    match std::fs::remove_file(&path) {
        Ok(()) => Ok((path, true)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((path, false)),
        Err(e) => Err(format!("{}: cannot remove the token: {e}", path.display())),
    }
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

    #[test]
    fn a_token_close_to_expiry_warns() {
        let loaded = Loaded {
            token: Token::new("x-token-1".into()),
            source: Source::Env,
            expires_at: Some(now() + 3 * 86_400),
            scope: None,
        };
        assert!(loaded.expiry_warning().unwrap().contains("in 3 days"));
        let fresh = Loaded { expires_at: Some(now() + 50 * 86_400), ..loaded };
        assert!(fresh.expiry_warning().is_none());
    }
}
