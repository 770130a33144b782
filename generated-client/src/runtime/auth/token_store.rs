//! Where a service account's access token is kept: in memory ([`MemoryTokenStore`], the default), or in a
//! file that outlives the process ([`FileTokenStore`]), so a program that runs every minute reuses a valid
//! token instead of asking the token endpoint (which allows only a few requests a minute) each run.
//!
//! The client loads a token from the store when it has none in memory, saves every token it fetches, and
//! removes the token when it revokes it or the service refuses it. A store never shows a token: not in
//! `Debug`, not in errors, not in logs.

use std::collections::HashMap;
use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// An access token as a store keeps it: the token and when it expires (wall-clock time, which, unlike an
/// `Instant`, means the same in the next process).
#[derive(Clone)]
pub struct StoredToken {
    value: SecretString,
    expires_at: SystemTime,
}

impl StoredToken {
    /// A token that expires at `expires_at`.
    pub fn new(value: impl Into<String>, expires_at: SystemTime) -> Self {
        StoredToken { value: SecretString::from(value.into()), expires_at }
    }

    /// The token itself; every read of it is visible in the code that makes it.
    pub fn expose_value(&self) -> &str {
        self.value.expose_secret()
    }

    /// When it expires.
    pub fn expires_at(&self) -> SystemTime {
        self.expires_at
    }

    /// How long it still lives (zero once expired).
    pub fn remaining(&self) -> Duration {
        self.expires_at.duration_since(SystemTime::now()).unwrap_or_default()
    }

    pub(crate) fn secret(&self) -> &SecretString {
        &self.value
    }
}

impl fmt::Debug for StoredToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredToken").field("value", &"<redacted>").field("expires_at", &self.expires_at).finish()
    }
}

/// Why a store could not load, save or remove a token. Names the file and what went wrong, never a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenStoreError {
    /// The file involved, for a file store.
    pub path: Option<PathBuf>,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for TokenStoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(f, "token store {}: {}", path.display(), self.message),
            None => write!(f, "token store: {}", self.message),
        }
    }
}

impl std::error::Error for TokenStoreError {}

/// Keeps service-account access tokens by key (the client uses its token endpoint and client id, so
/// several accounts and services can share one store). Implementations must never format a token.
///
/// A failing store never fails a call: the client logs the failure (without the token) and fetches or
/// keeps tokens as if the store were empty.
pub trait TokenStore: Send + Sync + fmt::Debug {
    /// The token stored under `key`, if any (expired ones included: the client checks).
    fn load(&self, key: &str) -> Result<Option<StoredToken>, TokenStoreError>;
    /// Stores `token` under `key`, replacing what was there.
    fn save(&self, key: &str, token: &StoredToken) -> Result<(), TokenStoreError>;
    /// Forgets the token under `key`.
    fn remove(&self, key: &str) -> Result<(), TokenStoreError>;
}

/// Tokens in memory, for the life of the store (the default: one per client, so the token lives as long as
/// the client; share one `Arc` between clients to share their tokens).
#[derive(Default)]
pub struct MemoryTokenStore {
    tokens: Mutex<HashMap<String, StoredToken>>,
}

impl fmt::Debug for MemoryTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryTokenStore").field("tokens", &self.lock().len()).finish()
    }
}

impl MemoryTokenStore {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, StoredToken>> {
        self.tokens.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl TokenStore for MemoryTokenStore {
    fn load(&self, key: &str) -> Result<Option<StoredToken>, TokenStoreError> {
        Ok(self.lock().get(key).cloned())
    }

    fn save(&self, key: &str, token: &StoredToken) -> Result<(), TokenStoreError> {
        self.lock().insert(key.to_owned(), token.clone());
        Ok(())
    }

    fn remove(&self, key: &str) -> Result<(), TokenStoreError> {
        self.lock().remove(key);
        Ok(())
    }
}

/// Tokens in one JSON file that only its owner may read: created with mode `0600` (on Unix), replaced
/// atomically (a new file renamed over the old one), and refused when anyone else may read or write it
/// (its mode has group or other bits), since a token there could have been read or planted.
///
/// Several processes may share the file: each write replaces it whole, the last writer wins, and a reader
/// never sees half a file. The file holds tokens, which are secrets: keep it in a directory of your own.
#[derive(Debug, Clone)]
pub struct FileTokenStore {
    path: PathBuf,
}

#[derive(Default, Serialize, Deserialize)]
struct FileContents {
    tokens: HashMap<String, FileEntry>,
}

#[derive(Serialize, Deserialize)]
struct FileEntry {
    access_token: String,
    /// Seconds since the Unix epoch.
    expires_at: u64,
}

impl FileTokenStore {
    /// A store in the file at `path` (created on the first save; its directory must exist).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        FileTokenStore { path: path.into() }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn error(&self, message: impl Into<String>) -> TokenStoreError {
        TokenStoreError { path: Some(self.path.clone()), message: message.into() }
    }

    fn read(&self) -> Result<FileContents, TokenStoreError> {
        let file = match std::fs::File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileContents::default()),
            Err(e) => return Err(self.error(format!("cannot open it: {}", e.kind()))),
        };
        let metadata = file.metadata().map_err(|e| self.error(format!("cannot read its metadata: {}", e.kind())))?;
        check_owner_only(&metadata).map_err(|message| self.error(message))?;
        // Read without keeping a copy of the text around longer than the parse.
        let contents: Result<FileContents, _> = serde_json::from_reader(std::io::BufReader::new(file));
        // The parser's message can quote the file, which holds tokens: only its position is kept.
        contents.map_err(|e| self.error(format!("not a token file (line {}, column {})", e.line(), e.column())))
    }

    fn write(&self, contents: &FileContents) -> Result<(), TokenStoreError> {
        let directory = self.path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let temporary = directory.join(format!(".{name}.{}.tmp", std::process::id()));
        let text = SecretString::from(
            serde_json::to_string(contents).map_err(|e| self.error(format!("cannot encode the tokens: {e}")))?,
        );
        let written = (|| {
            let mut file = owner_only_file(&temporary)?;
            file.write_all(text.expose_secret().as_bytes())?;
            file.sync_all()?;
            std::fs::rename(&temporary, &self.path)
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temporary);
            return Err(self.error(format!("cannot write it: {}", e.kind())));
        }
        Ok(())
    }
}

impl TokenStore for FileTokenStore {
    fn load(&self, key: &str) -> Result<Option<StoredToken>, TokenStoreError> {
        let mut contents = self.read()?;
        Ok(contents
            .tokens
            .remove(key)
            .map(|entry| StoredToken::new(entry.access_token, UNIX_EPOCH + Duration::from_secs(entry.expires_at))))
    }

    fn save(&self, key: &str, token: &StoredToken) -> Result<(), TokenStoreError> {
        // A file that is not ours to trust is replaced rather than merged.
        let mut contents = self.read().unwrap_or_default();
        let now = SystemTime::now();
        contents.tokens.retain(|_, entry| UNIX_EPOCH + Duration::from_secs(entry.expires_at) > now);
        let expires_at = token.expires_at.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
        let entry = FileEntry { access_token: token.expose_value().to_owned(), expires_at };
        contents.tokens.insert(key.to_owned(), entry);
        self.write(&contents)
    }

    fn remove(&self, key: &str) -> Result<(), TokenStoreError> {
        let mut contents = match self.read() {
            Ok(contents) => contents,
            // A file whose tokens are not used (too open, or not a token file) has nothing worth keeping.
            Err(_) => {
                return std::fs::remove_file(&self.path)
                    .or_else(|e| if e.kind() == std::io::ErrorKind::NotFound { Ok(()) } else { Err(e) })
                    .map_err(|e| self.error(format!("cannot remove it: {}", e.kind())));
            }
        };
        if contents.tokens.remove(key).is_none() {
            return Ok(());
        }
        self.write(&contents)
    }
}

#[cfg(unix)]
fn owner_only_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)
}

#[cfg(not(unix))]
fn owner_only_file(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new().write(true).create_new(true).open(path)
}

#[cfg(unix)]
fn check_owner_only(metadata: &std::fs::Metadata) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = metadata.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(format!("its mode is {mode:04o}: others may read or change it, so its tokens are not used"));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_owner_only(_: &std::fs::Metadata) -> Result<(), String> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "stored-token-5ecre7";

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("atlas-admin-token-store-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("tokens.json")
    }

    #[test]
    fn a_file_store_keeps_tokens_across_instances_and_forgets_removed_ones() {
        let path = scratch("round-trip");
        let expires = SystemTime::now() + Duration::from_secs(3600);
        FileTokenStore::new(&path).save("a", &StoredToken::new(TOKEN, expires)).unwrap();
        FileTokenStore::new(&path).save("b", &StoredToken::new("other", expires)).unwrap();
        let loaded = FileTokenStore::new(&path).load("a").unwrap().expect("stored");
        assert_eq!(loaded.expose_value(), TOKEN);
        let drift = loaded.expires_at().duration_since(expires).unwrap_or_else(|e| e.duration());
        assert!(drift < Duration::from_secs(1));
        FileTokenStore::new(&path).remove("a").unwrap();
        assert!(FileTokenStore::new(&path).load("a").unwrap().is_none());
        assert!(FileTokenStore::new(&path).load("b").unwrap().is_some(), "other keys stay");
        assert!(FileTokenStore::new(scratch("missing")).load("a").unwrap().is_none(), "no file: no token");
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_owner_only_and_a_readable_one_is_refused() {
        use std::os::unix::fs::PermissionsExt as _;
        let path = scratch("permissions");
        let store = FileTokenStore::new(&path);
        store.save("a", &StoredToken::new(TOKEN, SystemTime::now() + Duration::from_secs(60))).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let error = store.load("a").unwrap_err();
        assert!(error.message.contains("0644"), "{error}");
        assert!(!format!("{error} {error:?}").contains(TOKEN));
        // Saving replaces the file with an owner-only one.
        store.save("a", &StoredToken::new(TOKEN, SystemTime::now() + Duration::from_secs(60))).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }

    #[test]
    fn nothing_shows_a_token() {
        let path = scratch("secrecy");
        std::fs::write(&path, format!("{{\"tokens\": {{\"a\": \"{TOKEN}\"")).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let error = FileTokenStore::new(&path).load("a").unwrap_err();
        assert!(!format!("{error} {error:?}").contains(TOKEN), "{error}");
        let token = StoredToken::new(TOKEN, SystemTime::now());
        assert!(!format!("{token:?}").contains(TOKEN));
        let memory = MemoryTokenStore::default();
        memory.save("a", &token).unwrap();
        assert!(!format!("{memory:?}").contains(TOKEN));
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }
}
