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
const COMMENT: &str = "urn:li:comment:(urn:li:activity:7000000000000000001,6987654321)";
const POST_PATH: &str = "/rest/posts/urn%3Ali%3Ashare%3A7000000000000000001";
const COMMENTS_PATH: &str = "/rest/socialActions/urn%3Ali%3Ashare%3A7000000000000000001/comments";
/// The `LinkedIn-Version` carousel sends by default.
const DEFAULT_VERSION: &str = "202608";

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
    /// Close the connection after reading the request, without answering (a cut or a timeout).
    drop: bool,
}

fn reply(status: u16, headers: &[(&str, &str)], body: &str) -> Reply {
    Reply {
        status,
        headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        body: body.into(),
        drop: false,
    }
}

/// No answer at all: the connection closes once the request is read.
fn no_answer() -> Reply {
    Reply { drop: true, ..reply(0, &[], "") }
}

fn route(method: &str, target: &str) -> &'static str {
    match (method, target) {
        ("GET", "/v2/userinfo") => "userinfo",
        ("POST", "/rest/documents?action=initializeUpload") => "init",
        ("POST", "/rest/images?action=initializeUpload") => "image-init",
        ("GET", t) if t.starts_with("/rest/images/") => "image-status",
        ("PUT", t) if t.starts_with("/upload/") => "upload",
        ("GET", t) if t.starts_with("/rest/documents/") => "status",
        ("POST", "/rest/posts") => "post",
        ("POST", t) if t.starts_with("/rest/socialActions/") && t.ends_with("/comments") => "comment",
        ("DELETE", t) if t.starts_with("/rest/posts/") => "delete",
        ("POST", "/oauth/v2/accessToken") => "token",
        ("POST", "/oauth/v2/introspectToken") => "introspect",
        ("POST", "/oauth/v2/revoke") => "revoke",
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
    // Each image upload gets its own image: `urn:li:image:C4E10AQimg{n}`, n counting from 1.
    let images = log.lock().unwrap().iter().filter(|r| r.route() == "image-init").count();
    let answer = queued.lock().unwrap().get_mut(route).and_then(VecDeque::pop_front).unwrap_or_else(|| {
        if route == "image-init" {
            image_init(images, addr)
        } else {
            normal(route, addr)
        }
    });
    if answer.drop {
        return;
    }
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

/// The image `initializeUpload` numbered `n` hands over.
fn image_urn(n: usize) -> String {
    format!("urn:li:image:C4E10AQimg{n}")
}

/// The Images API's answer to the `n`th `initializeUpload` (its shape from LinkedIn's
/// documentation).
fn image_init(n: usize, addr: SocketAddr) -> Reply {
    reply(
        200,
        &[("Content-Type", "application/json")],
        &format!(
            r#"{{"value":{{"uploadUrlExpiresAt":4102444800000,"uploadUrl":"http://{addr}/upload/img-{n}?sig=abc","image":"{}"}}}}"#,
            image_urn(n)
        ),
    )
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
        "image-status" => reply(
            200,
            &json,
            r#"{"owner":"urn:li:person:782bbtaQ","status":"AVAILABLE","downloadUrl":"https://media.licdn.com/x"}"#,
        ),
        "status" => reply(
            200,
            &json,
            &format!(r#"{{"id":"{DOCUMENT}","owner":"urn:li:person:782bbtaQ","status":"AVAILABLE"}}"#),
        ),
        "post" => reply(201, &[("x-restli-id", POST)], ""),
        "comment" => reply(
            201,
            &[("x-restli-id", COMMENT)],
            &format!(
                r#"{{"actor":"urn:li:person:782bbtaQ","object":"{POST}","message":{{"text":"x"}},"commentUrn":"{COMMENT}","id":"6987654321"}}"#
            ),
        ),
        "delete" => reply(204, &[], ""),
        "introspect" => reply(
            200,
            &json,
            r#"{"active":true,"client_id":"86client","authorized_at":1493055596,"created_at":1493055596,"status":"active","expires_at":4102444800,"scope":"openid,profile,w_member_social","auth_type":"3L"}"#,
        ),
        "revoke" => reply(200, &[], ""),
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
    // A rate limit is a clear "no": nothing was posted, and the upload can be reused.
    fake.queue("post", reply(429, &[("Retry-After", "1")], r#"{"message":"Too many requests","status":429}"#));
    let failed = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&failed), 1);
    assert!(text(&failed.stderr).contains("HTTP 429"), "stderr: {}", text(&failed.stderr));
    assert_eq!(fake.count("post"), 1);
    let record = ws.record().expect("the upload is recorded");
    assert_eq!(record["document"], DOCUMENT);
    assert!(record.get("post").is_none() && record.get("post_possibly_sent").is_none(), "{record}");
    let before = fake.requests().len();
    let resumed = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&resumed), 0, "stderr: {}", text(&resumed.stderr));
    let second: Vec<&'static str> = fake.requests()[before..].iter().map(Request::route).collect();
    assert_eq!(second, ["userinfo", "status", "status", "post"]);
    let post = fake.requests().last().unwrap().json();
    assert_eq!(post["content"]["media"]["id"], DOCUMENT);
    assert_eq!(ws.record().unwrap()["post"], POST);
}

/// Issue #25 item 8: a 5xx, a cut connection or a 201 without an id may hide a post that
/// exists; the record says so and a second publish refuses until `--force`.
#[test]
fn an_ambiguous_answer_to_the_post_is_recorded_and_a_second_publish_refuses() {
    for (name, answer) in [
        ("5xx", reply(500, &[], r#"{"message":"Internal Server Error","status":500}"#)),
        ("201 without id", reply(201, &[], "")),
        ("no answer", no_answer()),
    ] {
        let fake = Fake::start();
        let ws = Workspace::new(DECK);
        fake.queue("post", answer);
        let failed = ws.publish(&fake, &["--yes"]);
        assert_eq!(code(&failed), 1, "{name}");
        let stderr = text(&failed.stderr);
        assert!(stderr.contains("may have posted it") && stderr.contains("recent-activity"), "{name}: {stderr}");
        assert_eq!(fake.count("post"), 1, "{name}: creating a post is never repeated by itself");
        let record = ws.record().expect("a record");
        assert!(record["post_possibly_sent"]["at"].as_u64().is_some(), "{name}: {record}");
        let before = fake.requests().len();
        let again = ws.publish(&fake, &["--yes"]);
        assert_eq!(code(&again), 1, "{name}");
        let stderr = text(&again.stderr);
        assert!(
            stderr.contains("--force") && stderr.contains("recent-activity") && stderr.contains("Nothing was sent"),
            "{name}: {stderr}"
        );
        assert_eq!(fake.requests().len(), before, "{name}: a refused publish sent a request");
        let forced = ws.publish(&fake, &["--yes", "--force"]);
        assert_eq!(code(&forced), 0, "{name}: {}", text(&forced.stderr));
        assert_eq!(fake.count("post"), 2, "{name}");
        let record = ws.record().unwrap();
        assert_eq!(record["post"], POST, "{name}");
        assert!(record.get("post_possibly_sent").is_none(), "{name}: {record}");
        assert_no_token(&failed);
    }
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

// --- helpers for the tests below ---

fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

/// A one-slide deck with `extra` top-level keys.
fn small_deck(title: &str, extra: &str) -> String {
    format!("title: \"{title}\"\n{extra}slides:\n  - kind: hook\n    title: x\n")
}

impl Workspace {
    fn add_deck(&self, name: &str, text: &str) {
        std::fs::write(self.path().join("decks").join(name), text).unwrap();
    }

    /// Runs the binary with `env` set, for at most two minutes.
    fn run(&self, fake: &Fake, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = self.command(fake, args);
        for (name, value) in env {
            command.env(name, value);
        }
        finish(command.spawn().unwrap(), Duration::from_secs(120))
    }

    /// Runs the binary with [`TOKEN`] in `LINKEDIN_ACCESS_TOKEN`.
    fn run_token(&self, fake: &Fake, args: &[&str]) -> Output {
        self.run(fake, args, &[("LINKEDIN_ACCESS_TOKEN", TOKEN)])
    }

    fn store_token(&self, token: &str, expires_at: u64, scope: &str) {
        let dir = self.path().join("config/carousel");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("linkedin-token.json"),
            serde_json::json!({"access_token": token, "expires_at": expires_at, "scope": scope}).to_string(),
        )
        .unwrap();
    }

    fn write_record(&self, record: &Value) {
        std::fs::create_dir_all(self.path().join("out")).unwrap();
        std::fs::write(self.path().join("out/day5.published.json"), record.to_string()).unwrap();
    }
}

fn requests_of(fake: &Fake, route: &str) -> Vec<Request> {
    fake.requests().into_iter().filter(|r| r.route() == route).collect()
}

// --- issue #21 item 1: the API version ---

#[test]
fn the_api_version_is_a_documented_default_and_env_or_flag_override_it() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    let output = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&output), 0, "stderr: {}", text(&output.stderr));
    for request in fake.requests().iter().filter(|r| r.target.starts_with("/rest/")) {
        assert_eq!(request.header("LinkedIn-Version"), Some(DEFAULT_VERSION), "{}", request.target);
    }

    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    let env = [("LINKEDIN_ACCESS_TOKEN", TOKEN), ("LINKEDIN_API_VERSION", "202601")];
    assert_eq!(code(&ws.run(&fake, &["publish", "decks/day5.yaml", "--yes"], &env)), 0);
    assert!(fake
        .requests()
        .iter()
        .filter(|r| r.target.starts_with("/rest/"))
        .all(|r| r.header("LinkedIn-Version") == Some("202601")));

    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    let flagged = ws.run(&fake, &["publish", "decks/day5.yaml", "--yes", "--linkedin-version", "202603"], &env);
    assert_eq!(code(&flagged), 0, "stderr: {}", text(&flagged.stderr));
    assert!(fake
        .requests()
        .iter()
        .filter(|r| r.target.starts_with("/rest/"))
        .all(|r| r.header("LinkedIn-Version") == Some("202603")));

    // A version that is not YYYYMM: a command-line error from the flag, a refusal from the environment.
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    let bad_flag = ws.run_token(&fake, &["publish", "decks/day5.yaml", "--yes", "--linkedin-version", "2026-08"]);
    assert_eq!(code(&bad_flag), 2, "stderr: {}", text(&bad_flag.stderr));
    let bad_env = ws.run(
        &fake,
        &["publish", "decks/day5.yaml", "--yes"],
        &[("LINKEDIN_ACCESS_TOKEN", TOKEN), ("LINKEDIN_API_VERSION", "latest")],
    );
    assert_eq!(code(&bad_env), 1);
    assert!(
        text(&bad_env.stderr).contains("LINKEDIN_API_VERSION") && text(&bad_env.stderr).contains("YYYYMM"),
        "{}",
        text(&bad_env.stderr)
    );
    assert!(fake.requests().is_empty());
}

#[test]
fn a_426_names_the_refused_version_and_how_to_set_another() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    fake.queue(
        "init",
        reply(
            426,
            &[],
            r#"{"status":426,"code":"NONEXISTENT_VERSION","message":"Requested version 20260801 is not active"}"#,
        ),
    );
    let output = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&output), 1);
    let stderr = text(&output.stderr);
    for part in [DEFAULT_VERSION, "HTTP 426", "LINKEDIN_API_VERSION", "--linkedin-version", "learn.microsoft.com"] {
        assert!(stderr.contains(part), "{part} missing: {stderr}");
    }
    assert_eq!(fake.count("upload"), 0);
}

// --- issue #21 item 2: the host check, on the parsed URL ---

#[test]
fn an_api_override_with_user_info_is_refused_before_anything_is_sent() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    let sneaky = format!("http://api.linkedin.com@{}", fake.addr);
    let output = ws.run(
        &fake,
        &["publish", "decks/day5.yaml", "--yes"],
        &[("LINKEDIN_ACCESS_TOKEN", TOKEN), ("CAROUSEL_LINKEDIN_API", &sneaky)],
    );
    assert_eq!(code(&output), 1);
    assert!(text(&output.stderr).contains("user info"), "stderr: {}", text(&output.stderr));
    assert!(fake.requests().is_empty(), "the token went to {:?}", fake.routes());
}

#[test]
fn an_upload_url_that_only_looks_like_linkedin_is_refused() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    // The host is 127.0.0.1 (the stand-in); `www.linkedin.com:443` is only user info.
    fake.queue(
        "init",
        reply(
            200,
            &[],
            &format!(
                r#"{{"value":{{"uploadUrlExpiresAt":4102444800000,"uploadUrl":"https://www.linkedin.com:443@{}/upload/dms-1","document":"{DOCUMENT}"}}}}"#,
                fake.addr
            ),
        ),
    );
    let output = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&output), 1, "stderr: {}", text(&output.stderr));
    assert!(text(&output.stderr).contains("user info"), "{}", text(&output.stderr));
    assert_eq!(fake.routes(), ["userinfo", "init"], "something was sent to the look-alike URL");
    assert_no_token(&output);
}

// --- issue #21 item 3: the caption's length ---

#[test]
fn a_caption_is_counted_as_sent_and_the_refusal_says_linkedin_refuses() {
    let fake = Fake::start();
    // 1,000 emoji and 600 parentheses: 1,600 characters, but 2,000 UTF-16 units plus 1,200 as
    // escaped: 3,200.
    let text_value = format!("{}{}", "🎉".repeat(1000), "(".repeat(600));
    let ws = Workspace::new(&small_deck("T", &format!("caption: \"{text_value}\"\n")));
    let output = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&output), 1, "stderr: {}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("3200") && stderr.contains("refuses") && !stderr.contains("cuts"), "{stderr}");
    assert!(fake.requests().is_empty());
    let check = common::carousel(ws.path(), &["check", "decks/day5.yaml"]);
    let stderr = text(&check.stderr);
    assert!(stderr.contains("3200") && stderr.contains("refuses") && !stderr.contains("cuts"), "{stderr}");
}

#[test]
fn a_400_about_the_text_length_says_to_shorten_the_caption() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    fake.queue(
        "post",
        reply(400, &[], r#"{"status":400,"message":"ShareCommentary text length (3001 characters) exceeded the maximum allowed (3000 characters)"}"#),
    );
    let output = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&output), 1);
    let stderr = text(&output.stderr);
    assert!(stderr.contains("too long") && stderr.contains("caption.text"), "{stderr}");
    assert!(ws.record().unwrap().get("post_possibly_sent").is_none());
}

// --- issue #21 item 4: the other failures ---

#[test]
fn a_duplicate_post_is_explained_and_nothing_is_marked_sent() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    fake.queue(
        "post",
        reply(
            422,
            &[],
            r#"{"status":422,"code":"DUPLICATE_POST","message":"Content is a duplicate of urn:li:share:6999"}"#,
        ),
    );
    let output = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&output), 1);
    let stderr = text(&output.stderr);
    assert!(stderr.contains("DUPLICATE_POST") && stderr.contains("change the caption"), "{stderr}");
    let record = ws.record().unwrap();
    assert!(record.get("post_possibly_sent").is_none() && record.get("post").is_none(), "{record}");
}

#[test]
fn a_403_about_the_documents_owner_is_not_blamed_on_products_and_the_next_run_uploads_afresh() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    fake.queue(
        "post",
        reply(
            403,
            &[],
            r#"{"status":403,"message":"Caller is not the owner of the document urn:li:document:D5610AQtest"}"#,
        ),
    );
    let output = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&output), 1);
    let stderr = text(&output.stderr);
    assert!(stderr.contains("another member") && !stderr.contains("Share on LinkedIn"), "{stderr}");
    assert!(ws.record().unwrap().get("document").is_none());
    assert_eq!(code(&ws.publish(&fake, &["--yes"])), 0);
    assert_eq!(fake.count("upload"), 2);
}

#[test]
fn a_deck_without_caption_sends_no_commentary() {
    let fake = Fake::start();
    let ws = Workspace::new(&small_deck("No words", ""));
    let output = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&output), 0, "stderr: {}", text(&output.stderr));
    let post = requests_of(&fake, "post").pop().unwrap().json();
    assert!(post.get("commentary").is_none(), "{post}");
    assert_eq!(post["content"]["media"]["title"], "No words");
}

// --- issue #21 item 5: hard-wrapped `|` captions ---

#[test]
fn check_warns_about_a_hard_wrapped_literal_caption_and_no_bundled_deck_has_one() {
    let ws = Workspace::new(&small_deck(
        "T",
        "caption:\n  text: |\n    Shipped it!\n\n    After 3 weeks of building, here's what I learned about distributed\n    systems and real-time collaboration.\n",
    ));
    let check = common::carousel(ws.path(), &["check", "decks/day5.yaml"]);
    let stderr = text(&check.stderr);
    assert!(stderr.contains("decks/day5.yaml:6:5: warning:") && stderr.contains("`|` block"), "{stderr}");
    assert!(stderr.contains("text: >"), "{stderr}");
    let bundled = common::workspace();
    let check = common::carousel(bundled.path(), &["check", "decks/"]);
    assert!(
        !text(&check.stderr).contains("`|` block"),
        "a bundled deck's caption is hard-wrapped: {}",
        text(&check.stderr)
    );
}

// --- issue #21 item 6: the small ones ---

#[test]
fn a_stored_token_about_to_expire_is_refused_and_one_with_days_left_warns() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    ws.store_token("SOON-TOKEN-1234", now() + 600, "openid,profile,w_member_social");
    let output = ws.run(&fake, &["publish", "decks/day5.yaml", "--yes"], &[]);
    assert_eq!(code(&output), 1);
    let stderr = text(&output.stderr);
    assert!(stderr.contains("too soon") && stderr.contains("carousel login"), "{stderr}");
    assert!(fake.requests().is_empty());

    ws.store_token("FEW-DAYS-TOKEN-1234", now() + 3 * 86_400 + 60, "openid,profile,w_member_social");
    let output = ws.run(&fake, &["publish", "decks/day5.yaml", "--yes"], &[]);
    assert_eq!(code(&output), 0, "stderr: {}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("expires in 3 days") && stderr.contains("carousel login"), "{stderr}");
    assert!(!stderr.contains("FEW-DAYS-TOKEN-1234"));
}

#[test]
fn a_dry_run_says_whether_a_token_is_there_and_the_upload_may_go_unauthorized() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    let output = ws.run(&fake, &["publish", "decks/day5.yaml", "--dry-run"], &[]);
    assert_eq!(code(&output), 0, "stderr: {}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("a real publish would stop here")
            && text(&output.stderr).contains("carousel login"),
        "{}",
        text(&output.stderr)
    );
    let stdout = text(&output.stdout);
    assert!(stdout.contains("only if uploadUrl is a LinkedIn host over https"), "{stdout}");
    assert!(stdout.contains(&format!("LinkedIn-Version: {DEFAULT_VERSION}")), "{stdout}");
    ws.store_token("DRY-TOKEN-1234", now() + 2 * 86_400, "openid,profile,w_member_social");
    let output = ws.run(&fake, &["publish", "decks/day5.yaml", "--dry-run"], &[]);
    assert!(text(&output.stderr).contains("expires in 2 days"), "{}", text(&output.stderr));
    assert!(!text(&output.stdout).contains("DRY-TOKEN") && !text(&output.stderr).contains("DRY-TOKEN"));
    assert!(fake.requests().is_empty());
}

// --- scheduling: publish_at, --due, schedule ---

fn rfc3339(unix: u64) -> String {
    // UTC, from the days since 1970 (civil_from_days).
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
}

#[test]
fn publish_due_posts_the_decks_whose_time_has_come_once() {
    let fake = Fake::start();
    let ws = Workspace::new(&small_deck("Not scheduled", ""));
    ws.add_deck("due.yaml", &small_deck("Due now", &format!("publish_at: \"{}\"\n", rfc3339(now() - 3600))));
    ws.add_deck("later.yaml", &small_deck("Later", &format!("publish_at: \"{}\"\n", rfc3339(now() + 3 * 86_400))));
    ws.add_deck("done.yaml", &small_deck("Done", &format!("publish_at: \"{}\"\n", rfc3339(now() - 86_400))));
    std::fs::create_dir_all(ws.path().join("out")).unwrap();
    std::fs::write(
        ws.path().join("out/done.published.json"),
        serde_json::json!({"deck":"decks/done.yaml","pdf":"out/done.pdf","pdf_hash":"0","document":DOCUMENT,"post":"urn:li:share:1","url":"https://www.linkedin.com/feed/update/urn:li:share:1/","published_at":1}).to_string(),
    )
    .unwrap();

    // Without --yes and without a terminal, nothing happens.
    let refused = ws.run_token(&fake, &["publish", "--due", "decks/"]);
    assert_eq!(code(&refused), 1);
    assert!(text(&refused.stderr).contains("--yes"));
    assert!(fake.requests().is_empty());

    let output = ws.run_token(&fake, &["publish", "--due", "decks/", "--yes"]);
    assert_eq!(code(&output), 0, "stderr: {}", text(&output.stderr));
    assert_eq!(fake.count("post"), 1, "{:?}", fake.routes());
    let post = requests_of(&fake, "post").pop().unwrap().json();
    assert_eq!(post["content"]["media"]["title"], "Due now");
    assert_eq!(text(&output.stdout), format!("{POST_URL}\n"));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("decks/later.yaml is due") && stderr.contains("in 3 days"), "{stderr}");
    assert!(
        stderr.contains("1 published, 1 not yet due, 1 already published, 1 without publish_at, 0 failed"),
        "{stderr}"
    );
    assert!(ws.path().join("out/due.published.json").exists());

    // --force with --due would post every due deck on every run.
    assert_eq!(code(&ws.run_token(&fake, &["publish", "--due", "decks/", "--yes", "--force"])), 2);
    assert_eq!(fake.count("post"), 1);

    // Run again (the next cron tick): nothing more is posted.
    let again = ws.run_token(&fake, &["publish", "--due", "decks/", "--yes"]);
    assert_eq!(code(&again), 0, "stderr: {}", text(&again.stderr));
    assert_eq!(fake.count("post"), 1);
    assert!(text(&again.stderr).contains("0 published"), "{}", text(&again.stderr));
}

#[test]
fn a_publish_at_without_an_offset_is_an_error_at_its_line() {
    let ws = Workspace::new(&small_deck("T", "publish_at: \"2026-12-08T09:00:00\"\n"));
    let check = common::carousel(ws.path(), &["check", "decks/day5.yaml"]);
    assert_eq!(code(&check), 1);
    let stderr = text(&check.stderr);
    assert!(stderr.contains("decks/day5.yaml:2:") && stderr.contains("no offset"), "{stderr}");
}

#[test]
fn schedule_lists_what_is_due_when() {
    let fake = Fake::start();
    let ws = Workspace::new(&small_deck("Unscheduled", ""));
    ws.add_deck("b.yaml", &small_deck("Second", "publish_at: \"2099-01-02T09:00:00+01:00\"\n"));
    ws.add_deck("a.yaml", &small_deck("First", "publish_at: \"2099-01-01T09:00:00-05:00\"\n"));
    ws.add_deck("old.yaml", &small_deck("Past", "publish_at: \"2020-01-01T00:00:00Z\"\n"));
    let output = ws.run(&fake, &["schedule", "decks/"], &[]);
    assert_eq!(code(&output), 0, "stderr: {}", text(&output.stderr));
    let stdout = text(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("2020-01-01 00:00 +00:00  decks/old.yaml") && lines[0].contains("due now"),
        "{stdout}"
    );
    assert!(lines[1].starts_with("2099-01-01 09:00 -05:00  decks/a.yaml  \"First\"  due in"), "{stdout}");
    assert!(lines[2].starts_with("2099-01-02 09:00 +01:00  decks/b.yaml"), "{stdout}");
    assert!(stdout.contains("not scheduled (no publish_at): decks/day5.yaml"), "{stdout}");
    assert!(fake.requests().is_empty());
}

// --- the first comment ---

const COMMENT_DECK: &str = "title: \"With a comment\"\ncaption:\n  text: \"See below.\"\n  first_comment: \"Write-up: https://example.com/day5 (with @you & #tags)\"\nslides:\n  - kind: hook\n    title: x\n";

#[test]
fn the_first_comment_is_posted_right_after_the_post() {
    let fake = Fake::start();
    let ws = Workspace::new(COMMENT_DECK);
    let output = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&output), 0, "stderr: {}", text(&output.stderr));
    assert_eq!(fake.routes(), ["userinfo", "init", "upload", "status", "post", "comment"]);
    let comment = requests_of(&fake, "comment").pop().unwrap();
    assert_eq!(comment.target, COMMENTS_PATH);
    assert_eq!(comment.header("Authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    assert_eq!(comment.header("LinkedIn-Version"), Some(DEFAULT_VERSION));
    assert_eq!(comment.header("X-Restli-Protocol-Version"), Some("2.0.0"));
    assert_eq!(
        comment.json(),
        serde_json::json!({"actor": "urn:li:person:782bbtaQ", "object": POST, "message": {"text": "Write-up: https://example.com/day5 (with @you & #tags)"}})
    );
    assert_eq!(ws.record().unwrap()["comment"], COMMENT);
    assert_eq!(text(&output.stdout), format!("{POST_URL}\n"));
}

#[test]
fn a_comment_created_with_a_bare_id_or_without_one_is_a_success() {
    for (answer, recorded) in [
        (reply(201, &[("x-restli-id", "6987654321")], ""), Some(format!("urn:li:comment:({POST},6987654321)"))),
        (reply(201, &[], ""), None),
    ] {
        let fake = Fake::start();
        let ws = Workspace::new(COMMENT_DECK);
        fake.queue("comment", answer);
        let output = ws.publish(&fake, &["--yes"]);
        assert_eq!(code(&output), 0, "stderr: {}", text(&output.stderr));
        let record = ws.record().unwrap();
        assert_eq!(record.get("comment").and_then(Value::as_str).map(str::to_string), recorded);
        assert!(record["comment_at"].as_u64().is_some(), "{record}");
        // Done: the next run does not comment again.
        assert_eq!(code(&ws.publish(&fake, &["--yes"])), 1);
        assert_eq!(fake.count("comment"), 1);
    }
}

#[test]
fn a_post_left_without_its_comment_gets_it_on_the_next_run() {
    // The comment fails outright: the post is live, the record says so, the next run comments.
    let fake = Fake::start();
    let ws = Workspace::new(COMMENT_DECK);
    fake.queue("comment", reply(429, &[("Retry-After", "5")], r#"{"message":"throttled"}"#));
    let failed = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&failed), 1);
    assert!(
        text(&failed.stderr).contains("The post is live") && text(&failed.stderr).contains("again to add it"),
        "{}",
        text(&failed.stderr)
    );
    assert_eq!(text(&failed.stdout), format!("{POST_URL}\n"), "the URL is printed: the post is live");
    let record = ws.record().unwrap();
    assert_eq!(record["post"], POST);
    assert!(record.get("comment").is_none());
    let before = fake.requests().len();
    let resumed = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&resumed), 0, "stderr: {}", text(&resumed.stderr));
    let second: Vec<&'static str> = fake.requests()[before..].iter().map(Request::route).collect();
    assert_eq!(second, ["userinfo", "comment"], "only the comment is sent");
    assert_eq!(ws.record().unwrap()["comment"], COMMENT);
    // Done: a third run refuses as for any published deck.
    let third = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&third), 1);
    assert!(text(&third.stderr).contains("already published"));

    // A crash between the post and the comment leaves the record of a post without a comment.
    let fake = Fake::start();
    let ws = Workspace::new(COMMENT_DECK);
    ws.write_record(&serde_json::json!({
        "deck": "decks/day5.yaml", "pdf": "out/day5.pdf", "pdf_hash": "0", "document": DOCUMENT,
        "post": POST, "url": POST_URL, "published_at": 1
    }));
    let resumed = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&resumed), 0, "stderr: {}", text(&resumed.stderr));
    assert_eq!(fake.routes(), ["userinfo", "comment"]);
    assert_eq!(text(&resumed.stdout), format!("{POST_URL}\n"));
}

#[test]
fn an_ambiguous_comment_is_not_posted_twice_without_comment_again() {
    let fake = Fake::start();
    let ws = Workspace::new(COMMENT_DECK);
    fake.queue("comment", no_answer());
    let failed = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&failed), 1);
    assert!(ws.record().unwrap()["comment_possibly_sent"]["at"].as_u64().is_some());
    let again = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&again), 1);
    assert!(text(&again.stderr).contains("--comment-again"), "{}", text(&again.stderr));
    assert_eq!(fake.count("comment"), 1);
    let forced = ws.publish(&fake, &["--yes", "--comment-again"]);
    assert_eq!(code(&forced), 0, "stderr: {}", text(&forced.stderr));
    assert_eq!(fake.count("comment"), 2);
    assert_eq!(fake.count("post"), 1);
}

// --- unpublish, posts, whoami, logout ---

#[test]
fn unpublish_deletes_the_post_after_confirmation_and_a_post_already_gone_counts_as_deleted() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    assert_eq!(code(&ws.publish(&fake, &["--yes"])), 0);
    let before = fake.requests().len();
    let refused = ws.run_token(&fake, &["unpublish", "decks/day5.yaml"]);
    assert_eq!(code(&refused), 1);
    assert!(text(&refused.stderr).contains("--yes"), "{}", text(&refused.stderr));
    assert_eq!(fake.requests().len(), before);

    let output = ws.run_token(&fake, &["unpublish", "decks/day5.yaml", "--yes"]);
    assert_eq!(code(&output), 0, "stderr: {}", text(&output.stderr));
    let delete = requests_of(&fake, "delete").pop().expect("a DELETE");
    assert_eq!(delete.target, POST_PATH);
    assert_eq!(delete.header("X-RestLi-Method"), Some("DELETE"));
    assert_eq!(delete.header("LinkedIn-Version"), Some(DEFAULT_VERSION));
    assert_eq!(delete.header("Authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    assert!(text(&output.stderr).contains(&format!("deleted {POST_URL}")), "{}", text(&output.stderr));
    assert!(ws.record().unwrap()["unpublished_at"].as_u64().is_some());
    assert_no_token(&output);
    // The deck may be posted afresh now, without --force.
    let again = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&again), 0, "stderr: {}", text(&again.stderr));
    assert_eq!(fake.count("post"), 2);

    // A post deleted on LinkedIn's site: 404 is success.
    fake.queue("delete", reply(404, &[], r#"{"status":404,"message":"Not found"}"#));
    let gone = ws.run_token(&fake, &["unpublish", "decks/day5.yaml", "--yes"]);
    assert_eq!(code(&gone), 0, "stderr: {}", text(&gone.stderr));
    assert!(text(&gone.stderr).contains("already gone"), "{}", text(&gone.stderr));

    // Nothing recorded: nothing to delete.
    let other = Workspace::new(DECK);
    let none = other.run_token(&fake, &["unpublish", "decks/day5.yaml", "--yes"]);
    assert_eq!(code(&none), 1);
    assert!(text(&none.stderr).contains("no publish record"), "{}", text(&none.stderr));
}

#[test]
fn posts_lists_what_was_published() {
    let fake = Fake::start();
    let ws = Workspace::new(COMMENT_DECK);
    assert_eq!(code(&ws.publish(&fake, &["--yes"])), 0);
    let output = ws.run(&fake, &["posts"], &[]);
    assert_eq!(code(&output), 0, "stderr: {}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("published") && stdout.contains("decks/day5.yaml") && stdout.contains(POST_URL),
        "{stdout}"
    );
    assert!(stdout.contains("with its first comment"), "{stdout}");
    let before = fake.requests().len();
    assert_eq!(code(&ws.run_token(&fake, &["unpublish", "decks/day5.yaml", "--yes"])), 0);
    let output = ws.run(&fake, &["posts", "out"], &[]);
    assert!(text(&output.stdout).contains("deleted"), "{}", text(&output.stdout));
    assert_eq!(fake.requests().len(), before + 1, "posts sends nothing");
}

#[test]
fn whoami_shows_the_member_scopes_and_days_left_and_refuses_an_expired_token() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    ws.store_token("STORED-TOKEN-5678", now() + 20 * 86_400 + 100, "email,openid,profile,w_member_social");
    let output = ws.run(&fake, &["whoami"], &[]);
    assert_eq!(code(&output), 0, "stderr: {}", text(&output.stderr));
    let stdout = text(&output.stdout);
    for part in ["Jane Doe", "urn:li:person:782bbtaQ", "w_member_social", "20 days left", "stored in"] {
        assert!(stdout.contains(part), "{part} missing: {stdout}");
    }
    assert_eq!(requests_of(&fake, "userinfo").pop().unwrap().header("Authorization"), Some("Bearer STORED-TOKEN-5678"));
    assert!(!stdout.contains("STORED-TOKEN") && !text(&output.stderr).contains("STORED-TOKEN"));

    // With the app's credentials, LinkedIn's introspection says the scopes and the expiry.
    let output =
        ws.run(&fake, &["whoami"], &[("LINKEDIN_CLIENT_ID", "86client"), ("LINKEDIN_CLIENT_SECRET", "APP-SECRET-77")]);
    assert_eq!(code(&output), 0, "stderr: {}", text(&output.stderr));
    let introspect = requests_of(&fake, "introspect").pop().expect("introspection");
    let form = text(&introspect.body);
    assert!(form.contains("client_id=86client") && form.contains("token=STORED-TOKEN-5678"), "{form}");
    assert!(text(&output.stdout).contains("2100-01-01"), "{}", text(&output.stdout));
    assert!(!text(&output.stdout).contains("APP-SECRET") && !text(&output.stderr).contains("APP-SECRET"));

    let before = fake.requests().len();
    ws.store_token("OLD-TOKEN-5678", 1000, "openid");
    let expired = ws.run(&fake, &["whoami"], &[]);
    assert_eq!(code(&expired), 1);
    let stderr = text(&expired.stderr);
    assert!(stderr.contains("expired") && stderr.contains("carousel login"), "{stderr}");
    assert!(!stderr.contains("OLD-TOKEN"));
    assert_eq!(fake.requests().len(), before, "an expired token is not sent");
}

#[test]
fn logout_forgets_the_token_and_revokes_it_when_the_app_is_known() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    ws.store_token("GOING-TOKEN-1234", now() + 30 * 86_400, "openid");
    let output =
        ws.run(&fake, &["logout"], &[("LINKEDIN_CLIENT_ID", "86client"), ("LINKEDIN_CLIENT_SECRET", "APP-SECRET-77")]);
    assert_eq!(code(&output), 0, "stderr: {}", text(&output.stderr));
    assert!(!token_file(&ws).exists());
    let revoke = requests_of(&fake, "revoke").pop().expect("revoked");
    assert!(text(&revoke.body).contains("token=GOING-TOKEN-1234"));
    for printed in [text(&output.stdout), text(&output.stderr)] {
        assert!(!printed.contains("GOING-TOKEN") && !printed.contains("APP-SECRET"), "{printed}");
    }
    let again = ws.run(&fake, &["logout"], &[]);
    assert_eq!(code(&again), 0);
    assert!(text(&again.stderr).contains("not logged in"));
    let publish = ws.run(&fake, &["publish", "decks/day5.yaml", "--yes"], &[]);
    assert_eq!(code(&publish), 1);
    assert!(text(&publish.stderr).contains("carousel login"));
}

// --- issue #25 item 5: bounded reads ---

#[cfg(unix)]
#[test]
fn a_token_file_or_record_that_is_a_device_or_a_fifo_is_refused_without_reading() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    let dir = ws.path().join("config/carousel");
    std::fs::create_dir_all(&dir).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.join("linkedin-token.json")).unwrap();
    let output = ws.run(&fake, &["publish", "decks/day5.yaml", "--yes"], &[]);
    assert_eq!(code(&output), 1);
    assert!(text(&output.stderr).contains("a device, not a regular file"), "{}", text(&output.stderr));
    let output = ws.run(&fake, &["whoami"], &[]);
    assert_eq!(code(&output), 1);

    std::fs::create_dir_all(ws.path().join("out")).unwrap();
    let record = ws.path().join("out/day5.published.json");
    std::os::unix::fs::symlink("/dev/zero", &record).unwrap();
    let output = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&output), 1);
    assert!(text(&output.stderr).contains("not a publish record"), "{}", text(&output.stderr));
    std::fs::remove_file(&record).unwrap();
    if std::process::Command::new("mkfifo").arg(&record).status().is_ok_and(|s| s.success()) {
        let output = ws.publish(&fake, &["--yes"]);
        assert_eq!(code(&output), 1);
        assert!(text(&output.stderr).contains("a FIFO"), "{}", text(&output.stderr));
        let posts = ws.run(&fake, &["posts"], &[]);
        assert_eq!(code(&posts), 1);
    }
    assert!(fake.requests().is_empty());
}

// --- issue #25 item 10: what reaches the terminal ---

#[test]
fn a_servers_escape_sequences_never_reach_the_terminal() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    fake.queue("post", reply(201, &[("x-restli-id", "urn:li:share:1\u{1b}]0;pwned\u{7}\u{1b}[2J")], ""));
    let output = ws.publish(&fake, &["--yes"]);
    for printed in [text(&output.stdout), text(&output.stderr)] {
        assert!(!printed.contains('\u{1b}') && !printed.contains('\u{7}'), "{printed:?}");
    }
    // Not a URN: the post may exist, but it is not taken as an id.
    assert_eq!(code(&output), 1);
    assert!(ws.record().unwrap()["post_possibly_sent"].is_object());

    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    fake.queue(
        "init",
        reply(
            400,
            &[],
            "{\"message\":\"bad \\u001b[31mred\\u001b[0m \\u001b]8;;http://x\\u001b\\\\link\\u001b]8;;\\u001b\\\\\"}",
        ),
    );
    let output = ws.publish(&fake, &["--yes"]);
    assert_eq!(code(&output), 1);
    let stderr = text(&output.stderr);
    assert!(!stderr.contains('\u{1b}') && stderr.contains("bad red link"), "{stderr:?}");
}

#[test]
fn login_redacts_the_client_secret_in_every_encoding_and_strips_escapes() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    let secret = "WPL_AP1.s3cr/t+k ey==";
    // The token endpoint echoes what it got, in the forms a server might.
    let echoed = "client_secret=WPL_AP1.s3cr%2Ft%2Bk+ey%3D%3D and WPL_AP1.s3cr%2ft%2bk%20ey%3d%3d and WPL_AP1.s3cr\\\\/t+k ey== \\u001b[2J";
    fake.queue("token", reply(400, &[], &format!(r#"{{"error":"invalid_client","error_description":"{echoed}"}}"#)));
    let mut command = ws.command(&fake, &["login", "--client-id", "86client", "--port", "0", "--no-browser"]);
    command.env("LINKEDIN_CLIENT_SECRET", secret);
    let mut child = command.spawn().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut url = String::new();
    stdout.read_line(&mut url).unwrap();
    let state = query_param(url.trim(), "state");
    let redirect = query_param(url.trim(), "redirect_uri");
    assert!(callback(&redirect, &format!("code=AQcode-1&state={state}")).contains("400"));
    let output = finish(child, Duration::from_secs(60));
    assert_eq!(code(&output), 1);
    let stderr = text(&output.stderr);
    assert!(stderr.contains("invalid_client") || stderr.contains("<redacted>"), "{stderr}");
    for form in ["s3cr/t", "s3cr%2F", "s3cr%2f", "s3cr\\/t", "k ey==", "k+ey"] {
        assert!(!stderr.contains(form), "{form} shown: {stderr}");
    }
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
}

#[test]
fn login_error_descriptions_from_the_browser_are_stripped_of_escapes() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    let (child, url) = start_login(&ws, &fake);
    let state = query_param(&url, "state");
    let redirect = query_param(&url, "redirect_uri");
    callback(&redirect, &format!("error=access_denied&error_description=%1B%5D0%3Bpwned%07%1B%5B2Jgone&state={state}"));
    let output = finish(child, Duration::from_secs(60));
    assert_eq!(code(&output), 1);
    let stderr = text(&output.stderr);
    assert!(stderr.contains("access_denied") && stderr.contains("gone"), "{stderr}");
    assert!(!stderr.contains('\u{1b}') && !stderr.contains('\u{7}'), "{stderr:?}");
}

// --- issue #25 item 7: the login listener ---

/// Connects to the callback server and sends `bytes` one at a time, `every` apart, until told to
/// stop or the server closes; returns whether the server closed the connection first.
fn drip(authority: String, bytes: Vec<u8>, every: Duration, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<bool> {
    std::thread::spawn(move || {
        let Ok(mut stream) = TcpStream::connect(&authority) else { return true };
        stream.set_read_timeout(Some(Duration::from_millis(1))).unwrap();
        for byte in bytes.iter().cycle().take(10_000) {
            if stop.load(Ordering::Relaxed) {
                return false;
            }
            if stream.write_all(&[*byte]).is_err() {
                return true;
            }
            let mut probe = [0u8; 64];
            if matches!(stream.read(&mut probe), Ok(0)) {
                return true;
            }
            if matches!(stream.read(&mut probe), Ok(n) if n > 0) {
                return true;
            }
            std::thread::sleep(every);
        }
        false
    })
}

fn authority_of(redirect: &str) -> String {
    redirect.strip_prefix("http://").unwrap().split('/').next().unwrap().to_string()
}

#[test]
fn a_slow_client_does_not_hold_the_login_and_its_partial_request_is_not_a_callback() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    let (child, url) = start_login(&ws, &fake);
    let state = query_param(&url, "state");
    let redirect = query_param(&url, "redirect_uri");
    let authority = authority_of(&redirect);
    let stop = Arc::new(AtomicBool::new(false));
    // A local client dripping a request with a forged state, a byte a second, never finishing.
    let dripper = drip(
        authority.clone(),
        b"GET /callback?code=FORGED&state=0123456789abcdef HTTP/1.1\r\nX: y".to_vec(),
        Duration::from_millis(500),
        stop.clone(),
    );
    // A partial request with the right state, cut before its end: not the callback.
    let mut partial = TcpStream::connect(&authority).unwrap();
    write!(partial, "GET /callback?code=PARTIAL&state={state} HTTP/1.1\r\nHost: x").unwrap();
    partial.shutdown(std::net::Shutdown::Write).unwrap();
    let mut answer = String::new();
    partial.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let _ = partial.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    // The browser's callback is served while the dripper still drips.
    assert!(callback(&redirect, &format!("code=AQcode-real&state={state}")).contains("200"));
    let output = finish(child, Duration::from_secs(60));
    stop.store(true, Ordering::Relaxed);
    let _ = dripper.join();
    assert_eq!(code(&output), 0, "stderr: {}", text(&output.stderr));
    let exchanges = requests_of(&fake, "token");
    assert_eq!(exchanges.len(), 1);
    assert!(text(&exchanges[0].body).contains("code=AQcode-real"), "{}", text(&exchanges[0].body));
    assert!(text(&output.stderr).contains("lasts 60 days"), "{}", text(&output.stderr));
}

#[test]
fn a_dripping_client_is_cut_off_at_the_request_deadline() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    let (child, url) = start_login(&ws, &fake);
    let redirect = query_param(&url, "redirect_uri");
    let stop = Arc::new(AtomicBool::new(false));
    // A byte every 2 s for up to 60 s: each read is quick, the request never ends. The server
    // closes it after its 10 s deadline.
    let dripper = drip(
        authority_of(&redirect),
        b"GET /favicon.ico HTTP/1.1\r\nX-Long: ".to_vec(),
        Duration::from_secs(2),
        stop.clone(),
    );
    let started = Instant::now();
    let closed_by_server = loop {
        if dripper.is_finished() {
            break dripper.join().unwrap();
        }
        if started.elapsed() > Duration::from_secs(60) {
            stop.store(true, Ordering::Relaxed);
            break false;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(closed_by_server, "the server kept a dripping connection open for a minute");
    let state = query_param(&url, "state");
    assert!(callback(&redirect, &format!("code=AQcode-1&state={state}")).contains("200"));
    assert_eq!(code(&finish(child, Duration::from_secs(60))), 0);
}

#[test]
fn login_ends_at_its_time_limit_whatever_clients_do() {
    let fake = Fake::start();
    let ws = Workspace::new(DECK);
    let mut command = ws.command(&fake, &["login", "--client-id", "86client", "--port", "0", "--no-browser"]);
    command.env("LINKEDIN_CLIENT_SECRET", "CLIENT-SECRET-9").env("CAROUSEL_LOGIN_TIMEOUT", "3");
    let mut child = command.spawn().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut url = String::new();
    stdout.read_line(&mut url).unwrap();
    let redirect = query_param(url.trim(), "redirect_uri");
    let stop = Arc::new(AtomicBool::new(false));
    let dripper =
        drip(authority_of(&redirect), b"GET /callback?code=x".to_vec(), Duration::from_millis(200), stop.clone());
    let output = finish(child, Duration::from_secs(60));
    stop.store(true, Ordering::Relaxed);
    let _ = dripper.join();
    assert_eq!(code(&output), 1);
    assert!(text(&output.stderr).contains("no answer from the browser"), "{}", text(&output.stderr));
    assert_eq!(fake.count("token"), 0);
}

// --- publish --as images ---

/// A deck of three slides, the first with `notes:` (its alt text).
const IMAGES_DECK: &str = r#"title: "Cache it (twice)"
caption:
  text: "Three slides on caching"
  hashtags: [Performance]
slides:
  - kind: hook
    title: "Fast"
    notes: "A hook slide that says Fast."
  - kind: content
    title: "Why"
    body: "Because the index was missing."
  - kind: results
    title: "Done"
"#;

/// The routes of one successful `--as images` publish of [`IMAGES_DECK`], from nothing.
const IMAGES_ROUTES: [&str; 11] = [
    "userinfo",
    "image-init",
    "upload",
    "image-init",
    "upload",
    "image-init",
    "upload",
    "image-status",
    "image-status",
    "image-status",
    "post",
];

fn routes_since(fake: &Fake, before: usize) -> Vec<&'static str> {
    fake.requests()[before..].iter().map(Request::route).collect()
}

#[test]
fn images_are_uploaded_one_by_one_and_posted_as_a_multi_image_post() {
    let fake = Fake::start();
    let ws = Workspace::new(IMAGES_DECK);
    let output = ws.publish(&fake, &["--as", "images", "--yes"]);
    assert_eq!(code(&output), 0, "stderr: {}", text(&output.stderr));
    assert_eq!(text(&output.stdout), format!("{POST_URL}\n"));
    assert_no_token(&output);
    assert_eq!(fake.routes(), IMAGES_ROUTES);
    let requests = fake.requests();
    for request in requests.iter().filter(|r| r.target.starts_with("/rest/")) {
        assert_eq!(request.header("LinkedIn-Version"), Some(DEFAULT_VERSION), "{}", request.target);
        assert_eq!(request.header("X-Restli-Protocol-Version"), Some("2.0.0"));
        assert_eq!(request.header("Authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    }
    for init in requests.iter().filter(|r| r.route() == "image-init") {
        assert_eq!(init.json(), serde_json::json!({"initializeUploadRequest": {"owner": "urn:li:person:782bbtaQ"}}));
    }
    let uploads: Vec<&Request> = requests.iter().filter(|r| r.route() == "upload").collect();
    for (i, upload) in uploads.iter().enumerate() {
        assert_eq!(upload.target, format!("/upload/img-{}?sig=abc", i + 1));
        assert!(upload.body.starts_with(&[0xFF, 0xD8, 0xFF]), "image {} is not a JPEG", i + 1);
        let built = std::fs::read(ws.path().join(format!("out/day5.linkedin-images/part-1/{:02}.jpg", i + 1))).unwrap();
        assert_eq!(upload.body, built, "image {}", i + 1);
    }
    let statuses: Vec<&str> =
        requests.iter().filter(|r| r.route() == "image-status").map(|r| r.target.as_str()).collect();
    assert_eq!(statuses[0], "/rest/images/urn%3Ali%3Aimage%3AC4E10AQimg1");
    let post = requests.last().unwrap().json();
    assert_eq!(post["author"], "urn:li:person:782bbtaQ");
    assert_eq!(post["commentary"], "Three slides on caching\n\n#Performance");
    assert_eq!(post["visibility"], "PUBLIC");
    assert_eq!(post["distribution"]["feedDistribution"], "MAIN_FEED");
    assert_eq!(post["lifecycleState"], "PUBLISHED");
    assert_eq!(post["isReshareDisabledByAuthor"], false);
    assert!(post["content"].get("media").is_none(), "{post}");
    let images = post["content"]["multiImage"]["images"].as_array().expect("multiImage.images");
    assert_eq!(images.len(), 3, "{post}");
    for (i, image) in images.iter().enumerate() {
        assert_eq!(image["id"], image_urn(i + 1));
        assert!(!image["altText"].as_str().unwrap().trim().is_empty(), "{image}");
    }
    assert_eq!(images[0]["altText"], "A hook slide that says Fast.");
    assert!(images[1]["altText"].as_str().unwrap().contains("Why"), "{}", images[1]);
    let record = ws.record().expect("a publish record");
    assert_eq!(record["as"], "images");
    assert_eq!(record["post"], POST);
    assert_eq!(record["images"].as_array().unwrap().len(), 3);
    assert_eq!(record["images"][2]["urn"], image_urn(3));

    // A second publish refuses, as or not as images, and sends nothing.
    let before = fake.requests().len();
    for extra in [&["--as", "images", "--yes"][..], &["--yes"][..]] {
        let again = ws.publish(&fake, extra);
        assert_eq!(code(&again), 1);
        assert!(text(&again.stderr).contains("already published"), "stderr: {}", text(&again.stderr));
        assert_no_token(&again);
    }
    assert_eq!(fake.requests().len(), before);

    // `posts` lists it; `unpublish` deletes it by its URN.
    let posts = ws.run_token(&fake, &["posts"]);
    assert_eq!(code(&posts), 0, "stderr: {}", text(&posts.stderr));
    assert!(
        text(&posts.stdout).contains(POST_URL) && text(&posts.stdout).contains("(as images)"),
        "{}",
        text(&posts.stdout)
    );
    let deleted = ws.run_token(&fake, &["unpublish", "decks/day5.yaml", "--yes"]);
    assert_eq!(code(&deleted), 0, "stderr: {}", text(&deleted.stderr));
    assert_eq!(fake.requests().last().unwrap().target, POST_PATH);
}

#[test]
fn a_deck_of_one_slide_is_refused_as_images_before_anything_is_sent() {
    let fake = Fake::start();
    let ws = Workspace::new(&small_deck("One", ""));
    let output = ws.publish(&fake, &["--as", "images", "--yes"]);
    assert_eq!(code(&output), 1);
    let stderr = text(&output.stderr);
    assert!(stderr.contains("1 slide") && stderr.contains("2 to 20") && stderr.contains("document"), "{stderr}");
    assert!(fake.requests().is_empty(), "{:?}", fake.routes());
    assert!(ws.record().is_none());
    assert!(!ws.path().join("out/day5.pdf").exists(), "refused before building");
}

#[test]
fn a_failed_image_post_resumes_with_the_images_it_uploaded() {
    let fake = Fake::start();
    let ws = Workspace::new(IMAGES_DECK);
    // The second image's upload URL is refused: the first image is kept for the next run.
    fake.queue("upload", reply(201, &[], ""));
    fake.queue("upload", reply(400, &[], r#"{"message":"expired"}"#));
    let failed = ws.publish(&fake, &["--as", "images", "--yes"]);
    assert_eq!(code(&failed), 1);
    assert!(text(&failed.stderr).contains("HTTP 400"), "stderr: {}", text(&failed.stderr));
    assert_eq!(fake.count("post"), 0);
    let record = ws.record().expect("the first image is recorded");
    assert_eq!(record["as"], "images");
    assert_eq!(record["images"].as_array().unwrap().len(), 1, "{record}");
    assert_eq!(record["images"][0]["urn"], image_urn(1));

    // The next run reuses image 1 and uploads 2 and 3; then the post answers 500.
    let before = fake.requests().len();
    fake.queue("post", reply(500, &[], r#"{"message":"Internal Server Error","status":500}"#));
    let ambiguous = ws.publish(&fake, &["--as", "images", "--yes"]);
    assert_eq!(code(&ambiguous), 1);
    assert_eq!(
        routes_since(&fake, before),
        [
            "userinfo",
            "image-status",
            "image-init",
            "upload",
            "image-init",
            "upload",
            "image-status",
            "image-status",
            "image-status",
            "post"
        ]
    );
    let record = ws.record().unwrap();
    assert!(record.get("post_possibly_sent").is_some(), "{record}");
    assert_eq!(record["images"].as_array().unwrap().len(), 3, "{record}");

    // A 500 may hide a post: the next run refuses until --force, and sends nothing.
    let before = fake.requests().len();
    let refused = ws.publish(&fake, &["--as", "images", "--yes"]);
    assert_eq!(code(&refused), 1);
    assert!(text(&refused.stderr).contains("--force"), "stderr: {}", text(&refused.stderr));
    assert_eq!(fake.requests().len(), before);

    // With --force, the three uploaded images are posted: no new initializeUpload.
    let resumed = ws.publish(&fake, &["--as", "images", "--yes", "--force"]);
    assert_eq!(code(&resumed), 0, "stderr: {}", text(&resumed.stderr));
    assert_no_token(&resumed);
    assert_eq!(
        routes_since(&fake, before),
        [
            "userinfo",
            "image-status",
            "image-status",
            "image-status",
            "image-status",
            "image-status",
            "image-status",
            "post"
        ]
    );
    let post = fake.requests().last().unwrap().json();
    let ids: Vec<&str> =
        post["content"]["multiImage"]["images"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    // Image 2's first initializeUpload (whose upload failed) is not used again.
    assert_eq!(ids, [image_urn(1), image_urn(3), image_urn(4)]);
    assert_eq!(fake.count("image-init"), 4);
    assert_eq!(ws.record().unwrap()["post"], POST);
}

#[test]
fn a_dry_run_as_images_prints_every_image_request_and_sends_nothing() {
    let fake = Fake::start();
    let ws = Workspace::new(IMAGES_DECK);
    let output = ws.publish(&fake, &["--as", "images", "--dry-run"]);
    assert_eq!(code(&output), 0, "stderr: {}", text(&output.stderr));
    assert!(fake.requests().is_empty(), "a dry run sent {:?}", fake.routes());
    assert_no_token(&output);
    let stdout = text(&output.stdout);
    let init = format!("POST {}/rest/images?action=initializeUpload", fake.url());
    assert_eq!(stdout.matches(&init).count(), 3, "{stdout}");
    assert_eq!(stdout.matches("PUT {uploadUrl").count(), 3, "{stdout}");
    assert!(stdout.contains(&format!("POST {}/rest/posts", fake.url())), "{stdout}");
    assert!(stdout.contains("\"multiImage\"") && stdout.contains("A hook slide that says Fast."), "{stdout}");
    assert!(stdout.contains("Authorization: Bearer <redacted>"), "{stdout}");
    assert!(!stdout.contains("/rest/documents"), "{stdout}");
    assert!(ws.record().is_none());
}

#[test]
fn publish_due_as_images_posts_each_due_deck_as_images() {
    let fake = Fake::start();
    let ws =
        Workspace::new(&IMAGES_DECK.replace("slides:", &format!("publish_at: \"{}\"\nslides:", rfc3339(now() - 60))));
    let output = ws.run_token(&fake, &["publish", "--due", "decks/", "--as", "images", "--yes"]);
    assert_eq!(code(&output), 0, "stderr: {}", text(&output.stderr));
    assert_eq!(fake.routes(), IMAGES_ROUTES);
    let post = fake.requests().last().unwrap().json();
    assert_eq!(post["content"]["multiImage"]["images"].as_array().unwrap().len(), 3);
    assert_no_token(&output);
}
