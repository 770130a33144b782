//! Apache httpd with `mod_auth_digest` on loopback, for interop tests against a digest server nobody here
//! wrote.
//!
//! [`ApacheDigest::start`] writes `tests/apache/httpd.conf.template` (filled in) and an htdigest password file
//! into a fresh temporary directory, starts `apache2 -f <conf> -DFOREGROUND` on a free loopback port, and
//! waits until it accepts connections. Every request under `/api/` must pass digest authentication and is
//! then answered `204 No Content`. Dropping the handle stops the server and removes the directory.
//!
//! If Apache is not installed or does not start, `start` returns an error that says why and what to
//! install; tests must fail on it, never skip.

use std::fs;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use local_atlas::DigestAlgorithm;
use local_atlas::digest::hash_hex;

/// The committed configuration template.
pub const CONFIG_TEMPLATE: &str = include_str!("../apache/httpd.conf.template");

/// Where Debian's `apache2` package installs the binary and its modules.
const DEFAULT_BINARY: &str = "/usr/sbin/apache2";
const DEFAULT_MODULES: &str = "/usr/lib/apache2/modules";

/// What the Apache instance is configured with.
#[derive(Debug, Clone)]
pub struct ApacheOptions {
    /// The digest realm (`AuthName`).
    pub realm: String,
    /// The one user in the password file.
    pub user: String,
    /// That user's password.
    pub password: String,
    /// `AuthDigestNonceLifetime`, in whole seconds.
    pub nonce_lifetime_secs: u64,
}

impl Default for ApacheOptions {
    fn default() -> Self {
        ApacheOptions {
            realm: "MMS Public API".into(),
            user: "qzvwmhxa".into(),
            password: "9c3b1a7e-2d4f-4e8a-b6c5-0f1e2d3c4b5a".into(),
            nonce_lifetime_secs: 300,
        }
    }
}

/// One line of the access log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessLogEntry {
    /// The request line, e.g. `DELETE /api/... HTTP/1.1`.
    pub request_line: String,
    /// The final status.
    pub status: u16,
    /// The `WWW-Authenticate` header of the answer, if any.
    pub www_authenticate: Option<String>,
}

/// A running Apache httpd.
pub struct ApacheDigest {
    child: Child,
    dir: PathBuf,
    port: u16,
}

static INSTANCE: AtomicU32 = AtomicU32::new(0);

impl ApacheDigest {
    /// Starts Apache (binary from `$APACHE2_BIN`, default `/usr/sbin/apache2`; modules from
    /// `$APACHE2_MODULES`, default `/usr/lib/apache2/modules`).
    pub fn start(options: &ApacheOptions) -> Result<ApacheDigest, String> {
        let binary = std::env::var("APACHE2_BIN").unwrap_or_else(|_| DEFAULT_BINARY.into());
        let modules = std::env::var("APACHE2_MODULES").unwrap_or_else(|_| DEFAULT_MODULES.into());
        if !Path::new(&binary).exists() {
            return Err(format!(
                "Apache httpd is not installed ({binary} does not exist). Install it with \
                 `apt-get install -y apache2`, or point APACHE2_BIN at an apache2 binary."
            ));
        }
        if !Path::new(&modules).join("mod_auth_digest.so").exists() {
            return Err(format!("{modules}/mod_auth_digest.so is missing; set APACHE2_MODULES to Apache's module dir"));
        }
        let dir = std::env::temp_dir().join(format!(
            "atlas-apache-{}-{}",
            std::process::id(),
            INSTANCE.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("htdocs")).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let port = free_port()?;
        let is_root = running_as_root();
        // As root Apache drops to www-data for the workers, which then read the password file.
        let user_group = if is_root { "User www-data\nGroup www-data" } else { "" };
        let config = CONFIG_TEMPLATE
            .replace("/usr/lib/apache2/modules", &modules)
            .replace("@DIR@", &dir.display().to_string())
            .replace("@PORT@", &port.to_string())
            .replace("@REALM@", &options.realm)
            .replace("@NONCE_LIFETIME@", &options.nonce_lifetime_secs.to_string())
            .replace("@USER_GROUP@", user_group);
        let ha1 = hash_hex(DigestAlgorithm::Md5, &format!("{}:{}:{}", options.user, options.realm, options.password));
        let write = |name: &str, text: &str| {
            fs::write(dir.join(name), text).map_err(|e| format!("cannot write {name} in {}: {e}", dir.display()))
        };
        write("httpd.conf", &config)?;
        write("htdigest", &format!("{}:{}:{ha1}\n", options.user, options.realm))?;
        make_readable(&dir)?;
        let stdout = fs::File::create(dir.join("stdout.log")).map_err(|e| e.to_string())?;
        let stderr = fs::File::create(dir.join("stderr.log")).map_err(|e| e.to_string())?;
        let child = Command::new(&binary)
            .arg("-f")
            .arg(dir.join("httpd.conf"))
            .arg("-DFOREGROUND")
            .env_clear()
            .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .map_err(|e| format!("cannot run {binary}: {e}"))?;
        let mut apache = ApacheDigest { child, dir, port };
        apache.wait_until_listening(Duration::from_secs(15))?;
        Ok(apache)
    }

    fn wait_until_listening(&mut self, limit: Duration) -> Result<(), String> {
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("Apache exited at start-up ({status}):\n{}", self.diagnostics()));
            }
            if TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)).is_ok() {
                return Ok(());
            }
            if started.elapsed() > limit {
                return Err(format!(
                    "Apache did not listen on port {} within {limit:?}:\n{}",
                    self.port,
                    self.diagnostics()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Apache's own output and error log, for failure messages.
    pub fn diagnostics(&self) -> String {
        ["stdout.log", "stderr.log", "error.log"]
            .iter()
            .map(|name| format!("--- {name}\n{}", fs::read_to_string(self.dir.join(name)).unwrap_or_default()))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The parsed access log (format `%h "%r" %>s "%{WWW-Authenticate}o"`).
    pub fn access_log(&self) -> Vec<AccessLogEntry> {
        let text = fs::read_to_string(self.dir.join("access.log")).unwrap_or_default();
        text.lines().filter_map(parse_access_line).collect()
    }

    /// How many logged answers had `status`.
    pub fn count_status(&self, status: u16) -> usize {
        self.access_log().iter().filter(|e| e.status == status).count()
    }

    /// Waits until the access log holds at least `lines` entries (Apache writes it after answering).
    pub fn wait_for_log(&self, lines: usize) -> Vec<AccessLogEntry> {
        let started = Instant::now();
        loop {
            let log = self.access_log();
            if log.len() >= lines || started.elapsed() > Duration::from_secs(5) {
                return log;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for ApacheDigest {
    fn drop(&mut self) {
        // SIGTERM lets the parent stop its workers; SIGKILL only if it does not within a few seconds.
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                let _ = fs::remove_dir_all(&self.dir);
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

fn parse_access_line(line: &str) -> Option<AccessLogEntry> {
    let (_, rest) = line.split_once(" \"")?;
    let (request_line, rest) = rest.split_once("\" ")?;
    let (status, rest) = rest.split_once(' ')?;
    let quoted = rest.trim();
    let inner = quoted.strip_prefix('"').and_then(|q| q.strip_suffix('"')).unwrap_or(quoted);
    let header = inner.replace("\\\"", "\"");
    Some(AccessLogEntry {
        request_line: request_line.to_owned(),
        status: status.parse().ok()?,
        www_authenticate: (header != "-").then_some(header),
    })
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(|e| format!("no free port: {e}"))?;
    listener.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

fn running_as_root() -> bool {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(1) == Some("0")))
        .unwrap_or(false)
}

fn make_readable(dir: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let set = |path: &Path, mode| {
        fs::set_permissions(path, fs::Permissions::from_mode(mode))
            .map_err(|e| format!("chmod {}: {e}", path.display()))
    };
    set(dir, 0o755)?;
    set(&dir.join("htdocs"), 0o755)?;
    set(&dir.join("htdigest"), 0o644)?;
    set(&dir.join("httpd.conf"), 0o644)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_lines_parse() {
        let entry = parse_access_line(
            r#"127.0.0.1 "DELETE /api/x?pretty=true HTTP/1.1" 401 "Digest realm=\"MMS Public API\", qop=\"auth\"""#,
        )
        .unwrap();
        assert_eq!(entry.request_line, "DELETE /api/x?pretty=true HTTP/1.1");
        assert_eq!(entry.status, 401);
        assert_eq!(entry.www_authenticate.as_deref(), Some(r#"Digest realm="MMS Public API", qop="auth""#));
        let ok = parse_access_line(r#"127.0.0.1 "DELETE /api/x HTTP/1.1" 204 "-""#).unwrap();
        assert_eq!((ok.status, ok.www_authenticate), (204, None));
    }

    #[test]
    fn template_has_every_placeholder_the_harness_fills() {
        for field in ["@DIR@", "@PORT@", "@REALM@", "@NONCE_LIFETIME@", "@USER_GROUP@"] {
            assert!(CONFIG_TEMPLATE.contains(field), "{field} missing from the template");
        }
        assert!(CONFIG_TEMPLATE.contains("Listen 127.0.0.1:@PORT@"), "Apache must listen on loopback only");
    }
}
