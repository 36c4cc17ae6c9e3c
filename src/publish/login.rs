//! `carousel login`: LinkedIn's OAuth 2.0 authorization-code flow for the user's own app.
//!
//! Prints the authorization URL (and opens a browser on an interactive terminal), receives the
//! redirect on `http://127.0.0.1:<port>/callback` with a small, bounded HTTP server (several
//! connections at once, each with a deadline for its whole request and a size limit; only a
//! complete request counts; the wait ends after five minutes whatever clients do), checks that
//! `state` is the one this run made, exchanges the code at `/oauth/v2/accessToken` and hands the
//! token to [`super::token::store`]. The client secret and the token are never printed, in any
//! encoding ([`super::safe`]).

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use serde_json::Value;
use ureq::http::Method;

use super::linkedin::{self, percent_encode, Endpoints, Repeat};
use super::token::{self, Token};
use super::{safe, when};

/// The scopes `publish` needs: OpenID (`openid`, `profile`) for the member id, `w_member_social`
/// to post.
pub const SCOPES: &str = "openid profile w_member_social";

/// How long `login` waits for the browser to come back, at most.
const TOTAL_WAIT: Duration = Duration::from_secs(5 * 60);

/// The wait: [`TOTAL_WAIT`], or `CAROUSEL_LOGIN_TIMEOUT` seconds when that is shorter.
fn wait_limit() -> Duration {
    std::env::var("CAROUSEL_LOGIN_TIMEOUT")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|secs| *secs > 0)
        .map(Duration::from_secs)
        .map_or(TOTAL_WAIT, |asked| asked.min(TOTAL_WAIT))
}

/// How long one connection to the callback server may take to send its whole request.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Largest request head the callback server reads.
const MAX_REQUEST_BYTES: usize = 16 * 1024;

/// LinkedIn's token lifetime, when its answer does not say.
const DEFAULT_LIFETIME_SECS: u64 = 60 * 24 * 3600;

/// What `carousel login` was asked.
#[derive(Debug, Clone)]
pub struct LoginOptions {
    /// `--client-id`, else `LINKEDIN_CLIENT_ID`.
    pub client_id: Option<String>,
    /// Port of the redirect URL (0: any free port, for tests).
    pub port: u16,
    /// Do not try to open a browser.
    pub no_browser: bool,
}

/// Runs the flow; returns a message for the user on failure.
pub fn run(options: &LoginOptions) -> Result<(), String> {
    let client_id = options
        .client_id
        .clone()
        .or_else(|| std::env::var("LINKEDIN_CLIENT_ID").ok())
        .map(|id| id.trim().to_string())
        .filter(|id| !id.is_empty())
        .ok_or("no client id: give your LinkedIn app's Client ID with --client-id or LINKEDIN_CLIENT_ID (README: Publishing)")?;
    let secret = std::env::var("LINKEDIN_CLIENT_SECRET")
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .ok_or("no client secret: set LINKEDIN_CLIENT_SECRET to your LinkedIn app's Primary Client Secret (README: Publishing)")?;
    safe::remember(&secret, Some(&client_id));
    let endpoints = Endpoints::from_env()?;
    let listener = TcpListener::bind(("127.0.0.1", options.port)).map_err(|e| {
        format!(
            "cannot listen on 127.0.0.1:{}: {e}; choose another port with --port (and add its redirect URL to the app)",
            options.port
        )
    })?;
    let port = listener.local_addr().map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?.port();
    let redirect_uri = format!("http://127.0.0.1:{port}/callback");
    let state = random_state();
    let url = format!(
        "{}/oauth/v2/authorization?response_type=code&client_id={}&redirect_uri={}&state={}&scope={}",
        endpoints.auth,
        percent_encode(&client_id),
        percent_encode(&redirect_uri),
        state,
        percent_encode(SCOPES)
    );
    eprintln!("Open this address in a browser, sign in to LinkedIn and allow access:");
    println!("{url}");
    let _ = std::io::stdout().flush();
    if !options.no_browser && std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        open_browser(&url);
    }
    eprintln!(
        "Waiting for LinkedIn to send the browser back to {redirect_uri} (up to {} minutes)...",
        wait_limit().as_secs().div_ceil(60)
    );
    let deadline = Instant::now() + wait_limit();
    let code = wait_for_code(&listener, &state, deadline)?;
    let (token, expires_in, scope) = exchange_code(&endpoints, &client_id, &secret, &redirect_uri, &code.code)
        .map_err(|e| {
            code.answer(false, "LinkedIn did not give a token; see the terminal.");
            safe::clean(&e)
        })?;
    let path = match token::store(&token, expires_in, &scope) {
        Ok(path) => path,
        Err(e) => {
            code.answer(false, "The token could not be stored; see the terminal.");
            return Err(e);
        }
    };
    code.answer(true, "carousel is logged in to LinkedIn. You can close this tab.");
    let missing: Vec<&str> =
        SCOPES.split(' ').filter(|s| !scope.is_empty() && !scope.split([' ', ',']).any(|g| g == *s)).collect();
    if !missing.is_empty() {
        eprintln!(
            "warning: LinkedIn did not grant {}: add the products \"Share on LinkedIn\" and \"Sign In with LinkedIn using OpenID Connect\" to the app",
            missing.join(", ")
        );
    }
    eprintln!(
        "logged in: the token is stored in {} and lasts {} days (until {})",
        path.display(),
        when::days_rounded(expires_in),
        when::show_utc(token::now().saturating_add(expires_in))
    );
    Ok(())
}

/// 32 hex digits from the operating system's randomness.
fn random_state() -> String {
    let mut bytes = [0u8; 16];
    let from_os = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes)).is_ok();
    if !from_os {
        // std seeds RandomState from the OS on every platform.
        use std::hash::{BuildHasher as _, Hasher as _};
        for (i, chunk) in bytes.chunks_mut(8).enumerate() {
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_usize(i);
            chunk.copy_from_slice(&hasher.finish().to_le_bytes());
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn open_browser(url: &str) {
    let program: &[&str] = if cfg!(target_os = "macos") {
        &["open"]
    } else if cfg!(windows) {
        &["rundll32", "url.dll,FileProtocolHandler"]
    } else {
        &["xdg-open"]
    };
    let mut command = std::process::Command::new(program[0]);
    command.args(&program[1..]).arg(url);
    command.stdin(std::process::Stdio::null()).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    // Where no browser can be opened, the printed URL is the way.
    let _ = command.spawn();
}

/// The browser's connection that brought the code, waiting for the page to show.
struct Callback {
    code: String,
    stream: TcpStream,
}

impl Callback {
    fn answer(&self, ok: bool, text: &str) {
        respond(&self.stream, if ok { "200 OK" } else { "400 Bad Request" }, text);
    }
}

fn respond(mut stream: &TcpStream, status: &str, text: &str) {
    let body = format!("<!doctype html><meta charset=utf-8><title>carousel login</title><p>{text}</p>\n");
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(body.as_bytes()));
    let _ = stream.flush();
}

/// What one connection to the callback server sent: a whole request head, or nothing usable.
struct Arrival {
    target: String,
    stream: TcpStream,
}

/// How many connections are read at once; more wait in the listener's backlog until one ends.
const MAX_CONNECTIONS: usize = 16;

/// Serves the callback until a request to `/callback` arrives or the total wait is over. Each
/// connection is read on its own thread, with a deadline for its whole request head (not per
/// read), so a client that drips bytes holds only its own connection, never the browser's. Only a
/// complete request head counts: a connection that closes or times out halfway is answered 400
/// (or dropped) and the wait goes on. Other paths (a browser's `/favicon.ico`) get a 404; a
/// complete `/callback` with the wrong `state` ends the login, since it did not come from this
/// run's authorization. The wait ends at `deadline` whatever the connections do.
fn wait_for_code(listener: &TcpListener, state: &str, deadline: Instant) -> Result<Callback, String> {
    listener.set_nonblocking(true).map_err(|e| format!("cannot wait for the browser: {e}"))?;
    let (sender, arrivals) = std::sync::mpsc::channel::<Arrival>();
    let active = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    loop {
        let now = Instant::now();
        if now >= deadline {
            return Err(format!(
                "no answer from the browser in {} seconds; run `carousel login` again",
                wait_limit().as_secs()
            ));
        }
        let mut idle = true;
        if active.load(std::sync::atomic::Ordering::SeqCst) < MAX_CONNECTIONS {
            match listener.accept() {
                Ok((stream, _)) => {
                    idle = false;
                    active.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let sender = sender.clone();
                    let active = active.clone();
                    let request_deadline = (now + REQUEST_TIMEOUT).min(deadline);
                    std::thread::spawn(move || {
                        let _ = stream.set_nonblocking(false);
                        match read_request_target(&stream, request_deadline) {
                            Some(target) => {
                                let _ = sender.send(Arrival { target, stream });
                            }
                            None => respond(&stream, "400 Bad Request", "Not a complete HTTP request."),
                        }
                        active.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(format!("cannot wait for the browser: {e}")),
            }
        }
        while let Ok(Arrival { target, stream }) = arrivals.try_recv() {
            idle = false;
            let _ = stream.set_write_timeout(Some(REQUEST_TIMEOUT));
            let Some(target) = target.strip_prefix("GET ") else {
                respond(&stream, "405 Method Not Allowed", "Only GET.");
                continue;
            };
            let (path, query) = target.split_once('?').unwrap_or((target, ""));
            if path != "/callback" {
                respond(&stream, "404 Not Found", "Not found.");
                continue;
            }
            let params = parse_query(query);
            let get = |key: &str| params.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
            if get("state") != Some(state) {
                respond(
                    &stream,
                    "400 Bad Request",
                    "This answer does not belong to this login (state mismatch). Nothing was stored.",
                );
                return Err("the redirect did not carry this login's `state`, so it may be forged: nothing was stored. Run `carousel login` again.".into());
            }
            if let Some(error) = get("error") {
                let description = get("error_description").unwrap_or("");
                respond(&stream, "400 Bad Request", "LinkedIn did not authorize carousel; see the terminal.");
                return Err(format!(
                    "LinkedIn did not authorize the app: {}: {}",
                    safe::clean_line(error),
                    safe::clean_line(description)
                ));
            }
            match get("code").filter(|c| !c.is_empty()) {
                Some(code) => return Ok(Callback { code: code.to_string(), stream }),
                None => {
                    respond(&stream, "400 Bad Request", "No authorization code.");
                    return Err("LinkedIn's redirect carried no authorization code; run `carousel login` again".into());
                }
            }
        }
        if idle {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Reads a request head within `deadline` (and [`MAX_REQUEST_BYTES`]) and returns its method and
/// target, e.g. `GET /callback?code=...`. `None` unless the head is complete: a connection that
/// closes, stalls past the deadline or sends too much before the blank line is not a request.
fn read_request_target(mut stream: &TcpStream, deadline: Instant) -> Option<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    let complete = |head: &[u8]| head.windows(4).any(|w| w == b"\r\n\r\n") || head.windows(2).any(|w| w == b"\n\n");
    while !complete(&head) {
        if head.len() >= MAX_REQUEST_BYTES {
            return None;
        }
        let left = deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero())?;
        stream.set_read_timeout(Some(left)).ok()?;
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&head);
    let mut parts = text.lines().next()?.split_whitespace();
    let method = parts.next()?;
    let target = parts.next()?;
    parts.next()?.starts_with("HTTP/").then_some(())?;
    Some(format!("{method} {target}"))
}

/// Splits `a=1&b=2` into decoded pairs.
fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// Decodes `%XX` and `+` (form encoding).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(high), Some(low)) => {
                        out.push((high * 16 + low) as u8);
                        i += 3;
                        continue;
                    }
                    _ => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Trades the authorization code for an access token.
fn exchange_code(
    endpoints: &Endpoints,
    client_id: &str,
    secret: &str,
    redirect_uri: &str,
    code: &str,
) -> Result<(Token, u64, String), String> {
    let what = "getting the token (POST /oauth/v2/accessToken)";
    let url = format!("{}/oauth/v2/accessToken", endpoints.auth);
    let form = format!(
        "grant_type=authorization_code&code={}&client_id={}&client_secret={}&redirect_uri={}",
        percent_encode(code),
        percent_encode(client_id),
        percent_encode(secret),
        percent_encode(redirect_uri)
    );
    let agent = linkedin::short_agent();
    let headers = [("Content-Type", "application/x-www-form-urlencoded")];
    // A code works once: never sent twice.
    let reply =
        linkedin::exchange(&agent, what, Method::POST, &url, &headers, Some(form.as_bytes()), None, Repeat::Once)?;
    if !(200..300).contains(&reply.status) {
        return Err(linkedin::explain(what, &reply));
    }
    let value: Value =
        serde_json::from_str(&reply.body).map_err(|_| format!("{what}: LinkedIn's answer is not JSON"))?;
    let access_token = value
        .get("access_token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| format!("{what}: LinkedIn's answer has no access_token"))?;
    let expires_in = value.get("expires_in").and_then(Value::as_u64).unwrap_or(DEFAULT_LIFETIME_SECS);
    let scope = value.get("scope").and_then(Value::as_str).unwrap_or("").to_string();
    Ok((Token::new(access_token.to_string()), expires_in, scope))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_decoded() {
        let params = parse_query("code=a%2Fb+c&state=x&error_description=User%20cancelled&bad=%zz");
        assert_eq!(params[0], ("code".into(), "a/b c".into()));
        assert_eq!(params[1], ("state".into(), "x".into()));
        assert_eq!(params[2].1, "User cancelled");
        assert_eq!(params[3].1, "%zz");
    }

    #[test]
    fn a_state_is_32_hex_digits_and_differs_each_time() {
        let (a, b) = (random_state(), random_state());
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
