//! Connection failures that need no database server (loopback only).

use std::time::{Duration, Instant};

use driftwatch_mysql::{DatabaseUrl, InspectError, InspectOptions};

#[tokio::test]
async fn silent_server_hits_the_connect_timeout() {
    // A listener that accepts and never sends the MySQL greeting.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let port = listener
        .local_addr()
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"));
    let hold = tokio::spawn(async move {
        let accepted = listener.accept().await;
        tokio::time::sleep(Duration::from_secs(5)).await;
        drop(accepted);
    });
    let url = DatabaseUrl::parse(&format!(
        "mysql://root:Silent-Secret-42@127.0.0.1:{port}/app?connect-timeout=1"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let started = Instant::now();
    let error = driftwatch_mysql::inspect(&url, &InspectOptions::default())
        .await
        .err();
    hold.abort();
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "took {:?}",
        started.elapsed()
    );
    match error {
        Some(error @ InspectError::Timeout { .. }) => {
            let text = format!("{error} {error:?}");
            assert!(text.contains(&format!("127.0.0.1:{port}")), "{text}");
            assert!(!text.contains("Silent-Secret-42"), "{text}");
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn url_without_database_is_refused_before_connecting() {
    let url = DatabaseUrl::parse("mysql://root:pw@127.0.0.1:1").unwrap_or_else(|e| panic!("{e}"));
    let error = driftwatch_mysql::inspect(&url, &InspectOptions::default())
        .await
        .err();
    assert!(matches!(error, Some(InspectError::Url(_))), "{error:?}");
}

#[tokio::test]
async fn closed_port_is_unreachable_with_host_and_port() {
    // Port 1 on the loopback: nothing listens there.
    let url = DatabaseUrl::parse("mysql://root:Not-A-Secret-99@127.0.0.1:1/db")
        .unwrap_or_else(|e| panic!("{e}"));
    let error = driftwatch_mysql::inspect(&url, &InspectOptions::default())
        .await
        .err()
        .unwrap_or_else(|| panic!("port 1 must be unreachable"));
    assert!(
        matches!(error, InspectError::Unreachable { .. }),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(
        text.contains("127.0.0.1:1") && !text.contains("Not-A-Secret-99"),
        "{text}"
    );
}
