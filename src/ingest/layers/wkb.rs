//! Well-known binary polygons (ISO and EWKB, 2D/Z/M/ZM), as GeoPackage stores them.

use geo::{Coord, LineString, MultiPolygon, Polygon};

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
    little: bool,
}

impl Reader<'_> {
    fn u32(&mut self) -> Result<u32, String> {
        let s: [u8; 4] = self
            .b
            .get(self.at..self.at + 4)
            .and_then(|s| s.try_into().ok())
            .ok_or("WKB 几何数据不完整")?;
        self.at += 4;
        Ok(if self.little {
            u32::from_le_bytes(s)
        } else {
            u32::from_be_bytes(s)
        })
    }

    fn f64(&mut self) -> Result<f64, String> {
        let s: [u8; 8] = self
            .b
            .get(self.at..self.at + 8)
            .and_then(|s| s.try_into().ok())
            .ok_or("WKB 几何数据不完整")?;
        self.at += 8;
        Ok(if self.little {
            f64::from_le_bytes(s)
        } else {
            f64::from_be_bytes(s)
        })
    }

    /// Byte order and type: (base type 1–7, coordinates per point).
    fn header(&mut self) -> Result<(u32, usize), String> {
        self.little = *self.b.get(self.at).ok_or("WKB 几何数据为空")? == 1;
        self.at += 1;
        let raw = self.u32()?;
        let (z, m) = (raw & 0x8000_0000 != 0, raw & 0x4000_0000 != 0);
        if raw & 0x2000_0000 != 0 {
            self.u32()?; // EWKB SRID
        }
        let t = raw & 0x0FFF_FFFF;
        let (base, iso) = (t % 1000, t / 1000);
        let dims = 2 + usize::from(z || iso == 1 || iso == 3) + usize::from(m || iso == 2 || iso == 3);
        Ok((base, dims))
    }

    fn polygon_body(&mut self, dims: usize) -> Result<Polygon<f64>, String> {
        let rings = self.u32()? as usize;
        let mut out = Vec::with_capacity(rings.min(1024));
        for _ in 0..rings {
            let n = self.u32()? as usize;
            if n > self.b.len() / 16 + 1 {
                return Err("WKB 点数超出数据长度".into());
            }
            let mut pts = Vec::with_capacity(n);
            for _ in 0..n {
                let x = self.f64()?;
                let y = self.f64()?;
                for _ in 2..dims {
                    self.f64()?;
                }
                pts.push(Coord { x, y });
            }
            out.push(LineString::new(pts));
        }
        let mut it = out.into_iter();
        let ext = it.next().ok_or("空几何（面没有环）")?;
        Ok(Polygon::new(ext, it.collect()))
    }
}

/// Polygons of a WKB Polygon or MultiPolygon.
pub fn polygons(b: &[u8]) -> Result<MultiPolygon<f64>, String> {
    let mut r = Reader { b, at: 0, little: true };
    let (base, dims) = r.header()?;
    match base {
        3 => Ok(MultiPolygon(vec![r.polygon_body(dims)?])),
        6 => {
            let n = r.u32()? as usize;
            let mut polys = Vec::with_capacity(n.min(1024));
            for _ in 0..n {
                let (t, d) = r.header()?;
                if t != 3 {
                    return Err("多面中含有非面几何".into());
                }
                polys.push(r.polygon_body(d)?);
            }
            if polys.is_empty() {
                return Err("空几何（多面没有面）".into());
            }
            Ok(MultiPolygon(polys))
        }
        t => Err(format!("几何类型 {t} 不是面（应为 Polygon 或 MultiPolygon）")),
    }
}

/// WKB of polygons (little endian, 2D MultiPolygon).
pub fn multipolygon_bytes(mp: &MultiPolygon<f64>) -> Vec<u8> {
    let mut out = vec![1u8];
    out.extend(6u32.to_le_bytes());
    out.extend((mp.0.len() as u32).to_le_bytes());
    for p in &mp.0 {
        out.push(1);
        out.extend(3u32.to_le_bytes());
        let rings: Vec<&LineString<f64>> = std::iter::once(p.exterior()).chain(p.interiors()).collect();
        out.extend((rings.len() as u32).to_le_bytes());
        for r in rings {
            out.extend((r.0.len() as u32).to_le_bytes());
            for c in &r.0 {
                out.extend(c.x.to_le_bytes());
                out.extend(c.y.to_le_bytes());
            }
        }
    }
    out
}
