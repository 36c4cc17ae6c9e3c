//! The LinkedIn REST calls the publishing commands make, over HTTPS (ureq with rustls).
//!
//! Owns the endpoints (`CAROUSEL_LINKEDIN_API`, `CAROUSEL_LINKEDIN_AUTH`, checked as parsed URLs:
//! HTTPS, or plain HTTP to this machine only), the API version (`LinkedIn-Version`: a default
//! chosen from LinkedIn's documented versions, `LINKEDIN_API_VERSION` or `--linkedin-version`
//! over it), the headers LinkedIn asks for, timeouts on every request, a size limit on every
//! response, retries of 5xx answers with a bounded backoff, and turning each failure into a
//! message that says what to do (401: log in again; 403: the app lacks a product or scope, or the
//! document is another member's; 426: the version is no longer served, and how to set another;
//! 422: a duplicate post; 429: when to try again). The token is sent in `Authorization`, and only
//! to LinkedIn's own hosts over HTTPS or to the API host itself, decided on the parsed URL (user
//! info, other ports, IP literals and `http` never get it). It hands [`super`] plain values: the
//! member, the document or image URN and upload URL, a document's or an image's status, the post and comment URNs, and
//! for post creation whether a failed answer may still have made the post.

use std::time::Duration;

use serde_json::Value;
use ureq::http::{self, Method, Uri};

use super::safe;
use super::token::Token;

/// The `LinkedIn-Version` sent when neither `--linkedin-version` nor `LINKEDIN_API_VERSION` says
/// otherwise. LinkedIn serves a version for at least a year after its release and skips months
/// (there was no 202512), so this is one that LinkedIn's documentation lists (the Documents and
/// Posts API pages exist for it), a few months old when chosen; move it forward from
/// <https://learn.microsoft.com/en-us/linkedin/marketing/versioning> before it is sunset.
pub const DEFAULT_VERSION: &str = "202608";

/// Where LinkedIn lists the versions it serves.
pub const VERSIONS_URL: &str = "https://learn.microsoft.com/en-us/linkedin/marketing/versioning";

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

// --- the API version ---

/// Where the version in use came from, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionSource {
    /// [`DEFAULT_VERSION`].
    Default,
    /// `LINKEDIN_API_VERSION`.
    Env,
    /// `--linkedin-version`.
    Flag,
}

/// The `LinkedIn-Version` to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiVersion {
    /// `YYYYMM` (or `YYYYMM.NN`, a patch release).
    pub value: String,
    /// Where it came from.
    pub source: VersionSource,
}

/// Checks a version as LinkedIn writes them: `YYYYMM`, a month from June 2022 (the first
/// versioned release) on, optionally with a patch `.NN`.
pub fn check_version(text: &str) -> Result<String, String> {
    let text = text.trim();
    let (month_part, patch) = match text.split_once('.') {
        Some((m, p)) => (m, Some(p)),
        None => (text, None),
    };
    let valid_patch = patch.is_none_or(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()));
    let valid = month_part.len() == 6
        && month_part.bytes().all(|b| b.is_ascii_digit())
        && valid_patch
        && month_part[..4].parse::<u32>().is_ok_and(|y| (2022..=2099).contains(&y))
        && month_part[4..].parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
        && month_part >= "202206";
    if valid {
        Ok(text.to_string())
    } else {
        Err(format!(
            "`{}` is not a LinkedIn API version: write it as YYYYMM, e.g. {DEFAULT_VERSION} (versions LinkedIn serves: {VERSIONS_URL})",
            safe::clean_line(text)
        ))
    }
}

impl ApiVersion {
    /// `--linkedin-version` if given, else `LINKEDIN_API_VERSION`, else [`DEFAULT_VERSION`].
    pub fn resolve(flag: Option<&str>) -> Result<ApiVersion, String> {
        if let Some(flag) = flag {
            return Ok(ApiVersion { value: check_version(flag)?, source: VersionSource::Flag });
        }
        match std::env::var("LINKEDIN_API_VERSION").ok().filter(|v| !v.trim().is_empty()) {
            Some(env) => Ok(ApiVersion {
                value: check_version(&env).map_err(|e| format!("LINKEDIN_API_VERSION: {e}"))?,
                source: VersionSource::Env,
            }),
            None => Ok(ApiVersion { value: DEFAULT_VERSION.to_string(), source: VersionSource::Default }),
        }
    }

    /// How the version was chosen, for messages: "202608 (carousel's default)".
    pub fn described(&self) -> String {
        let from = match self.source {
            VersionSource::Default => "carousel's default",
            VersionSource::Env => "from LINKEDIN_API_VERSION",
            VersionSource::Flag => "from --linkedin-version",
        };
        format!("{} ({from})", self.value)
    }
}

// --- endpoints, as parsed URLs ---

/// The scheme, host and port of a URL, parsed as the HTTP client parses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// `https` or `http`, lower case.
    pub scheme: String,
    /// The host, lower case, without a trailing dot; an IPv6 literal keeps its brackets.
    pub host: String,
    /// The port, the scheme's default when none is written.
    pub port: u16,
    /// Whether the URL has user info (`user@`, `user:pass@`) before the host.
    pub userinfo: bool,
}

impl Origin {
    /// Parses `url`; `None` when it is not an absolute http(s) URL.
    pub fn parse(url: &str) -> Option<Origin> {
        let uri: Uri = url.trim().parse().ok()?;
        let scheme = uri.scheme_str()?.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "https" => 443,
            "http" => 80,
            _ => return None,
        };
        let authority = uri.authority()?;
        let host = authority.host().trim_end_matches('.').to_ascii_lowercase();
        if host.is_empty() {
            return None;
        }
        Some(Origin {
            scheme,
            host,
            port: authority.port_u16().unwrap_or(default_port),
            userinfo: authority.as_str().contains('@'),
        })
    }

    /// Whether the host is an IP address rather than a name.
    pub fn is_ip_literal(&self) -> bool {
        self.host.starts_with('[') || self.host.parse::<std::net::Ipv4Addr>().is_ok()
    }

    /// Whether the host is this machine: `localhost`, 127.0.0.0/8 or `[::1]`.
    pub fn is_loopback(&self) -> bool {
        if self.host == "localhost" {
            return true;
        }
        let bare = self.host.trim_start_matches('[').trim_end_matches(']');
        bare.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
    }

    /// Whether this is one of LinkedIn's own hosts over HTTPS on the standard port.
    pub fn is_linkedin(&self) -> bool {
        self.scheme == "https"
            && self.port == 443
            && !self.userinfo
            && !self.is_ip_literal()
            && (self.host == "linkedin.com" || self.host.ends_with(".linkedin.com"))
    }

    /// `scheme://host:port`, for messages.
    pub fn show(&self) -> String {
        format!("{}://{}:{}", self.scheme, self.host, self.port)
    }
}

/// The hosts to talk to.
#[derive(Debug, Clone)]
pub struct Endpoints {
    /// Serves `/v2/userinfo`, `/rest/documents`, `/rest/images`, `/rest/posts` and `/rest/socialActions`.
    pub api: String,
    /// Serves `/oauth/v2/authorization`, `/oauth/v2/accessToken`, `/oauth/v2/introspectToken`
    /// and `/oauth/v2/revoke`.
    pub auth: String,
}

/// Checks an endpoint: an absolute HTTPS URL without user info, query or fragment; plain HTTP
/// only to this machine (a test server), with a note.
fn check_endpoint(name: &str, value: &str) -> Result<String, String> {
    let value = value.trim().trim_end_matches('/');
    let shown = safe::clean_line(value);
    let origin = Origin::parse(value)
        .ok_or_else(|| format!("{name}=`{shown}` is not an http(s) URL like {DEFAULT_API}; nothing was sent"))?;
    if origin.userinfo {
        return Err(format!(
            "{name}=`{shown}` has user info before its host (`…@`): that would send requests, and the token, to \
             another host than it seems to name; nothing was sent"
        ));
    }
    if value.contains(['?', '#']) {
        return Err(format!("{name}=`{shown}` has a query or fragment; give only scheme, host and port"));
    }
    if origin.scheme == "http" {
        if !origin.is_loopback() {
            return Err(format!(
                "{name}=`{shown}` is plain http to another machine: the token would cross the network \
                 unencrypted. Use https (plain http is only for a test server on 127.0.0.1); nothing was sent"
            ));
        }
        eprintln!("note: {name} is {shown}, plain http on this machine (a test server, not LinkedIn)");
    }
    Ok(value.to_string())
}

impl Endpoints {
    /// The defaults, or `CAROUSEL_LINKEDIN_API` / `CAROUSEL_LINKEDIN_AUTH`, each checked.
    pub fn from_env() -> Result<Self, String> {
        let get = |name: &str, default: &str| -> Result<String, String> {
            match std::env::var(name).ok().filter(|v| !v.trim().is_empty()) {
                Some(value) => check_endpoint(name, &value),
                None => Ok(default.to_string()),
            }
        };
        Ok(Endpoints {
            api: get("CAROUSEL_LINKEDIN_API", DEFAULT_API)?,
            auth: get("CAROUSEL_LINKEDIN_AUTH", DEFAULT_AUTH)?,
        })
    }

    /// Whether the token may go to `url`: LinkedIn's own hosts over HTTPS on port 443, or the
    /// exact origin of the API endpoint (scheme, host and port), never a URL with user info. When
    /// the API endpoint is a test server on this machine, other ports of this machine may have
    /// it too (a stand-in's upload server): that server named them, and it has the token already.
    pub fn token_may_go_to(&self, url: &str) -> bool {
        let Some(target) = Origin::parse(url) else { return false };
        if target.userinfo {
            return false;
        }
        if target.is_linkedin() {
            return true;
        }
        let Some(api) = Origin::parse(&self.api).filter(|api| !api.userinfo) else { return false };
        api == target || (api.is_loopback() && target.is_loopback())
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
pub fn agent(total: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(total))
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .user_agent(concat!("carousel/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// An agent for one short call (the OAuth endpoints).
pub fn short_agent() -> ureq::Agent {
    agent(API_TIMEOUT)
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
    /// The `LinkedIn-Version` the request carried, if any.
    pub version: Option<String>,
}

/// A request that got no answer.
#[derive(Debug)]
pub struct NetError {
    /// What happened, for the user.
    pub message: String,
    /// Whether the request may have reached the server (a timeout or a cut after it was sent),
    /// as opposed to a connection that never opened.
    pub maybe_sent: bool,
}

impl From<NetError> for String {
    fn from(error: NetError) -> String {
        error.message
    }
}

/// Whether a request may be sent again after a 5xx or a network error without doing twice what
/// it does: true for reads and uploads, false for creating the post or a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// Safe to send again.
    Safe,
    /// Doing it twice would post twice.
    Once,
}

/// Whether a failed request never left this machine: the host could not be resolved or the
/// connection was refused, so the server cannot have acted on it.
fn never_sent(error: &ureq::Error) -> bool {
    match error {
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed | ureq::Error::BadUri(_) => true,
        ureq::Error::Timeout(ureq::Timeout::Connect | ureq::Timeout::Resolve) => true,
        ureq::Error::Io(e) => matches!(e.kind(), std::io::ErrorKind::ConnectionRefused),
        _ => false,
    }
}

/// Sends one request (with retries) and reads the answer. `what` names it in messages.
/// `auth` is the token for `Authorization`.
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
) -> Result<Reply, NetError> {
    let version =
        headers.iter().find(|(name, _)| name.eq_ignore_ascii_case("LinkedIn-Version")).map(|(_, v)| v.to_string());
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
        let unbuilt =
            |e: http::Error| NetError { message: format!("{what}: cannot build the request: {e}"), maybe_sent: false };
        let sent = match body {
            Some(bytes) => builder.body(bytes).map_err(unbuilt).map(|r| agent.run(r)),
            None => builder.body(()).map_err(unbuilt).map(|r| agent.run(r)),
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
                        return Err(NetError {
                            message: safe::clean(&format!(
                                "{what}: cannot read LinkedIn's answer (HTTP {status}): {e}"
                            )),
                            maybe_sent: true,
                        })
                    }
                    Err(_) => String::new(),
                };
                let reply = Reply { status, restli_id, retry_after, body, tries, version: version.clone() };
                if !(500..600).contains(&status) || repeat == Repeat::Once || tries >= MAX_TRIES {
                    return Ok(reply);
                }
                backoff(tries, reply.retry_after.as_deref())
            }
            Err(error) => {
                let maybe_sent = !never_sent(&error);
                if repeat == Repeat::Once || tries >= MAX_TRIES {
                    let host = Origin::parse(url).map(|o| o.show()).unwrap_or_else(|| "the server".into());
                    return Err(NetError {
                        message: safe::clean(&format!("{what}: no answer from {host}: {error}")),
                        maybe_sent,
                    });
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

/// The message LinkedIn put in an error body (`{"message": ...}`), or the start of the body,
/// stripped of control characters.
pub fn linkedin_says(body: &str) -> String {
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
    let short: String = safe::clean_line(&message).chars().take(300).collect();
    if short.trim().is_empty() {
        String::new()
    } else {
        format!(" LinkedIn said: {}", short.trim())
    }
}

/// The `code` or `serviceErrorCode`-style token of an error body, if any (`DUPLICATE_POST`,
/// `NONEXISTENT_VERSION`).
fn error_code(body: &str) -> Option<String> {
    let value = serde_json::from_str::<Value>(body).ok()?;
    let code = value.get("code").and_then(Value::as_str)?;
    let code = safe::clean_line(code);
    (code.len() <= 60 && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')).then_some(code)
}

/// Explains an answer that is not a success.
pub fn explain(what: &str, reply: &Reply) -> String {
    let says = linkedin_says(&reply.body);
    let code = error_code(&reply.body);
    let body_lower = reply.body.to_ascii_lowercase();
    match reply.status {
        401 => format!(
            "{what}: LinkedIn refused the access token (HTTP 401): it has expired or was revoked. \
             Run `carousel login` (or set a fresh LINKEDIN_ACCESS_TOKEN).{says}"
        ),
        403 if body_lower.contains("owner") => format!(
            "{what}: LinkedIn refused (HTTP 403): the uploaded document or image belongs to another member than \
             the one this token is for (was it uploaded while logged in as someone else?).{says}"
        ),
        403 => format!(
            "{what}: LinkedIn refused (HTTP 403): the app or the token lacks a permission. In the LinkedIn \
             developer portal, give the app the products \"Share on LinkedIn\" and \"Sign In with LinkedIn \
             using OpenID Connect\", then run `carousel login` again to get the scopes openid, profile and \
             w_member_social.{says}"
        ),
        426 => {
            let version = reply.version.as_deref().unwrap_or("(none)");
            format!(
                "{what}: LinkedIn no longer serves API version {version} (HTTP 426{}): LinkedIn keeps a version \
                 for about a year. Set a version LinkedIn lists as active ({VERSIONS_URL}), e.g. \
                 `LINKEDIN_API_VERSION=YYYYMM carousel publish ...` or `--linkedin-version YYYYMM`; or update \
                 carousel.{says}",
                code.map(|c| format!(" {c}")).unwrap_or_default()
            )
        }
        422 if code.as_deref() == Some("DUPLICATE_POST") || body_lower.contains("duplicate") => format!(
            "{what}: LinkedIn refused the post as a duplicate of one you already made (HTTP 422 DUPLICATE_POST): \
             it does not take the same text twice. Nothing was posted; change the caption's text before \
             publishing again.{says}"
        ),
        400 if body_lower.contains("exceeded the maximum") || body_lower.contains("text length") => format!(
            "{what}: LinkedIn refused the text as too long (HTTP 400): shorten `caption.text` (or the first \
             comment). Nothing was posted.{says}"
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
                Some(v) if !v.is_empty() => format!("try again after {}", safe::clean_line(v)),
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

/// Why creating something (a post, a comment) failed.
#[derive(Debug)]
pub enum CreateError {
    /// LinkedIn said no: nothing was created.
    Refused(String),
    /// The answer does not tell: it may have been created (a 5xx, a timeout, a cut connection, a
    /// success without an id).
    Ambiguous(String),
}

impl CreateError {
    /// The message.
    pub fn message(&self) -> &str {
        match self {
            CreateError::Refused(m) | CreateError::Ambiguous(m) => m,
        }
    }
}

/// Who the token belongs to (OpenID `userinfo`).
#[derive(Debug, Clone)]
pub struct Member {
    /// `sub`: the member id of `urn:li:person:{sub}`.
    pub sub: String,
    /// Display name, if the token has `profile`.
    pub name: Option<String>,
    /// E-mail, if the token has `email`.
    pub email: Option<String>,
}

impl Member {
    /// `urn:li:person:{sub}`.
    pub fn urn(&self) -> String {
        format!("urn:li:person:{}", self.sub)
    }
}

/// A LinkedIn API client for one token.
pub struct Client {
    api_agent: ureq::Agent,
    upload_agent: ureq::Agent,
    endpoints: Endpoints,
    token: Token,
    version: String,
}

/// What `initializeUpload` answers (for a document or an image).
#[derive(Debug, Clone)]
pub struct Upload {
    /// Where to `PUT` the bytes.
    pub upload_url: String,
    /// The document or image URN, `urn:li:document:...` or `urn:li:image:...`.
    pub urn: String,
    /// When the upload URL expires, in milliseconds since the Unix epoch.
    pub expires_at_ms: Option<u64>,
}

/// The headers of every `/rest` call, besides `Authorization`.
pub fn rest_headers(version: &str) -> [(&'static str, &str); 2] {
    [("LinkedIn-Version", version), ("X-Restli-Protocol-Version", RESTLI_PROTOCOL_VERSION)]
}

/// The path of a document, with its URN encoded as Rest.li 2.0 asks.
pub fn document_path(urn: &str) -> String {
    format!("/rest/documents/{}", percent_encode(urn))
}

/// The path of an image, with its URN encoded as Rest.li 2.0 asks.
pub fn image_path(urn: &str) -> String {
    format!("/rest/images/{}", percent_encode(urn))
}

/// The path of a post, with its URN encoded.
pub fn post_path(urn: &str) -> String {
    format!("/rest/posts/{}", percent_encode(urn))
}

/// The path of a post's comments.
pub fn comments_path(urn: &str) -> String {
    format!("/rest/socialActions/{}/comments", percent_encode(urn))
}

/// What deleting a post found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deleted {
    /// LinkedIn deleted it.
    Now,
    /// LinkedIn did not know it (404): deleted before, here or on the site.
    AlreadyGone,
}

impl Client {
    /// A client for `endpoints`, sending `token` and `version`.
    pub fn new(endpoints: Endpoints, token: Token, version: &ApiVersion) -> Self {
        Client {
            api_agent: agent(API_TIMEOUT),
            upload_agent: agent(UPLOAD_TIMEOUT),
            endpoints,
            token,
            version: version.value.clone(),
        }
    }

    fn send(
        &self,
        what: &str,
        method: Method,
        path: &str,
        body: Option<&Value>,
        extra: &[(&str, &str)],
        repeat: Repeat,
    ) -> Result<Reply, NetError> {
        let url = format!("{}{path}", self.endpoints.api);
        let encoded = body.map(|b| b.to_string().into_bytes());
        let mut headers: Vec<(&str, &str)> = Vec::new();
        if path.starts_with("/rest/") {
            headers.extend(rest_headers(&self.version));
        }
        if encoded.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        headers.extend_from_slice(extra);
        exchange(&self.api_agent, what, method, &url, &headers, encoded.as_deref(), Some(&self.token), repeat)
    }

    fn json(&self, what: &str, method: Method, path: &str, body: Option<&Value>) -> Result<Reply, String> {
        let reply = self.send(what, method, path, body, &[], Repeat::Safe)?;
        if (200..300).contains(&reply.status) {
            Ok(reply)
        } else {
            Err(explain(what, &reply))
        }
    }

    fn parse(what: &str, reply: &Reply) -> Result<Value, String> {
        serde_json::from_str(&reply.body).map_err(|_| format!("{what}: LinkedIn's answer is not JSON"))
    }

    /// The member the token belongs to: OpenID `userinfo`.
    pub fn member(&self) -> Result<Member, String> {
        let what = "who am I (GET /v2/userinfo)";
        let reply = self.json(what, Method::GET, "/v2/userinfo", None)?;
        let value = Self::parse(what, &reply)?;
        let text = |key: &str| value.get(key).and_then(Value::as_str).map(safe::clean_line).filter(|s| !s.is_empty());
        match value.get("sub").and_then(Value::as_str) {
            Some(sub) if !sub.is_empty() && sub.len() <= 100 && sub.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') => {
                Ok(Member { sub: sub.to_string(), name: text("name"), email: text("email") })
            }
            Some(_) => Err(format!("{what}: LinkedIn's answer has a member id (`sub`) that is not an id")),
            None => Err(format!(
                "{what}: LinkedIn's answer has no member id (`sub`); the token needs the scopes openid and profile: run `carousel login`"
            )),
        }
    }

    /// Registers an upload of a document owned by `owner` (`urn:li:person:...`).
    pub fn initialize_upload(&self, owner: &str) -> Result<Upload, String> {
        self.initialize(
            "starting the upload (POST /rest/documents?action=initializeUpload)",
            "/rest/documents?action=initializeUpload",
            "document",
            owner,
        )
    }

    /// Registers an upload of an image owned by `owner` (`urn:li:person:...`): the Images API's
    /// `initializeUpload`, whose answer names the image (`urn:li:image:...`).
    pub fn initialize_image_upload(&self, owner: &str) -> Result<Upload, String> {
        self.initialize(
            "starting an image upload (POST /rest/images?action=initializeUpload)",
            "/rest/images?action=initializeUpload",
            "image",
            owner,
        )
    }

    /// `initializeUpload` on `path`; `key` names the URN's field in the answer.
    fn initialize(&self, what: &str, path: &str, key: &str, owner: &str) -> Result<Upload, String> {
        let body = serde_json::json!({ "initializeUploadRequest": { "owner": owner } });
        let reply = self.json(what, Method::POST, path, Some(&body))?;
        let value = Self::parse(what, &reply)?;
        let inner = value.get("value").unwrap_or(&value);
        let text = |key: &str| inner.get(key).and_then(Value::as_str).map(str::to_string);
        match (text("uploadUrl"), text(key)) {
            (Some(upload_url), Some(_)) if Origin::parse(&upload_url).is_some_and(|o| o.userinfo) => Err(format!(
                "{what}: LinkedIn's `uploadUrl` has user info before its host (`…@`), so it goes to another host \
                 than it seems to name; nothing was uploaded"
            )),
            (Some(upload_url), Some(urn)) if safe::is_urn(&urn) && Origin::parse(&upload_url).is_some() => {
                Ok(Upload { upload_url, urn, expires_at_ms: inner.get("uploadUrlExpiresAt").and_then(Value::as_u64) })
            }
            (Some(_), Some(_)) => {
                Err(format!("{what}: LinkedIn's answer has an `uploadUrl` or `{key}` that is not one"))
            }
            _ => Err(format!("{what}: LinkedIn's answer lacks `uploadUrl` or `{key}`")),
        }
    }

    /// Whether the token may go to `url` (see [`Endpoints::token_may_go_to`]).
    pub fn token_may_go_to(&self, url: &str) -> bool {
        self.endpoints.token_may_go_to(url)
    }

    /// Uploads the PDF to the URL `initializeUpload` gave.
    pub fn upload(&self, upload_url: &str, pdf: &[u8]) -> Result<(), String> {
        self.upload_bytes("uploading the PDF (PUT to LinkedIn's upload URL)", "the PDF", upload_url, pdf)
    }

    /// Uploads bytes (`file` names them in messages) to an upload URL `initializeUpload` gave;
    /// the token goes with them only where [`Endpoints::token_may_go_to`] allows.
    pub fn upload_bytes(&self, what: &str, file: &str, upload_url: &str, bytes: &[u8]) -> Result<(), String> {
        let auth = self.token_may_go_to(upload_url).then_some(&self.token);
        if auth.is_none() {
            let host = Origin::parse(upload_url).map(|o| o.show()).unwrap_or_default();
            eprintln!(
                "{}",
                safe::clean(&format!(
                    "note: the upload URL is not on a LinkedIn host over HTTPS ({host}); {file} goes there without the token"
                ))
            );
        }
        let headers = [("Content-Type", "application/octet-stream")];
        let reply =
            exchange(&self.upload_agent, what, Method::PUT, upload_url, &headers, Some(bytes), auth, Repeat::Safe)?;
        match reply.status {
            200..=299 => Ok(()),
            400 | 403 | 404 | 410 => Err(format!(
                "{what}: LinkedIn refused the upload (HTTP {}): the upload URL has expired or is no longer valid. \
                 Run `carousel publish` again: it starts a fresh upload.{}",
                reply.status,
                linkedin_says(&reply.body)
            )),
            _ => Err(explain(what, &reply)),
        }
    }

    /// A document's processing status: `WAITING_UPLOAD`, `PROCESSING`, `AVAILABLE` or
    /// `PROCESSING_FAILED`. `Ok(None)` when LinkedIn does not know the document (404) or will
    /// not show it to this member (403: another member's upload).
    pub fn document_status(&self, urn: &str) -> Result<Option<String>, String> {
        self.status("checking the document (GET /rest/documents/{urn})", &document_path(urn))
    }

    /// An image's status, as [`Client::document_status`] for a document (`GET /rest/images/{urn}`).
    pub fn image_status(&self, urn: &str) -> Result<Option<String>, String> {
        self.status("checking an image (GET /rest/images/{urn})", &image_path(urn))
    }

    fn status(&self, what: &str, path: &str) -> Result<Option<String>, String> {
        let reply = self.send(what, Method::GET, path, None, &[], Repeat::Safe)?;
        if matches!(reply.status, 403 | 404) {
            return Ok(None);
        }
        if !(200..300).contains(&reply.status) {
            return Err(explain(what, &reply));
        }
        let value = Self::parse(what, &reply)?;
        match value.get("status").and_then(Value::as_str) {
            Some(status) => Ok(Some(safe::clean_line(status))),
            None => Err(format!("{what}: LinkedIn's answer has no `status`")),
        }
    }

    /// The URN of a created entity: the `x-restli-id` header, else the body's `id` or `$URN`.
    fn created_urn(reply: &Reply, keys: &[&str]) -> Option<String> {
        let from_body = || {
            let value = serde_json::from_str::<Value>(&reply.body).ok()?;
            keys.iter().find_map(|k| value.get(*k).and_then(Value::as_str).map(str::to_string))
        };
        reply.restli_id.clone().filter(|id| !id.is_empty()).or_else(from_body)
    }

    fn create(&self, what: &str, path: &str, body: &Value) -> Result<Reply, CreateError> {
        let reply = match self.send(what, Method::POST, path, Some(body), &[], Repeat::Once) {
            Ok(reply) => reply,
            Err(error) if error.maybe_sent => return Err(CreateError::Ambiguous(error.message)),
            Err(error) => return Err(CreateError::Refused(error.message)),
        };
        if (500..600).contains(&reply.status) {
            return Err(CreateError::Ambiguous(explain(what, &reply)));
        }
        if !(200..300).contains(&reply.status) {
            return Err(CreateError::Refused(explain(what, &reply)));
        }
        Ok(reply)
    }

    /// Creates the post; returns its URN. Never repeated by itself: a 5xx or a timeout might
    /// mean the post exists, and says so ([`CreateError::Ambiguous`]), as does a success
    /// without a URN (nothing to record, to print or to delete later).
    pub fn create_post(&self, body: &Value) -> Result<String, CreateError> {
        let what = "creating the post (POST /rest/posts)";
        let reply = self.create(what, "/rest/posts", body)?;
        match Self::created_urn(&reply, &["id"]) {
            Some(urn) if safe::is_urn(&urn) => Ok(urn),
            Some(_) => Err(CreateError::Ambiguous(format!(
                "{what}: LinkedIn answered HTTP {} with an id that is not a URN",
                reply.status
            ))),
            None => Err(CreateError::Ambiguous(format!(
                "{what}: LinkedIn answered HTTP {} without the new post's id (no x-restli-id)",
                reply.status
            ))),
        }
    }

    /// Comments on `post` as `actor`: `POST /rest/socialActions/{post}/comments` with `actor`,
    /// `object` and `message.text`. Returns the comment's URN when LinkedIn gives one (as a URN
    /// in `x-restli-id`, `commentUrn` or `$URN`, or as a bare id, made into
    /// `urn:li:comment:({post},{id})`); a success without any is still a success.
    pub fn create_comment(&self, post: &str, actor: &str, text: &str) -> Result<Option<String>, CreateError> {
        let body = comment_body(post, actor, text);
        let reply = self.create(
            "posting the first comment (POST /rest/socialActions/{post}/comments)",
            &comments_path(post),
            &body,
        )?;
        let value = serde_json::from_str::<Value>(&reply.body).ok();
        let field = |key: &str| value.as_ref().and_then(|v| v.get(key)).and_then(Value::as_str).map(str::to_string);
        let candidates = [reply.restli_id.clone(), field("commentUrn"), field("$URN"), field("id")];
        if let Some(urn) = candidates.iter().flatten().find(|c| safe::is_urn(c)) {
            return Ok(Some(urn.clone()));
        }
        let bare = candidates.iter().flatten().find(|c| {
            !c.is_empty() && c.len() <= 64 && c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        });
        Ok(bare.map(|id| format!("urn:li:comment:({post},{id})")).filter(|urn| safe::is_urn(urn)))
    }

    /// Deletes a post: `DELETE /rest/posts/{urn}` with `X-RestLi-Method: DELETE`. A post LinkedIn
    /// does not know (404, 410) counts as deleted.
    pub fn delete_post(&self, urn: &str) -> Result<Deleted, String> {
        let what = "deleting the post (DELETE /rest/posts/{urn})";
        let reply =
            self.send(what, Method::DELETE, &post_path(urn), None, &[("X-RestLi-Method", "DELETE")], Repeat::Safe)?;
        match reply.status {
            200..=299 => Ok(Deleted::Now),
            404 | 410 => Ok(Deleted::AlreadyGone),
            _ => Err(explain(what, &reply)),
        }
    }
}

/// The Comments API body of a comment by `actor` on `post`.
pub fn comment_body(post: &str, actor: &str, text: &str) -> Value {
    serde_json::json!({ "actor": actor, "object": post, "message": { "text": text } })
}

/// What token introspection says (`POST /oauth/v2/introspectToken`, with the app's credentials).
#[derive(Debug, Clone, Default)]
pub struct Introspection {
    /// Whether the token works.
    pub active: bool,
    /// `active`, `expired`, `revoked`.
    pub status: Option<String>,
    /// Scopes, as LinkedIn lists them.
    pub scope: Option<String>,
    /// Seconds since the Unix epoch.
    pub expires_at: Option<u64>,
}

fn oauth_form(endpoints: &Endpoints, what: &str, path: &str, form: &str) -> Result<Reply, String> {
    let url = format!("{}{path}", endpoints.auth);
    let headers = [("Content-Type", "application/x-www-form-urlencoded")];
    Ok(exchange(&short_agent(), what, Method::POST, &url, &headers, Some(form.as_bytes()), None, Repeat::Safe)?)
}

/// Asks LinkedIn about a token. Needs the app's client id and secret.
pub fn introspect(
    endpoints: &Endpoints,
    client_id: &str,
    secret: &str,
    token: &Token,
) -> Result<Introspection, String> {
    let what = "asking LinkedIn about the token (POST /oauth/v2/introspectToken)";
    let form = format!(
        "client_id={}&client_secret={}&token={}",
        percent_encode(client_id),
        percent_encode(secret),
        percent_encode(token.secret())
    );
    let reply = oauth_form(endpoints, what, "/oauth/v2/introspectToken", &form)?;
    if !(200..300).contains(&reply.status) {
        return Err(explain(what, &reply));
    }
    let value: Value =
        serde_json::from_str(&reply.body).map_err(|_| format!("{what}: LinkedIn's answer is not JSON"))?;
    Ok(Introspection {
        active: value.get("active").and_then(Value::as_bool).unwrap_or(false),
        status: value.get("status").and_then(Value::as_str).map(safe::clean_line),
        scope: value.get("scope").and_then(Value::as_str).map(safe::clean_line),
        expires_at: value.get("expires_at").and_then(Value::as_u64),
    })
}

/// Asks LinkedIn to revoke a token (`POST /oauth/v2/revoke`, with the app's credentials).
pub fn revoke(endpoints: &Endpoints, client_id: &str, secret: &str, token: &Token) -> Result<(), String> {
    let what = "revoking the token (POST /oauth/v2/revoke)";
    let form = format!(
        "token={}&client_id={}&client_secret={}",
        percent_encode(token.secret()),
        percent_encode(client_id),
        percent_encode(secret)
    );
    let reply = oauth_form(endpoints, what, "/oauth/v2/revoke", &form)?;
    if (200..300).contains(&reply.status) {
        Ok(())
    } else {
        Err(explain(what, &reply))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoints(api: &str) -> Endpoints {
        Endpoints { api: api.into(), auth: DEFAULT_AUTH.into() }
    }

    #[test]
    fn urns_are_encoded_in_paths() {
        assert_eq!(document_path("urn:li:document:D5610AQ"), "/rest/documents/urn%3Ali%3Adocument%3AD5610AQ");
        assert_eq!(image_path("urn:li:image:C4E10AQ"), "/rest/images/urn%3Ali%3Aimage%3AC4E10AQ");
        assert_eq!(post_path("urn:li:share:7"), "/rest/posts/urn%3Ali%3Ashare%3A7");
        assert_eq!(comments_path("urn:li:share:7"), "/rest/socialActions/urn%3Ali%3Ashare%3A7/comments");
    }

    #[test]
    fn origins_are_parsed_as_the_client_parses_them() {
        let o = Origin::parse("https://www.linkedin.com:443@evil.example/x").unwrap();
        assert_eq!(o.host, "evil.example");
        assert!(o.userinfo);
        assert!(!o.is_linkedin());
        let o = Origin::parse("HTTPS://WWW.LinkedIn.COM./dms-uploads/x?y=1").unwrap();
        assert_eq!((o.scheme.as_str(), o.host.as_str(), o.port), ("https", "www.linkedin.com", 443));
        assert!(o.is_linkedin());
        assert_eq!(Origin::parse("http://127.0.0.1:9/upload").unwrap().port, 9);
        assert!(Origin::parse("http://[::1]:9/").unwrap().is_loopback());
        assert!(Origin::parse("ftp://x/").is_none());
        assert!(Origin::parse("not a url").is_none());
    }

    #[test]
    fn the_token_goes_only_to_linkedin_or_the_api_host() {
        let e = endpoints("https://api.linkedin.com");
        assert!(e.token_may_go_to("https://www.linkedin.com/dms-uploads/abc"));
        assert!(e.token_may_go_to("https://api.linkedin.com/x"));
        assert!(e.token_may_go_to("https://linkedin.com/x"));
        for refused in [
            "http://www.linkedin.com/dms-uploads/abc",
            "https://evil-linkedin.com/x",
            "https://www.linkedin.com.evil.org/x",
            "https://www.linkedin.com:443@evil.example/x",
            "https://user@www.linkedin.com/x",
            "https://www.linkedin.com:8443/x",
            "https://108.174.10.10/x",
            "https://[2620:109:c002::6cae:a0a]/x",
            "//www.linkedin.com/x",
            "www.linkedin.com/x",
        ] {
            assert!(!e.token_may_go_to(refused), "{refused}");
        }
        let local = endpoints("http://127.0.0.1:8080");
        assert!(local.token_may_go_to("http://127.0.0.1:8080/upload/x"));
        assert!(local.token_may_go_to("http://127.0.0.1:8081/upload/x"), "a stand-in's own upload port");
        assert!(!local.token_may_go_to("http://x@127.0.0.1:8080/upload/x"));
        assert!(!local.token_may_go_to("http://10.0.0.1:8080/upload/x"));
        assert!(!e.token_may_go_to("http://127.0.0.1:8080/upload/x"), "LinkedIn's API never sends to this machine");
    }

    #[test]
    fn endpoints_refuse_userinfo_and_remote_http() {
        assert!(check_endpoint("X", "https://api.linkedin.com/").is_ok());
        assert!(check_endpoint("X", "http://127.0.0.1:9").is_ok());
        assert!(check_endpoint("X", "http://[::1]:9").is_ok());
        assert!(check_endpoint("X", "http://api.linkedin.com").unwrap_err().contains("plain http"));
        assert!(check_endpoint("X", "http://10.0.0.1:80").unwrap_err().contains("plain http"));
        assert!(check_endpoint("X", "https://api.linkedin.com@evil.example").unwrap_err().contains("user info"));
        assert!(check_endpoint("X", "https://api.linkedin.com?x=1").is_err());
        assert!(check_endpoint("X", "api.linkedin.com").is_err());
    }

    #[test]
    fn versions_are_checked() {
        assert_eq!(check_version("202608").unwrap(), "202608");
        assert_eq!(check_version(" 202508.02 ").unwrap(), "202508.02");
        for bad in ["2026", "20260", "202613", "202600", "202205", "2026-08", "abcdef", "202608.1", ""] {
            assert!(check_version(bad).is_err(), "{bad}");
        }
        assert!(check_version(DEFAULT_VERSION).is_ok());
    }

    #[test]
    fn retry_after_bounds_the_wait() {
        assert_eq!(backoff(1, Some("0")), Duration::ZERO);
        assert_eq!(backoff(1, None), Duration::from_secs(1));
        assert_eq!(backoff(3, None), Duration::from_secs(4));
        assert_eq!(backoff(1, Some("86400")), MAX_RETRY_WAIT);
    }

    fn reply(status: u16, body: &str) -> Reply {
        Reply {
            status,
            restli_id: None,
            retry_after: None,
            body: body.into(),
            tries: 1,
            version: Some("202401".into()),
        }
    }

    #[test]
    fn a_429_says_when_to_try_again() {
        let mut r = reply(429, "");
        r.retry_after = Some("3600".into());
        assert!(explain("x", &r).contains("try again in 3600 seconds (about 60 minutes)"));
    }

    #[test]
    fn a_426_names_the_version_and_how_to_set_another() {
        let text = explain(
            "x",
            &reply(
                426,
                r#"{"status":426,"code":"NONEXISTENT_VERSION","message":"Requested version 20240101 is not active"}"#,
            ),
        );
        assert!(
            text.contains("202401") && text.contains("LINKEDIN_API_VERSION") && text.contains("--linkedin-version")
        );
        assert!(text.contains("NONEXISTENT_VERSION"), "{text}");
    }

    #[test]
    fn server_text_is_stripped_of_escapes() {
        let text = explain("x", &reply(400, "{\"message\":\"bad \\u001b[2J\\u001b]0;pwned\\u0007thing\"}"));
        assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'), "{text:?}");
        assert!(text.contains("bad thing"), "{text}");
    }
}
