//! Calls the three operations of `atlas-admin` against the base URL given as the first argument and prints
//! one line per call. Uses only the crate's public API, as a user's program would: it is the `main.rs` of a
//! crate outside the workspace whose dependencies are the README's install lines, built and run by
//! `tests/tests/replay_external_crate.rs`.

use std::process::ExitCode;

use atlas_admin::{ApiUserId, Client, Error, GroupId, KeyId, OrgId, UserId};

#[tokio::main]
async fn main() -> ExitCode {
    let Some(base_url) = std::env::args().nth(1) else {
        eprintln!("usage: atlas-admin-external-user <base URL, e.g. http://127.0.0.1:PORT>");
        return ExitCode::from(2);
    };
    match run(&base_url).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(base_url: &str) -> Result<(), String> {
    let client = Client::builder().base_url(base_url).no_retries().build().map_err(|e| e.to_string())?;
    let org: OrgId = "62b6e34b3ecb4a6e3ac4b8b1".parse().map_err(|e| format!("{e}"))?;
    let group: GroupId = "5953c5f380eef53887615f9a".parse().map_err(|e| format!("{e}"))?;
    let key: ApiUserId = "6501f7a0c3a5b1d2e4f60718".parse().map_err(|e| format!("{e}"))?;
    let user: UserId = "5356823b3004dee37132bb7b".parse().map_err(|e| format!("{e}"))?;
    let user_key: KeyId = "5d1d12c087d9d63e6d682438".parse().map_err(|e| format!("{e}"))?;

    let deleted = client.delete_org_api_key(&org, &key).send().await.map_err(|e| format!("deleteOrgApiKey: {e}"))?;
    println!(
        "deleteOrgApiKey ok {} rate-limit {}/{}",
        deleted.status.as_u16(),
        show(deleted.headers.rate_limit_limit),
        show(deleted.headers.rate_limit_remaining)
    );

    match client.remove_group_api_key(&group, &key).envelope(true).send().await {
        Ok(response) => return Err(format!("removeGroupApiKey: expected an error, got {}", response.status)),
        Err(error) => println!("removeGroupApiKey {}", describe(&error)),
    }

    #[allow(deprecated)]
    let legacy = client.delete_user_api_key(&user, &user_key).send().await;
    match legacy {
        Ok(response) => println!("deleteUserApiKey ok {}", response.status.as_u16()),
        Err(error) => println!("deleteUserApiKey {}", describe(&error)),
    }
    Ok(())
}

fn show(value: Option<i64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

fn describe(error: &Error) -> String {
    let status = error.status().map_or_else(|| "-".to_owned(), |s| s.as_u16().to_string());
    let code = error.error_code().unwrap_or_else(|| "-".to_owned());
    let gone = if error.is_already_gone() { " already-gone" } else { "" };
    match error {
        Error::Api(_) => format!("error {status} {code}{gone}"),
        other => format!("unexpected {status} {code}{gone}: {other}"),
    }
}
