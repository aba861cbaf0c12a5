//! A server on a thread of its own, for the memory tests: its allocations are not counted by
//! `thread_allocations`, which counts the client's thread. It answers every request with one
//! status and body (JSON), and closes the connection.

use std::io::{Read as _, Write as _};
use std::net::SocketAddr;

/// A server that answers every request with `status` and `body` (JSON).
pub fn serving(status: u16, body: Vec<u8>) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut head = Vec::new();
            let mut buffer = [0_u8; 4096];
            while !head.windows(4).any(|end| end == b"\r\n\r\n") {
                match stream.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(read) => head.extend_from_slice(&buffer[..read]),
                }
            }
            // A token request's form body, which the head's end may not hold whole.
            let _ = stream.set_read_timeout(Some(std::time::Duration::from_millis(50)));
            let _ = stream.read(&mut buffer);
            let answer = format!(
                "HTTP/1.1 {status} Whatever\r\ncontent-type: application/json\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    address
}
