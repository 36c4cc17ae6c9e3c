//! Serve: the preview page of `carousel watch --serve`, on 127.0.0.1 only.
//!
//! Owns a small HTTP/1.1 server (std::net, one thread per connection, `Connection: close`): it
//! answers `/` with a page of every slide PNG of `DIR/<stem>/` in order, `/slides/NN.png` (and
//! `.svg`) with those files, `/deck.pdf` and `/caption.txt` with `DIR/<stem>.pdf` and `.txt`, and
//! `/events` with a Server-Sent Events stream of the build generation, on which the page reloads
//! itself. Nothing else is served: a request names one of those routes or gets a 404, so no path
//! of the request ever reaches the file system (no traversal to guard against, and none possible).
//! It reads the watch loop's [`Status`] through [`Shared`] and hands back only the address it
//! listens on.
//!
//! Why not a crate: the whole protocol needed here is a request line, a `Host` header and
//! responses with a length or an event stream; std::net does it in a page, with no dependency.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::watch::{Outputs, Shared, Status};

/// Connections served at once; more get a 503 (a browser opens about six, plus one event stream per tab).
pub const MAX_CONNECTIONS: usize = 64;

/// How often an idle event stream sends a comment, so that a closed tab's thread notices and ends.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Starts serving on 127.0.0.1:`port` (0: a free port) in background threads; returns the address.
pub fn start(port: u16, shared: Arc<Shared>, outputs: Outputs, verbose: bool) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))?;
    let address = listener.local_addr()?;
    let server = Arc::new(Server { shared, outputs, verbose, open: AtomicUsize::new(0) });
    std::thread::Builder::new().name("serve".into()).spawn(move || {
        for stream in listener.incoming().flatten() {
            let server = Arc::clone(&server);
            // A thread per connection: the event streams block for as long as a tab is open.
            let spawned = std::thread::Builder::new().name("http".into()).spawn(move || server.connection(stream));
            if spawned.is_err() {
                // Out of threads: the connection is dropped and the browser retries.
                continue;
            }
        }
    })?;
    Ok(address)
}

struct Server {
    shared: Arc<Shared>,
    outputs: Outputs,
    verbose: bool,
    open: AtomicUsize,
}

/// A response: status, content type and body.
struct Response {
    code: u16,
    content_type: &'static str,
    body: Vec<u8>,
}

impl Response {
    fn new(code: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Response {
        Response { code, content_type, body: body.into() }
    }

    fn text(code: u16, text: &str) -> Response {
        Response::new(code, "text/plain; charset=utf-8", format!("{text}\n"))
    }
}

impl Server {
    fn connection(&self, mut stream: TcpStream) {
        let open = self.open.fetch_add(1, Ordering::SeqCst) + 1;
        // Errors here are a client gone away mid-request; there is no one to tell.
        let _ = if open > MAX_CONNECTIONS {
            write_response(&mut stream, &Response::text(503, "too many connections"), false)
        } else {
            self.serve(&mut stream)
        };
        self.open.fetch_sub(1, Ordering::SeqCst);
    }

    fn serve(&self, stream: &mut TcpStream) -> std::io::Result<()> {
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        let Some(request) = read_request(stream)? else {
            return write_response(stream, &Response::text(400, "bad request"), false);
        };
        let head = request.method == "HEAD";
        let (path, _query) = request.target.split_once('?').unwrap_or((&request.target, ""));
        let response = if request.method != "GET" && !head {
            Response::text(405, "only GET and HEAD")
        } else if !request.host_is_local {
            // A page elsewhere that points a name of its own at 127.0.0.1 (DNS rebinding) sends its
            // own name as Host; only this machine's names get the slides.
            Response::text(403, "forbidden host")
        } else if path == "/events" {
            self.log(&request, 200);
            return self.events(stream);
        } else {
            self.route(path)
        };
        self.log(&request, response.code);
        write_response(stream, &response, head)
    }

    fn log(&self, request: &Request, code: u16) {
        if self.verbose {
            eprintln!("http: {} {} {code}", request.method, request.target);
        }
    }

    fn route(&self, path: &str) -> Response {
        if path == "/" || path == "/index.html" {
            let page = page(&self.shared.status(), &self.outputs, &slide_names(&self.outputs.slide_dir));
            return Response::new(200, "text/html; charset=utf-8", page);
        }
        let file = if let Some(name) = path.strip_prefix("/slides/").filter(|n| is_slide_name(n)) {
            let kind = if name.ends_with(".png") { "image/png" } else { "image/svg+xml" };
            Some((self.outputs.slide_dir.join(name), kind))
        } else if path == "/deck.pdf" {
            Some((self.outputs.pdf.clone(), "application/pdf"))
        } else if path == "/caption.txt" {
            Some((self.outputs.pdf.with_extension("txt"), "text/plain; charset=utf-8"))
        } else {
            None
        };
        match file.map(|(path, kind)| (std::fs::read(path), kind)) {
            Some((Ok(bytes), kind)) => Response::new(200, kind, bytes),
            _ => Response::text(404, "not found"),
        }
    }

    /// The event stream: the current generation at once, then each new one as builds finish.
    fn events(&self, stream: &mut TcpStream) -> std::io::Result<()> {
        stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        )?;
        let mut seen = self.shared.status().generation;
        stream.write_all(format!("retry: 1000\ndata: {seen}\n\n").as_bytes())?;
        loop {
            let status = self.shared.wait_for_change(seen, KEEP_ALIVE);
            if status.generation == seen {
                stream.write_all(b": still here\n\n")?;
            } else {
                seen = status.generation;
                stream.write_all(format!("data: {seen}\n\n").as_bytes())?;
            }
            stream.flush()?;
        }
    }
}

struct Request {
    method: String,
    target: String,
    host_is_local: bool,
}

/// Reads the request line and headers (at most 64 lines of 8 KiB); `None` when malformed.
fn read_request(stream: &TcpStream) -> std::io::Result<Option<Request>> {
    let mut reader = BufReader::new(stream).take(64 * 1024);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next()) else {
        return Ok(None);
    };
    if !version.starts_with("HTTP/1.") || !target.starts_with('/') {
        return Ok(None);
    }
    let mut request = Request { method: method.to_string(), target: target.to_string(), host_is_local: true };
    for _ in 0..64 {
        line.clear();
        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
            return Ok(Some(request));
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("host") {
                request.host_is_local = is_local_host(value.trim());
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

fn write_response(stream: &mut TcpStream, response: &Response, head_only: bool) -> std::io::Result<()> {
    let reason = match response.code {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Service Unavailable",
    };
    // no-store: the page and the slides change under the same names with every build.
    let head = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n\
         X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        response.code,
        response.content_type,
        response.body.len()
    );
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

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
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head)).ok()?;
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
    // Reload when a build finishes. The `?v=` above makes the browser fetch the new pixels even
    // if it ignored no-store; EventSource reconnects on its own if the watch is restarted.
    html.push_str(&format!(
        r#"</main>
<script>
const shown = {generation};
const events = new EventSource("/events");
events.onmessage = (e) => {{ if (Number(e.data) !== shown) {{ events.close(); location.reload(); }} }};
</script>
</body></html>
"#
    ));
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
    fn the_page_escapes_the_error() {
        let status = Status { generation: 3, error: Some("<script>x</script>".into()), ..Status::default() };
        let outputs = Outputs::of(Path::new("d.yaml"), Path::new("out"));
        let html = page(&status, &outputs, &["01.png".into(), "02.png".into()]);
        assert!(html.contains("&lt;script&gt;x"));
        assert_eq!(html.matches("<img ").count(), 2);
        assert!(html.contains("/slides/02.png?v=3"));
    }
}
