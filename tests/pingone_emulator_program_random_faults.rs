//! `pingone-emulator --random-faults P` (docs/emulator/README.md): P is a probability, from 0
//! to 1; another number, or no number, is a usage error (exit status 2) that says so.

use std::process::Command;

#[test]
fn a_random_fault_probability_outside_0_to_1_is_refused() {
    for probability in ["1.5", "-0.5", "NaN", "inf"] {
        // `--nope` after it: a probability taken ends the program on that unknown argument
        // (exit status 2, without the probability's words) rather than serving.
        let output = Command::new(env!("CARGO_BIN_EXE_pingone-emulator"))
            .args(["--random-faults", probability, "--seed", "7", "--nope"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{probability}: {stderr}");
        assert!(
            stderr.contains("--random-faults takes a probability from 0 to 1"),
            "{probability}: {stderr}"
        );
    }
}
