//! Integration tests of `carousel watch`: the binary run in a temporary folder with a scrubbed
//! environment, edited as an author would (in place, by rename, broken and fixed), its preview
//! server asked over raw TCP, and its page opened in headless Chromium.
//!
//! Nothing here is timed: every wait polls for an outcome with a generous timeout and fails with
//! the watch's log when it does not come.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;
use common::workspace;

/// Long enough for a debug build of a deck on a loaded 2-core machine, many times over.
const PATIENCE: Duration = Duration::from_secs(120);

/// Polls `done` until it holds or [`PATIENCE`] runs out.
fn eventually(mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < PATIENCE {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    done()
}

/// A running `carousel watch`, its stderr collected line by line. Killed if a test fails.
struct Watch {
    child: Child,
    log: Arc<Mutex<String>>,
}

impl Watch {
    /// Starts the binary in `dir` with nothing of the caller's environment but PATH.
    fn start(dir: &Path, args: &[&str]) -> Watch {
        let mut child = Command::new(env!("CARGO_BIN_EXE_carousel"))
            .arg("watch")
            .args(args)
            .current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run carousel watch");
        let log = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&log);
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        Watch { child, log }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits until the log holds `needle` at least `times` times.
    fn wait_for(&self, needle: &str, times: usize) {
        let found = eventually(|| self.log().matches(needle).count() >= times);
        assert!(found, "waited for {times}x {needle:?}; log:\n{}", self.log());
    }

    fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// The `http://127.0.0.1:PORT` the watch printed.
    fn address(&self) -> String {
        self.wait_for(" at http://", 1);
        let log = self.log();
        let url = log.split(" at http://").nth(1).unwrap();
        url.split('/').next().unwrap().to_string()
    }

    /// Sends SIGINT, as Ctrl-C does, and returns the exit status.
    fn interrupt(mut self) -> ExitStatus {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
        let mut status = None;
        assert!(eventually(|| {
            status = self.child.try_wait().unwrap();
            status.is_some()
        }));
        status.unwrap()
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Writes the deck as an editor that saves in place does.
fn save_in_place(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

/// Writes the deck as editors that save safely do: a temporary file beside it, renamed over it.
fn save_by_rename(path: &Path, text: &str) {
    let temp = path.with_file_name(".day5.yaml.swp");
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, path).unwrap();
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_default()
}

#[test]
fn rebuilds_on_save_and_rename_and_survives_a_broken_save() {
    let dir = workspace();
    let deck = dir.path().join("decks/day5.yaml");
    let original = std::fs::read_to_string(&deck).unwrap();
    let first_png = dir.path().join("out/day5/01.png");
    let watch = Watch::start(dir.path(), &["decks/day5.yaml"]);
    watch.wait_for("built decks/day5.yaml", 1);
    watch.wait_for("watching decks/day5.yaml", 1);
    let v1 = read(&first_png);
    assert!(v1.starts_with(b"\x89PNG"));

    // 1. Saved in place: a new title gives new pixels.
    let old_title = "Our dashboard was taking **4 seconds** to load.";
    assert!(original.contains(old_title));
    save_in_place(&deck, &original.replace(old_title, "Our dashboard took **four whole seconds**."));
    // The new title changes slide 1 only; the other five come from the slide cache.
    watch.wait_for("rebuilt decks/day5.yaml (decks/day5.yaml changed): 6 slides (1 re-rendered)", 1);
    assert!(eventually(|| read(&first_png) != v1), "slide 1 did not change");
    let v2 = read(&first_png);

    // 2. Saved by rename over the deck (vim, JetBrains, many others).
    save_by_rename(&deck, &original.replace(old_title, "Renamed into place."));
    watch.wait_for("rebuilt decks/day5.yaml", 2);
    assert!(eventually(|| read(&first_png) != v2), "slide 1 did not change after a rename");
    let v3 = read(&first_png);

    // 3. A broken save: the error is printed, the watch goes on, the last good slide stays.
    save_in_place(&deck, &original.replace("  - kind: hook", "  - kind: hoook"));
    watch.wait_for("unknown slide kind `hoook`", 1);
    watch.wait_for("could not rebuild decks/day5.yaml", 1);
    assert!(watch.log().contains("out/day5 keeps the last good slides"), "{}", watch.log());
    let mut watch = watch;
    assert!(watch.is_running());
    assert_eq!(read(&first_png), v3, "a failed build touched the output");

    // 4. Fixed: it recovers.
    save_by_rename(&deck, &original);
    watch.wait_for("rebuilt decks/day5.yaml", 3);
    assert!(eventually(|| read(&first_png) == v1), "the fixed deck did not give the first pixels back");

    // Ctrl-C: exit 0, no temporary files left behind.
    let status = watch.interrupt();
    assert_eq!(status.code(), Some(0), "{status:?}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("out/day5"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn rebuilds_when_a_file_the_deck_uses_changes() {
    let dir = workspace();
    let watch = Watch::start(dir.path(), &["decks/codecollab.yaml", "-o", "preview"]);
    watch.wait_for("built decks/codecollab.yaml", 1);
    watch.wait_for("watching decks/codecollab.yaml and 3 files it uses", 1);

    // The theme file.
    let theme = dir.path().join("decks/themes/codecollab.yaml");
    let theme_text = std::fs::read_to_string(&theme).unwrap();
    std::fs::write(&theme, format!("{theme_text}\n# edited\n")).unwrap();
    watch.wait_for("rebuilt decks/codecollab.yaml (decks/themes/codecollab.yaml changed)", 1);

    // The avatar.
    let avatar = dir.path().join("decks/assets/jane.svg");
    let text = std::fs::read_to_string(&avatar).unwrap();
    std::fs::write(&avatar, format!("{text}\n<!-- edited -->\n")).unwrap();
    watch.wait_for("rebuilt decks/codecollab.yaml (decks/assets/jane.svg changed)", 1);

    // The layouts folder: a layout edited.
    let layout = dir.path().join("decks/codecollab-layouts/cta.svg");
    let text = std::fs::read_to_string(&layout).unwrap();
    std::fs::write(&layout, format!("{text}\n<!-- edited -->\n")).unwrap();
    watch.wait_for("rebuilt decks/codecollab.yaml (decks/codecollab-layouts/ changed)", 1);

    // A broken theme file is an error in the deck; fixing the theme file (not the deck) recovers.
    std::fs::write(&theme, "background: [not a colour\n").unwrap();
    watch.wait_for("could not rebuild decks/codecollab.yaml (decks/themes/codecollab.yaml changed)", 1);
    std::fs::write(&theme, &theme_text).unwrap();
    watch.wait_for("rebuilt decks/codecollab.yaml (decks/themes/codecollab.yaml changed)", 2);
    assert_eq!(watch.interrupt().code(), Some(0));
}

#[test]
fn exit_status_for_a_missing_deck_and_bad_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_carousel"))
            .args(args)
            .current_dir(dir.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .output()
            .unwrap()
    };
    let missing = run(&["watch", "nope.yaml"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nope.yaml: error: cannot read the deck"));
    assert_eq!(run(&["watch", "."]).status.code(), Some(1), "a folder is not a deck");
    assert_eq!(run(&["watch"]).status.code(), Some(2));
    assert_eq!(run(&["watch", "d.yaml", "--serve", "--port", "70000"]).status.code(), Some(2));
    assert_eq!(run(&["watch", "d.yaml", "--port", "9000"]).status.code(), Some(2), "--port needs --serve");
    let help = run(&["watch", "--help"]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("carousel watch decks/day5.yaml --serve"));
}

/// One HTTP/1.1 request over a fresh connection: status code, headers (lower-cased names), body.
fn get(address: &str, target: &str, host: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(address).unwrap();
    write!(stream, "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let split = bytes.windows(4).position(|w| w == b"\r\n\r\n").expect("a response head");
    let head = String::from_utf8_lossy(&bytes[..split]).to_ascii_lowercase();
    let code = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (code, head, bytes[split + 4..].to_vec())
}

#[test]
fn the_server_lists_the_slides_serves_pngs_and_nothing_else() {
    let dir = workspace();
    std::fs::write(dir.path().join("secret.txt"), "SECRET").unwrap();
    std::fs::create_dir_all(dir.path().join("out/day5")).unwrap();
    std::fs::write(dir.path().join("out/secret.txt"), "SECRET").unwrap();
    std::fs::write(dir.path().join("out/day5/secret.txt"), "SECRET").unwrap();
    let watch = Watch::start(dir.path(), &["decks/day5.yaml", "--serve", "--port", "0"]);
    let address = watch.address();
    watch.wait_for("built decks/day5.yaml", 1);
    let host = address.as_str();

    let (code, head, body) = get(&address, "/", host);
    assert_eq!(code, 200);
    assert!(head.contains("content-type: text/html"), "{head}");
    assert!(head.contains("cache-control: no-store"), "{head}");
    let page = String::from_utf8(body).unwrap();
    assert_eq!(page.matches("<img ").count(), 6, "{page}");
    for n in 1..=6 {
        assert!(page.contains(&format!("src=\"/slides/{n:02}.png?v=1\"")), "{page}");
        assert!(page.contains(&format!("{n} / 6")), "{page}");
    }

    let (code, head, body) = get(&address, "/slides/01.png?v=1", host);
    assert_eq!(code, 200);
    assert!(head.contains("content-type: image/png"), "{head}");
    assert_eq!(body, read(&dir.path().join("out/day5/01.png")));
    let (code, head, body) = get(&address, "/deck.pdf", host);
    assert_eq!(code, 200);
    assert!(head.contains("content-type: application/pdf") && body.starts_with(b"%PDF-"), "{head}");

    for target in [
        "/../secret.txt",
        "/slides/../secret.txt",
        "/slides/../../secret.txt",
        "/slides/..%2f..%2fsecret.txt",
        "/slides/%2e%2e/%2e%2e/secret.txt",
        "/slides/secret.txt",
        "/secret.txt",
        "/day5/01.png",
        "/out/day5/01.png",
        "/decks/day5.yaml",
        "/slides/07.png",
        "//etc/passwd",
    ] {
        let (code, _, body) = get(&address, target, host);
        assert!(code == 404 || code == 400 || code == 403, "{target} gave {code}");
        assert!(!String::from_utf8_lossy(&body).contains("SECRET"), "{target} leaked");
    }
    let (code, _, _) = get(&address, "/", "evil.example:80");
    assert_eq!(code, 403, "a foreign Host (DNS rebinding) is refused");

    // The event stream sends the generation now and again after a save.
    let mut events = BufReader::new(TcpStream::connect(&address).unwrap());
    write!(events.get_mut(), "GET /events HTTP/1.1\r\nHost: {host}\r\n\r\n").unwrap();
    let mut lines = Vec::new();
    let mut next_data = |lines: &mut Vec<String>| loop {
        let mut line = String::new();
        assert!(events.read_line(&mut line).unwrap() > 0, "the event stream closed: {lines:?}");
        lines.push(line.clone());
        if let Some(data) = line.strip_prefix("data: ") {
            return data.trim().to_string();
        }
    };
    assert_eq!(next_data(&mut lines), "1");
    assert!(lines.iter().any(|l| l.to_ascii_lowercase().starts_with("content-type: text/event-stream")), "{lines:?}");
    let deck = dir.path().join("decks/day5.yaml");
    let text = std::fs::read_to_string(&deck).unwrap();
    std::fs::write(&deck, text.replace("kind: hook", "kind: hook\n    label: Edited")).unwrap();
    assert_eq!(next_data(&mut lines), "2");
    let (_, _, body) = get(&address, "/", host);
    assert!(String::from_utf8(body).unwrap().contains("src=\"/slides/01.png?v=2\""));
    assert_eq!(watch.interrupt().code(), Some(0));
}

/// Headless Chromium, or `None` (the test is skipped, except on CI where it must run).
fn chromium() -> Option<PathBuf> {
    let found = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].iter().map(PathBuf::from).find(|p| p.exists());
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but no Chromium: .ci/run installs it (apt-get install -y chromium)"
        );
        eprintln!("skipped: no /usr/bin/chromium (apt-get install -y chromium to run this test)");
    }
    found
}

/// Chromium's flags for running as root on a machine without a network: no sandbox (root), and
/// none of the background services that would call out.
fn chromium_command(chromium: &Path, profile: &Path) -> Command {
    let mut command = Command::new(chromium);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .env("HOME", profile)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    command
}

#[test]
fn a_browser_shows_the_slides_and_reloads_after_a_save() {
    let Some(chromium) = chromium() else { return };
    let dir = workspace();
    let watch = Watch::start(dir.path(), &["decks/day5.yaml", "--serve", "--port", "0", "--verbose"]);
    let url = format!("http://{}/", watch.address());
    watch.wait_for("built decks/day5.yaml", 1);

    // (a) The page, as the browser built it: six slide images, every one fetched and drawn. No
    // --virtual-time-budget: virtual time waits for the network to be idle, which an open event
    // stream never is; the screenshot and the DOM are taken at the load event, after the images.
    let profile = tempfile::tempdir().unwrap();
    let shot = dir.path().join("shot.png");
    let output = chromium_command(&chromium, profile.path())
        .arg("--window-size=600,900")
        .arg(format!("--screenshot={}", shot.display()))
        .arg(&url)
        .output()
        .unwrap();
    assert!(shot.exists(), "no screenshot: {output:?}");
    for n in 1..=6 {
        watch.wait_for(&format!("http: GET /slides/{n:02}.png?v=1 200"), 1);
    }
    assert!(slide_is_drawn(&shot), "the screenshot shows no slide where slide 1 belongs");
    let output = chromium_command(&chromium, profile.path()).arg("--dump-dom").arg(&url).output().unwrap();
    let dom = String::from_utf8_lossy(&output.stdout);
    assert_eq!(dom.matches("<img ").count(), 6, "{dom}");

    // (b) A page left open reloads itself after a save and fetches the new pixels.
    let events_before = watch.log().matches("http: GET /events 200").count();
    let profile = tempfile::tempdir().unwrap();
    let mut open = Browser(
        chromium_command(&chromium, profile.path())
            .arg("--remote-debugging-port=0")
            .arg(&url)
            .process_group(0)
            .spawn()
            .unwrap(),
    );
    watch.wait_for("http: GET /events 200", events_before + 1);
    assert!(open.0.try_wait().unwrap().is_none(), "the browser exited");
    let deck = dir.path().join("decks/day5.yaml");
    let text = std::fs::read_to_string(&deck).unwrap();
    std::fs::write(&deck, text.replace("Users complained.", "Users complained loudly.")).unwrap();
    watch.wait_for("rebuilt decks/day5.yaml", 1);
    // Only the open browser is left to ask for build 2's pixels.
    watch.wait_for("http: GET /slides/01.png?v=2 200", 1);
    watch.wait_for("http: GET /slides/06.png?v=2 200", 1);
    open.stop();
    assert_eq!(watch.interrupt().code(), Some(0));
}

use std::os::unix::process::CommandExt as _;

/// A browser started in its own process group, stopped (with its helper processes) on drop.
struct Browser(Child);

impl Browser {
    fn stop(&mut self) {
        if self.0.try_wait().ok().flatten().is_none() {
            let group = format!("-{}", self.0.id());
            let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
            let _ = self.0.wait();
            let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Whether the middle of the first slide's box is drawn (not the page's flat background).
fn slide_is_drawn(shot: &Path) -> bool {
    let decoder = png::Decoder::new(BufReader::new(std::fs::File::open(shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let channels = info.color_type.samples();
    let background = [0x1c, 0x1c, 0x1e];
    // The page's column is 420 px wide, centred, under a header: this box is inside slide 1.
    let (mut drawn, mut total) = (0, 0);
    for y in 150..400 {
        for x in (info.width as usize / 2 - 100)..(info.width as usize / 2 + 100) {
            let at = (y * info.width as usize + x) * channels;
            total += 1;
            if pixels[at..at + 3] != background {
                drawn += 1;
            }
        }
    }
    drawn * 10 > total * 9
}

/// Sends `request` as it is on a fresh connection and reads the whole response; the read gives up
/// (and the test fails) after [`PATIENCE`] rather than hang.
fn exchange(address: &str, request: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap_or_else(|e| panic!("no whole response to {request:?}: {e}"));
    let split = bytes.windows(4).position(|w| w == b"\r\n\r\n").expect("a response head");
    let head = String::from_utf8_lossy(&bytes[..split]).to_ascii_lowercase();
    let code = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (code, head, bytes[split + 4..].to_vec())
}

/// Seventy connections that send a few bytes of a request and stall (more than the server answers
/// at once) do not lock the author's browser out: its request is answered, not refused with a 503.
#[test]
fn stalled_connections_do_not_lock_out_the_browser() {
    let dir = workspace();
    let watch = Watch::start(dir.path(), &["decks/day5.yaml", "--serve", "--port", "0"]);
    let address = watch.address();
    watch.wait_for("built decks/day5.yaml", 1);
    let stalled: Vec<TcpStream> = (0..70)
        .map(|_| {
            let mut stream = TcpStream::connect(&address).unwrap();
            stream.write_all(b"GET / HT").unwrap();
            stream
        })
        .collect();
    let request = format!("GET / HTTP/1.1\r\nHost: {address}\r\n\r\n");
    let (code, _, body) = exchange(&address, &request);
    assert_eq!(code, 200, "{}", String::from_utf8_lossy(&body));
    assert_eq!(String::from_utf8_lossy(&body).matches("<img ").count(), 6);
    // The stalled ones that made room were closed, not left to hold a thread.
    let mut closed = 0;
    for mut stream in stalled {
        stream.set_read_timeout(Some(Duration::from_millis(100))).unwrap();
        if matches!(stream.read(&mut [0; 16]), Ok(0)) {
            closed += 1;
        }
    }
    assert!(closed >= 1, "no stalled connection was closed");
    assert_eq!(watch.interrupt().code(), Some(0));
}

/// A request without `Host` is refused (the check against DNS rebinding needs one); `HEAD /events`
/// gets the head of the stream and the end of the connection, not a stream that never ends; every
/// response carries a Content-Security-Policy, and an SVG's forbids script.
#[test]
fn the_server_refuses_hostless_requests_ends_heads_and_sends_policies() {
    let dir = workspace();
    let watch = Watch::start(dir.path(), &["decks/day5.yaml", "--svg", "--serve", "--port", "0"]);
    let address = watch.address();
    watch.wait_for("built decks/day5.yaml", 1);

    let (code, _, _) = exchange(&address, "GET / HTTP/1.1\r\n\r\n");
    assert_eq!(code, 400, "no Host");
    let (code, _, _) = exchange(&address, "GET /slides/01.png HTTP/1.0\r\n\r\n");
    assert_eq!(code, 400, "no Host, HTTP/1.0");
    let (code, _, _) = exchange(&address, &format!("GET / HTTP/1.1\r\nHost: {address}\r\nHost: evil.example\r\n\r\n"));
    assert_eq!(code, 400, "two Hosts");

    let (code, head, body) = exchange(&address, &format!("HEAD /events HTTP/1.1\r\nHost: {address}\r\n\r\n"));
    assert_eq!(code, 200);
    assert!(head.contains("content-type: text/event-stream"), "{head}");
    assert!(body.is_empty(), "a HEAD got a body: {}", String::from_utf8_lossy(&body));

    let policy = |head: &str| {
        head.lines().find_map(|l| l.strip_prefix("content-security-policy: ")).map(str::to_string).unwrap_or_default()
    };
    let (code, head, body) = exchange(&address, &format!("GET /slides/01.svg HTTP/1.1\r\nHost: {address}\r\n\r\n"));
    assert_eq!(code, 200);
    assert!(body.starts_with(b"<svg"));
    assert!(head.contains("content-type: image/svg+xml"), "{head}");
    let svg = policy(&head);
    assert!(svg.contains("script-src 'none'") && svg.contains("sandbox"), "the SVG's policy: {head}");
    assert!(head.contains("x-content-type-options: nosniff"), "{head}");

    let (_, head, page) = exchange(&address, &format!("GET / HTTP/1.1\r\nHost: {address}\r\n\r\n"));
    let page_policy = policy(&head);
    assert!(page_policy.contains("default-src 'none'") && page_policy.contains("script-src 'self'"), "{head}");
    assert!(!String::from_utf8_lossy(&page).contains("<script>"), "an inline script the policy would block");
    let (code, head, script) = exchange(&address, &format!("GET /page.js HTTP/1.1\r\nHost: {address}\r\n\r\n"));
    assert_eq!(code, 200);
    assert!(head.contains("content-type: text/javascript"), "{head}");
    assert!(String::from_utf8_lossy(&script).contains("EventSource(\"/events\")"));
    for target in ["/slides/01.png", "/caption.txt", "/nothing"] {
        let (_, head, _) = exchange(&address, &format!("GET {target} HTTP/1.1\r\nHost: {address}\r\n\r\n"));
        assert!(policy(&head).starts_with("default-src 'none'"), "{target}: {head}");
        assert!(head.contains("x-content-type-options: nosniff"), "{target}: {head}");
    }
    assert_eq!(watch.interrupt().code(), Some(0));
}

/// The peak memory of a running process, from /proc (Linux).
fn peak_memory_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// A deck that grew past the 2 MB limit (here a sparse 1 GiB file) is reported as the error it is,
/// and never read whole: the watch's peak memory stays far below the file's size. Shrunk to a
/// good deck again, it builds.
#[test]
fn a_deck_over_the_limit_is_reported_not_read() {
    let dir = workspace();
    let deck = dir.path().join("decks/day5.yaml");
    let good = std::fs::read(&deck).unwrap();
    std::fs::File::options().write(true).open(&deck).unwrap().set_len(1 << 30).unwrap();
    let watch = Watch::start(dir.path(), &["decks/day5.yaml"]);
    watch.wait_for("decks/day5.yaml: error: the deck is 1073741824 bytes; the limit is 2097152 bytes", 1);
    watch.wait_for("could not build decks/day5.yaml", 1);
    // The watch has looked at the deck at least twice (before and after the build): enough for a
    // whole read to show.
    let peak = peak_memory_kib(watch.child.id());
    assert!(peak < 256 * 1024, "the watch read the deck: peak memory {peak} KiB");
    std::fs::write(&deck, &good).unwrap();
    watch.wait_for("rebuilt decks/day5.yaml", 1);
    assert_eq!(watch.interrupt().code(), Some(0));
}
