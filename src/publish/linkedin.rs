//! The LinkedIn REST calls `publish` makes, over HTTPS (ureq with rustls).
//!
//! Owns the endpoints (`CAROUSEL_LINKEDIN_API`, `CAROUSEL_LINKEDIN_AUTH`), the headers LinkedIn
//! asks for (`LinkedIn-Version`, `X-Restli-Protocol-Version`), timeouts on every request, a size
//! limit on every response, retries of 5xx answers with a bounded backoff, and turning each
//! failure into a message that says what to do (401: log in again; 403: the app lacks a product
//! or scope; 429: when to try again). The token is sent in `Authorization` and appears nowhere
//! else: not in errors, not in dry-run output (see [`super::token::Token`]). It hands
//! [`super`] plain values: the member id, the document URN and upload URL, a document's status,
//! the post URN.

use std::time::Duration;

use serde_json::Value;
use ureq::http::{self, Method};

use super::token::Token;

/// The API version sent as `LinkedIn-Version` (YYYYMM). LinkedIn keeps a version for about a
/// year; move it forward when LinkedIn sunsets this one.
pub const LINKEDIN_VERSION: &str = "202609";

/// Rest.li protocol version, required by every `/rest` call.
pub const RESTLI_PROTOCOL_VERSION: &str = "2.0.0";

/// Default API host.
pub const DEFAULT_API: &str = "https://api.linkedin.com";

/// Default OAuth host.
pub const DEFAULT_AUTH: &str = "https://www.linkedin.com";

/// Largest JSON answer read from LinkedIn (real answers are a few kilobytes).
const MAX_JSON_BYTES: u64 = 1024 * 1024;

/// Time for one API request, start to end.
const API_TIMEOUT: Duration = Duration::from_secs(60);

/// Time to connect to a host.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// Time for the PDF upload (up to 100 MB), start to end.
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// Times a request is tried when LinkedIn answers 5xx (or cannot be reached, for requests that
/// are safe to repeat).
pub const MAX_TRIES: u32 = 4;

/// Longest wait between two tries, whatever `Retry-After` says.
const MAX_RETRY_WAIT: Duration = Duration::from_secs(60);

/// The hosts to talk to.
#[derive(Debug, Clone)]
pub struct Endpoints {
    /// Serves `/v2/userinfo`, `/rest/documents` and `/rest/posts`.
    pub api: String,
    /// Serves `/oauth/v2/authorization` and `/oauth/v2/accessToken`.
    pub auth: String,
}

impl Endpoints {
    /// The defaults, or `CAROUSEL_LINKEDIN_API` / `CAROUSEL_LINKEDIN_AUTH`.
    pub fn from_env() -> Self {
        let get = |name: &str, default: &str| {
            std::env::var(name)
                .ok()
                .map(|v| v.trim().trim_end_matches('/').to_string())
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| default.to_string())
        };
        Endpoints { api: get("CAROUSEL_LINKEDIN_API", DEFAULT_API), auth: get("CAROUSEL_LINKEDIN_AUTH", DEFAULT_AUTH) }
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters: for query values, form
/// bodies and URNs in paths.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// An agent with our limits: no redirects (a redirect would carry the request elsewhere), HTTP
/// errors returned as answers so that we can explain them, timeouts on everything.
fn agent(total: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(total))
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .user_agent(concat!("carousel/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// An answer, read whole (within `MAX_JSON_BYTES`).
#[derive(Debug)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// The `x-restli-id` header, if any.
    pub restli_id: Option<String>,
    /// The `Retry-After` header, if any.
    pub retry_after: Option<String>,
    /// The body as text.
    pub body: String,
    /// How many times the request was sent.
    pub tries: u32,
}

/// Whether a request may be sent again after a 5xx or a network error without doing twice what
/// it does: true for reads and uploads, false for creating the post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// Safe to send again.
    Safe,
    /// Creating it twice would post twice.
    Once,
}

/// Sends one request (with retries) and reads the answer. `what` names it in messages.
/// `auth` is the token for `Authorization`, `rest` adds LinkedIn's version headers.
#[allow(clippy::too_many_arguments)]
pub fn exchange(
    agent: &ureq::Agent,
    what: &str,
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
    auth: Option<&Token>,
    repeat: Repeat,
) -> Result<Reply, String> {
    let mut tries = 0;
    loop {
        tries += 1;
        let mut builder = http::Request::builder().method(method.clone()).uri(url);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        if let Some(token) = auth {
            builder = builder.header("Authorization", format!("Bearer {}", token.secret()));
        }
        let sent = match body {
            Some(bytes) => {
                builder.body(bytes).map_err(|e| format!("{what}: cannot build the request: {e}")).map(|r| agent.run(r))
            }
            None => {
                builder.body(()).map_err(|e| format!("{what}: cannot build the request: {e}")).map(|r| agent.run(r))
            }
        }?;
        let retry_wait = match sent {
            Ok(mut response) => {
                let header = |name: &str| {
                    response.headers().get(name).and_then(|v| v.to_str().ok()).map(|v| v.trim().to_string())
                };
                let restli_id = header("x-restli-id");
                let retry_after = header("retry-after");
                let status = response.status().as_u16();
                let body = response.body_mut().with_config().limit(MAX_JSON_BYTES).lossy_utf8(true).read_to_string();
                let body = match body {
                    Ok(body) => body,
                    Err(e) if status < 300 => {
                        return Err(redact(format!("{what}: cannot read LinkedIn's answer: {e}"), auth))
                    }
                    Err(_) => String::new(),
                };
                let reply = Reply { status, restli_id, retry_after, body, tries };
                if !(500..600).contains(&status) || repeat == Repeat::Once || tries >= MAX_TRIES {
                    return Ok(reply);
                }
                backoff(tries, reply.retry_after.as_deref())
            }
            Err(error) => {
                if repeat == Repeat::Once || tries >= MAX_TRIES {
                    return Err(redact(format!("{what}: cannot reach {}: {error}", origin(url)), auth));
                }
                backoff(tries, None)
            }
        };
        std::thread::sleep(retry_wait);
    }
}

/// How long to wait before try `tries + 1`: what `Retry-After` asks (in seconds), else 1 s, 2 s,
/// 4 s...; never more than a minute.
fn backoff(tries: u32, retry_after: Option<&str>) -> Duration {
    let asked = retry_after.and_then(|v| v.parse::<u64>().ok()).map(Duration::from_secs);
    asked.unwrap_or(Duration::from_secs(1 << (tries - 1).min(5))).min(MAX_RETRY_WAIT)
}

/// `scheme://host[:port]` of a URL, for messages and for deciding where the token may go.
pub fn origin(url: &str) -> &str {
    let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
    let end = url[after_scheme..].find(['/', '?', '#']).map(|i| i + after_scheme).unwrap_or(url.len());
    &url[..end]
}

/// Removes the token from a message (defence in depth: no message is built from it).
fn redact(message: String, auth: Option<&Token>) -> String {
    match auth {
        Some(token) if !token.secret().is_empty() => message.replace(token.secret(), "<redacted>"),
        _ => message,
    }
}

/// The message LinkedIn put in an error body (`{"message": ...}`), or the start of the body.
fn linkedin_says(body: &str) -> String {
    let message = serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| {
            v.get("message")
                .or_else(|| v.get("error_description"))
                .or_else(|| v.get("error"))
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .unwrap_or_else(|| body.trim().to_string());
    let short: String = message.chars().filter(|c| !c.is_control()).take(300).collect();
    if short.is_empty() {
        String::new()
    } else {
        format!(" LinkedIn said: {short}")
    }
}

/// Explains an answer that is not a success.
pub fn explain(what: &str, reply: &Reply) -> String {
    let says = linkedin_says(&reply.body);
    match reply.status {
        401 => format!(
            "{what}: LinkedIn refused the access token (HTTP 401): it has expired or was revoked. \
             Run `carousel login` (or set a fresh LINKEDIN_ACCESS_TOKEN).{says}"
        ),
        403 => format!(
            "{what}: LinkedIn refused (HTTP 403): the app or the token lacks a permission. In the LinkedIn \
             developer portal, give the app the products \"Share on LinkedIn\" and \"Sign In with LinkedIn \
             using OpenID Connect\", then run `carousel login` again to get the scopes openid, profile and \
             w_member_social.{says}"
        ),
        429 => {
            let when = match reply.retry_after.as_deref() {
                Some(v) if v.parse::<u64>().is_ok() => {
                    let secs: u64 = v.parse().unwrap_or(0);
                    if secs >= 120 {
                        format!("try again in {secs} seconds (about {} minutes)", secs.div_ceil(60))
                    } else {
                        format!("try again in {secs} seconds")
                    }
                }
                Some(v) if !v.is_empty() => format!("try again after {v}"),
                _ => "try again later (LinkedIn's daily limits reset at midnight UTC)".to_string(),
            };
            format!("{what}: LinkedIn's rate limit was reached (HTTP 429): {when}.{says}")
        }
        500..=599 => {
            let tries = if reply.tries > 1 { format!(" {} times", reply.tries) } else { String::new() };
            format!("{what}: LinkedIn failed (HTTP {}){tries}; try again later.{says}", reply.status)
        }
        status => format!("{what}: LinkedIn refused the request (HTTP {status}).{says}"),
    }
}

/// A LinkedIn API client for one token.
pub struct Client {
    api_agent: ureq::Agent,
    upload_agent: ureq::Agent,
    endpoints: Endpoints,
    token: Token,
}

/// What `initializeUpload` answers.
#[derive(Debug, Clone)]
pub struct Upload {
    /// Where to `PUT` the PDF.
    pub upload_url: String,
    /// The document URN, `urn:li:document:...`.
    pub document: String,
    /// When the upload URL expires, in milliseconds since the Unix epoch.
    pub expires_at_ms: Option<u64>,
}

/// The headers of every `/rest` call, besides `Authorization`.
pub fn rest_headers() -> [(&'static str, &'static str); 2] {
    [("LinkedIn-Version", LINKEDIN_VERSION), ("X-Restli-Protocol-Version", RESTLI_PROTOCOL_VERSION)]
}

/// The path of a document, with its URN encoded as Rest.li 2.0 asks.
pub fn document_path(urn: &str) -> String {
    format!("/rest/documents/{}", percent_encode(urn))
}

impl Client {
    /// A client for `endpoints`, sending `token`.
    pub fn new(endpoints: Endpoints, token: Token) -> Self {
        Client { api_agent: agent(API_TIMEOUT), upload_agent: agent(UPLOAD_TIMEOUT), endpoints, token }
    }

    fn json(
        &self,
        what: &str,
        method: Method,
        path: &str,
        body: Option<&Value>,
        repeat: Repeat,
    ) -> Result<Reply, String> {
        let url = format!("{}{path}", self.endpoints.api);
        let encoded = body.map(|b| b.to_string().into_bytes());
        let mut headers: Vec<(&str, &str)> = Vec::new();
        if path.starts_with("/rest/") {
            headers.extend(rest_headers());
        }
        if encoded.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        let reply =
            exchange(&self.api_agent, what, method, &url, &headers, encoded.as_deref(), Some(&self.token), repeat)?;
        if (200..300).contains(&reply.status) {
            Ok(reply)
        } else {
            Err(redact(explain(what, &reply), Some(&self.token)))
        }
    }

    fn parse(what: &str, reply: &Reply) -> Result<Value, String> {
        serde_json::from_str(&reply.body).map_err(|_| format!("{what}: LinkedIn's answer is not JSON"))
    }

    /// The member the token belongs to: OpenID `userinfo`'s `sub`.
    pub fn member_id(&self) -> Result<String, String> {
        let what = "who am I (GET /v2/userinfo)";
        let reply = self.json(what, Method::GET, "/v2/userinfo", None, Repeat::Safe)?;
        let value = Self::parse(what, &reply)?;
        match value.get("sub").and_then(Value::as_str) {
            Some(sub) if !sub.is_empty() => Ok(sub.to_string()),
            _ => Err(format!(
                "{what}: LinkedIn's answer has no member id (`sub`); the token needs the scopes openid and profile: run `carousel login`"
            )),
        }
    }

    /// Registers an upload of a document owned by `owner` (`urn:li:person:...`).
    pub fn initialize_upload(&self, owner: &str) -> Result<Upload, String> {
        let what = "starting the upload (POST /rest/documents?action=initializeUpload)";
        let body = serde_json::json!({ "initializeUploadRequest": { "owner": owner } });
        let reply =
            self.json(what, Method::POST, "/rest/documents?action=initializeUpload", Some(&body), Repeat::Safe)?;
        let value = Self::parse(what, &reply)?;
        let inner = value.get("value").unwrap_or(&value);
        let text = |key: &str| inner.get(key).and_then(Value::as_str).map(str::to_string);
        match (text("uploadUrl"), text("document")) {
            (Some(upload_url), Some(document)) => Ok(Upload {
                upload_url,
                document,
                expires_at_ms: inner.get("uploadUrlExpiresAt").and_then(Value::as_u64),
            }),
            _ => Err(format!("{what}: LinkedIn's answer lacks `uploadUrl` or `document`")),
        }
    }

    /// Whether the token may go to `url`: LinkedIn's own hosts (over HTTPS) and the API host.
    fn token_may_go_to(&self, url: &str) -> bool {
        let origin = origin(url);
        if origin == self.endpoints.api {
            return true;
        }
        let Some(host) = origin.strip_prefix("https://") else { return false };
        let host = host.split(':').next().unwrap_or(host);
        host == "linkedin.com" || host.ends_with(".linkedin.com")
    }

    /// Uploads the PDF to the URL `initializeUpload` gave.
    pub fn upload(&self, upload_url: &str, pdf: &[u8]) -> Result<(), String> {
        let what = "uploading the PDF (PUT to LinkedIn's upload URL)";
        let auth = self.token_may_go_to(upload_url).then_some(&self.token);
        let headers = [("Content-Type", "application/octet-stream")];
        let reply =
            exchange(&self.upload_agent, what, Method::PUT, upload_url, &headers, Some(pdf), auth, Repeat::Safe)?;
        match reply.status {
            200..=299 => Ok(()),
            400 | 403 | 404 | 410 => Err(format!(
                "{what}: LinkedIn refused the upload (HTTP {}): the upload URL has expired or is no longer valid. \
                 Run `carousel publish` again: it starts a fresh upload.{}",
                reply.status,
                linkedin_says(&reply.body)
            )),
            _ => Err(redact(explain(what, &reply), Some(&self.token))),
        }
    }

    /// A document's processing status: `WAITING_UPLOAD`, `PROCESSING`, `AVAILABLE` or
    /// `PROCESSING_FAILED`. `Ok(None)` when LinkedIn does not know the document (404).
    pub fn document_status(&self, urn: &str) -> Result<Option<String>, String> {
        let what = "checking the document (GET /rest/documents/{urn})";
        let url = format!("{}{}", self.endpoints.api, document_path(urn));
        let headers = rest_headers();
        let reply =
            exchange(&self.api_agent, what, Method::GET, &url, &headers, None, Some(&self.token), Repeat::Safe)?;
        if reply.status == 404 {
            return Ok(None);
        }
        if !(200..300).contains(&reply.status) {
            return Err(redact(explain(what, &reply), Some(&self.token)));
        }
        let value = Self::parse(what, &reply)?;
        match value.get("status").and_then(Value::as_str) {
            Some(status) => Ok(Some(status.to_string())),
            None => Err(format!("{what}: LinkedIn's answer has no `status`")),
        }
    }

    /// Creates the post; returns its URN (the `x-restli-id` header). Never repeated by itself:
    /// a 5xx might mean the post exists.
    pub fn create_post(&self, body: &Value) -> Result<String, String> {
        let what = "creating the post (POST /rest/posts)";
        let reply = match self.json(what, Method::POST, "/rest/posts", Some(body), Repeat::Once) {
            Ok(reply) => reply,
            Err(message) if message.contains("(HTTP 5") => {
                return Err(format!(
                    "{message} The post may or may not have been created: look at your LinkedIn profile before \
                     running `carousel publish` again (it reuses the upload)."
                ))
            }
            Err(message) => return Err(message),
        };
        let from_body = || {
            serde_json::from_str::<Value>(&reply.body)
                .ok()
                .and_then(|v| v.get("id").and_then(Value::as_str).map(str::to_string))
        };
        match reply.restli_id.clone().filter(|id| !id.is_empty()).or_else(from_body) {
            Some(urn) => Ok(urn),
            None => Err(format!(
                "{what}: LinkedIn answered HTTP {} without the post's id (x-restli-id); the post was probably created: look at your profile",
                reply.status
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urns_are_encoded_in_paths() {
        assert_eq!(document_path("urn:li:document:D5610AQ"), "/rest/documents/urn%3Ali%3Adocument%3AD5610AQ");
    }

    #[test]
    fn origin_is_scheme_host_and_port() {
        assert_eq!(origin("https://www.linkedin.com/dms-uploads/x?y=1"), "https://www.linkedin.com");
        assert_eq!(origin("http://127.0.0.1:9/upload"), "http://127.0.0.1:9");
    }

    #[test]
    fn the_token_goes_only_to_linkedin() {
        let client = Client::new(
            Endpoints { api: "https://api.linkedin.com".into(), auth: DEFAULT_AUTH.into() },
            Token::new("t".into()),
        );
        assert!(client.token_may_go_to("https://www.linkedin.com/dms-uploads/abc"));
        assert!(client.token_may_go_to("https://api.linkedin.com/x"));
        assert!(!client.token_may_go_to("http://www.linkedin.com/dms-uploads/abc"));
        assert!(!client.token_may_go_to("https://evil-linkedin.com/x"));
        assert!(!client.token_may_go_to("https://www.linkedin.com.evil.org/x"));
    }

    #[test]
    fn retry_after_bounds_the_wait() {
        assert_eq!(backoff(1, Some("0")), Duration::ZERO);
        assert_eq!(backoff(1, None), Duration::from_secs(1));
        assert_eq!(backoff(3, None), Duration::from_secs(4));
        assert_eq!(backoff(1, Some("86400")), MAX_RETRY_WAIT);
    }

    #[test]
    fn a_429_says_when_to_try_again() {
        let reply =
            Reply { status: 429, restli_id: None, retry_after: Some("3600".into()), body: String::new(), tries: 1 };
        assert!(explain("x", &reply).contains("try again in 3600 seconds (about 60 minutes)"));
    }
}
