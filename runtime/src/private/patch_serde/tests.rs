use super::keys::same_bytes;

/// Every length from 0 to 40, equal and with one byte changed at each position.
#[test]
fn same_bytes_agrees_with_slice_equality() {
    let text: Vec<u8> = (0..40u8).map(|byte| b'a' + byte % 26).collect();
    for len in 0..=text.len() {
        let a = &text[..len];
        assert!(same_bytes(a, a), "{len}");
        for at in 0..len {
            let mut b = a.to_vec();
            b[at] ^= 0x20;
            assert!(!same_bytes(a, &b), "{len} at {at}");
        }
        if len > 0 {
            assert!(!same_bytes(a, &text[..len - 1]), "{len} against shorter");
        }
    }
}
