//! [`Region`]: the PingOne deployments, with their API base and auth host.

use core::fmt;
use core::str::FromStr;

/// A PingOne region (deployment). Each has its own API base URL and auth host.
///
/// Source: the PingOne Platform API documentation, "PingOne API domains"
/// (<https://apidocs.pingidentity.com/pingone/platform/v1/api/#top>), as copied into the
/// project's reference notes.
///
/// ```
/// use sparse_patch::pingone::Region;
///
/// let region: Region = "EU".parse().unwrap();
/// assert_eq!(region, Region::Europe);
/// assert_eq!(region.api_base_url(), "https://api.pingone.eu/v1");
/// assert_eq!(region.auth_base_url(), "https://auth.pingone.eu");
/// ```
#[cfg(feature = "client")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Region {
    /// North America: `api.pingone.com`.
    NorthAmerica,
    /// Canada: `api.pingone.ca`.
    Canada,
    /// Europe: `api.pingone.eu`.
    Europe,
    /// Australia: `api.pingone.com.au`.
    Australia,
    /// Singapore: `api.pingone.sg`.
    Singapore,
    /// Asia-Pacific (legacy): `api.pingone.asia`.
    AsiaPacific,
}

impl Region {
    /// Every region, in the order of the PingOne documentation: a slice, so that a region
    /// added later does not change its type.
    pub const ALL: &'static [Region] = &[
        Region::NorthAmerica,
        Region::Canada,
        Region::Europe,
        Region::Australia,
        Region::Singapore,
        Region::AsiaPacific,
    ];

    /// The management API base URL, such as `https://api.pingone.com/v1` (no trailing slash).
    #[must_use]
    pub const fn api_base_url(self) -> &'static str {
        match self {
            Region::NorthAmerica => "https://api.pingone.com/v1",
            Region::Canada => "https://api.pingone.ca/v1",
            Region::Europe => "https://api.pingone.eu/v1",
            Region::Australia => "https://api.pingone.com.au/v1",
            Region::Singapore => "https://api.pingone.sg/v1",
            Region::AsiaPacific => "https://api.pingone.asia/v1",
        }
    }

    /// The auth host, such as `https://auth.pingone.com`: worker tokens come from
    /// `POST {auth}/{environmentID}/as/token`.
    #[must_use]
    pub const fn auth_base_url(self) -> &'static str {
        match self {
            Region::NorthAmerica => "https://auth.pingone.com",
            Region::Canada => "https://auth.pingone.ca",
            Region::Europe => "https://auth.pingone.eu",
            Region::Australia => "https://auth.pingone.com.au",
            Region::Singapore => "https://auth.pingone.sg",
            Region::AsiaPacific => "https://auth.pingone.asia",
        }
    }

    /// The short code accepted by [`FromStr`]: `NA`, `CA`, `EU`, `AU`, `SG` or `AP`.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Region::NorthAmerica => "NA",
            Region::Canada => "CA",
            Region::Europe => "EU",
            Region::Australia => "AU",
            Region::Singapore => "SG",
            Region::AsiaPacific => "AP",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.code())
    }
}

/// The input of [`Region::from_str`] named no region. Its text and `Debug` quote the input
/// escaped as Rust's `Debug` writes a string, its first 64 characters and its length where it
/// is longer; [`input`](Self::input) gives it whole.
#[cfg(feature = "client")]
#[derive(Clone, PartialEq, Eq)]
pub struct UnknownRegion(String);

impl fmt::Display for UnknownRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown PingOne region {}: expected NA, CA, EU, AU, SG or AP (or com, ca, eu, com.au, sg, asia)",
            crate::quoted::Quoted {
                text: &self.0,
                max: 64
            }
        )
    }
}

/// As `#[derive(Debug)]` writes it, the input cut as the text cuts it: a setting of a
/// megabyte (a variable, a flag) went whole into `unwrap`'s message.
impl fmt::Debug for UnknownRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("UnknownRegion")
            .field(&crate::quoted::Quoted {
                text: &self.0,
                max: 64,
            })
            .finish()
    }
}

impl std::error::Error for UnknownRegion {}

impl UnknownRegion {
    /// The text that named no region, whole (without the white space around it, which
    /// [`Region::from_str`] ignores): the error's text quotes at most 64 characters of it.
    ///
    /// ```
    /// use sparse_patch::pingone::Region;
    ///
    /// let error = " Mars ".parse::<Region>().unwrap_err();
    /// assert_eq!(error.input(), "Mars");
    /// ```
    #[must_use]
    pub fn input(&self) -> &str {
        &self.0
    }
}

impl FromStr for Region {
    type Err = UnknownRegion;

    /// Reads a region code (`NA`, `CA`, `EU`, `AU`, `SG`, `AP`), the domain's top level
    /// (`com`, `ca`, `eu`, `com.au`, `sg`, `asia`) or the region's name (`NorthAmerica` or
    /// `North_America`, `US`, `Canada`, `Europe`, `Australia`, `Singapore`, `Asia`,
    /// `AsiaPacific` or `Asia_Pacific`), each case-insensitively.
    /// White space around it is ignored (a value read from a file or an environment
    /// variable with its line's end).
    ///
    /// # Errors
    ///
    /// [`UnknownRegion`] for anything else.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let region = match s.to_ascii_uppercase().as_str() {
            "NA" | "NORTHAMERICA" | "NORTH_AMERICA" | "COM" | "US" => Region::NorthAmerica,
            "CA" | "CANADA" => Region::Canada,
            "EU" | "EUROPE" => Region::Europe,
            "AU" | "AUSTRALIA" | "COM.AU" => Region::Australia,
            "SG" | "SINGAPORE" => Region::Singapore,
            "AP" | "ASIA" | "ASIAPACIFIC" | "ASIA_PACIFIC" => Region::AsiaPacific,
            _ => return Err(UnknownRegion(s.to_owned())),
        };
        Ok(region)
    }
}

/// The region's [`code`](Region::code) (`"EU"`), as [`Display`](fmt::Display) writes it: a
/// configuration file that stores a region.
impl serde::Serialize for Region {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

/// A string, read as [`Region::from_str`] reads it: a code, a domain's top level or a name,
/// in any case (`"EU"`, `"eu"`, `"Europe"`); any other string is an error with
/// [`UnknownRegion`]'s text.
///
/// ```
/// use sparse_patch::pingone::Region;
///
/// #[derive(serde::Deserialize)]
/// struct Settings {
///     region: Region,
/// }
///
/// let settings: Settings = serde_json::from_str(r#"{"region": "europe"}"#)?;
/// assert_eq!(settings.region, Region::Europe);
/// assert_eq!(serde_json::to_string(&Region::Europe)?, r#""EU""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
impl<'de> serde::Deserialize<'de> for Region {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RegionText;

        impl serde::de::Visitor<'_> for RegionText {
            type Value = Region;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a PingOne region code, such as \"EU\"")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Region, E> {
                text.parse().map_err(E::custom)
            }
        }

        deserializer.deserialize_str(RegionText)
    }
}

#[cfg(test)]
mod tests {
    use super::Region;

    /// Each code, domain's top level and name, in any case and with white space around it,
    /// reads as its region; a region's code reads as it. (Mutation testing: `com.au` and the
    /// white space around could be dropped unnoticed.)
    #[test]
    fn every_spelling_reads_as_its_region() {
        for (text, region) in [
            ("NA", Region::NorthAmerica),
            ("com", Region::NorthAmerica),
            ("us", Region::NorthAmerica),
            ("north_america", Region::NorthAmerica),
            ("ca", Region::Canada),
            ("Canada", Region::Canada),
            ("eu", Region::Europe),
            ("EUROPE", Region::Europe),
            ("AU", Region::Australia),
            ("com.au", Region::Australia),
            ("COM.AU", Region::Australia),
            ("australia", Region::Australia),
            ("sg", Region::Singapore),
            ("Singapore", Region::Singapore),
            ("AP", Region::AsiaPacific),
            ("asia", Region::AsiaPacific),
            ("Asia_Pacific", Region::AsiaPacific),
            (" EU\n", Region::Europe),
            ("\tcom.au ", Region::Australia),
        ] {
            assert_eq!(text.parse::<Region>(), Ok(region), "{text:?}");
        }
        for region in Region::ALL {
            assert_eq!(region.code().parse::<Region>(), Ok(*region));
            assert_eq!(region.to_string(), region.code());
        }
        for text in ["", "E U", "europa", "com.", "au.com", "asia-pacific"] {
            assert!(text.parse::<Region>().is_err(), "{text:?}");
        }
        assert_eq!(" Mars \n".parse::<Region>().unwrap_err().input(), "Mars");
    }
}
