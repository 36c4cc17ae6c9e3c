//! `carousel publish` and `carousel login` against a fake LinkedIn on 127.0.0.1: a small HTTP
//! server started by each test that answers as LinkedIn's documentation says (userinfo,
//! initializeUpload, the upload URL, document status, posts, the OAuth token endpoint) and
//! records every request. Nothing reaches the internet; every run of the binary has a time limit.

#[allow(dead_code)]
mod common;

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

const TOKEN: &str = "SECRET-TOKEN-4f9a2c";
const DOCUMENT: &str = "urn:li:document:D5610AQtest";
const DOCUMENT_PATH: &str = "/rest/documents/urn%3Ali%3Adocument%3AD5610AQtest";
const POST: &str = "urn:li:share:7000000000000000001";
const POST_URL: &str = "https://www.linkedin.com/feed/update/urn:li:share:7000000000000000001/";

/// A deck whose caption holds every character little text reserves.
const DECK: &str = r#"title: "Cache it (twice)"
caption:
  text: |
    Dashboard 4s -> 200ms (20x) thanks to @redis_team & *one* index_name [v2] {ok} <tag> ~50% #1 \o/ | done
  hashtags: [Performance, Redis]
slides:
  - kind: hook
    title: "Fast"
  - kind: results
    title: "Done"
"#;

/// The commentary LinkedIn must receive for [`DECK`], escaped by hand.
const COMMENTARY: &str = r"Dashboard 4s -\> 200ms \(20x\) thanks to \@redis\_team & \*one\* index\_name \[v2\] \{ok\} \<tag\> \~50% \#1 \\o/ \| done

#Performance #Redis";

// --- the fake LinkedIn ---

#[derive(Debug, Clone)]
struct Request {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
    fn route(&self) -> &'static str {
        route(&self.method, &self.target)
    }
}

#[derive(Debug, Clone)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

fn reply(status: u16, headers: &[(&str, &str)], body: &str) -> Reply {
    Reply { status, headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(), body: body.into() }
}

fn route(method: &str, target: &str) -> &'static str {
    match (method, target) {
        ("GET", "/v2/userinfo") => "userinfo",
        ("POST", "/rest/documents?action=initializeUpload") => "init",
        ("PUT", t) if t.starts_with("/upload/") => "upload",
        ("GET", t) if t.starts_with("/rest/documents/") => "status",
        ("POST", "/rest/posts") => "post",
        ("POST", "/oauth/v2/accessToken") => "token",
        _ => "unknown",
    }
}

struct Fake {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<Request>>>,
    /// Answers to give before the normal ones, per route.
    queued: Arc<Mutex<HashMap<&'static str, VecDeque<Reply>>>>,
    stop: Arc<AtomicBool>,
}

impl Fake {
    fn start() -> Fake {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let fake = Fake { addr, log: Arc::default(), queued: Arc::default(), stop: Arc::new(AtomicBool::new(false)) };
        let (log, queued, stop) = (fake.log.clone(), fake.queued.clone(), fake.stop.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => serve(stream, addr, &log, &queued),
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        fake
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Answers `route` with `reply` the next time (queued answers are used in order).
    fn queue(&self, route: &'static str, reply: Reply) {
        self.queued.lock().unwrap().entry(route).or_default().push_back(reply);
    }

    fn requests(&self) -> Vec<Request> {
        self.log.lock().unwrap().clone()
    }

    fn routes(&self) -> Vec<&'static str> {
        self.requests().iter().map(Request::route).collect()
    }

    fn count(&self, route: &str) -> usize {
        self.routes().iter().filter(|r| **r == route).count()
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn serve(
    stream: TcpStream,
    addr: SocketAddr,
    log: &Mutex<Vec<Request>>,
    queued: &Mutex<HashMap<&'static str, VecDeque<Reply>>>,
) {
    stream.set_nonblocking(false).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() || line.is_empty() {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default().to_string();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).unwrap();
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').unwrap();
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.parse().unwrap())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    let request = Request { method, target, headers, body };
    let route = request.route();
    log.lock().unwrap().push(request);
    let answer =
        queued.lock().unwrap().get_mut(route).and_then(VecDeque::pop_front).unwrap_or_else(|| normal(route, addr));
    let mut out =
        format!("HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n", answer.status, answer.body.len());
    for (name, value) in &answer.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(&answer.body);
    let mut stream = stream;
    let _ = stream.write_all(out.as_bytes());
}

/// What LinkedIn answers when all goes well (shapes from LinkedIn's API documentation).
fn normal(route: &str, addr: SocketAddr) -> Reply {
    let json = [("Content-Type", "application/json")];
    match route {
        "userinfo" => {
            reply(200, &json, r#"{"sub":"782bbtaQ","name":"Jane Doe","given_name":"Jane","family_name":"Doe"}"#)
        }
        "init" => reply(
            200,
            &json,
            &format!(
                r#"{{"value":{{"uploadUrlExpiresAt":4102444800000,"uploadUrl":"http://{addr}/upload/dms-1?sig=abc","document":"{DOCUMENT}"}}}}"#
            ),
        ),
        "upload" => reply(201, &[], ""),
        "status" => reply(
            200,
            &json,
            &format!(r#"{{"id":"{DOCUMENT}","owner":"urn:li:person:782bbtaQ","status":"AVAILABLE"}}"#),
        ),
        "post" => reply(201, &[("x-restli-id", POST)], ""),
        "token" => reply(
            200,
            &json,
            r#"{"access_token":"TOKEN-FROM-LOGIN-77","expires_in":5183999,"scope":"email,openid,profile,w_member_social","token_type":"Bearer","id_token":"x.y.z"}"#,
        ),
        _ => reply(404, &json, r#"{"message":"no such route","status":404}"#),
    }
}

// --- running the binary ---

struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new(deck: &str) -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("decks")).unwrap();
        std::fs::write(dir.path().join("decks/day5.yaml"), deck).unwrap();
        std::fs::create_dir_all(dir.path().join("config")).unwrap();
        Workspace { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn command(&self, fake: &Fake, args: &[&str]) -> Command {
        let mut command = common::scrubbed_carousel(self.path());
        command
            .args(args)
            .env("XDG_CONFIG_HOME", self.path().join("config"))
            .env("CAROUSEL_LINKEDIN_API", fake.url())
            .env("CAROUSEL_LINKEDIN_AUTH", fake.url())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    fn publish(&self, fake: &Fake, extra: &[&str]) -> Output {
        let mut args = vec!["publish", "decks/day5.yaml"];
        args.extend_from_slice(extra);
        let mut command = self.command(fake, &args);
        command.env("LINKEDIN_ACCESS_TOKEN", TOKEN);
        finish(command.spawn().unwrap(), Duration::from_secs(120))
    }

    fn record(&self) -> Option<Value> {
        let text = std::fs::read_to_string(self.path().join("out/day5.published.json")).ok()?;
        Some(serde_json::from_str(&text).unwrap())
    }
}

/// Waits for a child, killing it (and failing the test) past `limit`.
fn finish(mut child: Child, limit: Duration) -> Output {
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("carousel did not finish in {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_no_token(output: &Output) {
    assert!(!text(&output.stdout).contains(TOKEN), "the token was printed on stdout");
    assert!(!text(&output.stderr).contains(TOKEN), "the token was printed on stderr");
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exited")
}

// --- publish ---

#[test]
fn happy_path_uploads_waits_posts_and_prints_the_url() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    let output = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&output), 0, "stderr: {}", text(&output.stderr));
    assert_eq!(text(&output.stdout), format!("{POST_URL}\n"));
    assert_no_token(&output);
    assert_eq!(fake.routes(), ["userinfo", "init", "upload", "status", "post"]);
    let requests = fake.requests();
    for request in &requests {
        assert_eq!(request.header("Authorization"), Some(format!("Bearer {TOKEN}").as_str()), "{}", request.target);
    }
    for request in requests.iter().filter(|r| r.target.starts_with("/rest/")) {
        let version = request.header("LinkedIn-Version").expect("LinkedIn-Version");
        assert!(
            version.len() == 6 && version.chars().all(|c| c.is_ascii_digit()) && version.starts_with("20"),
            "{version}"
        );
        assert_eq!(request.header("X-Restli-Protocol-Version"), Some("2.0.0"));
    }
    let init = &requests[1];
    assert_eq!(init.header("Content-Type"), Some("application/json"));
    assert_eq!(init.json(), serde_json::json!({"initializeUploadRequest": {"owner": "urn:li:person:782bbtaQ"}}));
    let upload = &requests[2];
    assert_eq!(upload.target, "/upload/dms-1?sig=abc");
    let pdf = std::fs::read(ws.path().join("out/day5.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    assert_eq!(upload.body, pdf);
    assert_eq!(requests[3].target, DOCUMENT_PATH);
    let post = requests[4].json();
    assert_eq!(post["author"], "urn:li:person:782bbtaQ");
    assert_eq!(post["commentary"], COMMENTARY);
    assert_eq!(post["visibility"], "PUBLIC");
    assert_eq!(post["distribution"]["feedDistribution"], "MAIN_FEED");
    assert_eq!(post["distribution"]["targetEntities"], serde_json::json!([]));
    assert_eq!(post["distribution"]["thirdPartyDistributionChannels"], serde_json::json!([]));
    assert_eq!(post["content"]["media"]["id"], DOCUMENT);
    assert_eq!(post["content"]["media"]["title"], "Cache it (twice)");
    assert_eq!(post["lifecycleState"], "PUBLISHED");
    let record = ws.record().expect("a publish record");
    assert_eq!(record["document"], DOCUMENT);
    assert_eq!(record["post"], POST);
    assert_eq!(record["url"], POST_URL);
}

#[test]
fn escaping_keeps_parentheses_mentions_underscores_and_links_hashtags() {
    let fake = Fake::start();
    let ws = Workspace::new(
        "title: T\ncaption:\n  text: \"Ask @jane_doe (she knows) about snake_case #not_a_tag\"\n  hashtags: [\"#Rust\", Go]\nslides:\n  - kind: hook\n    title: x\n",
    );
    let output = ws.publish(&fake, &["--yes", "--visibility", "connections"]);
    assert_eq!(code(&output), 0, "stderr: {}", text(&output.stderr));
    let post = fake.requests().into_iter().find(|r| r.route() == "post").unwrap().json();
    assert_eq!(
        post["commentary"],
        r"Ask \@jane\_doe \(she knows\) about snake\_case \#not\_a\_tag

#Rust #Go"
    );
    assert_eq!(post["visibility"], "CONNECTIONS");
}

#[test]
fn a_second_publish_refuses_and_names_the_post_unless_forced() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    assert_eq!(code(&ws.publish(&fake, &["--yes"])), 0);
    let before = fake.requests().len();
    let again = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&again), 1);
    assert!(text(&again.stderr).contains(POST_URL), "stderr: {}", text(&again.stderr));
    assert!(text(&again.stderr).contains("--force"));
    assert_eq!(fake.requests().len(), before, "a refused publish sent a request");
    let forced = ws.publish(&fake, &["--yes", "--force"]);
    assert_eq!(code(&forced), 0, "stderr: {}", text(&forced.stderr));
    assert_eq!(fake.count("upload"), 2);
    assert_eq!(fake.count("post"), 2);
}

#[test]
fn a_failure_after_the_upload_resumes_with_that_document() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    fake.queue("post", reply(500, &[], r#"{"message":"Internal Server Error","status":500}"#));
    let failed = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&failed), 1);
    assert!(text(&failed.stderr).contains("HTTP 500"), "stderr: {}", text(&failed.stderr));
    // Creating a post is never repeated by itself: a 5xx may hide a post that exists.
    assert_eq!(fake.count("post"), 1);
    let record = ws.record().expect("the upload is recorded");
    assert_eq!(record["document"], DOCUMENT);
    assert!(record.get("post").is_none());
    let before = fake.requests().len();
    let resumed = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&resumed), 0, "stderr: {}", text(&resumed.stderr));
    let second: Vec<&'static str> = fake.requests()[before..].iter().map(Request::route).collect();
    assert_eq!(second, ["userinfo", "status", "status", "post"]);
    let post = fake.requests().last().unwrap().json();
    assert_eq!(post["content"]["media"]["id"], DOCUMENT);
    assert_eq!(ws.record().unwrap()["post"], POST);
}

#[test]
fn a_401_says_to_log_in() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    fake.queue("userinfo", reply(401, &[], r#"{"serviceErrorCode":65601,"message":"The token used in the request has been revoked by the user","status":401}"#));
    let output = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&output), 1);
    let stderr = text(&output.stderr);
    assert!(stderr.contains("HTTP 401") && stderr.contains("carousel login"), "stderr: {stderr}");
    assert_no_token(&output);
    assert_eq!(fake.routes(), ["userinfo"]);
}

#[test]
fn a_403_names_the_missing_product() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    fake.queue(
        "init",
        reply(403, &[], r#"{"message":"Not enough permissions to access: POST /documents","status":403}"#),
    );
    let output = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&output), 1);
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("HTTP 403") && stderr.contains("Share on LinkedIn") && stderr.contains("w_member_social"),
        "stderr: {stderr}"
    );
    assert!(stderr.contains("Not enough permissions"), "LinkedIn's message is passed on: {stderr}");
    assert_eq!(fake.count("upload"), 0);
}

#[test]
fn a_429_says_when_to_retry_and_is_not_hammered() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    fake.queue(
        "userinfo",
        reply(429, &[("Retry-After", "120")], r#"{"message":"Resource level throttle limit reached","status":429}"#),
    );
    let output = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&output), 1);
    let stderr = text(&output.stderr);
    assert!(stderr.contains("HTTP 429") && stderr.contains("try again in 120 seconds"), "stderr: {stderr}");
    assert_eq!(fake.count("userinfo"), 1);
}

#[test]
fn a_5xx_is_retried_then_succeeds() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    fake.queue("init", reply(503, &[("Retry-After", "0")], ""));
    fake.queue("init", reply(502, &[("Retry-After", "0")], ""));
    let output = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&output), 0, "stderr: {}", text(&output.stderr));
    assert_eq!(fake.count("init"), 3);
    assert_eq!(text(&output.stdout), format!("{POST_URL}\n"));
}

#[test]
fn a_5xx_is_retried_a_bounded_number_of_times_then_fails() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    for _ in 0..10 {
        fake.queue("status", reply(503, &[("Retry-After", "0")], r#"{"message":"Service Unavailable"}"#));
    }
    let output = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&output), 1);
    let stderr = text(&output.stderr);
    assert!(stderr.contains("HTTP 503") && stderr.contains("4 times"), "stderr: {stderr}");
    assert_eq!(fake.count("status"), 4);
    assert_eq!(fake.count("post"), 0);
}

#[test]
fn processing_failed_is_an_error_and_nothing_is_posted() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    fake.queue("status", reply(200, &[], &format!(r#"{{"id":"{DOCUMENT}","status":"PROCESSING"}}"#)));
    fake.queue("status", reply(200, &[], &format!(r#"{{"id":"{DOCUMENT}","status":"PROCESSING_FAILED"}}"#)));
    let output = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&output), 1);
    assert!(text(&output.stderr).contains("PROCESSING_FAILED"), "stderr: {}", text(&output.stderr));
    assert_eq!(fake.count("status"), 2);
    assert_eq!(fake.count("post"), 0);
    // The next run uploads afresh rather than resuming with a rejected document.
    assert!(ws.record().unwrap().get("document").is_none());
}

#[test]
fn a_caption_over_3000_characters_is_refused_before_any_request() {
    let fake = Fake::start();
    let long = "word ".repeat(601);
    let ws = Workspace::new(&format!(
        "title: T\ncaption:\n  text: \"{long}\"\n  hashtags: [Rust]\nslides:\n  - kind: hook\n    title: x\n"
    ));
    let output = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&output), 1);
    let stderr = text(&output.stderr);
    assert!(stderr.contains("3000") || stderr.contains("3,000"), "stderr: {stderr}");
    assert!(stderr.contains("decks/day5.yaml:"), "the error points into the deck: {stderr}");
    assert!(fake.requests().is_empty());
    assert!(!ws.path().join("out/day5.pdf").exists(), "refused before building");
}

#[test]
fn a_dry_run_prints_the_requests_and_sends_nothing() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    let output = ws.publish(&fake, &["--dry-run"]);
    assert_eq!(code(&output), 0, "stderr: {}", text(&output.stderr));
    assert!(fake.requests().is_empty(), "a dry run sent {:?}", fake.routes());
    assert_no_token(&output);
    let stdout = text(&output.stdout);
    assert!(stdout.contains("Authorization: Bearer <redacted>"), "{stdout}");
    for line in
        ["GET {api}/v2/userinfo", "POST {api}/rest/documents?action=initializeUpload", "PUT ", "POST {api}/rest/posts"]
    {
        assert!(stdout.contains(&line.replace("{api}", &fake.url())), "missing {line}: {stdout}");
    }
    // The commentary, as JSON in the printed body.
    assert!(stdout.contains(&serde_json::to_string(COMMENTARY).unwrap()), "{stdout}");
    assert!(ws.record().is_none());
}

#[test]
fn without_a_terminal_and_without_yes_publish_refuses() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    let output = ws.publish(&fake, &[]);
    assert_eq!(code(&output), 1);
    assert!(text(&output.stderr).contains("--yes"), "stderr: {}", text(&output.stderr));
    assert!(fake.requests().is_empty());
}

#[test]
fn an_expired_stored_token_says_to_log_in() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    let dir = ws.path().join("config/carousel");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("linkedin-token.json"),
        r#"{"access_token":"OLD-TOKEN","expires_at":1000,"scope":"openid"}"#,
    )
    .unwrap();
    let output =
        finish(ws.command(&fake, &["publish", "decks/day5.yaml", "--yes"]).spawn().unwrap(), Duration::from_secs(120));
    assert_eq!(code(&output), 1);
    let stderr = text(&output.stderr);
    assert!(stderr.contains("expired") && stderr.contains("carousel login"), "stderr: {stderr}");
    assert!(!stderr.contains("OLD-TOKEN"));
    assert!(fake.requests().is_empty());
}

#[test]
fn a_wrong_command_line_exits_2() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    let output = finish(
        ws.command(&fake, &["publish", "decks/day5.yaml", "--visibility", "everyone"]).spawn().unwrap(),
        Duration::from_secs(60),
    );
    assert_eq!(code(&output), 2);
}

// --- login ---

/// Starts `carousel login` and returns it with the authorization URL it printed.
fn start_login(ws: &Workspace, fake: &Fake) -> (Child, String) {
    let mut command = ws.command(fake, &["login", "--client-id", "86client", "--port", "0", "--no-browser"]);
    command.env("LINKEDIN_CLIENT_SECRET", "CLIENT-SECRET-9");
    let mut child = command.spawn().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    (child, line.trim().to_string())
}

fn query_param(url: &str, key: &str) -> String {
    let query = url.split_once('?').unwrap().1;
    let value = query
        .split('&')
        .find_map(|p| p.strip_prefix(&format!("{key}=")))
        .unwrap_or_else(|| panic!("no {key} in {url}"));
    value.replace("%3A", ":").replace("%2F", "/").replace("%20", " ")
}

/// Sends the browser's request to the callback server; returns the status line.
fn callback(redirect: &str, query: &str) -> String {
    let authority = redirect.strip_prefix("http://").unwrap().split('/').next().unwrap();
    let mut stream = TcpStream::connect(authority).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(stream, "GET /callback?{query} HTTP/1.1\r\nHost: {authority}\r\n\r\n").unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.lines().next().unwrap_or_default().to_string()
}

fn token_file(ws: &Workspace) -> PathBuf {
    ws.path().join("config/carousel/linkedin-token.json")
}

#[test]
fn login_with_the_right_state_stores_the_token_privately() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    let (child, url) = start_login(&ws, &fake);
    assert!(url.starts_with(&format!("{}/oauth/v2/authorization?", fake.url())), "{url}");
    assert_eq!(query_param(&url, "response_type"), "code");
    assert_eq!(query_param(&url, "client_id"), "86client");
    assert_eq!(query_param(&url, "scope"), "openid profile w_member_social");
    let redirect = query_param(&url, "redirect_uri");
    assert!(redirect.starts_with("http://127.0.0.1:") && redirect.ends_with("/callback"), "{redirect}");
    let state = query_param(&url, "state");
    assert!(state.len() >= 16);
    // A browser's stray request does not end the wait.
    let authority = redirect.strip_prefix("http://").unwrap().split('/').next().unwrap().to_string();
    let mut favicon = TcpStream::connect(&authority).unwrap();
    write!(favicon, "GET /favicon.ico HTTP/1.1\r\n\r\n").unwrap();
    let mut answer = String::new();
    favicon.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let _ = favicon.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");

    assert!(callback(&redirect, &format!("code=AQcode-1&state={state}")).contains("200"));
    let output = finish(child, Duration::from_secs(60));
    assert_eq!(code(&output), 0, "stderr: {}", text(&output.stderr));
    let exchange = fake.requests().into_iter().find(|r| r.route() == "token").expect("the code was exchanged");
    assert_eq!(exchange.header("Content-Type"), Some("application/x-www-form-urlencoded"));
    let form = text(&exchange.body);
    for part in [
        "grant_type=authorization_code",
        "code=AQcode-1",
        "client_id=86client",
        "client_secret=CLIENT-SECRET-9",
        &format!("redirect_uri=http%3A%2F%2F{}%2Fcallback", authority.replace(':', "%3A")),
    ] {
        assert!(form.split('&').any(|p| p == part), "{part} not in {form}");
    }
    let stored: Value = serde_json::from_str(&std::fs::read_to_string(token_file(&ws)).unwrap()).unwrap();
    assert_eq!(stored["access_token"], "TOKEN-FROM-LOGIN-77");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let expires_at = stored["expires_at"].as_u64().unwrap();
    assert!(expires_at > now + 59 * 86_400 && expires_at <= now + 60 * 86_400 + 60, "{expires_at}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(token_file(&ws)).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    for printed in [text(&output.stdout), text(&output.stderr)] {
        assert!(!printed.contains("TOKEN-FROM-LOGIN-77") && !printed.contains("CLIENT-SECRET-9"));
    }

    // And publish uses the stored token.
    let mut command = ws.command(&fake, &["publish", "decks/day5.yaml", "--yes"]);
    let published = finish(command.spawn().unwrap(), Duration::from_secs(120));
    assert_eq!(code(&published), 0, "stderr: {}", text(&published.stderr));
    let userinfo = fake.requests().into_iter().find(|r| r.route() == "userinfo").unwrap();
    assert_eq!(userinfo.header("Authorization"), Some("Bearer TOKEN-FROM-LOGIN-77"));
}

#[test]
fn login_with_a_forged_state_stores_nothing() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    let (child, url) = start_login(&ws, &fake);
    let redirect = query_param(&url, "redirect_uri");
    assert!(callback(&redirect, "code=AQcode-1&state=forged0123456789").contains("400"));
    let output = finish(child, Duration::from_secs(60));
    assert_eq!(code(&output), 1);
    assert!(text(&output.stderr).contains("state"), "stderr: {}", text(&output.stderr));
    assert_eq!(fake.count("token"), 0, "a forged callback's code was exchanged");
    assert!(!token_file(&ws).exists());
}
