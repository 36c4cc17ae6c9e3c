//! `carousel publish`: from a deck to a live LinkedIn document post, and `carousel login`.
//!
//! Owns the order of things and every refusal: the deck is read and its caption turned into
//! little text ([`little`]) and checked against LinkedIn's 3,000 characters before anything
//! else; the publish record ([`record`]) refuses a second post of the same deck and lets a
//! failed publish resume with its upload; the deck is built with the build stage (slide cache
//! included); the PDF is checked against LinkedIn's 100 MB and 300 pages; `--dry-run` prints the
//! requests; a terminal confirms (or `--yes`). Then [`linkedin`] makes the calls: the member id
//! (`/v2/userinfo`), `initializeUpload`, the `PUT` of the PDF, polling the document until it is
//! `AVAILABLE`, and the post. The token ([`token`]) comes from the environment or from what
//! [`login`] stored. It hands the command line an exit status and prints the post's URL.

pub mod linkedin;
pub mod little;
pub mod login;
pub mod record;
pub mod token;

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::read::diag::Diagnostic;
use crate::read::yaml::Pos;
use crate::{build, deck};

use self::linkedin::{Client, Endpoints};
use self::little::PostText;
use self::record::Record;

/// LinkedIn's limit on a document's size.
pub const MAX_PDF_BYTES: u64 = 100 * 1024 * 1024;

/// LinkedIn's limit on a document's pages.
pub const MAX_PDF_PAGES: usize = 300;

/// How long to wait for LinkedIn to process the PDF.
const PROCESSING_WAIT: Duration = Duration::from_secs(5 * 60);

/// Who may see the post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Visibility {
    /// Anyone, on or off LinkedIn.
    Public,
    /// Your 1st-degree connections.
    Connections,
}

impl Visibility {
    /// The Posts API's value.
    pub fn api_value(self) -> &'static str {
        match self {
            Visibility::Public => "PUBLIC",
            Visibility::Connections => "CONNECTIONS",
        }
    }
}

/// What `carousel publish` was asked.
#[derive(Debug, Clone)]
pub struct PublishOptions {
    /// The deck file.
    pub deck: PathBuf,
    /// Output folder of the build, where the record is kept.
    pub out_dir: PathBuf,
    /// Do not ask.
    pub yes: bool,
    /// Print the requests, send nothing.
    pub dry_run: bool,
    /// Post again a deck already published.
    pub force: bool,
    /// Who may see the post.
    pub visibility: Visibility,
}

/// Runs `carousel publish`: 0 when the post is live (or the dry run is printed), 1 otherwise.
pub fn run(options: &PublishOptions) -> i32 {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match publish(options, color) {
        Ok(()) => 0,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("error: {message}");
            }
            1
        }
    }
}

/// Runs `carousel login`: 0 when a token is stored, 1 otherwise.
pub fn run_login(options: &login::LoginOptions) -> i32 {
    match login::run(options) {
        Ok(()) => 0,
        Err(message) => {
            eprintln!("error: {message}");
            1
        }
    }
}

/// What the deck says the post is.
struct Post {
    title: String,
    text: PostText,
    stem: String,
}

fn publish(options: &PublishOptions, color: bool) -> Result<(), String> {
    let path = &options.deck;
    let post = read_deck(path, color)?;
    let record_path = record::path_for(&options.out_dir, &post.stem);
    let previous = record::read(&record_path)?;
    if let Some(Record { post: Some(_), url, .. }) = &previous {
        if !options.force {
            return Err(format!(
                "{} was already published: {} (recorded in {}). Nothing was sent; pass --force to post it again.",
                path.display(),
                url.as_deref().unwrap_or("(no URL recorded)"),
                record_path.display()
            ));
        }
    }

    let report = build::run_one(
        path,
        &build::Options {
            out_dir: options.out_dir.clone(),
            svg: false,
            check_only: false,
            deny_warnings: false,
            cache: true,
        },
    );
    for diagnostic in &report.diagnostics {
        eprint!("{}", diagnostic.render(&report.path, report.source.as_deref(), color));
    }
    if report.failed() {
        return Err("the deck did not build; nothing was sent".into());
    }
    let pdf_path = options.out_dir.join(format!("{}.pdf", post.stem));
    let size =
        std::fs::metadata(&pdf_path).map_err(|e| format!("{}: cannot read the PDF: {e}", pdf_path.display()))?.len();
    if size > MAX_PDF_BYTES {
        return Err(format!(
            "{} is {:.1} MB; LinkedIn takes documents up to 100 MB. Nothing was sent; use fewer or smaller images.",
            pdf_path.display(),
            size as f64 / 1_048_576.0
        ));
    }
    if report.slides > MAX_PDF_PAGES {
        return Err(format!(
            "the deck has {} slides; LinkedIn takes documents up to {MAX_PDF_PAGES} pages. Nothing was sent.",
            report.slides
        ));
    }
    eprintln!(
        "built {} -> {} ({} slides{})",
        path.display(),
        pdf_path.display(),
        report.slides,
        if report.cached > 0 { format!(", {} unchanged from the cache", report.cached) } else { String::new() }
    );
    let pdf = std::fs::read(&pdf_path).map_err(|e| format!("{}: cannot read the PDF: {e}", pdf_path.display()))?;
    let pdf_hash = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&pdf));

    // A document uploaded by an earlier, failed publish of this same PDF is posted instead of a
    // new upload; after a post (with --force), everything starts afresh.
    let resume = match &previous {
        Some(r) if r.post.is_none() && r.document.is_some() => {
            if r.pdf_hash == pdf_hash {
                r.document.clone()
            } else {
                eprintln!(
                    "note: the PDF changed since the upload recorded in {}; uploading it again",
                    record_path.display()
                );
                None
            }
        }
        _ => None,
    };

    let endpoints = Endpoints::from_env();
    if options.dry_run {
        print_plan(&endpoints, &post, &pdf_path, pdf.len(), resume.as_deref(), options.visibility);
        return Ok(());
    }
    let token = token::load()?;
    if !options.yes {
        confirm(&post, &pdf_path, report.slides, options.visibility)?;
    }

    let client = Client::new(endpoints, token);
    let owner = format!("urn:li:person:{}", client.member_id()?);
    let mut record = Record {
        deck: path.display().to_string(),
        pdf: pdf_path.display().to_string(),
        pdf_hash,
        document: None,
        post: None,
        url: None,
        published_at: None,
    };
    let mut document = None;
    if let Some(urn) = resume {
        match client.document_status(&urn)?.as_deref() {
            Some("AVAILABLE" | "PROCESSING") => {
                eprintln!("resuming with the PDF uploaded before ({urn})");
                document = Some(urn);
            }
            status => eprintln!(
                "note: the upload recorded before ({urn}) is {}; uploading again",
                status.map(|s| format!("in state {s}")).unwrap_or_else(|| "unknown to LinkedIn".into())
            ),
        }
    }
    let document = match document {
        Some(urn) => urn,
        None => {
            let urn = upload(&client, &owner, &pdf)?;
            record.document = Some(urn.clone());
            record::write(&record_path, &record)?;
            urn
        }
    };
    record.document = Some(document.clone());
    if let Err(message) = wait_until_available(&client, &document) {
        if message.contains("PROCESSING_FAILED") {
            // The next run must upload afresh, not resume with a document LinkedIn rejected.
            record.document = None;
            let _ = record::write(&record_path, &record);
        }
        return Err(message);
    }

    let body = post_body(&owner, &post, &document, options.visibility);
    let urn = client.create_post(&body)?;
    let url = record::post_url(&urn);
    record.post = Some(urn);
    record.url = Some(url.clone());
    record.published_at = Some(token::now());
    if let Err(message) = record::write(&record_path, &record) {
        eprintln!("warning: the post is live, but {message}; a second publish will not know about it");
    }
    eprintln!("published {} to LinkedIn", path.display());
    println!("{url}");
    Ok(())
}

/// Reads the deck for its title and caption; refuses a caption LinkedIn would cut.
fn read_deck(path: &Path, color: bool) -> Result<Post, String> {
    let source = match deck::read_source(path) {
        Ok(source) => source,
        Err(unreadable) => {
            eprint!("{}", Diagnostic::error(unreadable.pos, unreadable.message).render(path, None, color));
            return Err(String::new());
        }
    };
    let loaded = deck::load(path, &source);
    let Some(deck) = loaded.deck else {
        for diagnostic in &loaded.diagnostics {
            eprint!("{}", diagnostic.render(path, Some(&source), color));
        }
        return Err("the deck has errors; nothing was sent".into());
    };
    let (text, hashtags, pos) = match &deck.caption {
        Some(caption) => (caption.text.value.as_str(), caption.hashtags.as_slice(), caption.text.pos),
        None => ("", &[][..], Pos::default()),
    };
    let post_text = little::post_text(text, hashtags);
    if post_text.chars() > little::MAX_POST_CHARS {
        let message = format!(
            "the caption is {} characters with its hashtags; LinkedIn allows {} and cuts the rest. Nothing was sent.",
            post_text.chars(),
            little::MAX_POST_CHARS
        );
        eprint!(
            "{}",
            Diagnostic::error(pos, message).with_help("shorten `caption.text` or drop hashtags").render(
                path,
                Some(&source),
                color
            )
        );
        return Err(String::new());
    }
    if deck.caption.is_none() {
        eprintln!("note: {} has no `caption:`; the post will carry the document without text", path.display());
    }
    for tag in &post_text.unlinked {
        eprintln!(
            "note: the hashtag `{tag}` is not letters and digits only: LinkedIn will show it as text, not as a link"
        );
    }
    Ok(Post { title: deck.title.clone(), text: post_text, stem: deck.stem.clone() })
}

/// Registers the upload and sends the PDF. A URL already expired when LinkedIn hands it over
/// (a clock far off, a slow link) is asked for once more.
fn upload(client: &Client, owner: &str, pdf: &[u8]) -> Result<String, String> {
    let mut upload = client.initialize_upload(owner)?;
    let now_ms = token::now().saturating_mul(1000);
    if upload.expires_at_ms.is_some_and(|at| at <= now_ms) {
        upload = client.initialize_upload(owner)?;
    }
    eprintln!("uploading the PDF ({} KB)...", pdf.len().div_ceil(1024));
    client.upload(&upload.upload_url, pdf)?;
    Ok(upload.document)
}

/// Polls the document until LinkedIn has processed it: every half second at first, then less
/// often, for at most [`PROCESSING_WAIT`].
fn wait_until_available(client: &Client, document: &str) -> Result<(), String> {
    let started = Instant::now();
    let mut pause = Duration::from_millis(500);
    loop {
        match client.document_status(document)?.as_deref() {
            Some("AVAILABLE") => return Ok(()),
            Some("PROCESSING_FAILED") => {
                return Err(format!(
                "LinkedIn could not process the PDF ({document}: PROCESSING_FAILED). Check that out/ holds a PDF that \
                     opens, then run `carousel publish` again: it uploads afresh."
            ))
            }
            None => {
                return Err(format!(
                    "LinkedIn does not know the uploaded document {document}; run `carousel publish` again"
                ))
            }
            Some(_) => {}
        }
        if started.elapsed() >= PROCESSING_WAIT {
            return Err(format!(
                "LinkedIn is still processing the PDF after {} minutes; run `carousel publish` again later: it resumes with this upload",
                PROCESSING_WAIT.as_secs() / 60
            ));
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_secs(5));
    }
}

/// The Posts API body of a document post.
fn post_body(owner: &str, post: &Post, document: &str, visibility: Visibility) -> Value {
    json!({
        "author": owner,
        "commentary": post.text.commentary,
        "visibility": visibility.api_value(),
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": []
        },
        "content": { "media": { "title": post.title, "id": document } },
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": false
    })
}

/// Asks on the terminal; refuses without one.
fn confirm(post: &Post, pdf: &Path, slides: usize, visibility: Visibility) -> Result<(), String> {
    if !std::io::stdin().is_terminal() {
        return Err(
            "publishing is public and cannot be undone, and there is no terminal to confirm on: pass --yes to publish \
             without asking (or --dry-run to see the requests). Nothing was sent."
                .into(),
        );
    }
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "About to post to LinkedIn ({}); a post cannot be unpublished from here:",
        visibility.api_value()
    );
    let _ = writeln!(err, "  document: {} ({slides} pages), titled \"{}\"", pdf.display(), post.title);
    let _ = writeln!(err, "  text:");
    for line in post.text.shown.lines() {
        let _ = writeln!(err, "    {line}");
    }
    let _ = write!(err, "Publish? [y/N] ");
    let _ = err.flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().take_line(&mut answer);
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        Err("not published (the answer was not yes); nothing was sent".into())
    }
}

/// Reading one bounded line from a terminal.
trait TakeLine {
    fn take_line(&mut self, into: &mut String) -> std::io::Result<usize>;
}

impl<R: std::io::BufRead> TakeLine for R {
    fn take_line(&mut self, into: &mut String) -> std::io::Result<usize> {
        std::io::Read::take(self, 1024).read_line(into)
    }
}

/// Prints the requests `publish` would make, with the token redacted.
fn print_plan(
    endpoints: &Endpoints,
    post: &Post,
    pdf: &Path,
    bytes: usize,
    resume: Option<&str>,
    visibility: Visibility,
) {
    let api = &endpoints.api;
    let auth = ("Authorization", "Bearer <redacted>");
    let rest = linkedin::rest_headers();
    let json_type = ("Content-Type", "application/json");
    let mut out = String::from("dry run: nothing is sent. `carousel publish` would make these requests:\n");
    let mut request = |line: String, headers: &[(&str, &str)], body: Option<String>| {
        out.push('\n');
        out.push_str(&line);
        out.push('\n');
        for (name, value) in headers {
            out.push_str(&format!("{name}: {value}\n"));
        }
        if let Some(body) = body {
            out.push('\n');
            out.push_str(&body);
            out.push('\n');
        }
    };
    request(format!("GET {api}/v2/userinfo"), &[auth], None);
    let owner = "urn:li:person:{sub from /v2/userinfo}";
    let document = match resume {
        Some(urn) => {
            request(
                format!("GET {api}{}   (resuming with the earlier upload)", linkedin::document_path(urn)),
                &[auth, rest[0], rest[1]],
                None,
            );
            urn.to_string()
        }
        None => {
            let init = json!({ "initializeUploadRequest": { "owner": owner } });
            request(
                format!("POST {api}/rest/documents?action=initializeUpload"),
                &[auth, rest[0], rest[1], json_type],
                serde_json::to_string_pretty(&init).ok(),
            );
            request(
                "PUT {uploadUrl from initializeUpload}".into(),
                &[auth, ("Content-Type", "application/octet-stream")],
                Some(format!("<{bytes} bytes of {}>", pdf.display())),
            );
            "{document from initializeUpload}".to_string()
        }
    };
    request(
        format!("GET {api}/rest/documents/{{document, URL-encoded}}   (repeated until its status is AVAILABLE)"),
        &[auth, rest[0], rest[1]],
        None,
    );
    let body = post_body(owner, post, &document, visibility);
    request(
        format!("POST {api}/rest/posts"),
        &[auth, rest[0], rest[1], json_type],
        serde_json::to_string_pretty(&body).ok(),
    );
    out.push_str("\nThe post's text as LinkedIn will show it:\n\n");
    out.push_str(&post.text.shown);
    out.push('\n');
    print!("{out}");
}
