//! The correctness check of `run.sh` (see README.md): the expanded bench crate (`base`) and two
//! rewrites of it (`va`, `vb`) as modules of one binary. Without arguments it compares their
//! results and exits with 1 if any differs; `count VARIANT OP N` runs N calls of one operation
//! (for callgrind); `time` runs 1,000,000 calls of each operation a variant, in 10 rounds whose
//! order rotates, and prints the median per-round ratios against `base`.
#![feature(fmt_helpers_for_derive, structural_match)]
#![allow(warnings)]
mod base;
mod va;
mod vb;

use sparse_patch::{Diff, Patch, Patchable};
use std::hint::black_box;
use std::time::Instant;

macro_rules! results {
    ($m:ident) => {{
        use $m::*;
        let mut out = String::new();
        let p1 = Model0Patch::new()
            .user_name("ada")
            .login_count(7)
            .tags(vec!["x".to_string()])
            .nickname("n")
            .clear_title()
            .age(3)
            .clear_balance()
            .name(NamePatch::new().given("g").clear_family().middle("m"))
            .photo(PhotoPatch::new().clear_alt_text());
        let p2 = Model0Patch::new()
            .user_name("bob")
            .clear_nickname()
            .address(AddressPatch::new().street("s").region("r"));
        let p3 = p1.clone();
        out += &format!(
            "eq {} {} {} {} {}\n",
            p1 == p1,
            p1 == p2,
            p1 == p3,
            p2 == p1,
            Model0Patch::new() == Model0Patch::default()
        );
        out += &format!(
            "ne-nested {}\n",
            p1 == p1.clone().name(NamePatch::new().given("h"))
        );
        out += &format!(
            "fmt {:?}\n{:?}\n{:#?}\n",
            p1,
            p2,
            NamePatch::new().given("g")
        );
        out += &format!(
            "empty {} {} {} {}\n",
            p1.is_empty(),
            Model0Patch::new().is_empty(),
            Patch::is_empty(&p2),
            NamePatch::new().clear_family().is_empty()
        );
        let mut m = Model0 {
            title: Some("t".into()),
            balance: Some(5),
            ..Default::default()
        };
        let r1 = m.apply(p1.clone());
        out += &format!("apply1 {:?} {:?}\n", r1, m);
        let r2 = m.apply(p2.clone());
        out += &format!("apply2 {:?} {:?}\n", r2, m);
        let mut n = m.clone();
        n.apply(p1.clone()).unwrap();
        let d = m.diff(&n);
        out += &format!("diff {:?}\n", d);
        out += &format!("diff-self-empty {}\n", m.diff(&m).is_empty());
        let mut k = n.clone();
        k.name.given = "z".into();
        k.name.family = Some("f".into());
        k.address.postal_code = Some("p".into());
        k.age = None;
        k.tags.push("y".into());
        let dk = n.diff(&k);
        out += &format!("diff-nested {:?}\n", dk);
        let mut n2 = n.clone();
        n2.apply(dk).unwrap();
        out += &format!("roundtrip-nested {}\n", n2 == k);
        let mut m2 = m.clone();
        m2.apply(d).unwrap();
        out += &format!("roundtrip {}\n", m2 == n);
        let full = Model3::default().to_patch();
        out += &format!("full {:?} {}\n", full, full == full.clone());
        out += &format!("json {}\n", serde_json::to_string(&p1).unwrap());
        out += &format!("then {:?}\n", p1.clone().then(p2.clone()));
        out += &format!(
            "then-nested {:?}\n",
            p1.clone().then(
                Model0Patch::new()
                    .clear_nickname()
                    .name(NamePatch::new().clear_middle().formatted("x"))
                    .address(AddressPatch::new().clear_region())
            )
        );
        out += &format!("full-model0 {:?}\n", bench_inputs!($m).0.to_patch());
        out
    }};
}

/// A model full of values, and the patch that rebuilds it (every field set).
macro_rules! bench_inputs {
    ($m:ident) => {{
        use $m::*;
        let model = Model0 {
            user_name: "ada".into(),
            email_address: "ada@example.com".into(),
            login_count: 3,
            is_active: true,
            score: 1.5,
            tags: vec!["a".into()],
            external_key: "k".into(),
            revision: 2,
            nickname: Some("n".into()),
            title: Some("t".into()),
            locale: Some("en".into()),
            time_zone: Some("UTC".into()),
            mobile_phone: Some("1".into()),
            age: Some(30),
            balance: Some(-4),
            verified: Some(true),
            aliases: Some(vec!["x".into()]),
            name: Name {
                given: "g".into(),
                family: Some("f".into()),
                middle: None,
                formatted: None,
            },
            address: Address::default(),
            photo: Photo::default(),
        };
        let full = model.to_patch();
        let sparse = Model0Patch::new()
            .nickname("m")
            .age(31)
            .name(NamePatch::new().given("h"));
        (model, full, sparse)
    }};
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let b = results!(base);
    let a = results!(va);
    let c = results!(vb);
    print!("{b}");
    println!("A same as base: {}", a == b);
    println!("B same as base: {}", c == b);
    if a != b || c != b {
        for (x, y) in b.lines().zip(a.lines()) {
            if x != y {
                println!("base {x}\nA    {y}");
            }
        }
        for (x, y) in b.lines().zip(c.lines()) {
            if x != y {
                println!("base {x}\nB    {y}");
            }
        }
        std::process::exit(1);
    }
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("count") {
        // count VARIANT OP N: N calls of one operation (run under callgrind; subtract N = 0).
        let (v, op, n) = (
            args[2].as_str(),
            args[3].as_str(),
            args[4].parse::<usize>().unwrap(),
        );
        macro_rules! run {
            ($m:ident) => {{
                use $m::*;
                let (m, full, sparse) = bench_inputs!($m);
                let full2 = full.clone();
                let empty = Model0Patch::new();
                let mut text = String::with_capacity(4096);
                for _ in 0..n {
                    match op {
                        "eq" => {
                            black_box(black_box(&full) == black_box(&full2));
                        }
                        "fmt" => {
                            use std::fmt::Write;
                            text.clear();
                            write!(text, "{:?}", black_box(&full)).unwrap();
                        }
                        "empty" => {
                            black_box(black_box(&empty).is_empty());
                        }
                        "applyfull" => {
                            let mut m = m.clone();
                            m.apply(black_box(&full).clone()).unwrap();
                            black_box(m);
                        }
                        "clonefull" => {
                            black_box((m.clone(), black_box(&full).clone()));
                        }
                        "applysparse" => {
                            let mut m = m.clone();
                            m.apply(black_box(&sparse).clone()).unwrap();
                            black_box(m);
                        }
                        "clonesparse" => {
                            black_box((m.clone(), black_box(&sparse).clone()));
                        }
                        "diff" => {
                            black_box(black_box(&m).diff(black_box(&m)));
                        }
                        _ => panic!("op"),
                    }
                }
                black_box(text);
            }};
        }
        match v {
            "base" => run!(base),
            "a" => run!(va),
            "b" => run!(vb),
            _ => panic!("variant"),
        }
        return;
    }
    if std::env::args().nth(1).as_deref() != Some("time") {
        return;
    }

    let (bm, bf, bs) = bench_inputs!(base);
    let (am, af, as_) = bench_inputs!(va);
    let (cm, cf, cs) = bench_inputs!(vb);
    let bf2 = bf.clone();
    let af2 = af.clone();
    let cf2 = cf.clone();
    const CALLS: usize = 100_000;
    const ROUNDS: usize = 10; // 1,000,000 calls per variant and operation
    macro_rules! time {
        ($e:expr) => {{
            let t = Instant::now();
            for _ in 0..CALLS {
                black_box($e);
            }
            t.elapsed().as_secs_f64()
        }};
    }
    let mut rows: Vec<(&str, Vec<f64>, Vec<f64>, Vec<f64>)> = Vec::new();
    for name in [
        "eq (full patches, equal)",
        "apply (full patch, cloned)",
        "apply (3-field patch, cloned)",
        "clone of the full patch alone",
        "clone of the 3-field patch alone",
        "diff (full models)",
        "is_empty (3-field patch)",
    ] {
        rows.push((name, vec![], vec![], vec![]));
    }
    for round in 0..ROUNDS {
        for k in 0..3 {
            let v = (round + k) % 3;
            macro_rules! go {
                ($m:expr, $f:expr, $f2:expr, $s:expr) => {{
                    let ts = [
                        time!(black_box(&$f) == black_box(&$f2)),
                        time!({
                            let mut m = $m.clone();
                            m.apply(black_box(&$f).clone()).unwrap();
                            m
                        }),
                        time!({
                            let mut m = $m.clone();
                            m.apply(black_box(&$s).clone()).unwrap();
                            m
                        }),
                        time!({ ($m.clone(), black_box(&$f).clone()) }),
                        time!({ ($m.clone(), black_box(&$s).clone()) }),
                        time!(black_box(&$m).diff(black_box(&$m))),
                        time!(black_box(&$s).is_empty()),
                    ];
                    for (row, t) in rows.iter_mut().zip(ts) {
                        match v {
                            0 => row.1.push(t),
                            1 => row.2.push(t),
                            _ => row.3.push(t),
                        }
                    }
                }};
            }
            match v {
                0 => go!(bm, bf, bf2, bs),
                1 => go!(am, af, af2, as_),
                _ => go!(cm, cf, cf2, cs),
            }
        }
    }
    println!(
        "{} calls a variant, {} rounds; medians of ns a call; A/base and B/base: median of per-round ratios",
        CALLS * ROUNDS,
        ROUNDS
    );
    for (name, b, a, c) in rows {
        let ra = median(a.iter().zip(&b).map(|(a, b)| a / b).collect());
        let rc = median(c.iter().zip(&b).map(|(c, b)| c / b).collect());
        let ns = |v: &Vec<f64>| median(v.clone()) * 1e9 / CALLS as f64;
        println!(
            "{name:36} base {:8.1}  A {:8.1}  B {:8.1}  A/base {ra:.3}  B/base {rc:.3}",
            ns(&b),
            ns(&a),
            ns(&c)
        );
    }
}
