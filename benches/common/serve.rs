//! A local HTTP server for benches and integration tests alike (the tests
//! include this file by path).

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;

/// Serves `app` on 127.0.0.1 (an ephemeral port) from its own thread until
/// the process ends; returns the address once it is listening.
pub fn serve(app: Router) -> SocketAddr {
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            addr_tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    addr_rx.recv_timeout(Duration::from_secs(10)).unwrap()
}
