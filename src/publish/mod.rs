//! `carousel publish` (one deck, or `--due` for every scheduled deck whose time has come),
//! `carousel schedule`, and through [`manage`] `unpublish`, `posts`, `whoami`, `logout`; `login`
//! in [`login`].
//!
//! Owns the order of things and every refusal: the deck is read and its caption turned into
//! little text ([`little`]) and checked against LinkedIn's 3,000 characters (counted
//! conservatively) and its first comment against 1,250 before anything else; the publish record
//! ([`record`]) refuses a second post of the same deck, refuses after an answer that may have
//! made the post until the author has looked, lets a failed publish resume with its upload, and
//! lets a post without its first comment get it on the next run; a lock keeps two runs of one deck
//! apart. The deck is built with the build stage (slide cache included); the PDF is checked
//! against LinkedIn's 100 MB and 300 pages; `--dry-run` prints the requests (and says whether a
//! token is there); a terminal confirms (or `--yes`). Then [`linkedin`] makes the calls: the member
//! (`/v2/userinfo`), `initializeUpload`, the `PUT` of the PDF, polling the document until it is
//! `AVAILABLE`, the post, then the first comment. The token ([`token`]) comes from the environment
//! or from what [`login`] stored. Everything printed goes through [`safe`]. It hands the command
//! line an exit status and prints the post's URL.

pub mod images;
pub mod linkedin;
pub mod login;
pub mod manage;
pub mod record;
pub mod safe;
pub mod token;

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::read::diag::Diagnostic;
use crate::read::yaml::Pos;
use crate::{build, deck, files};

use self::linkedin::{ApiVersion, Client, CreateError, Endpoints, Member};
pub use self::record::PostAs;
use self::record::{Attempt, Record};
use crate::deck::little::PostText;
pub use crate::deck::{little, when};

/// LinkedIn's limit on a document's size: 100 MB, as LinkedIn writes it (10^8 bytes, a little
/// less than 100 MiB).
pub const MAX_PDF_BYTES: u64 = 100_000_000;

/// LinkedIn's limit on a document's pages.
pub const MAX_PDF_PAGES: usize = 300;

/// How long to wait for LinkedIn to process the PDF.
const PROCESSING_WAIT: Duration = Duration::from_secs(5 * 60);

/// Where a member sees what they posted, to check after an ambiguous answer.
pub const RECENT_ACTIVITY_URL: &str = "https://www.linkedin.com/in/me/recent-activity/all/";

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
    /// The deck file; with `due`, deck files or folders of decks.
    pub inputs: Vec<PathBuf>,
    /// Folders outside a deck's own that its paths may name (`--allow-outside`).
    pub allow_outside: Vec<PathBuf>,
    /// Post every deck whose `publish_at:` has passed and that is not published yet.
    pub due: bool,
    /// Output folder of the build, where the record is kept.
    pub out_dir: PathBuf,
    /// Do not ask.
    pub yes: bool,
    /// Print the requests, send nothing.
    pub dry_run: bool,
    /// Post again a deck already published (or possibly published).
    pub force: bool,
    /// Post the first comment again after an answer that may have posted it.
    pub comment_again: bool,
    /// Who may see the post.
    pub visibility: Visibility,
    /// `--as`: a document post of the PDF, or a multi-image post of the slides ([`images`]).
    pub post_as: PostAs,
    /// `--linkedin-version`.
    pub linkedin_version: Option<String>,
}

/// Prints a message on stderr, made safe ([`safe::clean`]).
pub fn say(text: &str) {
    eprintln!("{}", safe::clean(text));
}

/// Prints an error on stderr, made safe; nothing for an empty message (the diagnostics said it).
pub fn fail(message: &str) {
    if !message.is_empty() {
        eprintln!("error: {}", safe::clean(message));
    }
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Runs `carousel publish`: 0 when the post is live (or the dry run is printed, or `--due` found
/// nothing to do), 1 otherwise, 2 for a command line that names no deck or several without `--due`.
pub fn run(options: &PublishOptions) -> i32 {
    if !options.due && options.inputs.len() != 1 {
        eprintln!(
            "error: `carousel publish` takes one deck (or `--due` and decks or folders)\n\nUsage: carousel publish <DECK> [OPTIONS]\n       carousel publish --due <DECK or FOLDER>... [OPTIONS]"
        );
        return 2;
    }
    if options.due && options.force {
        eprintln!(
            "error: --force cannot go with --due: every run would post the due decks again. Publish one deck with \
             --force instead."
        );
        return 2;
    }
    let mut session = match Session::new(options) {
        Ok(session) => session,
        Err(message) => {
            fail(&message);
            return 1;
        }
    };
    if options.due {
        return run_due(&mut session, options);
    }
    match publish_deck(&mut session, &options.inputs[0], false) {
        Ok(_) => 0,
        Err(message) => {
            fail(&message);
            1
        }
    }
}

/// Runs `carousel login`: 0 when a token is stored, 1 otherwise.
pub fn run_login(options: &login::LoginOptions) -> i32 {
    match login::run(options) {
        Ok(()) => 0,
        Err(message) => {
            fail(&message);
            1
        }
    }
}

/// What one run shares between decks: where to send, the token and the member once loaded.
struct Session {
    options: PublishOptions,
    endpoints: Endpoints,
    version: ApiVersion,
    color: bool,
    token: Option<token::Loaded>,
    client: Option<Client>,
    member: Option<Member>,
}

impl Session {
    fn new(options: &PublishOptions) -> Result<Session, String> {
        let version = ApiVersion::resolve(options.linkedin_version.as_deref())?;
        let endpoints = Endpoints::from_env()?;
        Ok(Session {
            options: options.clone(),
            endpoints,
            version,
            color: color(),
            token: None,
            client: None,
            member: None,
        })
    }

    /// The token, loaded once (with a warning when it has few days left).
    fn token(&mut self) -> Result<&token::Loaded, String> {
        if self.token.is_none() {
            let loaded = token::load()?;
            if let Some(warning) = loaded.expiry_warning() {
                say(&warning);
            }
            self.token = Some(loaded);
        }
        Ok(self.token.as_ref().expect("loaded above"))
    }

    fn client(&mut self) -> Result<&Client, String> {
        if self.client.is_none() {
            let token = self.token()?.token.clone();
            self.client = Some(Client::new(self.endpoints.clone(), token, &self.version));
        }
        Ok(self.client.as_ref().expect("made above"))
    }

    /// The member the token belongs to, asked once.
    fn member(&mut self) -> Result<Member, String> {
        if let Some(member) = &self.member {
            return Ok(member.clone());
        }
        let member = self.client()?.member()?;
        self.member = Some(member.clone());
        Ok(member)
    }
}

/// What publishing one deck came to, besides an error.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// The post is live (now, or its first comment was added).
    Published,
    /// The dry run was printed.
    DryRun,
    /// `--due`: the deck has no `publish_at:`.
    NotScheduled,
    /// `--due`: its time has not come.
    NotDue(String),
    /// `--due`: it is published already.
    AlreadyPublished,
}

/// What the deck says the post is.
struct Post {
    title: String,
    text: PostText,
    stem: String,
    /// How many slides the deck has.
    slides: usize,
    first_comment: Option<String>,
    publish_at: Option<when::Moment>,
    /// Notes about the text, printed once the deck is to be published.
    notes: Vec<String>,
}

/// `--due`: every deck of the inputs whose `publish_at:` has passed and that has no live post
/// gets published (and a live post without its first comment gets it); the others are listed.
fn run_due(session: &mut Session, options: &PublishOptions) -> i32 {
    if !options.yes && !options.dry_run && !std::io::stdin().is_terminal() {
        fail(
            "`publish --due` posts without a terminal to confirm on only with --yes (for cron and CI), or try \
             --dry-run first. Nothing was sent.",
        );
        return 1;
    }
    let (decks, problems) = build::collect_decks(&options.inputs);
    let mut failed = problems.len();
    for (path, message) in &problems {
        fail(&format!("{}: {message}", path.display()));
    }
    let (mut published, mut waiting, mut done, mut unscheduled) = (0, 0, 0, 0);
    for path in &decks {
        match publish_deck(session, path, true) {
            Ok(Outcome::Published) => published += 1,
            Ok(Outcome::DryRun) => {}
            Ok(Outcome::NotScheduled) => unscheduled += 1,
            Ok(Outcome::NotDue(at)) => {
                waiting += 1;
                say(&format!("not yet: {} is due {at}", path.display()));
            }
            Ok(Outcome::AlreadyPublished) => done += 1,
            Err(message) => {
                failed += 1;
                fail(&format!("{}: {message}", path.display()));
            }
        }
    }
    say(&format!(
        "due: {published} published, {waiting} not yet due, {done} already published, {unscheduled} without publish_at, {failed} failed"
    ));
    if failed > 0 {
        1
    } else {
        0
    }
}

fn already_published(path: &Path, record: &Record, record_path: &Path) -> String {
    format!(
        "{} was already published: {} (recorded in {}). Nothing was sent; pass --force to post it again, or \
         `carousel unpublish {}` to delete it first.",
        path.display(),
        record.url.as_deref().unwrap_or("(no URL recorded)"),
        record_path.display(),
        path.display()
    )
}

fn possibly_sent(path: &Path, post: &Post, attempt: &Attempt, record_path: &Path) -> String {
    format!(
        "the last publish of {} may have posted it: LinkedIn's answer at {} did not say ({}). Look at your \
         recent activity ({RECENT_ACTIVITY_URL}) for a post of the deck \"{}\". If it is there, nothing is left \
         to do (delete it with LinkedIn's menu if you want it gone); if it is not, run `carousel publish {} --force`. \
         Nothing was sent (see {}).",
        path.display(),
        when::show_utc(attempt.at),
        attempt.answer,
        post.title,
        path.display(),
        record_path.display()
    )
}

/// Publishes one deck; with `due`, only when its time has come.
fn publish_deck(session: &mut Session, path: &Path, due: bool) -> Result<Outcome, String> {
    let options = session.options.clone();
    let post = read_deck(path, session.color)?;
    if due {
        match post.publish_at {
            None => return Ok(Outcome::NotScheduled),
            Some(at) if at.unix > token::now() as i64 => {
                return Ok(Outcome::NotDue(format!(
                    "{} ({})",
                    when::show(at),
                    when::relative(at.unix, token::now() as i64)
                )))
            }
            Some(_) => {}
        }
    }
    if options.post_as == PostAs::Images {
        images::check_count(post.slides)?;
    }
    for note in &post.notes {
        say(note);
    }
    let record_path = record::path_for(&options.out_dir, &post.stem);
    let _lock = if options.dry_run { None } else { Some(record::lock(&record_path)?) };
    let previous = record::read(&record_path)?;
    if let Some(previous) = &previous {
        if previous.live_post().is_some() && !options.force {
            let wants_comment = post.first_comment.is_some() && !previous.has_comment();
            if wants_comment {
                if let Some(attempt) = &previous.comment_possibly_sent {
                    if !options.comment_again {
                        return Err(format!(
                            "{} is published ({}), and its first comment may have been posted: LinkedIn's answer at \
                             {} did not say ({}). Look at the post; if the comment is not there, run `carousel \
                             publish {} --comment-again`. Nothing was sent.",
                            path.display(),
                            previous.url.as_deref().unwrap_or("(no URL recorded)"),
                            when::show_utc(attempt.at),
                            attempt.answer,
                            path.display()
                        ));
                    }
                }
                return add_missing_comment(session, path, &post, previous.clone(), &record_path);
            }
            if due {
                return Ok(Outcome::AlreadyPublished);
            }
            return Err(already_published(path, previous, &record_path));
        }
        if let (Some(attempt), None) = (&previous.post_possibly_sent, previous.live_post()) {
            if !options.force {
                return Err(possibly_sent(path, &post, attempt, &record_path));
            }
        }
    }
    if options.comment_again {
        return Err(format!(
            "--comment-again: {} has no live post recorded in {}; nothing was sent",
            path.display(),
            record_path.display()
        ));
    }

    let report = build::run_one(
        path,
        &build::Options {
            out_dir: options.out_dir.clone(),
            svg: false,
            check_only: false,
            deny_warnings: false,
            cache: true,
            allow_outside: options.allow_outside.clone(),
            platforms: match options.post_as {
                PostAs::Document => Vec::new(),
                PostAs::Images => vec![crate::export::platforms::Platform::LinkedInImages],
            },
        },
    );
    for diagnostic in &report.diagnostics {
        eprint!("{}", diagnostic.render(&report.path, report.source.as_deref(), session.color));
    }
    if report.failed() {
        return Err("the deck did not build; nothing was sent".into());
    }
    if options.post_as == PostAs::Images {
        return images::publish(session, path, &post, &report, previous.as_ref(), &record_path);
    }
    let pdf_path = options.out_dir.join(format!("{}.pdf", post.stem));
    let pdf = match files::read(&pdf_path, MAX_PDF_BYTES) {
        Ok(Some(pdf)) => pdf,
        Ok(None) => return Err(format!("{}: the build wrote no PDF", pdf_path.display())),
        Err(files::ReadError::TooLarge(_)) => {
            let size = std::fs::metadata(&pdf_path).map(|m| m.len()).unwrap_or(0);
            return Err(format!(
                "{} is {:.1} MB; LinkedIn takes documents up to 100 MB. Nothing was sent; use fewer or smaller images.",
                pdf_path.display(),
                size as f64 / 1e6
            ));
        }
        Err(e) => return Err(format!("{}: cannot read the PDF: {e}", pdf_path.display())),
    };
    if report.slides > MAX_PDF_PAGES {
        return Err(format!(
            "the deck has {} slides; LinkedIn takes documents up to {MAX_PDF_PAGES} pages. Nothing was sent.",
            report.slides
        ));
    }
    say(&format!(
        "built {} -> {} ({} slides{})",
        path.display(),
        pdf_path.display(),
        report.slides,
        if report.cached > 0 { format!(", {} unchanged from the cache", report.cached) } else { String::new() }
    ));
    let pdf_hash = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&pdf));

    // A document uploaded by an earlier, failed publish of this same PDF is posted instead of a
    // new upload; after a post (with --force) or an unpublish, everything starts afresh.
    let resumable = previous
        .as_ref()
        .filter(|r| r.post.is_none() && r.post_possibly_sent.is_none() && r.post_as == PostAs::Document);
    let resume = match resumable {
        Some(r) if r.document.is_some() => {
            if r.pdf_hash == pdf_hash {
                r.document.clone().map(|d| (d, r.owner.clone()))
            } else {
                say(&format!(
                    "note: the PDF changed since the upload recorded in {}; uploading it again",
                    record_path.display()
                ));
                None
            }
        }
        _ => None,
    };

    if options.dry_run {
        dry_run_token_check();
        print_plan(session, &post, &pdf_path, pdf.len(), resume.as_ref().map(|(d, _)| d.as_str()));
        return Ok(Outcome::DryRun);
    }
    session.token()?;
    if !options.yes {
        let content =
            format!("  document: {} ({} pages), titled \"{}\"", pdf_path.display(), report.slides, post.title);
        confirm(&post, content, options.visibility)?;
    }

    let member = session.member()?;
    let owner = member.urn();
    let client = session.client()?;
    let mut record = Record {
        deck: path.display().to_string(),
        pdf: pdf_path.display().to_string(),
        pdf_hash,
        owner: Some(owner.clone()),
        ..Record::default()
    };
    let mut document = None;
    if let Some((urn, uploader)) = resume {
        if uploader.as_deref().is_some_and(|u| u != owner) {
            say(&format!(
                "note: the upload recorded before ({urn}) was made by another member; uploading again as {owner}"
            ));
        } else {
            match client.document_status(&urn)?.as_deref() {
                Some("AVAILABLE" | "PROCESSING") => {
                    say(&format!("resuming with the PDF uploaded before ({urn})"));
                    document = Some(urn);
                }
                status => say(&format!(
                    "note: the upload recorded before ({urn}) is {}; uploading again",
                    status.map(|s| format!("in state {s}")).unwrap_or_else(|| "unknown to LinkedIn".into())
                )),
            }
        }
    }
    let document = match document {
        Some(urn) => urn,
        None => {
            let urn = upload(client, &owner, &pdf)?;
            record.document = Some(urn.clone());
            record::write(&record_path, &record)?;
            urn
        }
    };
    record.document = Some(document.clone());
    if let Err(message) =
        wait_until_available("the PDF", &document, Instant::now() + PROCESSING_WAIT, |urn| client.document_status(urn))
    {
        if message.contains("PROCESSING_FAILED") {
            // The next run must upload afresh, not resume with a document LinkedIn rejected.
            record.document = None;
            let _ = record::write(&record_path, &record);
        }
        return Err(message);
    }

    let body = post_body(&owner, &post, &document, options.visibility);
    create_post(client, &owner, path, &post, &body, record, &record_path)
}

/// Creates the post from `body` and records it (or records an answer that may have made it),
/// prints its URL, then posts the first comment. Shared by the document and the image post.
fn create_post(
    client: &Client,
    owner: &str,
    path: &Path,
    post: &Post,
    body: &Value,
    mut record: Record,
    record_path: &Path,
) -> Result<Outcome, String> {
    let urn = match client.create_post(body) {
        Ok(urn) => urn,
        Err(CreateError::Ambiguous(message)) => {
            let attempt = Attempt { at: token::now(), answer: safe::clean_line(&message).chars().take(300).collect() };
            record.post_possibly_sent = Some(attempt.clone());
            let kept = record::write(record_path, &record);
            let mut text = format!("{message}\n{}", possibly_sent(path, post, &attempt, record_path));
            text = text.replace(" Nothing was sent (see", " A second `carousel publish` refuses until then (see");
            if let Err(e) = kept {
                text.push_str(&format!("\nwarning: {e}"));
            }
            return Err(text);
        }
        Err(CreateError::Refused(message)) => {
            if message.contains("HTTP 403") && message.contains("another member") {
                record.document = None;
                record.images.clear();
                let _ = record::write(record_path, &record);
                let what = if record.post_as == PostAs::Images { "the images" } else { "the PDF" };
                return Err(format!("{message} The next `carousel publish` uploads {what} afresh."));
            }
            return Err(message);
        }
    };
    let url = record::post_url(&urn);
    record.post = Some(urn);
    record.url = Some(url.clone());
    record.published_at = Some(token::now());
    if let Err(message) = record::write(record_path, &record) {
        say(&format!("warning: the post is live, but {message}; a second publish will not know about it"));
    }
    say(&format!("published {} to LinkedIn", path.display()));
    println!("{}", safe::clean_line(&url));
    if let Some(comment) = &post.first_comment {
        post_first_comment(client, owner, comment, &mut record, record_path, path)?;
    }
    Ok(Outcome::Published)
}

/// A live post without its first comment (the comment failed, the run was cut, or the deck got
/// one after): the comment is posted now, and nothing else.
fn add_missing_comment(
    session: &mut Session,
    path: &Path,
    post: &Post,
    mut record: Record,
    record_path: &Path,
) -> Result<Outcome, String> {
    let comment = post.first_comment.clone().unwrap_or_default();
    let urn = record.post.clone().unwrap_or_default();
    let url = record.url.clone().unwrap_or_else(|| record::post_url(&urn));
    if session.options.dry_run {
        dry_run_token_check();
        let api = &session.endpoints.api;
        let body = linkedin::comment_body(&urn, "urn:li:person:{sub from /v2/userinfo}", &comment);
        let rest = linkedin::rest_headers(&session.version.value);
        let mut out = format!(
            "dry run: nothing is sent. {} is published ({url}) without its first comment; `carousel publish` would \
             make these requests:\n\nGET {api}/v2/userinfo\nAuthorization: Bearer <redacted>\n\nPOST {api}{}\n\
             Authorization: Bearer <redacted>\n{}: {}\n{}: {}\nContent-Type: application/json\n\n",
            path.display(),
            linkedin::comments_path(&urn),
            rest[0].0,
            rest[0].1,
            rest[1].0,
            rest[1].1
        );
        out.push_str(&serde_json::to_string_pretty(&body).unwrap_or_default());
        out.push('\n');
        print!("{}", safe::clean(&out));
        return Ok(Outcome::DryRun);
    }
    session.token()?;
    if !session.options.yes {
        confirm_comment(&url, &comment)?;
    }
    let member = session.member()?;
    let client = session.client()?;
    say(&format!("{} is published ({url}); adding its first comment", path.display()));
    post_first_comment(client, &member.urn(), &comment, &mut record, record_path, path)?;
    println!("{}", safe::clean_line(&url));
    Ok(Outcome::Published)
}

/// Posts the first comment and records it; an ambiguous answer is recorded as such.
fn post_first_comment(
    client: &Client,
    actor: &str,
    comment: &str,
    record: &mut Record,
    record_path: &Path,
    path: &Path,
) -> Result<(), String> {
    let post = record.post.clone().unwrap_or_default();
    let url = record.url.clone().unwrap_or_default();
    match client.create_comment(&post, actor, comment) {
        Ok(urn) => {
            record.comment = urn;
            record.comment_at = Some(token::now());
            record.comment_possibly_sent = None;
            if let Err(message) = record::write(record_path, record) {
                say(&format!("warning: the comment is posted, but {message}"));
            }
            say("posted the first comment");
            Ok(())
        }
        Err(CreateError::Ambiguous(message)) => {
            record.comment_possibly_sent =
                Some(Attempt { at: token::now(), answer: safe::clean_line(&message).chars().take(300).collect() });
            let _ = record::write(record_path, record);
            Err(format!(
                "{message}\nThe post is live ({url}); its first comment may or may not have been posted. Look at the \
                 post; if the comment is missing, run `carousel publish {} --comment-again`.",
                path.display()
            ))
        }
        Err(CreateError::Refused(message)) => {
            let scope = if message.contains("HTTP 403") {
                " (commenting may need a permission beyond w_member_social for this app)"
            } else {
                ""
            };
            Err(format!(
                "{message}\nThe post is live ({url}), without its first comment{scope}; run `carousel publish {}` \
                 again to add it.",
                path.display()
            ))
        }
    }
}

/// Reads the deck for its title, caption, first comment and time; refuses a caption or comment
/// LinkedIn would refuse.
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
    if post_text.count() > little::MAX_POST_CHARS {
        let message = format!(
            "the caption is {} characters with its hashtags, counted as LinkedIn may count them; LinkedIn refuses \
             posts over {} (it answers 400; it does not cut them). Nothing was sent.",
            post_text.count(),
            little::MAX_POST_CHARS
        );
        eprint!(
            "{}",
            Diagnostic::error(pos, message)
                .with_help(
                    "shorten `caption.text` or drop hashtags (counted in UTF-16 units, an emoji is 2, with the \
                     backslash before each reserved character)"
                )
                .render(path, Some(&source), color)
        );
        return Err(String::new());
    }
    let first_comment = deck.caption.as_ref().and_then(|c| c.first_comment.as_ref());
    if let Some(comment) = first_comment {
        let count = little::conservative_len(&comment.value);
        if count > little::MAX_COMMENT_CHARS {
            let message = format!(
                "the first comment is {count} characters, counted as LinkedIn may count them; LinkedIn takes comments \
                 up to {}. Nothing was sent.",
                little::MAX_COMMENT_CHARS
            );
            eprint!(
                "{}",
                Diagnostic::error(comment.pos, message).with_help("shorten `caption.first_comment`").render(
                    path,
                    Some(&source),
                    color
                )
            );
            return Err(String::new());
        }
    }
    let mut notes = Vec::new();
    if post_text.commentary.is_empty() {
        notes.push(format!(
            "note: {} has no caption text; the post will carry the document without text",
            path.display()
        ));
    }
    for tag in &post_text.unlinked {
        notes.push(format!(
            "note: the hashtag `{tag}` is not letters and digits only: LinkedIn will show it as text, not as a link"
        ));
    }
    Ok(Post {
        title: deck.title.clone(),
        text: post_text,
        stem: deck.stem.clone(),
        slides: deck.slides.len(),
        first_comment: first_comment.map(|c| c.value.trim().to_string()),
        publish_at: deck.publish_at.map(|at| at.value),
        notes,
    })
}

/// Registers the upload and sends the PDF. A URL already expired when LinkedIn hands it over
/// (a clock far off, a slow link) is asked for once more.
fn upload(client: &Client, owner: &str, pdf: &[u8]) -> Result<String, String> {
    let mut upload = client.initialize_upload(owner)?;
    let now_ms = token::now().saturating_mul(1000);
    if upload.expires_at_ms.is_some_and(|at| at <= now_ms) {
        upload = client.initialize_upload(owner)?;
    }
    say(&format!("uploading the PDF ({} KB)...", pdf.len().div_ceil(1024)));
    client.upload(&upload.upload_url, pdf)?;
    Ok(upload.urn)
}

/// Polls an upload (`file` names it: "the PDF", "image 02.jpg") with `status` until LinkedIn
/// has processed it: every half second at first, then less often, until `deadline` (at most
/// [`PROCESSING_WAIT`] from the start).
fn wait_until_available(
    file: &str,
    urn: &str,
    deadline: Instant,
    status: impl Fn(&str) -> Result<Option<String>, String>,
) -> Result<(), String> {
    let mut pause = Duration::from_millis(500);
    loop {
        match status(urn)?.as_deref() {
            Some("AVAILABLE") => return Ok(()),
            Some("PROCESSING_FAILED") => {
                return Err(format!(
                    "LinkedIn could not process {file} ({urn}: PROCESSING_FAILED). Check that out/ holds a file \
                     that opens, then run `carousel publish` again: it uploads afresh."
                ))
            }
            None => {
                return Err(format!("LinkedIn does not know the upload {urn} ({file}); run `carousel publish` again"))
            }
            Some(_) => {}
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "LinkedIn is still processing {file} after {} minutes; run `carousel publish` again later: it resumes with this upload",
                PROCESSING_WAIT.as_secs() / 60
            ));
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_secs(5));
    }
}

/// The Posts API body of a document post. A post without text has no `commentary` at all
/// (LinkedIn refuses an empty one).
fn post_body(owner: &str, post: &Post, document: &str, visibility: Visibility) -> Value {
    post_body_with(owner, post, json!({ "media": { "title": post.title, "id": document } }), visibility)
}

/// The Posts API body of a post of `content` (`{"media": ...}`, `{"multiImage": ...}`).
fn post_body_with(owner: &str, post: &Post, content: Value, visibility: Visibility) -> Value {
    let mut body = json!({
        "author": owner,
        "commentary": post.text.commentary,
        "visibility": visibility.api_value(),
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": []
        },
        "content": content,
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": false
    });
    if post.text.commentary.is_empty() {
        if let Some(object) = body.as_object_mut() {
            object.remove("commentary");
        }
    }
    body
}

/// Refuses without a terminal; asks on one.
fn ask(question: &str, lines: &[String]) -> Result<(), String> {
    if !std::io::stdin().is_terminal() {
        return Err(
            "publishing is public, and there is no terminal to confirm on: pass --yes to go ahead without asking (or \
             --dry-run to see the requests). Nothing was sent."
                .into(),
        );
    }
    let mut err = std::io::stderr().lock();
    for line in lines {
        let _ = writeln!(err, "{}", safe::clean(line));
    }
    let _ = write!(err, "{question} [y/N] ");
    let _ = err.flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().take_line(&mut answer);
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        Err("the answer was not yes; nothing was sent".into())
    }
}

/// Asks before a post is made: what it carries (`content`, one line), its text and first comment.
fn confirm(post: &Post, content: String, visibility: Visibility) -> Result<(), String> {
    let mut lines = vec![
        format!(
            "About to post to LinkedIn ({}); `carousel unpublish` can delete it later, but people may see it first:",
            visibility.api_value()
        ),
        content,
        "  text:".to_string(),
    ];
    lines.extend(post.text.shown.lines().map(|line| format!("    {line}")));
    if let Some(comment) = &post.first_comment {
        lines.push("  first comment:".to_string());
        lines.extend(comment.lines().map(|line| format!("    {line}")));
    }
    ask("Publish?", &lines)
}

fn confirm_comment(url: &str, comment: &str) -> Result<(), String> {
    let mut lines = vec![format!("About to comment on {url}:")];
    lines.extend(comment.lines().map(|line| format!("    {line}")));
    ask("Post the comment?", &lines)
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

/// A dry run loads the token too, to say whether the real run would have one.
fn dry_run_token_check() {
    match token::load() {
        Ok(loaded) => {
            say(&format!("dry run: would publish with {}", loaded.described()));
            if let Some(warning) = loaded.expiry_warning() {
                say(&warning);
            }
        }
        Err(message) => say(&format!("warning: a real publish would stop here: {message}")),
    }
}

/// Prints the requests `publish` would make, with the token redacted.
fn print_plan(session: &Session, post: &Post, pdf: &Path, bytes: usize, resume: Option<&str>) {
    let api = &session.endpoints.api;
    let visibility = session.options.visibility;
    let auth = ("Authorization", "Bearer <redacted>");
    let rest = linkedin::rest_headers(&session.version.value);
    let json_type = ("Content-Type", "application/json");
    let mut out = format!(
        "dry run: nothing is sent. `carousel publish` would make these requests (LinkedIn-Version {}):\n",
        session.version.described()
    );
    let mut request = |line: String, headers: &[(&str, &str)], body: Option<String>| {
        push_request(&mut out, &line, headers, body);
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
                &[
                    ("Authorization", "Bearer <redacted>   (only if uploadUrl is a LinkedIn host over https)"),
                    ("Content-Type", "application/octet-stream"),
                ],
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
    if let Some(comment) = &post.first_comment {
        let body = linkedin::comment_body("{post URN from x-restli-id}", owner, comment);
        request(
            format!("POST {api}/rest/socialActions/{{post URN, URL-encoded}}/comments   (the first comment)"),
            &[auth, rest[0], rest[1], json_type],
            serde_json::to_string_pretty(&body).ok(),
        );
    }
    out.push_str("\nThe post's text as LinkedIn will show it:\n\n");
    out.push_str(if post.text.shown.is_empty() { "(none)" } else { &post.text.shown });
    out.push('\n');
    print!("{}", safe::clean(&out));
}

/// Adds one request of a dry run to `out`: its line, its headers, its body.
fn push_request(out: &mut String, line: &str, headers: &[(&str, &str)], body: Option<String>) {
    out.push('\n');
    out.push_str(line);
    out.push('\n');
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\n"));
    }
    if let Some(body) = body {
        out.push('\n');
        out.push_str(&body);
        out.push('\n');
    }
}

// --- `carousel schedule` ---

/// The folders `schedule` lists when given none: `decks/` when there is one, else `.`.
pub fn default_deck_inputs() -> Vec<PathBuf> {
    if Path::new("decks").is_dir() {
        vec![PathBuf::from("decks")]
    } else {
        vec![PathBuf::from(".")]
    }
}

/// Runs `carousel schedule`: every deck with a `publish_at:`, in time order, with what
/// `publish --due` will do about it. 1 when a deck cannot be read.
pub fn run_schedule(inputs: &[PathBuf], out_dir: &Path) -> i32 {
    let inputs = if inputs.is_empty() { default_deck_inputs() } else { inputs.to_vec() };
    let (decks, problems) = build::collect_decks(&inputs);
    let mut failed = problems.len();
    for (path, message) in &problems {
        fail(&format!("{}: {message}", path.display()));
    }
    let now = token::now() as i64;
    let mut rows: Vec<(i64, String)> = Vec::new();
    let mut unscheduled = Vec::new();
    for path in &decks {
        let loaded = match deck::read_source(path) {
            Ok(source) => deck::load(path, &source),
            Err(e) => {
                failed += 1;
                fail(&format!("{}: {}", path.display(), e.message));
                continue;
            }
        };
        let Some(deck) = loaded.deck else {
            failed += 1;
            fail(&format!("{}: the deck has errors (`carousel check {}` shows them)", path.display(), path.display()));
            continue;
        };
        let Some(at) = deck.publish_at else {
            unscheduled.push(path.display().to_string());
            continue;
        };
        let record_path = record::path_for(out_dir, &deck.stem);
        let state = match record::read(&record_path) {
            Err(e) => {
                failed += 1;
                format!("record unreadable: {e}")
            }
            Ok(Some(r)) if r.live_post().is_some() => {
                let comment_missing =
                    deck.caption.as_ref().is_some_and(|c| c.first_comment.is_some()) && !r.has_comment();
                format!(
                    "published {}{}",
                    r.url.as_deref().unwrap_or(""),
                    if comment_missing { " (first comment missing: the next run adds it)" } else { "" }
                )
            }
            Ok(Some(r)) if r.post_possibly_sent.is_some() => "possibly posted: check, then --force".to_string(),
            Ok(_) if at.value.unix <= now => "due now: the next `publish --due` posts it".to_string(),
            Ok(_) => format!("due {}", when::relative(at.value.unix, now)),
        };
        rows.push((
            at.value.unix,
            format!("{}  {}  \"{}\"  {state}", when::show(at.value), path.display(), deck.title),
        ));
    }
    rows.sort();
    let mut stdout = std::io::stdout().lock();
    if rows.is_empty() {
        let _ = writeln!(stdout, "no deck has a publish_at: (add `publish_at: \"2026-12-08T09:00:00+01:00\"` to one)");
    }
    for (_, row) in &rows {
        let _ = writeln!(stdout, "{}", safe::clean_line(row));
    }
    if !unscheduled.is_empty() {
        let _ = writeln!(stdout, "not scheduled (no publish_at): {}", safe::clean_line(&unscheduled.join(", ")));
    }
    if failed > 0 {
        1
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(text: &str) -> Post {
        Post {
            title: "T".into(),
            text: little::post_text(text, &[]),
            stem: "s".into(),
            slides: 2,
            first_comment: None,
            publish_at: None,
            notes: Vec::new(),
        }
    }

    #[test]
    fn an_empty_caption_sends_no_commentary() {
        let body = post_body("urn:li:person:x", &post(""), "urn:li:document:d", Visibility::Public);
        assert!(body.get("commentary").is_none(), "{body}");
        let body = post_body("urn:li:person:x", &post("Hi"), "urn:li:document:d", Visibility::Public);
        assert_eq!(body["commentary"], "Hi");
    }

    #[test]
    fn the_pdf_limit_is_100_mb_as_linkedin_writes_it() {
        assert_eq!(MAX_PDF_BYTES, 100_000_000);
    }
}
