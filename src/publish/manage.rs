//! Managing what was published: `carousel unpublish DECK` (delete the post, after a
//! confirmation), `carousel posts [DIR]` (the publish records as a table), `carousel whoami` (who
//! the token is, its scopes and days left) and `carousel logout` (forget the stored token, and
//! revoke it when the app's credentials are at hand).

use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};

use super::linkedin::{self, ApiVersion, Client, Deleted, Endpoints};
use super::record::{self, Record};
use super::{fail, login, safe, say, token, when};

/// What `carousel unpublish` was asked.
#[derive(Debug, Clone)]
pub struct UnpublishOptions {
    /// The deck whose post goes.
    pub deck: PathBuf,
    /// Where its record is.
    pub out_dir: PathBuf,
    /// Do not ask.
    pub yes: bool,
    /// Print the request, send nothing.
    pub dry_run: bool,
    /// `--linkedin-version`.
    pub linkedin_version: Option<String>,
}

/// Runs `carousel unpublish`: 0 when the post is gone (deleted now, or already), 1 otherwise.
pub fn run_unpublish(options: &UnpublishOptions) -> i32 {
    match unpublish(options) {
        Ok(()) => 0,
        Err(message) => {
            fail(&message);
            1
        }
    }
}

fn unpublish(options: &UnpublishOptions) -> Result<(), String> {
    let version = ApiVersion::resolve(options.linkedin_version.as_deref())?;
    let endpoints = Endpoints::from_env()?;
    let stem = crate::deck::stem_of(&options.deck);
    let record_path = record::path_for(&options.out_dir, &stem);
    let mut record = record::read(&record_path)?.ok_or_else(|| {
        format!(
            "no publish record for {} ({} does not exist): carousel has no post of it to delete",
            options.deck.display(),
            record_path.display()
        )
    })?;
    let Some(urn) = record.post.clone() else {
        if record.post_possibly_sent.is_some() {
            return Err(format!(
                "{}: the last publish may have posted it, but LinkedIn never said the post's id, so carousel cannot \
                 delete it: look at {} and delete it there with the post's menu",
                options.deck.display(),
                super::RECENT_ACTIVITY_URL
            ));
        }
        return Err(format!(
            "{}: {} records no post; nothing to delete",
            options.deck.display(),
            record_path.display()
        ));
    };
    let url = record.url.clone().unwrap_or_else(|| record::post_url(&urn));
    if let Some(at) = record.unpublished_at {
        say(&format!("{url} was deleted already (on {}); nothing was sent", when::show_utc(at)));
        return Ok(());
    }
    if options.dry_run {
        let rest = linkedin::rest_headers(&version.value);
        print!(
            "{}",
            safe::clean(&format!(
                "dry run: nothing is sent. `carousel unpublish` would make this request:\n\nDELETE {}{}\n\
                 Authorization: Bearer <redacted>\n{}: {}\n{}: {}\nX-RestLi-Method: DELETE\n",
                endpoints.api,
                linkedin::post_path(&urn),
                rest[0].0,
                rest[0].1,
                rest[1].0,
                rest[1].1
            ))
        );
        return Ok(());
    }
    let loaded = token::load()?;
    if !options.yes {
        if !std::io::stdin().is_terminal() {
            return Err(format!(
                "deleting {url} cannot be undone, and there is no terminal to confirm on: pass --yes. Nothing was sent."
            ));
        }
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "{}",
            safe::clean(&format!("Delete {url} (published from {})? [y/N] ", options.deck.display()))
        );
        let _ = err.flush();
        let mut answer = String::new();
        let _ = std::io::BufRead::read_line(&mut std::io::Read::take(std::io::stdin().lock(), 1024), &mut answer);
        if !matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
            return Err("not deleted (the answer was not yes); nothing was sent".into());
        }
    }
    let client = Client::new(endpoints, loaded.token, &version);
    let deleted = client.delete_post(&urn)?;
    record.unpublished_at = Some(token::now());
    if let Err(message) = record::write(&record_path, &record) {
        say(&format!("warning: the post is deleted, but {message}"));
    }
    match deleted {
        Deleted::Now => say(&format!("deleted {url}")),
        Deleted::AlreadyGone => say(&format!("{url} was already gone from LinkedIn; recorded as deleted")),
    }
    say(&format!("`carousel publish {}` would post it afresh", options.deck.display()));
    Ok(())
}

// --- `carousel posts` ---

/// One line of `carousel posts`.
fn describe(record: &Record) -> (u64, String, String) {
    let when = record.published_at.or(record.post_possibly_sent.as_ref().map(|a| a.at)).unwrap_or(0);
    let state = if record.unpublished_at.is_some() {
        "deleted"
    } else if record.post.is_some() {
        "published"
    } else if record.post_possibly_sent.is_some() {
        "possibly posted"
    } else if record.document.is_some() || !record.images.is_empty() {
        "uploaded, not posted"
    } else {
        "not posted"
    };
    let mut detail = record.url.clone().unwrap_or_default();
    if record.post.is_some() && record.unpublished_at.is_none() {
        if record.has_comment() {
            detail.push_str("  (with its first comment)");
        } else if record.comment_possibly_sent.is_some() {
            detail.push_str("  (first comment possibly posted)");
        }
    }
    if detail.is_empty() {
        detail = record.document.clone().map(|d| format!("document {d}")).unwrap_or_default();
    }
    if detail.is_empty() && !record.images.is_empty() {
        detail = format!("{} images uploaded", record.images.len());
    }
    if record.post_as == super::record::PostAs::Images {
        detail.push_str("  (as images)");
    }
    (when, state.to_string(), detail)
}

/// Runs `carousel posts`: the records in `dir` (default `out`), newest first.
pub fn run_posts(dir: &Path) -> i32 {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            say(&format!(
                "no publish records: {} does not exist (records are written by `carousel publish`)",
                dir.display()
            ));
            return 0;
        }
        Err(e) => {
            fail(&format!("{}: cannot read the folder: {e}", dir.display()));
            return 1;
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(".published.json")))
        .collect();
    paths.sort();
    let mut rows = Vec::new();
    let mut failed = 0;
    for path in &paths {
        match record::read(path) {
            Ok(Some(record)) => rows.push((describe(&record), record.deck.clone())),
            Ok(None) => {}
            Err(message) => {
                failed += 1;
                fail(&message);
            }
        }
    }
    rows.sort_by_key(|row| std::cmp::Reverse(row.0 .0));
    let mut out = std::io::stdout().lock();
    if rows.is_empty() && failed == 0 {
        say(&format!("no publish records in {}", dir.display()));
    }
    for ((at, state, detail), deck) in &rows {
        let date = if *at > 0 { when::show_utc(*at) } else { "-".to_string() };
        let line = format!("{date:<20}  {state:<20}  {deck}  {detail}");
        if writeln!(out, "{}", safe::clean_line(&line).trim_end()).is_err() {
            break;
        }
    }
    if failed > 0 {
        1
    } else {
        0
    }
}

// --- `carousel whoami` and `carousel logout` ---

/// The app's credentials, when both are in the environment.
fn app_credentials() -> Option<(String, String)> {
    let id = std::env::var("LINKEDIN_CLIENT_ID").ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())?;
    let secret =
        std::env::var("LINKEDIN_CLIENT_SECRET").ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())?;
    safe::remember(&secret, Some(&id));
    Some((id, secret))
}

/// Runs `carousel whoami`: who the token is for, its scopes and days left; 1 when there is no
/// usable token.
pub fn run_whoami() -> i32 {
    match whoami() {
        Ok(()) => 0,
        Err(message) => {
            fail(&message);
            1
        }
    }
}

fn whoami() -> Result<(), String> {
    let endpoints = Endpoints::from_env()?;
    let loaded = token::load_any()?;
    let now = token::now();
    if let (token::Source::File(path), Some(at)) = (&loaded.source, loaded.expires_at) {
        if at <= now {
            return Err(format!(
                "the LinkedIn token stored in {} expired {} (on {}): run `carousel login`",
                path.display(),
                when::relative(at as i64, now as i64),
                when::show_utc(at)
            ));
        }
    }
    let mut lines = Vec::new();
    let mut scope = loaded.scope.clone();
    let mut expires_at = loaded.expires_at;
    if let Some((id, secret)) = app_credentials() {
        match linkedin::introspect(&endpoints, &id, &secret, &loaded.token) {
            Ok(info) if !info.active => {
                return Err(format!(
                    "LinkedIn says {} is {}: run `carousel login`",
                    loaded.described(),
                    info.status.as_deref().unwrap_or("not active")
                ))
            }
            Ok(info) => {
                scope = info.scope.or(scope);
                expires_at = info.expires_at.or(expires_at);
            }
            Err(message) => say(&format!("note: {message}")),
        }
    }
    let version = ApiVersion::resolve(None).unwrap_or(ApiVersion {
        value: linkedin::DEFAULT_VERSION.to_string(),
        source: linkedin::VersionSource::Default,
    });
    let client = Client::new(endpoints, loaded.token.clone(), &version);
    let member = client.member()?;
    lines.push(format!("name:     {}", member.name.as_deref().unwrap_or("(not shared: the token lacks `profile`)")));
    lines.push(format!("member:   {}", member.urn()));
    if let Some(email) = &member.email {
        lines.push(format!("email:    {email}"));
    }
    lines.push(format!(
        "token:    {}",
        match &loaded.source {
            token::Source::Env => "from LINKEDIN_ACCESS_TOKEN".to_string(),
            token::Source::File(path) => format!("stored in {}", path.display()),
        }
    ));
    let scopes: Vec<String> =
        scope.as_deref().unwrap_or("").split([' ', ',']).filter(|s| !s.is_empty()).map(str::to_string).collect();
    if scopes.is_empty() {
        lines.push("scopes:   unknown (LinkedIn tells them at login, or to the app: set LINKEDIN_CLIENT_ID and LINKEDIN_CLIENT_SECRET)".into());
    } else {
        lines.push(format!("scopes:   {}", scopes.join(", ")));
    }
    match expires_at {
        Some(at) => lines.push(format!(
            "expires:  {} ({} days left)",
            when::show_utc(at),
            when::days_rounded(at.saturating_sub(now))
        )),
        None => lines.push("expires:  unknown (a token from the environment; LinkedIn's last 60 days)".into()),
    }
    lines.push(format!("api:      LinkedIn-Version {}", version.described()));
    let mut out = std::io::stdout().lock();
    for line in &lines {
        let _ = writeln!(out, "{}", safe::clean_line(line));
    }
    drop(out);
    let missing: Vec<&str> =
        login::SCOPES.split(' ').filter(|s| !scopes.is_empty() && !scopes.iter().any(|g| g == s)).collect();
    if !missing.is_empty() {
        say(&format!(
            "warning: the token lacks {}: `carousel publish` needs them; run `carousel login`",
            missing.join(", ")
        ));
    }
    if let Some(at) = expires_at {
        if at.saturating_sub(now) < token::WARN_DAYS * 86_400 {
            say(&format!(
                "warning: the token expires {}: run `carousel login` before then",
                when::relative(at as i64, now as i64)
            ));
        }
    }
    Ok(())
}

/// Runs `carousel logout`: removes the stored token (and asks LinkedIn to revoke it when
/// `LINKEDIN_CLIENT_ID` and `LINKEDIN_CLIENT_SECRET` are set). 0 unless the file cannot be
/// removed.
pub fn run_logout() -> i32 {
    let credentials = app_credentials();
    let stored = token::load_any().ok().filter(|l| matches!(l.source, token::Source::File(_)));
    if std::env::var("LINKEDIN_ACCESS_TOKEN").is_ok_and(|v| !v.trim().is_empty()) {
        say("note: LINKEDIN_ACCESS_TOKEN is set in this environment; carousel keeps using it until you unset it");
    }
    let mut revoked = false;
    if let (Some(loaded), Some((id, secret))) = (&stored, &credentials) {
        match Endpoints::from_env().and_then(|e| linkedin::revoke(&e, id, secret, &loaded.token)) {
            Ok(()) => {
                revoked = true;
                say("LinkedIn revoked the token");
            }
            Err(message) => say(&format!("warning: {message}")),
        }
    }
    match token::remove() {
        Ok((path, true)) => {
            say(&format!("logged out: removed {}", path.display()));
            if !revoked {
                say(
                    "note: the token itself stays valid at LinkedIn until it expires; to end it now, remove the app at \
                     https://www.linkedin.com/psettings/permitted-services (or run logout with LINKEDIN_CLIENT_ID and \
                     LINKEDIN_CLIENT_SECRET set)",
                );
            }
            0
        }
        Ok((path, false)) => {
            say(&format!("not logged in: there is no stored token ({} does not exist)", path.display()));
            0
        }
        Err(message) => {
            fail(&message);
            1
        }
    }
}
