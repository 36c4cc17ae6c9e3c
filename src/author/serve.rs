//! Serve: the preview page of `carousel watch --serve`, on 127.0.0.1 only.
//!
//! Owns a small HTTP/1.1 server (std::net, one thread per connection, `Connection: close`): it
//! answers `/` with a page of every slide PNG of `DIR/<stem>/` in order (and `/page.js`, its
//! script), `/slides/NN.png` (and `.svg`) with those files, `/deck.pdf` and `/caption.txt` with
//! `DIR/<stem>.pdf` and `.txt`, and `/events` with a Server-Sent Events stream of the build
//! generation, on which the page reloads itself. Nothing else is served: a request names one of
//! those routes or gets a 404, so no path of the request ever reaches the file system (no
//! traversal to guard against, and none possible). It is handed a [`Shared`] [`Status`], which
//! the watch loop updates after every build, and hands back only the address it listens on.
//!
//! What a misbehaving client can hold, and for how long: a connection that has not sent its whole
//! request head within [`HEAD_DEADLINE`] is closed, and when [`MAX_CONNECTIONS`] are waiting for
//! their heads the one that has waited longest is closed to make room for a new one, so stalled
//! connections cannot lock out the browser. Every write gives up after [`WRITE_TIMEOUT`] (an event
//! stream to a tab that stopped reading ends). At most [`MAX_CONNECTIONS`] requests are answered
//! at once; more get a 503. Files are streamed, not read whole. Every response but the PDF carries
//! a Content-Security-Policy: a slide SVG on this origin is the author's layout, and a `<script>`
//! in it must not run here.
//!
//! Why not a crate: the whole protocol needed here is a request line, a `Host` header and
//! responses with a length or an event stream; std::net does it in a page, with no dependency.

use std::collections::VecDeque;
use std::io::{BufRead as _, BufReader, Read, Write as _};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use std::sync::{Condvar, MutexGuard};

/// The state of the latest build, as the preview page shows it.
#[derive(Debug, Clone, Default)]
pub struct Status {
    /// Counts finished builds, good or failed; the page reloads when it moves.
    pub generation: u64,
    /// The diagnostics of the latest build when it failed (plain text, no colour).
    pub error: Option<String>,
    /// Slides of the latest good build.
    pub slides: usize,
    /// Wall time of the latest build.
    pub elapsed: Duration,
}

/// The [`Status`] shared between the watch loop and the server threads, with a condition
/// variable that wakes every open `/events` stream when a build finishes.
#[derive(Debug, Default)]
pub struct Shared {
    status: Mutex<Status>,
    changed: Condvar,
}

impl Shared {
    /// A copy of the current status.
    pub fn status(&self) -> Status {
        self.lock().clone()
    }

    /// Waits until the generation differs from `seen`, or `timeout` passes; returns the status.
    pub fn wait_for_change(&self, seen: u64, timeout: Duration) -> Status {
        let guard = self.lock();
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |s| s.generation == seen)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        guard.clone()
    }

    /// Changes the status and wakes every stream waiting for a change.
    pub fn update(&self, change: impl FnOnce(&mut Status)) {
        let mut status = self.lock();
        change(&mut status);
        drop(status);
        self.changed.notify_all();
    }

    // A panic elsewhere cannot leave the status half-written (it is replaced field by field under
    // the lock from owned values), so a poisoned lock is still good to read.
    fn lock(&self) -> MutexGuard<'_, Status> {
        self.status.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Where a deck's outputs go: `DIR/<stem>/NN.png` and `DIR/<stem>.pdf`.
#[derive(Debug, Clone)]
pub struct Outputs {
    /// The folder of the slide PNGs (`DIR/<stem>`).
    pub slide_dir: PathBuf,
    /// The PDF (`DIR/<stem>.pdf`).
    pub pdf: PathBuf,
    /// The deck's file stem.
    pub stem: String,
}

impl Outputs {
    /// The outputs of the deck at `deck` written under `out_dir` (the same stem rule as the deck stage).
    pub fn of(deck: &Path, out_dir: &Path) -> Outputs {
        let stem = crate::deck::stem_of(deck);
        Outputs { slide_dir: out_dir.join(&stem), pdf: out_dir.join(format!("{stem}.pdf")), stem }
    }
}

/// Requests answered at once, and connections waiting for their request head at once; past the
/// first, a 503; past the second, the longest waiting is closed (a browser opens about six, plus
/// one event stream per tab).
pub const MAX_CONNECTIONS: usize = 64;

/// The whole request head must arrive within this time of the connection being accepted.
pub const HEAD_DEADLINE: Duration = Duration::from_secs(10);

/// A write to a client that does not read gives up after this long.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// Most bytes of a request head (request line and headers).
const MAX_HEAD_BYTES: u64 = 64 * 1024;

/// How often an idle event stream sends a comment, so that a closed tab's thread notices and ends.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How often an event stream looks whether its client went away.
const CLOSED_POLL: Duration = Duration::from_millis(500);

/// Whether the client of `stream` closed its side (or the connection broke). Anything it sends
/// on an event stream is ignored.
fn peer_closed(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return true;
    }
    let mut byte = [0u8; 1];
    let closed = match stream.peek(&mut byte) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    };
    closed || stream.set_nonblocking(false).is_err()
}

/// The page: its own script and images, inline styles, and the event stream; nothing else.
const PAGE_POLICY: &str = "default-src 'none'; script-src 'self'; img-src 'self'; style-src 'unsafe-inline'; \
                           connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// A slide SVG: its embedded images and styles, no script, and a sandbox (an origin of its own).
const SVG_POLICY: &str = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'none'; sandbox";

/// PNGs, text and errors: nothing to run or load.
const OTHER_POLICY: &str = "default-src 'none'; sandbox";

/// Starts serving on 127.0.0.1:`port` (0: a free port) in background threads; returns the address.
pub fn start(port: u16, shared: Arc<Shared>, outputs: Outputs, verbose: bool) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))?;
    let address = listener.local_addr()?;
    let server = Arc::new(Server {
        shared,
        outputs,
        verbose,
        answering: AtomicUsize::new(0),
        waiting: Mutex::new(VecDeque::new()),
        next_id: AtomicU64::new(0),
    });
    std::thread::Builder::new().name("serve".into()).spawn(move || {
        let mut backoff = Duration::ZERO;
        for stream in listener.incoming() {
            match stream {
                Ok(stream) => {
                    backoff = Duration::ZERO;
                    Arc::clone(&server).admit(stream);
                }
                // Out of file descriptors (or another passing failure): accepting again at once
                // would fail again at once, a busy loop; wait, longer each time, up to a second.
                Err(_) => {
                    backoff = (backoff * 2).clamp(Duration::from_millis(10), Duration::from_secs(1));
                    std::thread::sleep(backoff);
                }
            }
        }
    })?;
    Ok(address)
}

struct Server {
    shared: Arc<Shared>,
    outputs: Outputs,
    verbose: bool,
    /// Requests being answered (event streams included).
    answering: AtomicUsize,
    /// Connections still sending their request head, oldest first, with a handle to close them.
    waiting: Mutex<VecDeque<(u64, TcpStream)>>,
    next_id: AtomicU64,
}

/// What a response carries.
enum Body {
    Bytes(Vec<u8>),
    /// An open file and its length, streamed: the PDF of a long deck is tens of MB.
    File(std::fs::File, u64),
}

/// A response: status, content type, policy and body.
struct Response {
    code: u16,
    content_type: &'static str,
    policy: Option<&'static str>,
    body: Body,
}

impl Response {
    fn new(code: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Response {
        Response { code, content_type, policy: Some(OTHER_POLICY), body: Body::Bytes(body.into()) }
    }

    fn text(code: u16, text: &str) -> Response {
        Response::new(code, "text/plain; charset=utf-8", format!("{text}\n"))
    }

    fn with_policy(mut self, policy: Option<&'static str>) -> Response {
        self.policy = policy;
        self
    }

    fn len(&self) -> u64 {
        match &self.body {
            Body::Bytes(bytes) => bytes.len() as u64,
            Body::File(_, len) => *len,
        }
    }
}

impl Server {
    /// Takes a new connection: registers it as waiting for its head (closing the longest waiting
    /// when too many are), and answers it on a thread of its own.
    fn admit(self: Arc<Self>, stream: TcpStream) {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let Ok(handle) = stream.try_clone() else { return };
        {
            let mut waiting = self.waiting.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if waiting.len() >= MAX_CONNECTIONS {
                if let Some((_, oldest)) = waiting.pop_front() {
                    // Wakes its thread, blocked in a read, with an end of stream.
                    let _ = oldest.shutdown(Shutdown::Both);
                }
            }
            waiting.push_back((id, handle));
        }
        let server = Arc::clone(&self);
        // A thread per connection: the event streams block for as long as a tab is open.
        let spawned = std::thread::Builder::new().name("http".into()).spawn(move || server.connection(id, stream));
        if spawned.is_err() {
            // Out of threads: the connection is dropped (the browser retries).
            self.done_waiting(id);
        }
    }

    /// Removes connection `id` from the waiting list; false when it was closed to make room.
    fn done_waiting(&self, id: u64) -> bool {
        let mut waiting = self.waiting.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let before = waiting.len();
        waiting.retain(|(other, _)| *other != id);
        waiting.len() < before
    }

    fn connection(&self, id: u64, mut stream: TcpStream) {
        let request = read_request(&stream, Instant::now() + HEAD_DEADLINE);
        if !self.done_waiting(id) {
            return;
        }
        // Errors here are a client gone away, or too slow; there is no one to tell.
        let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
        let request = match request {
            Ok(Some(request)) => request,
            Ok(None) => {
                let _ = write_response(&mut stream, Response::text(400, "bad request"), false);
                return;
            }
            Err(_) => return,
        };
        let answering = self.answering.fetch_add(1, Ordering::SeqCst) + 1;
        let _ = if answering > MAX_CONNECTIONS {
            write_response(&mut stream, Response::text(503, "too many connections"), false)
        } else {
            self.serve(&mut stream, &request)
        };
        self.answering.fetch_sub(1, Ordering::SeqCst);
    }

    fn serve(&self, stream: &mut TcpStream, request: &Request) -> std::io::Result<()> {
        let head = request.method == "HEAD";
        let (path, _query) = request.target.split_once('?').unwrap_or((&request.target, ""));
        let response = if request.method != "GET" && !head {
            Response::text(405, "only GET and HEAD")
        } else if request.host.is_none() {
            // Without a Host there is nothing to check against DNS rebinding below; HTTP/1.1
            // requires one and every browser sends it.
            Response::text(400, "a Host header is required")
        } else if !request.host.as_deref().is_some_and(is_local_host) {
            // A page elsewhere that points a name of its own at 127.0.0.1 (DNS rebinding) sends its
            // own name as Host; only this machine's names get the slides.
            Response::text(403, "forbidden host")
        } else if path == "/events" {
            self.log(request, 200);
            return self.events(stream, head);
        } else {
            self.route(path)
        };
        self.log(request, response.code);
        write_response(stream, response, head)
    }

    fn log(&self, request: &Request, code: u16) {
        if self.verbose {
            eprintln!("http: {} {} {code}", request.method, request.target);
        }
    }

    fn route(&self, path: &str) -> Response {
        if path == "/" || path == "/index.html" {
            let page = page(&self.shared.status(), &self.outputs, &slide_names(&self.outputs.slide_dir));
            return Response::new(200, "text/html; charset=utf-8", page).with_policy(Some(PAGE_POLICY));
        }
        if path == "/page.js" {
            return Response::new(200, "text/javascript; charset=utf-8", PAGE_SCRIPT);
        }
        let file: Option<(PathBuf, &'static str, Option<&'static str>)> =
            if let Some(name) = path.strip_prefix("/slides/").filter(|n| is_slide_name(n)) {
                if name.ends_with(".png") {
                    Some((self.outputs.slide_dir.join(name), "image/png", Some(OTHER_POLICY)))
                } else {
                    Some((self.outputs.slide_dir.join(name), "image/svg+xml", Some(SVG_POLICY)))
                }
            } else if path == "/deck.pdf" {
                // No policy: browsers' PDF viewers refuse a sandboxed PDF, and a PDF's scripts run
                // in the viewer, never on this origin.
                Some((self.outputs.pdf.clone(), "application/pdf", None))
            } else if path == "/caption.txt" {
                Some((self.outputs.pdf.with_extension("txt"), "text/plain; charset=utf-8", Some(OTHER_POLICY)))
            } else {
                None
            };
        let opened = file.and_then(|(path, kind, policy)| {
            // Only the build's own files: a symlink in the output folder (which may have come
            // with a cloned repository) is not followed to serve a file from elsewhere.
            if std::fs::symlink_metadata(&path).ok()?.file_type().is_symlink() {
                return None;
            }
            let file = crate::files::open_regular(&path).ok()?;
            // The length of the file opened, not of the name: a build may rename a new one over it.
            let meta = file.metadata().ok().filter(std::fs::Metadata::is_file)?;
            Some(Response { code: 200, content_type: kind, policy, body: Body::File(file, meta.len()) })
        });
        opened.unwrap_or_else(|| Response::text(404, "not found"))
    }

    /// The event stream: the current generation at once, then each new one as builds finish.
    /// A HEAD request gets the head alone.
    fn events(&self, stream: &mut TcpStream, head_only: bool) -> std::io::Result<()> {
        stream.write_all(
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                 Content-Security-Policy: {OTHER_POLICY}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n"
            )
            .as_bytes(),
        )?;
        if head_only {
            return stream.flush();
        }
        let mut seen = self.shared.status().generation;
        stream.write_all(format!("retry: 1000\ndata: {seen}\n\n").as_bytes())?;
        let mut quiet = Duration::ZERO;
        loop {
            let status = self.shared.wait_for_change(seen, CLOSED_POLL);
            if status.generation != seen {
                seen = status.generation;
                stream.write_all(format!("data: {seen}\n\n").as_bytes())?;
                stream.flush()?;
                quiet = Duration::ZERO;
                continue;
            }
            // A closed tab sends nothing but its FIN; notice it now rather than at the next
            // write, so its slot is free again within a second.
            if peer_closed(stream) {
                return Ok(());
            }
            quiet += CLOSED_POLL;
            if quiet >= KEEP_ALIVE {
                stream.write_all(b": still here\n\n")?;
                stream.flush()?;
                quiet = Duration::ZERO;
            }
        }
    }
}

struct Request {
    method: String,
    target: String,
    /// The `Host` header; `None` when absent.
    host: Option<String>,
}

/// Reads from a socket, each read waiting only for what is left until `deadline`: a client that
/// sends a byte now and then cannot stretch the whole past it.
struct Deadline<'a> {
    stream: &'a TcpStream,
    deadline: Instant,
}

impl Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        self.stream.read(buf)
    }
}

/// Reads the request line and headers (at most 64 KiB and 64 headers) by `deadline`; `None` when
/// malformed, cut short, or with more or fewer than one `Host`.
fn read_request(stream: &TcpStream, deadline: Instant) -> std::io::Result<Option<Request>> {
    let mut reader = BufReader::new(Deadline { stream, deadline }).take(MAX_HEAD_BYTES);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next()) else {
        return Ok(None);
    };
    if !version.starts_with("HTTP/1.") || !target.starts_with('/') {
        return Ok(None);
    }
    let mut request = Request { method: method.to_string(), target: target.to_string(), host: None };
    let mut hosts = 0;
    for _ in 0..64 {
        line.clear();
        // The end of the stream before the blank line is a request cut short, not a whole one.
        if reader.read_line(&mut line)? == 0 || !line.ends_with('\n') {
            return Ok(None);
        }
        if line.trim().is_empty() {
            // Two Hosts are two answers to "which site?"; refused rather than pick one.
            return Ok((hosts <= 1).then_some(request));
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("host") {
                hosts += 1;
                request.host = Some(value.trim().to_string());
            }
        }
    }
    Ok(None)
}

/// Whether a `Host` header names this machine (with any port).
fn is_local_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    matches!(name.to_ascii_lowercase().as_str(), "127.0.0.1" | "localhost" | "::1")
}

fn write_response(stream: &mut TcpStream, response: Response, head_only: bool) -> std::io::Result<()> {
    let reason = match response.code {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Service Unavailable",
    };
    let policy = response.policy.map(|p| format!("Content-Security-Policy: {p}\r\n")).unwrap_or_default();
    // no-store: the page and the slides change under the same names with every build.
    let head = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n\
         {policy}X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        response.code,
        response.content_type,
        response.len()
    );
    stream.write_all(head.as_bytes())?;
    if !head_only {
        match response.body {
            Body::Bytes(bytes) => stream.write_all(&bytes)?,
            Body::File(file, len) => {
                std::io::copy(&mut file.take(len), stream)?;
            }
        }
    }
    stream.flush()
}

/// The page's script: reload when a build finishes. The page's `?v=` on each image makes the
/// browser fetch the new pixels even if it ignored no-store; EventSource reconnects on its own if
/// the watch is restarted. A file of its own (not inline) so that the page's policy can allow
/// this script and no other.
const PAGE_SCRIPT: &str = r#"const shown = Number(document.body.dataset.generation);
const events = new EventSource("/events");
events.onmessage = (e) => { if (Number(e.data) !== shown) { events.close(); location.reload(); } };
"#;

/// `01.png`, `002.svg`: what the build stage names slides. Only such names are looked up.
fn is_slide_name(name: &str) -> bool {
    let Some((number, ext)) = name.split_once('.') else { return false };
    (2..=3).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit()) && matches!(ext, "png" | "svg")
}

/// The slide PNGs in `dir`, in slide order.
fn slide_names(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| is_slide_name(n) && n.ends_with(".png"))
        .collect();
    names.sort_by_key(|n| (n.len(), n.clone()));
    names
}

/// Width and height from a PNG's header, so the page reserves each slide's box before it loads
/// (the reload then keeps the scroll position).
fn png_size(path: &Path) -> Option<(u32, u32)> {
    let mut head = [0u8; 24];
    crate::files::open_regular(path).and_then(|mut f| f.read_exact(&mut head)).ok()?;
    if &head[..8] != b"\x89PNG\r\n\x1a\n" {
        return None;
    }
    let width = u32::from_be_bytes(head[16..20].try_into().ok()?);
    let height = u32::from_be_bytes(head[20..24].try_into().ok()?);
    Some((width, height))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The preview page: a column of slides at phone width, the last error above them.
fn page(status: &Status, outputs: &Outputs, slides: &[String]) -> String {
    let generation = status.generation;
    let stem = escape(&outputs.stem);
    let mut html = format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{stem} · carousel watch</title>
<style>
body {{ margin: 0; background: #1c1c1e; color: #d1d1d6; font: 14px/1.4 system-ui, sans-serif; }}
header {{ position: sticky; top: 0; padding: 10px 16px; background: #2c2c2e; text-align: center; }}
header a {{ color: #8ab4f8; }}
main {{ max-width: 420px; margin: 0 auto; padding: 16px; }}
figure {{ margin: 0 0 24px; }}
figcaption {{ margin-bottom: 6px; color: #8e8e93; font-variant-numeric: tabular-nums; }}
img {{ display: block; width: 100%; height: auto; border-radius: 4px; box-shadow: 0 2px 12px #000a; }}
pre.error {{ max-width: 900px; margin: 16px auto; padding: 12px 16px; overflow-x: auto; white-space: pre-wrap;
  background: #3a1d1d; color: #ffb4ab; border-left: 4px solid #ff453a; font: 13px/1.45 ui-monospace, monospace; }}
p.empty {{ text-align: center; color: #8e8e93; }}
</style></head>
<body data-generation="{generation}">
<header><b>{stem}</b> · {count} slides · build {generation} {outcome} · <a href="/deck.pdf">PDF</a> · <a href="/caption.txt">caption</a></header>
"#,
        count = slides.len(),
        outcome = match (&status.error, status.generation) {
            (Some(_), _) => "failed".to_string(),
            (None, 0) => "running".to_string(),
            (None, _) => format!("in {} ms", status.elapsed.as_millis()),
        },
    );
    if let Some(error) = &status.error {
        html.push_str(&format!(
            "<pre class=\"error\">The latest save did not build; the slides below are the last good ones.\n\n{}</pre>\n",
            escape(error)
        ));
    }
    html.push_str("<main>\n");
    if slides.is_empty() {
        html.push_str("<p class=\"empty\">No slides yet.</p>\n");
    }
    for (index, name) in slides.iter().enumerate() {
        let size = png_size(&outputs.slide_dir.join(name))
            .map(|(w, h)| format!(" width=\"{w}\" height=\"{h}\""))
            .unwrap_or_default();
        html.push_str(&format!(
            "<figure><figcaption>{n} / {total}</figcaption><img src=\"/slides/{name}?v={generation}\" alt=\"slide {n}\"{size}></figure>\n",
            n = index + 1,
            total = slides.len(),
        ));
    }
    html.push_str("</main>\n<script src=\"/page.js\"></script>\n</body></html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_slide_names_are_looked_up() {
        for good in ["01.png", "12.svg", "100.png"] {
            assert!(is_slide_name(good), "{good}");
        }
        for bad in ["../Cargo.toml", "1.png", "01.png/..", "..png", "01.pdf", "01.png.png", "%2e%2e", "0001.png", ""] {
            assert!(!is_slide_name(bad), "{bad}");
        }
    }

    /// A connected pair of sockets on 127.0.0.1: (client, server side).
    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        (client, server)
    }

    fn parse(head: &str) -> Option<Request> {
        let (mut client, server) = pair();
        client.write_all(head.as_bytes()).unwrap();
        client.shutdown(Shutdown::Write).unwrap();
        read_request(&server, Instant::now() + Duration::from_secs(60)).unwrap_or(None)
    }

    #[test]
    fn heads_without_one_host_or_cut_short_are_malformed() {
        let request = parse("GET / HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n").unwrap();
        assert_eq!(request.host.as_deref(), Some("127.0.0.1:1"));
        assert!(parse("GET / HTTP/1.0\r\n\r\n").is_some_and(|r| r.host.is_none()));
        assert!(parse("GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n").is_none());
        assert!(parse("GET / HTTP/1.1\r\nHost: localhost\r\n").is_none(), "no blank line: cut short");
        assert!(parse("GET / HTTP/1.1\r\nHost: local").is_none());
        let huge = format!("GET / HTTP/1.1\r\nHost: localhost\r\nX: {}\r\n\r\n", "a".repeat(70_000));
        assert!(parse(&huge).is_none(), "over 64 KiB");
    }

    /// A client that sends a byte now and then cannot keep its head open past the deadline. The
    /// client drips for up to a minute; the read must end long before, with an error.
    #[test]
    fn a_dripping_head_ends_at_the_deadline() {
        let (mut client, server) = pair();
        let dripper = std::thread::spawn(move || {
            client.write_all(b"GET / HTTP/1.1\r\n").unwrap();
            for _ in 0..600 {
                if client.write_all(b"X").is_err() {
                    return true;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            false
        });
        let result = read_request(&server, Instant::now() + Duration::from_millis(500));
        assert!(result.is_err(), "the head was still read after its deadline");
        drop(server);
        assert!(dripper.join().unwrap(), "the dripping client was never cut off");
    }

    #[test]
    fn local_hosts_only() {
        for good in ["127.0.0.1:7878", "localhost", "LOCALHOST:1", "[::1]:80"] {
            assert!(is_local_host(good), "{good}");
        }
        for bad in ["evil.example:7878", "127.0.0.1.evil.example", "[::2]:80"] {
            assert!(!is_local_host(bad), "{bad}");
        }
    }

    #[test]
    fn closed_event_streams_give_back_their_slots() {
        let dir = tempfile::tempdir().unwrap();
        let outputs = Outputs::of(&dir.path().join("d.yaml"), dir.path());
        let address = start(0, Arc::new(Shared::default()), outputs, false).unwrap();
        let get = |target: &str| {
            let mut stream = TcpStream::connect(address).unwrap();
            stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            stream.write_all(format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").as_bytes()).unwrap();
            let mut head = [0u8; 12];
            stream.read_exact(&mut head).unwrap();
            (stream, String::from_utf8_lossy(&head).into_owned())
        };
        // Every slot taken by a tab's event stream, then every tab closed.
        let tabs: Vec<TcpStream> = (0..MAX_CONNECTIONS).map(|_| get("/events").0).collect();
        assert!(get("/").1.ends_with("503"), "all slots are taken");
        drop(tabs);
        // Well before the keep-alive write that used to be the first sign of a closed tab.
        std::thread::sleep(CLOSED_POLL * 4);
        assert!(get("/").1.ends_with("200"), "the closed streams still hold their slots");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_in_the_output_folder_is_not_served() {
        let dir = tempfile::tempdir().unwrap();
        let outputs = Outputs::of(&dir.path().join("d.yaml"), dir.path());
        std::fs::create_dir_all(&outputs.slide_dir).unwrap();
        std::fs::write(dir.path().join("secret.txt"), "the secret").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), outputs.slide_dir.join("01.png")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), &outputs.pdf).unwrap();
        let address = start(0, Arc::new(Shared::default()), outputs, false).unwrap();
        for target in ["/slides/01.png", "/deck.pdf"] {
            let mut stream = TcpStream::connect(address).unwrap();
            stream.write_all(format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").as_bytes()).unwrap();
            let mut answer = String::new();
            let _ = stream.read_to_string(&mut answer);
            assert!(answer.starts_with("HTTP/1.1 404"), "{target}: {answer}");
            assert!(!answer.contains("the secret"));
        }
    }

    #[test]
    fn the_page_escapes_the_error() {
        let status = Status { generation: 3, error: Some("<script>x</script>".into()), ..Status::default() };
        let outputs = Outputs::of(Path::new("d.yaml"), Path::new("out"));
        let html = page(&status, &outputs, &["01.png".into(), "02.png".into()]);
        assert!(html.contains("&lt;script&gt;x"));
        assert_eq!(html.matches("<img ").count(), 2);
        assert!(html.contains("/slides/02.png?v=3"));
    }
}
