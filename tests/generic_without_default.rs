//! Issue 8, fault "generic patches demand `T: Default` to deserialize": a patch of a generic
//! model is read, written, applied and diffed when the type argument has no `Default`. Every
//! patch field defaults to absent (`None`, `Field::Absent`, an absent nested patch or map patch)
//! for any `T`, so no `Default` bound on a type parameter is ever needed. One model per field
//! kind that holds the parameter: required, nullable, nested (required and nullable) and map
//! value.
//!
//! This file does not compile before the fix (serde's derive bounds `M: Default` because every
//! patch field carries `#[serde(default)]`); it is a file of its own so that the rest of the
//! suite still builds.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::json;
use sparse_patch::{Field, FromPatch, Patchable};

/// An amount of money: `Serialize`, `Deserialize`, `Clone`, `PartialEq` and `Debug`, but
/// deliberately no `Default`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Money {
    cents: i64,
    currency: String,
}

fn eur(cents: i64) -> Money {
    Money {
        cents,
        currency: "EUR".into(),
    }
}

/// Required and nullable fields of the parameter's type.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Priced<M> {
    price: M,
    #[serde(skip_serializing_if = "Option::is_none")]
    discount: Option<M>,
}

#[test]
fn required_and_nullable_generic_fields_read_without_default() {
    let read: PricedPatch<Money> =
        serde_json::from_str(r#"{"price": {"cents": 250, "currency": "EUR"}}"#).unwrap();
    assert_eq!(read.price, Some(eur(250)));
    assert_eq!(read.discount, Field::Absent);

    let read: PricedPatch<Money> = serde_json::from_str(r#"{"discount": null}"#).unwrap();
    assert_eq!(read.price, None);
    assert_eq!(read.discount, Field::Null);

    let read: PricedPatch<Money> =
        serde_json::from_str(r#"{"discount": {"cents": 5, "currency": "EUR"}}"#).unwrap();
    assert_eq!(read.discount, Field::Value(eur(5)));

    let empty: PricedPatch<Money> = serde_json::from_str("{}").unwrap();
    assert!(empty.is_empty());

    // `null` for the required attribute is refused, naming it.
    let error = serde_json::from_str::<PricedPatch<Money>>(r#"{"price": null}"#).unwrap_err();
    assert!(error.to_string().contains("price"), "{error}");
    // so is a value of the wrong shape
    assert!(serde_json::from_str::<PricedPatch<Money>>(r#"{"price": 3}"#).is_err());
}

#[test]
fn required_and_nullable_generic_fields_write_apply_and_diff() {
    let patch = PricedPatch::<Money>::new().price(eur(300)).clear_discount();
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"price": {"cents": 300, "currency": "EUR"}, "discount": null})
    );

    let mut model = Priced {
        price: eur(100),
        discount: Some(eur(10)),
    };
    model.apply(patch).unwrap();
    assert_eq!(
        model,
        Priced {
            price: eur(300),
            discount: None
        }
    );

    let target = Priced {
        price: eur(300),
        discount: Some(eur(20)),
    };
    let diff = model.diff(&target);
    assert_eq!(
        serde_json::to_value(&diff).unwrap(),
        json!({"discount": {"cents": 20, "currency": "EUR"}})
    );
    // the diff survives a JSON round trip, then gives the target
    let back: PricedPatch<Money> =
        serde_json::from_str(&serde_json::to_string(&diff).unwrap()).unwrap();
    assert_eq!(back, diff);
    model.apply(back).unwrap();
    assert_eq!(model, target);
    assert!(model.diff(&model).is_empty());
}

/// A nested model whose field has the parameter's type.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Line<M> {
    amount: M,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

/// Nested generic models, required and nullable.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Invoice<M> {
    #[patchable(nested)]
    total: Line<M>,
    #[patchable(nested)]
    #[serde(skip_serializing_if = "Option::is_none")]
    tip: Option<Line<M>>,
}

#[test]
fn nested_generic_fields_read_without_default() {
    let read: InvoicePatch<Money> = serde_json::from_str(
        r#"{"total": {"amount": {"cents": 1, "currency": "EUR"}}, "tip": null}"#,
    )
    .unwrap();
    assert_eq!(read.total.as_ref().unwrap().amount, Some(eur(1)));
    assert!(read.tip.is_null());
    assert_eq!(
        serde_json::to_value(&read).unwrap(),
        json!({"total": {"amount": {"cents": 1, "currency": "EUR"}}, "tip": null})
    );
    assert!(serde_json::from_str::<InvoicePatch<Money>>(r#"{"total": {"amount": null}}"#).is_err());
}

#[test]
fn nested_generic_fields_apply_and_diff() {
    let mut model = Invoice {
        total: Line {
            amount: eur(100),
            note: None,
        },
        tip: None,
    };
    // a nested patch that lands on an absent `tip` builds it
    let patch: InvoicePatch<Money> =
        serde_json::from_str(r#"{"tip": {"amount": {"cents": 7, "currency": "EUR"}}}"#).unwrap();
    model.apply(patch).unwrap();
    assert_eq!(
        model.tip,
        Some(Line {
            amount: eur(7),
            note: None
        })
    );
    // and fails, leaving the model as it was, when the patch lacks a required attribute
    let before = model.clone();
    let mut cleared = model.clone();
    cleared.apply(InvoicePatch::new().clear_tip()).unwrap();
    let patch: InvoicePatch<Money> = serde_json::from_str(r#"{"tip": {"note": "n"}}"#).unwrap();
    let error = cleared.apply(patch).unwrap_err();
    assert!(error.to_string().contains("tip.amount"), "{error}");
    assert_eq!(cleared.tip, None);
    assert_eq!(model, before);

    let target = Invoice {
        total: Line {
            amount: eur(100),
            note: Some("paid".into()),
        },
        tip: None,
    };
    let diff = model.diff(&target);
    assert_eq!(
        serde_json::to_value(&diff).unwrap(),
        json!({"total": {"note": "paid"}, "tip": null})
    );
    model.apply(diff).unwrap();
    assert_eq!(model, target);

    // a model built from a patch alone
    let built = Line::<Money>::from_patch(LinePatch::new().amount(eur(2))).unwrap();
    assert_eq!(built.amount, eur(2));
}

/// Map values of the parameter's type, in a plain and in a flattened map.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Catalog<M> {
    prices: HashMap<String, M>,
    #[serde(flatten)]
    rest: BTreeMap<String, M>,
}

#[test]
fn generic_map_values_read_without_default() {
    let read: CatalogPatch<Money> = serde_json::from_str(
        r#"{"prices": {"tea": {"cents": 3, "currency": "EUR"}, "cake": null},
            "coffee": {"cents": 4, "currency": "EUR"}, "juice": null}"#,
    )
    .unwrap();
    let prices = read.prices.as_ref().unwrap();
    assert_eq!(prices["tea"], Field::Value(eur(3)));
    assert_eq!(prices["cake"], Field::Null);
    assert_eq!(read.rest["coffee"], Field::Value(eur(4)));
    assert_eq!(read.rest["juice"], Field::Null);

    let mut model = Catalog {
        prices: HashMap::from([("cake".to_owned(), eur(9))]),
        rest: BTreeMap::from([("juice".to_owned(), eur(2))]),
    };
    model.apply(read).unwrap();
    assert_eq!(model.prices, HashMap::from([("tea".to_owned(), eur(3))]));
    assert_eq!(model.rest, BTreeMap::from([("coffee".to_owned(), eur(4))]));

    let target = Catalog {
        prices: HashMap::new(),
        rest: BTreeMap::from([("coffee".to_owned(), eur(5))]),
    };
    let diff = model.diff(&target);
    assert_eq!(
        serde_json::to_value(&diff).unwrap(),
        json!({"prices": {"tea": null}, "coffee": {"cents": 5, "currency": "EUR"}})
    );
    model.apply(diff).unwrap();
    assert_eq!(model, target);
}
