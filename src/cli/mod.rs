//! Command line: arguments in, a validated configuration, reports out.
//!
//! Owns the commands and flags (clap), turning each into a run of the build stage, and the
//! printing of diagnostics and summaries: errors and warnings once each, on stderr, coloured only
//! when stderr is a terminal and `NO_COLOR` is unset. It hands `main` an exit status: 0 when
//! every deck is fine, 1 when any deck has an error (2, for a wrong command line, comes from clap).
// clap turns the doc comments below into `--help`, which shows `DIR/<stem>.pdf` as written.
#![allow(rustdoc::invalid_html_tags)]

pub mod progress;

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::author::schema;
use crate::build::{self, output, DeckReport, Options};
use crate::read::diag::Diagnostic;
use crate::read::yaml::Pos;

/// Turns YAML decks into LinkedIn carousels: one PDF to upload plus one PNG per slide.
#[derive(Debug, Parser)]
#[command(name = "carousel", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Let decks name files in FOLDER too, outside their own folder (repeatable). A deck's
    /// paths stay in its folder and below otherwise; a deck cannot allow itself more.
    #[arg(long = "allow-outside", value_name = "FOLDER", global = true)]
    pub allow_outside: Vec<PathBuf>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build decks into DIR/<stem>.pdf and DIR/<stem>/01.png, 02.png, ...
    #[command(
        after_help = "Examples:\n  carousel build decks/day5.yaml\n  carousel build decks/ -o site/carousels --svg"
    )]
    Build {
        /// Deck files, or folders of *.yaml / *.yml decks.
        #[arg(required = true, value_name = "DECK or FOLDER")]
        inputs: Vec<PathBuf>,
        /// Output folder.
        #[arg(short, long, value_name = "DIR", default_value = "out")]
        out: PathBuf,
        /// Also write DIR/<stem>/01.svg, ...: the exact SVG that was rasterised.
        #[arg(long)]
        svg: bool,
        /// Render every slide afresh instead of reusing unchanged slides from DIR/.carousel-cache.
        #[arg(long)]
        no_cache: bool,
        /// Also write the slides as these platforms take them, in DIR/<stem>.<platform>/
        /// (instagram, threads, x, linkedin-images; comma-separated or repeated).
        #[arg(long = "for", value_name = "PLATFORM", value_delimiter = ',', value_parser = platform)]
        platforms: Vec<crate::export::platforms::Platform>,
    },
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  carousel completions bash > ~/.local/share/bash-completion/completions/carousel\n  carousel completions zsh > ~/.zfunc/_carousel"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Write a starter deck with the six story kinds, ready to build.
    #[command(
        after_help = "Examples:\n  carousel new decks/day14\n  carousel new launch.yaml --look editorial\n  carousel new decks/day14 --brand decks/brand/team.yaml"
    )]
    New {
        /// File to create (`.yaml` is added when missing). Never overwritten.
        #[arg(value_name = "FILE")]
        path: PathBuf,
        /// The look the deck starts in (`carousel looks` lists them); default tech, or the kit's.
        #[arg(long, value_name = "LOOK", value_parser = look_name)]
        look: Option<String>,
        /// A brand kit (YAML) the deck starts from: its look, colours, fonts, author, logo and
        /// footer, named by the deck's `brand:` line. Checked before anything is written.
        #[arg(long, value_name = "KIT")]
        brand: Option<PathBuf>,
    },
    /// List the looks a deck's `look:` takes, each with what it looks like.
    #[command(after_help = "Examples:\n  carousel looks\n  carousel new decks/day14 --look bold")]
    Looks,
    /// List the icon names a slide's `icon:` and a bullet's `mark:` take (the Lucide set).
    #[command(after_help = "Examples:\n  carousel icons\n  carousel icons arrow\n  carousel icons chart bar")]
    Icons {
        /// Only names containing every one of these words.
        #[arg(value_name = "FILTER")]
        filter: Vec<String>,
    },
    /// Print the JSON Schema of the deck format, for editor completion, hover docs and checks.
    #[command(
        after_help = "Examples:\n  carousel schema > deck.schema.json\n\nThen make this the first line of a deck (the path is relative to the deck):\n  # yaml-language-server: $schema=deck.schema.json"
    )]
    Schema,
    /// Parse, validate and lay out every slide; write nothing.
    /// Also warns about: type at its floor, contrast below WCAG AA, over 50 words on a slide, a hook
    /// title over 12 words, fewer than 3 or more than 20 slides, a caption over 3,000 characters, mojibake,
    /// a list mixing emoji and icon marks.
    #[command(after_help = "Examples:\n  carousel check decks/day5.yaml\n  carousel check decks/ --deny-warnings")]
    Check {
        /// Deck files, or folders of decks.
        #[arg(required = true, value_name = "DECK or FOLDER")]
        inputs: Vec<PathBuf>,
        /// Treat warnings as errors (exit 1).
        #[arg(long)]
        deny_warnings: bool,
        /// Also check the rules of these platforms (shape, caption length, hashtags).
        #[arg(long = "for", value_name = "PLATFORM", value_delimiter = ',', value_parser = platform)]
        platforms: Vec<crate::export::platforms::Platform>,
    },
    /// Build a deck, then rebuild it on every save of the deck or of a file it uses (images,
    /// avatar, theme file, layouts folder). Errors are printed and the last good output kept;
    /// fixing the deck recovers. Ctrl-C stops (exit 0).
    #[command(
        after_help = "Examples:\n  carousel watch decks/day5.yaml\n  carousel watch decks/day5.yaml --serve          # preview at http://127.0.0.1:7878/\n  carousel watch decks/day5.yaml --serve --port 0 -o /tmp/preview"
    )]
    Watch {
        /// The deck file.
        #[arg(value_name = "DECK")]
        deck: PathBuf,
        /// Output folder.
        #[arg(short, long, value_name = "DIR", default_value = "out")]
        out: PathBuf,
        /// Also write DIR/<stem>/01.svg, ...: the exact SVG that was rasterised.
        #[arg(long)]
        svg: bool,
        /// Serve a preview page on 127.0.0.1 that shows every slide and reloads after each build.
        #[arg(long)]
        serve: bool,
        /// Port for --serve (0: any free port; the URL is printed).
        #[arg(long, value_name = "N", default_value_t = 7878, requires = "serve")]
        port: u16,
        /// Log every HTTP request of --serve on stderr.
        #[arg(short, long)]
        verbose: bool,
    },
    // --- publishing to LinkedIn (issues #12, #21) ---
    /// Build a deck and post its PDF to LinkedIn as a document post (or, with --as images, its
    /// slides as a multi-image post), with the caption as the post's text (and
    /// `caption.first_comment` as a first comment). Prints the post's URL. Asks
    /// first on a terminal; a deck already published is not posted again (see
    /// DIR/<stem>.published.json). With --due: every deck whose `publish_at:` has passed and that
    /// is not published yet (for cron or a CI schedule).
    #[command(
        after_help = "Examples:\n  carousel publish decks/day5.yaml\n  carousel publish decks/day5.yaml --dry-run\n  carousel publish decks/day5.yaml --yes --visibility connections\n  carousel publish decks/day5.yaml --as images   # a multi-image post, 2-20 slides\n  carousel publish --due decks/ --yes          # from cron or CI\n\nThe token comes from LINKEDIN_ACCESS_TOKEN or from `carousel login`.\nLINKEDIN_API_VERSION (YYYYMM) or --linkedin-version sets the LinkedIn-Version sent."
    )]
    Publish {
        /// The deck file; with --due, deck files or folders of decks.
        #[arg(required = true, value_name = "DECK")]
        inputs: Vec<PathBuf>,
        /// Post every deck whose `publish_at:` has passed and that has no live post yet.
        #[arg(long)]
        due: bool,
        /// Output folder (the build's, and where the publish record is kept).
        #[arg(short, long, value_name = "DIR", default_value = "out")]
        out: PathBuf,
        /// Publish without asking (for scripts). Without a terminal, publish refuses unless given.
        #[arg(short, long)]
        yes: bool,
        /// Print every request publish would make (token redacted) and send nothing.
        #[arg(long)]
        dry_run: bool,
        /// Post again a deck that was already published (or may have been).
        #[arg(long)]
        force: bool,
        /// Post the first comment again after an answer that did not say whether it was posted.
        #[arg(long)]
        comment_again: bool,
        /// Who may see the post.
        #[arg(long, value_enum, default_value = "public")]
        visibility: crate::publish::Visibility,
        /// Post the PDF as a document (LinkedIn shows it as a carousel), or the slides as the
        /// images of a multi-image post (2 to 20 slides; alt text from each slide's `notes:`).
        #[arg(long = "as", value_name = "KIND", value_enum, default_value = "document")]
        post_as: crate::publish::PostAs,
        /// The LinkedIn API version to send (YYYYMM); overrides LINKEDIN_API_VERSION.
        #[arg(long, value_name = "YYYYMM", value_parser = linkedin_version)]
        linkedin_version: Option<String>,
    },
    /// List the decks with a `publish_at:`, in time order, with what `publish --due` will do.
    #[command(after_help = "Examples:\n  carousel schedule\n  carousel schedule decks/ -o out")]
    Schedule {
        /// Deck files or folders (default: decks/ when it exists, else the current folder).
        #[arg(value_name = "DECK or FOLDER")]
        inputs: Vec<PathBuf>,
        /// Output folder, where the publish records are.
        #[arg(short, long, value_name = "DIR", default_value = "out")]
        out: PathBuf,
    },
    /// Delete the LinkedIn post a deck made (from DIR/<stem>.published.json). Asks first.
    #[command(
        after_help = "Examples:\n  carousel unpublish decks/day5.yaml\n  carousel unpublish decks/day5.yaml --yes"
    )]
    Unpublish {
        /// The deck file.
        #[arg(value_name = "DECK")]
        deck: PathBuf,
        /// Output folder, where the publish record is.
        #[arg(short, long, value_name = "DIR", default_value = "out")]
        out: PathBuf,
        /// Delete without asking. Without a terminal, unpublish refuses unless given.
        #[arg(short, long)]
        yes: bool,
        /// Print the request and send nothing.
        #[arg(long)]
        dry_run: bool,
        /// The LinkedIn API version to send (YYYYMM); overrides LINKEDIN_API_VERSION.
        #[arg(long, value_name = "YYYYMM", value_parser = linkedin_version)]
        linkedin_version: Option<String>,
    },
    /// List what was published: one line per publish record in DIR, newest first.
    #[command(after_help = "Examples:\n  carousel posts\n  carousel posts site/out")]
    Posts {
        /// The output folder holding the records.
        #[arg(value_name = "DIR", default_value = "out")]
        dir: PathBuf,
    },
    /// Show who the LinkedIn token belongs to, its scopes and the days it has left.
    Whoami,
    /// Forget the stored LinkedIn token (and revoke it, when LINKEDIN_CLIENT_ID and
    /// LINKEDIN_CLIENT_SECRET are set).
    Logout,
    /// Log in to LinkedIn with your own LinkedIn app (OAuth 2.0) and store the token for
    /// `carousel publish`, readable by you alone. See README: Publishing.
    #[command(
        after_help = "Examples:\n  LINKEDIN_CLIENT_SECRET=... carousel login --client-id 86abc...\n\nThe app's redirect URL must be http://127.0.0.1:<port>/callback."
    )]
    Login {
        /// Your LinkedIn app's Client ID (else LINKEDIN_CLIENT_ID). The secret comes from
        /// LINKEDIN_CLIENT_SECRET.
        #[arg(long, value_name = "ID")]
        client_id: Option<String>,
        /// Port of the redirect URL http://127.0.0.1:<port>/callback.
        #[arg(long, value_name = "N", default_value_t = 8765)]
        port: u16,
        /// Print the address without trying to open a browser.
        #[arg(long)]
        no_browser: bool,
    },
}

/// `--linkedin-version`: a version as LinkedIn writes them (a wrong one is a command-line error).
fn linkedin_version(text: &str) -> Result<String, String> {
    crate::publish::linkedin::check_version(text)
}

/// `--for`: a platform by its name (a wrong one is a command-line error that lists them).
fn platform(text: &str) -> Result<crate::export::platforms::Platform, String> {
    crate::export::platforms::Platform::parse(text).ok_or_else(|| {
        let names: Vec<&str> = crate::export::platforms::ALL.iter().map(|p| p.name()).collect();
        format!("`{text}` is not a platform; use one of: {}", names.join(", "))
    })
}

/// Prints the icon names that contain every filter word, one a line; 1 when none does.
fn list_icons(filter: &[String]) -> i32 {
    use std::io::Write as _;
    let words: Vec<String> = filter.iter().map(|word| crate::design::icons::normalize(word)).collect();
    let matches: Vec<&str> = crate::design::icons::canonical_names()
        .filter(|name| words.iter().all(|word| name.contains(word.as_str())))
        .collect();
    if matches.is_empty() {
        let given = words.join("-");
        let hint = match crate::design::icons::suggest(&given) {
            Some(close) => format!(" (did you mean `{close}`?)"),
            None => String::new(),
        };
        eprintln!(
            "no icon name contains `{}`{hint}; `carousel icons` lists all {}",
            words.join("` and `"),
            crate::design::icons::count()
        );
        return 1;
    }
    let mut out = std::io::stdout().lock();
    for name in matches {
        // A closed pipe (`carousel icons | head`) is not an error.
        if writeln!(out, "{name}").is_err() {
            break;
        }
    }
    0
}

/// Runs a parsed command line and returns the exit status.
pub fn run(cli: Cli) -> i32 {
    let allow_outside = cli.allow_outside;
    if matches!(cli.command, Command::Build { .. } | Command::Check { .. }) {
        // Ctrl-C stops a build between slides, outputs whole; exit status 130 as a shell expects.
        let _ = ctrlc::set_handler(|| crate::build::interrupt(130));
    }
    let (inputs, options) = match cli.command {
        Command::Build { inputs, out, svg, no_cache, platforms } => (
            inputs,
            Options {
                out_dir: out,
                svg,
                check_only: false,
                deny_warnings: false,
                cache: !no_cache,
                allow_outside,
                platforms,
            },
        ),
        Command::Check { inputs, deny_warnings, platforms } => (
            inputs,
            Options {
                out_dir: PathBuf::new(),
                svg: false,
                check_only: true,
                deny_warnings,
                cache: false,
                allow_outside,
                platforms,
            },
        ),
        Command::New { path, look, brand } => return new_deck(path, look.as_deref(), brand.as_deref(), &allow_outside),
        Command::Looks => return list_looks(),
        Command::Watch { deck, out, svg, serve, port, verbose } => {
            let options = crate::author::watch::WatchOptions {
                deck,
                out_dir: out,
                svg,
                serve: serve.then_some(port),
                verbose,
                allow_outside,
            };
            return match crate::author::watch::run(&options) {
                Ok(()) => 0,
                Err(error) => {
                    eprintln!("{error}");
                    1
                }
            };
        }
        Command::Completions { shell } => {
            use clap::CommandFactory as _;
            clap_complete::generate(shell, &mut Cli::command(), "carousel", &mut std::io::stdout());
            return 0;
        }
        Command::Schema => return print_schema(),
        Command::Publish {
            inputs,
            due,
            out,
            yes,
            dry_run,
            force,
            comment_again,
            visibility,
            post_as,
            linkedin_version,
        } => {
            let options = crate::publish::PublishOptions {
                inputs,
                due,
                out_dir: out,
                yes,
                dry_run,
                force,
                comment_again,
                visibility,
                post_as,
                linkedin_version,
                allow_outside,
            };
            return crate::publish::run(&options);
        }
        Command::Schedule { inputs, out } => return crate::publish::run_schedule(&inputs, &out),
        Command::Unpublish { deck, out, yes, dry_run, linkedin_version } => {
            let options =
                crate::publish::manage::UnpublishOptions { deck, out_dir: out, yes, dry_run, linkedin_version };
            return crate::publish::manage::run_unpublish(&options);
        }
        Command::Posts { dir } => return crate::publish::manage::run_posts(&dir),
        Command::Whoami => return crate::publish::manage::run_whoami(),
        Command::Logout => return crate::publish::manage::run_logout(),
        Command::Login { client_id, port, no_browser } => {
            return crate::publish::run_login(&crate::publish::login::LoginOptions { client_id, port, no_browser });
        }
        Command::Icons { filter } => return list_icons(&filter),
    };
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let (mut decks, mut problems) = build::collect_decks(&inputs);
    if !options.check_only {
        // Before anything is written: two decks that would write the same files are both refused,
        // rather than one losing its outputs to the other halfway through.
        let clashes = output::conflicts(&decks, &options.out_dir);
        let refused: Vec<usize> = clashes.iter().map(|(index, _)| *index).collect();
        problems.extend(clashes.into_iter().map(|(index, message)| (decks[index].clone(), message)));
        decks = decks.into_iter().enumerate().filter(|(index, _)| !refused.contains(index)).map(|(_, d)| d).collect();
    }
    let mut failed = 0;
    for (path, message) in &problems {
        eprint!("{}", Diagnostic::error(Pos::default(), message.clone()).render(path, None, color));
        failed += 1;
    }
    let reports = run_decks(&decks, &options, color);
    for report in &reports {
        if report.failed() {
            failed += 1;
        }
    }
    if decks.len() + problems.len() > 1 {
        let names: Vec<String> = problems
            .iter()
            .map(|(path, _)| path)
            .chain(reports.iter().filter(|r| r.failed()).map(|r| &r.path))
            .map(|path| path.display().to_string())
            .collect();
        let verb = if options.check_only { "checked" } else { "built" };
        if names.is_empty() && problems.is_empty() {
            eprintln!("{verb} {} decks, all fine", reports.len());
        } else {
            eprintln!(
                "{verb} {} decks: {} failed{}",
                reports.len() + problems.len(),
                failed,
                if names.is_empty() { String::new() } else { format!(" ({})", names.join(", ")) }
            );
        }
    }
    if crate::build::interrupted() {
        130
    } else if failed > 0 {
        1
    } else {
        0
    }
}

/// The deck `carousel new` writes.
const STARTER: &str = include_str!("starter.yaml");

/// `--look`: a look by its name (a wrong one is a command-line error that lists them).
fn look_name(text: &str) -> Result<String, String> {
    crate::design::look::Look::named(text)
        .map(|look| look.name.to_string())
        .ok_or_else(|| format!("`{text}` is not a look; use one of: {}", crate::design::look::names().join(", ")))
}

/// Prints every look with its description, one a line.
fn list_looks() -> i32 {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    for look in crate::design::look::ALL {
        if writeln!(out, "{:<10} {}", look.name, look.description).is_err() {
            break;
        }
    }
    0
}

fn new_deck(mut path: PathBuf, look: Option<&str>, brand: Option<&Path>, allow_outside: &[PathBuf]) -> i32 {
    if !matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
        path.as_mut_os_string().push(".yaml");
    }
    let title = path.file_stem().map(|s| s.to_string_lossy().replace(['-', '_'], " ")).unwrap_or_default();
    if std::fs::symlink_metadata(&path).is_ok() {
        eprintln!("{}: error: the file exists; choose another name (nothing was overwritten)", path.display());
        return 1;
    }
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let kit = match brand {
        Some(kit) => match starter_kit(kit, folder, allow_outside) {
            Ok(kit) => Some(kit),
            Err(code) => return code,
        },
        None => None,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if let Err(e) = std::fs::create_dir_all(parent) {
            eprintln!("{}: error: cannot create the folder: {e}", parent.display());
            return 1;
        }
    }
    let look_line = |look: &str| {
        let pad = " ".repeat(19usize.saturating_sub(look.len()));
        format!("look: {look}{pad} # tech, bold, editorial, notebook, minimal: `carousel looks`\n")
    };
    let (author, look) = match &kit {
        // The kit brings the author and the look; a `--look` beside it overrides the kit's.
        Some(kit) => (
            format!("brand: {kit:<18} # the team's look, colours, fonts, author, logo and footer\n"),
            look.map(look_line).unwrap_or_default(),
        ),
        None => (STARTER_AUTHOR.to_string(), look_line(look.unwrap_or("tech"))),
    };
    let text = STARTER
        .replace("{file}", &path.display().to_string())
        .replace("{title}", &title)
        .replace("{author}", &author)
        .replace("{look}", &look)
        .replace("{size}", if kit.is_some() { "# size: portrait         " } else { "size: portrait           " });
    // After the folder exists: the modeline is found relative to it.
    let text = schema::modeline_for(&path) + &text;
    let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path);
    match file.and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes())) {
        Ok(()) => {
            eprintln!("wrote {}; build it with: carousel build {}", path.display(), path.display());
            0
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!("{}: error: the file exists; choose another name (nothing was overwritten)", path.display());
            1
        }
        Err(e) => {
            eprintln!("{}: error: cannot write: {e}", path.display());
            1
        }
    }
}

/// The starter's author, when no brand kit brings one.
const STARTER_AUTHOR: &str = "author:\n  name: Your Name\n  handle: \"@you\"\n";

/// The kit at `kit` as the new deck in `folder` names it (relative to that folder), once the kit
/// reads without errors as a deck there would read it; else its diagnostics are printed and the
/// exit code returned.
fn starter_kit(kit: &Path, folder: &Path, allow_outside: &[PathBuf]) -> Result<String, i32> {
    let fail = |message: String| {
        eprintln!("{}: error: {message}", kit.display());
        1
    };
    let kit_abs = kit.canonicalize().map_err(|e| fail(format!("cannot read the brand kit: {e}")))?;
    // The deck's folder may not exist yet: relative to the nearest folder that does.
    let mut existing = folder.to_path_buf();
    let mut missing = Vec::new();
    while existing.canonicalize().is_err() {
        match (existing.file_name().map(|n| n.to_os_string()), existing.parent()) {
            (Some(name), Some(parent)) => {
                missing.push(name);
                existing = if parent.as_os_str().is_empty() { PathBuf::from(".") } else { parent.to_path_buf() };
            }
            _ => return Err(fail("cannot find the new deck's folder".to_string())),
        }
    }
    let existing_abs = existing.canonicalize().map_err(|e| fail(format!("cannot find the new deck's folder: {e}")))?;
    let mut deck_dir = existing_abs.clone();
    deck_dir.extend(missing.iter().rev());
    let relative = relative_path(&deck_dir, &kit_abs);
    let written = relative.to_string_lossy().replace('\\', "/");
    let outside = relative.components().next() == Some(std::path::Component::ParentDir);
    if outside && !allow_outside.iter().any(|dir| dir.canonicalize().is_ok_and(|d| kit_abs.starts_with(d))) {
        let kit_dir = kit.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        eprintln!(
            "{}: note: the kit is outside the deck's folder; build the deck with --allow-outside {} \
             (or keep the kit in the decks' folder, as decks/brand/team.yaml)",
            kit.display(),
            kit_dir.display()
        );
    }
    // Read as the deck will read it, so a mistake in the kit is told now, at its line.
    // (From the nearest folder that exists: the deck's own may not, and nothing is written yet.)
    let from_existing = relative_path(&existing_abs, &kit_abs).to_string_lossy().replace('\\', "/");
    let probe = existing_abs.join(".carousel-new-probe.yaml");
    let source = format!(
        "title: probe\nbrand: \"{}\"\nslides:\n  - kind: hook\n    title: probe\n",
        from_existing.replace('\\', "\\\\").replace('"', "\\\"")
    );
    let mut allowed = allow_outside.to_vec();
    allowed.push(kit_abs.parent().map(Path::to_path_buf).unwrap_or_default());
    let access = crate::files::Access::new(&existing_abs, &allowed);
    let loaded = crate::deck::load_with(&probe, &source, &access);
    if loaded.diagnostics.iter().any(|d| d.is_error()) {
        for diagnostic in loaded.diagnostics.iter().filter(|d| d.is_error() || d.file.is_some()) {
            match &diagnostic.file {
                // In the kit (or a theme file it names): shown at its line there.
                Some(_) => eprint!("{}", diagnostic.render(kit, None, false)),
                None => {
                    eprintln!("{}: error: {}", kit.display(), diagnostic.message);
                    if let Some(help) = &diagnostic.help {
                        eprintln!("  = help: {help}");
                    }
                }
            }
        }
        eprintln!("{}: error: the brand kit has mistakes; nothing was written", kit.display());
        return Err(1);
    }
    // Quoted unless plainly a path, so that YAML reads it as written.
    let plain = written.chars().all(|c| c.is_ascii_alphanumeric() || "._/-".contains(c));
    Ok(if plain { written } else { format!("\"{}\"", written.replace('\\', "\\\\").replace('"', "\\\"")) })
}

/// `to` relative to the folder `from` (both absolute).
fn relative_path(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<_> = from.components().collect();
    let to_parts: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for part in &to_parts[common..] {
        out.push(part.as_os_str());
    }
    out
}

fn print_report(report: &DeckReport, options: &Options, color: bool) {
    eprint!("{}", report_text(report, options, color));
}

/// What is printed for a deck: its diagnostics, then a line saying what was built or checked.
fn report_text(report: &DeckReport, options: &Options, color: bool) -> String {
    let mut text = String::new();
    for diagnostic in &report.diagnostics {
        text.push_str(&diagnostic.render(&report.path, report.source.as_deref(), color));
    }
    if report.failed() {
        return text;
    }
    let ms = report.elapsed.as_secs_f64() * 1000.0;
    if options.check_only {
        text.push_str(&format!("ok {}: {} slides ({ms:.0} ms)\n", report.path.display(), report.slides));
    } else {
        let pdf = report.written.iter().find(|p| p.extension().is_some_and(|e| e == "pdf"));
        let reused =
            if report.cached > 0 { format!(", {} unchanged from the cache", report.cached) } else { String::new() };
        let platforms = if options.platforms.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> = options.platforms.iter().map(|p| p.name()).collect();
            format!(", for {}", names.join(", "))
        };
        text.push_str(&format!(
            "built {} -> {} and {} PNGs{platforms} ({ms:.0} ms{reused})\n",
            report.path.display(),
            pdf.map(|p| p.display().to_string()).unwrap_or_default(),
            report.slides
        ));
    }
    text
}

// --- batches: a progress bar on a terminal (issue #5) ---

/// Runs the decks and prints each one's report. A batch on a terminal gets a progress bar, with
/// each deck's messages printed above it as the deck finishes; otherwise (one deck, or stderr
/// redirected, as in CI and the tests) the reports print in input order once all are done.
fn run_decks(decks: &[PathBuf], options: &Options, color: bool) -> Vec<DeckReport> {
    if decks.len() > 1 && std::io::stderr().is_terminal() {
        return progress::run(decks, options, |report| report_text(report, options, color));
    }
    let reports = build::run(decks, options);
    for report in &reports {
        print_report(report, options, color);
    }
    reports
}

// --- `carousel schema` (issue #5) ---

/// Prints the deck format's JSON Schema on stdout.
fn print_schema() -> i32 {
    let mut stdout = std::io::stdout().lock();
    match std::io::Write::write_all(&mut stdout, schema::to_text().as_bytes()) {
        Ok(()) => 0,
        // `carousel schema | head` closes the pipe early; that is not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("error: cannot write the schema: {e}");
            1
        }
    }
}
