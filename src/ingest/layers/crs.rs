//! Coordinate systems: `.prj` WKT, EPSG codes of CGCS2000, and the
//! Gauss–Krüger projection used to put geographic layers into metres.
//!
//! Projected layers (CGCS2000 3°/6° Gauss–Krüger, with or without the zone
//! prefix in the false easting) are used as they are. Geographic layers
//! (EPSG:4490, WGS 84) keep their geodesic areas, computed before
//! projection, and are projected to the 3° zone of their centre for
//! distances, perimeters and overlays.

/// How coordinates are to be read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CrsKind {
    /// Planar; coordinates × `to_metre` are metres.
    Projected { to_metre: f64 },
    /// Longitude/latitude in degrees.
    Geographic,
}

/// A layer's coordinate system.
#[derive(Debug, Clone, PartialEq)]
pub struct Crs {
    pub kind: CrsKind,
    /// Shown in messages, e.g. `CGCS2000_3_Degree_GK_CM_117E` or `EPSG:4490`.
    pub label: String,
    /// Equal for the same system however it is written (datum axis, central meridian, false easting, unit).
    pub key: String,
    /// Named by the file (`.prj`, srs table, `crs` member) rather than guessed from the coordinates.
    pub declared: bool,
}

const CGCS2000_A: f64 = 6_378_137.0;
const CGCS2000_RF: f64 = 298.257_222_101;

impl Crs {
    fn projected(label: String, a: f64, cm: f64, fe: f64, to_metre: f64) -> Self {
        Crs {
            kind: CrsKind::Projected { to_metre },
            key: format!("proj|{:.0}|{cm:.3}|{fe:.0}|{to_metre:.6}", a),
            label,
            declared: true,
        }
    }

    fn geographic(label: String) -> Self {
        Crs {
            kind: CrsKind::Geographic,
            key: "geog".into(),
            label,
            declared: true,
        }
    }

    /// A CRS from an EPSG code: CGCS2000 geographic and Gauss–Krüger, WGS 84.
    pub fn from_epsg(code: u32) -> Option<Self> {
        let label = format!("EPSG:{code}");
        let gk = |cm: f64, fe: f64| Some(Self::projected(label.clone(), CGCS2000_A, cm, fe, 1.0));
        match code {
            4490 | 4326 | 4610 | 4214 => Some(Self::geographic(label)),
            // 6° zones 13–23 with the zone prefix, then by central meridian.
            4491..=4501 => {
                let zone = f64::from(code - 4491 + 13);
                gk(zone * 6.0 - 3.0, zone * 1e6 + 500_000.0)
            }
            4502..=4512 => gk(f64::from(code - 4502) * 6.0 + 75.0, 500_000.0),
            // 3° zones 25–45 with the zone prefix, then by central meridian 75°–135°.
            4513..=4533 => {
                let zone = f64::from(code - 4513 + 25);
                gk(zone * 3.0, zone * 1e6 + 500_000.0)
            }
            4534..=4554 => gk(f64::from(code - 4534) * 3.0 + 75.0, 500_000.0),
            _ => None,
        }
    }

    /// A CRS from WKT (ESRI `.prj` or OGC WKT 1/2); `None` when it is neither projected nor geographic.
    pub fn from_wkt(wkt: &str) -> Option<Self> {
        let t = wkt.trim();
        let upper = t.to_uppercase();
        let name = quoted_after(t, 0).unwrap_or_default();
        if let Some(code) = authority_epsg(&upper)
            && let Some(mut c) = Self::from_epsg(code)
        {
            if !name.is_empty() {
                c.label = name;
            }
            return Some(c);
        }
        if ["PROJCS", "PROJCRS", "PROJECTEDCRS"]
            .iter()
            .any(|k| upper.starts_with(k))
        {
            let a = number_after(&upper, "SPHEROID[").or_else(|| number_after(&upper, "ELLIPSOID["));
            let cm = parameter(&upper, "CENTRAL_MERIDIAN")
                .or_else(|| parameter(&upper, "LONGITUDE OF NATURAL ORIGIN"))
                .unwrap_or(0.0);
            let fe = parameter(&upper, "FALSE_EASTING")
                .or_else(|| parameter(&upper, "FALSE EASTING"))
                .unwrap_or(0.0);
            let to_metre = last_unit(&upper).unwrap_or(1.0);
            return Some(Self::projected(name, a.unwrap_or(CGCS2000_A), cm, fe, to_metre));
        }
        if ["GEOGCS", "GEOGCRS", "GEODCRS", "GEOGRAPHICCRS"]
            .iter()
            .any(|k| upper.starts_with(k))
        {
            return Some(Self::geographic(name));
        }
        None
    }

    /// Guess from the coordinates when the file names no CRS.
    pub fn guess(min: (f64, f64), max: (f64, f64)) -> Self {
        let geographic = min.0 >= -180.0 && max.0 <= 180.0 && min.1 >= -90.0 && max.1 <= 90.0;
        let mut c = if geographic {
            Self::geographic("经纬度坐标（按坐标范围判断）".into())
        } else {
            Crs {
                kind: CrsKind::Projected { to_metre: 1.0 },
                key: "proj|guessed".into(),
                label: "投影坐标（米，按坐标范围判断）".into(),
                declared: false,
            }
        };
        c.declared = false;
        c
    }
}

/// The first quoted string after `from`.
fn quoted_after(s: &str, from: usize) -> Option<String> {
    let rest = &s[from..];
    let a = rest.find('"')?;
    let b = rest[a + 1..].find('"')?;
    Some(rest[a + 1..a + 1 + b].to_string())
}

/// The number after the first comma following `key` (e.g. `SPHEROID["CGCS2000",6378137.0,…`).
fn number_after(upper: &str, key: &str) -> Option<f64> {
    let at = upper.find(key)? + key.len();
    let rest = &upper[at..];
    let comma = rest.find(',')?;
    let tail = &rest[comma + 1..];
    let end = tail.find([',', ']']).unwrap_or(tail.len());
    tail[..end].trim().parse().ok()
}

/// `PARAMETER["name",value]`.
fn parameter(upper: &str, name: &str) -> Option<f64> {
    number_after(upper, &format!("PARAMETER[\"{name}\""))
        .or_else(|| number_after(upper, &format!("PARAMETER[\"{}\"", name.replace(' ', "_"))))
}

/// The factor of the last `UNIT[…]` (a projected CRS's linear unit).
fn last_unit(upper: &str) -> Option<f64> {
    let at = upper.rfind("UNIT[")?;
    number_after(&upper[at..], "UNIT[")
}

/// The EPSG code of the outermost `AUTHORITY["EPSG","4527"]` or `ID["EPSG",4527]`
/// (the one closing the text; an inner datum's code does not count).
fn authority_epsg(upper: &str) -> Option<u32> {
    for key in ["AUTHORITY[\"EPSG\",", "ID[\"EPSG\","] {
        if let Some(at) = upper.rfind(key) {
            let tail = upper[at + key.len()..].trim_start_matches([' ', '"']);
            let digits: String = tail.chars().take_while(char::is_ascii_digit).collect();
            let closes = tail[digits.len()..]
                .chars()
                .all(|c| matches!(c, '"' | ']' | ' ' | '\n' | '\r'));
            return if closes { digits.parse().ok() } else { None };
        }
    }
    None
}

/// Transverse Mercator (Gauss–Krüger) on the CGCS2000 ellipsoid, false easting 500 km.
#[derive(Debug, Clone, Copy)]
pub struct GaussKruger {
    /// Central meridian, degrees.
    pub cm: f64,
}

impl GaussKruger {
    /// The 3° zone whose central meridian is nearest to `lon`.
    pub fn zone_of(lon: f64) -> Self {
        Self {
            cm: (lon / 3.0).round() * 3.0,
        }
    }

    /// Project (lon, lat) in degrees to (x, y) in metres.
    pub fn forward(&self, lon: f64, lat: f64) -> (f64, f64) {
        let f = 1.0 / CGCS2000_RF;
        let e2 = f * (2.0 - f);
        let ep2 = e2 / (1.0 - e2);
        let phi = lat.to_radians();
        let l = (lon - self.cm).to_radians();
        let (s, c) = phi.sin_cos();
        let t = s / c;
        let n = CGCS2000_A / (1.0 - e2 * s * s).sqrt();
        let eta2 = ep2 * c * c;
        let a = l * c;
        let m = meridian_arc(phi, e2);
        let t2 = t * t;
        let x = n
            * (a + (1.0 - t2 + eta2) * a.powi(3) / 6.0
                + (5.0 - 18.0 * t2 + t2 * t2 + 14.0 * eta2 - 58.0 * t2 * eta2) * a.powi(5) / 120.0);
        let y = m + n
            * t
            * (a * a / 2.0
                + (5.0 - t2 + 9.0 * eta2 + 4.0 * eta2 * eta2) * a.powi(4) / 24.0
                + (61.0 - 58.0 * t2 + t2 * t2 + 600.0 * eta2 - 330.0 * ep2) * a.powi(6) / 720.0);
        (x + 500_000.0, y)
    }
}

/// Meridian arc length from the equator to latitude `phi` (radians).
fn meridian_arc(phi: f64, e2: f64) -> f64 {
    let e4 = e2 * e2;
    let e6 = e4 * e2;
    CGCS2000_A
        * ((1.0 - e2 / 4.0 - 3.0 * e4 / 64.0 - 5.0 * e6 / 256.0) * phi
            - (3.0 * e2 / 8.0 + 3.0 * e4 / 32.0 + 45.0 * e6 / 1024.0) * (2.0 * phi).sin()
            + (15.0 * e4 / 256.0 + 45.0 * e6 / 1024.0) * (4.0 * phi).sin()
            - (35.0 * e6 / 3072.0) * (6.0 * phi).sin())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn esri_prj_of_a_3_degree_zone_equals_its_epsg_code() {
        let prj = r#"PROJCS["CGCS2000_3_Degree_GK_CM_117E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
        let c = Crs::from_wkt(prj).expect("projected");
        assert_eq!(c.label, "CGCS2000_3_Degree_GK_CM_117E");
        assert_eq!(c.key, Crs::from_epsg(4548).expect("4548 is CM 117°E").key);
        assert_ne!(c.key, Crs::from_epsg(4527).expect("zone 39").key);
        assert_eq!(Crs::from_epsg(4490).map(|c| c.kind), Some(CrsKind::Geographic));
    }

    #[test]
    fn gauss_kruger_is_exact_on_the_central_meridian_and_symmetric() {
        let gk = GaussKruger { cm: 117.0 };
        let (x, y) = gk.forward(117.0, 0.0);
        assert!((x - 500_000.0).abs() < 1e-6 && y.abs() < 1e-6);
        // One degree of longitude on the equator, 1.5° off the meridian: about 111.3 km.
        let (x1, _) = gk.forward(118.0, 0.0);
        assert!((x1 - 500_000.0 - 111_320.0).abs() < 30.0, "{x1}");
        let (xw, yw) = gk.forward(116.0, 30.0);
        let (xe, ye) = gk.forward(118.0, 30.0);
        assert!((xe - 500_000.0 + xw - 500_000.0).abs() < 1e-6 && (ye - yw).abs() < 1e-6);
    }
}
