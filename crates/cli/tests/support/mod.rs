//! For the `cibscan serve` tests: a store filled from a real run, users and tokens, the
//! server started as a process on a free loopback port, and a minimal HTTP client over
//! `TcpStream` (no client library: requests are exactly what the tests write).

#![allow(dead_code)]

use assert_cmd::Command;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::Duration;

pub fn ok(c: &mut Command) -> String {
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

pub fn cibscan() -> Command {
    let mut c = Command::cargo_bin("cibscan").unwrap();
    c.arg("-q");
    c
}

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A store with the bundled sample's run imported, users alice (analyst), bob and carol
/// (reviewers), vic (viewer), each with password `pw-NAME-1`; and tokens for bob and vic.
pub struct Fixture {
    pub db: PathBuf,
    pub run: PathBuf,
    pub bob_token: String,
    pub vic_token: String,
}

pub fn fixture(dir: &Path) -> Fixture {
    let run = dir.join("run");
    let db = dir.join("cases.db");
    ok(cibscan().arg("detect").arg(root().join("samples/sim/platform")).arg("--out").arg(&run));
    ok(cibscan().args(["case", "import"]).arg(&run).arg("--db").arg(&db));
    for (name, role) in [("alice", "analyst"), ("bob", "reviewer"), ("carol", "reviewer"), ("vic", "viewer")] {
        ok(cibscan()
            .args(["user", "add", name, "--role", role, "--password-stdin", "--db"])
            .arg(&db)
            .write_stdin(format!("pw-{name}-1\n")));
    }
    let token = |name: &str| ok(cibscan().args(["token", "create", name, "--db"]).arg(&db)).trim().to_string();
    Fixture { bob_token: token("bob"), vic_token: token("vic"), db, run }
}

/// `cibscan serve` on a free loopback port; killed when dropped.
pub struct Server {
    child: Child,
    pub addr: String,
}

impl Server {
    pub fn start(db: &Path) -> Server {
        let bin = assert_cmd::cargo::cargo_bin("cibscan");
        let mut child = std::process::Command::new(bin)
            .args(["serve", "--bind", "127.0.0.1:0", "--db"])
            .arg(db)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The first line on stderr names the address: "cibscan serve: http://ADDR/ ...".
        let mut err = child.stderr.take().unwrap();
        let mut line = Vec::new();
        let mut byte = [0u8; 1];
        while err.read(&mut byte).unwrap_or(0) == 1 && byte[0] != b'\n' {
            line.push(byte[0]);
        }
        let line = String::from_utf8_lossy(&line).into_owned();
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .unwrap_or_else(|| panic!("serve did not start: {line:?}"))
            .to_string();
        // Keep draining stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut sink = Vec::new();
            let _ = err.read_to_end(&mut sink);
        });
        Server { child, addr }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn headers_named(&self, name: &str) -> Vec<&str> {
        self.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).collect()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// One HTTP/1.1 request with `Connection: close`.
pub fn request(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Response {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    parse(&raw)
}

fn parse(raw: &[u8]) -> Response {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_string(), v.trim().to_string())).collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked =
        headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked"));
    if chunked {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let eol = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let size = usize::from_str_radix(String::from_utf8_lossy(&rest[..eol]).trim(), 16).unwrap();
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[eol + 2..eol + 2 + size]);
            rest = &rest[eol + 2 + size + 2..];
        }
        body = out;
    }
    Response { status, headers, body: String::from_utf8_lossy(&body).into_owned() }
}

pub fn get(addr: &str, path: &str, headers: &[(&str, &str)]) -> Response {
    request(addr, "GET", path, headers, b"")
}

/// `application/x-www-form-urlencoded` body from pairs.
pub fn form(pairs: &[(&str, &str)]) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&")
}

pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A browser-like session: cookies kept between requests.
pub struct Browser<'a> {
    pub addr: &'a str,
    pub cookies: Vec<(String, String)>,
}

impl<'a> Browser<'a> {
    pub fn new(addr: &'a str) -> Browser<'a> {
        Browser { addr, cookies: Vec::new() }
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn keep(&mut self, r: &Response) {
        for c in r.headers_named("set-cookie") {
            let kv = c.split(';').next().unwrap_or("");
            if let Some((k, v)) = kv.split_once('=') {
                self.cookies.retain(|(n, _)| n != k);
                if !v.is_empty() {
                    self.cookies.push((k.to_string(), v.to_string()));
                }
            }
        }
    }

    pub fn get(&mut self, path: &str) -> Response {
        let c = self.cookie_header();
        let r = get(self.addr, path, &[("Cookie", &c)]);
        self.keep(&r);
        r
    }

    pub fn post(&mut self, path: &str, pairs: &[(&str, &str)]) -> Response {
        let c = self.cookie_header();
        let body = form(pairs);
        let r = request(
            self.addr,
            "POST",
            path,
            &[("Cookie", &c), ("Content-Type", "application/x-www-form-urlencoded")],
            body.as_bytes(),
        );
        self.keep(&r);
        r
    }

    /// Signs in through the form; returns the response to the form's POST.
    pub fn sign_in(&mut self, name: &str, password: &str) -> Response {
        let page = self.get("/login");
        let csrf = csrf_of(&page.body);
        self.post("/login", &[("name", name), ("password", password), ("csrf", &csrf)])
    }

    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// The first CSRF token in a page's forms.
pub fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a form with a CSRF token") + 19;
    html[at..].split('"').next().unwrap().to_string()
}
