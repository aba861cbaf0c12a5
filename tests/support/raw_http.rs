//! A raw HTTP/1.1 peer on 127.0.0.1, for the servers and proxies that misbehave as no
//! framework lets one (wiremock cannot cut a connection inside an answer): reading one
//! message, and a server that answers every request with the same bytes and closes.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// One HTTP/1.1 message read from `socket`: its head (up to and with the blank line), then as
/// many body bytes as its `Content-Length` says. `None` once the peer has closed.
pub async fn read_message(
    socket: &mut (impl tokio::io::AsyncRead + Unpin),
) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut head = Vec::new();
    let mut byte = [0_u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if socket.read(&mut byte).await.ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    let length = String::from_utf8_lossy(&head)
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0_u8; length];
    socket.read_exact(&mut body).await.ok()?;
    Some((head, body))
}

/// One request read from `socket` ([`read_message`]): its head as text.
pub async fn read_request(socket: &mut TcpStream) -> Option<String> {
    let (head, _) = read_message(socket).await?;
    Some(String::from_utf8_lossy(&head).into_owned())
}

/// A server that reads each request and answers it with `answer` (a head that promises more
/// body than follows, say), then closes the connection. Its address, and the number of
/// requests it read.
pub async fn answering_every_request(answer: &'static [u8]) -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let requests = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&requests);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let counted = Arc::clone(&counted);
            tokio::spawn(async move {
                if read_message(&mut socket).await.is_none() {
                    return;
                }
                counted.fetch_add(1, Ordering::SeqCst);
                let _ = socket.write_all(answer).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (address, requests)
}

/// A server that answers every request with `answer` (a whole answer, with its
/// `Content-Length`) and keeps each connection open for the next. Its address, and the number
/// of connections it accepted.
pub async fn keeping_connections_alive(answer: Vec<u8>) -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&connections);
    let answer: Arc<[u8]> = answer.into();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            let answer = Arc::clone(&answer);
            tokio::spawn(async move {
                while read_message(&mut socket).await.is_some() {
                    if socket.write_all(&answer).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (address, connections)
}
