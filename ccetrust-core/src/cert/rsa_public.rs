//! The RSA public operation (`s^e mod n`) behind every RSA signature check, in fixed-size
//! Montgomery arithmetic.
//!
//! Checking a chain is two or three RSA public operations, and they are most of its cost.
//! Everything involved (key, signature, message) is public, so nothing here needs constant
//! time: the exponent is walked bit by bit (17 Montgomery products for e = 65537), where a
//! general-purpose constant-time library does a windowed exponentiation over every bit of a
//! full-width exponent. The modulus sizes met in practice (1024, 2048, 3072, 4096 bits) run
//! on stack arrays whose length the compiler knows, so the limb loops unroll and lose their
//! bounds checks; any other size runs the same code on heap vectors.
//!
//! The key's Montgomery constants (`-n⁻¹ mod 2⁶⁴` and `R² mod n`) are computed once when the
//! key is read, with doublings and Montgomery squarings rather than a long division.
//!
//! The key checks are those of the `rsa` crate (RFC 8017 §3.1 plus its policy): modulus of
//! 1024 to 8192 bits, odd; exponent odd, at least 3, below 2³³ and below the modulus; both
//! INTEGERs minimally encoded and positive.

use super::der_reader::{DerReader, INTEGER, SEQUENCE};
use super::signature::HashAlgorithm;

/// Smallest modulus accepted, in bits (the `rsa` crate's `MIN_SIZE`).
const MIN_BITS: usize = 1024;
/// Largest modulus accepted, in bits (the `rsa` crate's `MAX_SIZE`).
const MAX_BITS: usize = 8192;
/// Largest public exponent accepted (ring's and the `rsa` crate's bound, against RSA-DoS).
const MAX_EXPONENT: u64 = (1 << 33) - 1;

/// Why an RSA public key cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RsaKeyError(pub(crate) &'static str);

/// An RSA public key, ready for the public operation.
#[derive(Clone)]
pub(crate) struct RsaPublic {
    /// The modulus, least significant limb first.
    n: Vec<u64>,
    /// `-n⁻¹ mod 2⁶⁴`.
    n0: u64,
    /// `R² mod n`, with `R = 2^(64·limbs)`.
    rr: Vec<u64>,
    /// The public exponent.
    e: u64,
    /// The modulus length in bytes (`k` of RFC 8017).
    k: usize,
}

impl std::fmt::Debug for RsaPublic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RsaPublic({} bits, e = {})", self.bits(), self.e)
    }
}

/// Reads a positive, minimally encoded DER INTEGER's magnitude.
fn positive_integer<'a>(
    r: &mut DerReader<'a>,
    what: &'static str,
) -> Result<&'a [u8], RsaKeyError> {
    let i = r.expect(INTEGER, what).map_err(|_| RsaKeyError(what))?;
    match i.value {
        [] => Err(RsaKeyError("an empty INTEGER")),
        [b, ..] if b & 0x80 != 0 => Err(RsaKeyError("a negative INTEGER")),
        [0, b, ..] if b & 0x80 == 0 => Err(RsaKeyError("an INTEGER with a redundant leading zero")),
        [0] => Ok(&[]),
        [0, rest @ ..] => Ok(rest),
        v => Ok(v),
    }
}

/// Big-endian bytes to little-endian limbs (exactly `limbs` of them; the bytes must fit).
fn to_limbs(be: &[u8], limbs: usize) -> Vec<u64> {
    let mut out = vec![0u64; limbs];
    for (i, chunk) in be.rchunks(8).enumerate() {
        let mut w = 0u64;
        for b in chunk {
            w = (w << 8) | u64::from(*b);
        }
        if let Some(slot) = out.get_mut(i) {
            *slot = w;
        }
    }
    out
}

/// Reads and checks a PKCS#1 `RSAPublicKey`: the modulus magnitude, the exponent and the
/// modulus length in bits. Every backend applies these same checks, so a key one refuses
/// the other refuses too.
fn read_pkcs1(der: &[u8]) -> Result<(&[u8], u64, usize), RsaKeyError> {
    let mut outer = DerReader::new(der, 0);
    let seq = outer
        .expect(SEQUENCE, "RSAPublicKey")
        .map_err(|_| RsaKeyError("not an RSAPublicKey SEQUENCE"))?;
    if !outer.is_empty() {
        return Err(RsaKeyError("bytes after the RSAPublicKey"));
    }
    let mut r = DerReader::inside(&seq);
    let n = positive_integer(&mut r, "the modulus")?;
    let e = positive_integer(&mut r, "the public exponent")?;
    if !r.is_empty() {
        return Err(RsaKeyError("fields after the public exponent"));
    }
    let bits = n.len() * 8 - n.first().map_or(8, |b| b.leading_zeros() as usize);
    if bits < MIN_BITS {
        return Err(RsaKeyError("modulus shorter than 1024 bits"));
    }
    if bits > MAX_BITS {
        return Err(RsaKeyError("modulus longer than 8192 bits"));
    }
    if n.last().is_some_and(|b| b & 1 == 0) {
        return Err(RsaKeyError("even modulus"));
    }
    if e.len() > 8 {
        return Err(RsaKeyError("public exponent too large"));
    }
    let e = e.iter().fold(0u64, |a, b| (a << 8) | u64::from(*b));
    if e < 3 || e & 1 == 0 {
        return Err(RsaKeyError("public exponent even or below 3"));
    }
    if e > MAX_EXPONENT {
        return Err(RsaKeyError("public exponent too large"));
    }
    Ok((n, e, bits))
}

/// The modulus length in bits of a PKCS#1 `RSAPublicKey` that passes the key checks.
pub(crate) fn pkcs1_bits(der: &[u8]) -> Result<usize, RsaKeyError> {
    read_pkcs1(der).map(|(_, _, bits)| bits)
}

impl RsaPublic {
    /// Reads a PKCS#1 `RSAPublicKey` (the BIT STRING content of an rsaEncryption SPKI).
    pub(crate) fn from_pkcs1(der: &[u8]) -> Result<Self, RsaKeyError> {
        let (n, e, bits) = read_pkcs1(der)?;
        let limbs = bits.div_ceil(64);
        let n = to_limbs(n, limbs);
        // e < 2^33 <= n always holds for a modulus of 1024 bits or more.
        let mut n0 = n[0];
        for _ in 0..5 {
            n0 = n0.wrapping_mul(2u64.wrapping_sub(n[0].wrapping_mul(n0)));
        }
        let mut key = RsaPublic {
            rr: Vec::new(),
            n,
            n0: n0.wrapping_neg(),
            e,
            k: bits.div_ceil(8),
        };
        key.rr = key.compute_rr();
        Ok(key)
    }

    /// The modulus length in bits.
    pub(crate) fn bits(&self) -> usize {
        let top = self.n.last().copied().unwrap_or(0);
        self.n.len() * 64 - top.leading_zeros() as usize
    }

    /// The modulus length in bytes (`k`).
    pub(crate) fn modulus_len(&self) -> usize {
        self.k
    }

    /// `R² mod n` (`R = 2^(64·limbs)`) by one long division of `2^(128·limbs)` by `n`: about
    /// as many limb products as one Montgomery squaring.
    fn compute_rr(&self) -> Vec<u64> {
        let limbs = self.n.len();
        let mut r2 = vec![0u64; 2 * limbs + 1];
        r2[2 * limbs] = 1;
        remainder(&r2, &self.n)
    }

    /// RSAVP1 (RFC 8017 §5.2.2): `s^e mod n` as `k` big-endian bytes, or `None` when the
    /// signature is not `k` bytes long or not below the modulus.
    pub(crate) fn public_op(&self, signature: &[u8]) -> Option<Vec<u8>> {
        if signature.len() != self.k {
            return None;
        }
        let s = to_limbs(signature, self.n.len());
        if !less_than(&s, &self.n) {
            return None;
        }
        let out = match self.n.len() {
            16 => self.exp_fixed::<16>(&s),
            32 => self.exp_fixed::<32>(&s),
            48 => self.exp_fixed::<48>(&s),
            64 => self.exp_fixed::<64>(&s),
            l => {
                let mut out = vec![0u64; l];
                exp(&mut out, &s, self);
                out
            }
        };
        let mut be = Vec::with_capacity(self.n.len() * 8);
        for w in out.iter().rev() {
            be.extend_from_slice(&w.to_be_bytes());
        }
        // The result is below n < 2^(8k): the leading bytes beyond k are zero.
        Some(be.split_off(be.len() - self.k))
    }

    /// RSASSA-PKCS1-v1_5 verification of `digest` (made with `hash`) against `signature`.
    pub(crate) fn verify_pkcs1v15(
        &self,
        hash: HashAlgorithm,
        digest: &[u8],
        signature: &[u8],
    ) -> bool {
        pkcs1v15_verify(self, hash, digest, signature)
    }

    /// The public operation on stack arrays of a length known at compile time.
    fn exp_fixed<const N: usize>(&self, s: &[u64]) -> Vec<u64> {
        let (mut n, mut rr, mut base) = ([0u64; N], [0u64; N], [0u64; N]);
        n.copy_from_slice(&self.n);
        rr.copy_from_slice(&self.rr);
        base.copy_from_slice(s);
        let (mut out, mut sm, mut acc) = ([0u64; N], [0u64; N], [0u64; N]);
        let mut wide = [[0u64; N]; 2];
        let b = Buffers {
            out: &mut out,
            sm: &mut sm,
            acc: &mut acc,
            scratch: wide.as_flattened_mut(),
        };
        exp_with(b, &base, &n, &rr, self.n0, self.e);
        out.to_vec()
    }
}

/// DigestInfo prefixes of EMSA-PKCS1-v1_5 (RFC 8017 §9.2, note 1).
fn digest_info_prefix(h: HashAlgorithm) -> &'static [u8] {
    match h {
        HashAlgorithm::Sha1 => &[
            0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04,
            0x14,
        ],
        HashAlgorithm::Sha256 => &[
            0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x01, 0x05, 0x00, 0x04, 0x20,
        ],
        HashAlgorithm::Sha384 => &[
            0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x02, 0x05, 0x00, 0x04, 0x30,
        ],
        HashAlgorithm::Sha512 => &[
            0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x03, 0x05, 0x00, 0x04, 0x40,
        ],
    }
}

/// RSASSA-PKCS1-v1_5 verification (RFC 8017 §8.2.2) with a variable-time public operation
/// (everything here is public, nothing needs constant time). The encoded
/// message is rebuilt and compared whole (§8.2.2 step 3-4), never parsed.
fn pkcs1v15_verify(key: &RsaPublic, hash: HashAlgorithm, digest: &[u8], sig: &[u8]) -> bool {
    let k = key.modulus_len();
    let prefix = digest_info_prefix(hash);
    // §8.2.2 step 1 and §9.2 step 5: lengths.
    if sig.len() != k || k < prefix.len() + digest.len() + 11 {
        return false;
    }
    // RSAVP1 (§5.2.2), which refuses a representative not below the modulus.
    let Some(em) = key.public_op(sig) else {
        return false;
    };
    // EM = 0x00 || 0x01 || PS (0xff…, at least 8) || 0x00 || DigestInfo.
    let t_len = prefix.len() + digest.len();
    let ps_len = k - 3 - t_len;
    em[0] == 0
        && em[1] == 1
        && em[2..2 + ps_len].iter().all(|b| *b == 0xff)
        && em[2 + ps_len] == 0
        && &em[3 + ps_len..3 + ps_len + prefix.len()] == prefix
        && &em[3 + ps_len + prefix.len()..] == digest
}

/// Working space of one exponentiation: the limb count long, `scratch` twice that.
struct Buffers<'a> {
    out: &'a mut [u64],
    sm: &'a mut [u64],
    acc: &'a mut [u64],
    scratch: &'a mut [u64],
}

/// `out = s^e mod n` on heap buffers (any limb count).
fn exp(out: &mut [u64], s: &[u64], key: &RsaPublic) {
    let l = key.n.len();
    let (mut sm, mut acc, mut m) = (vec![0u64; l], vec![0u64; l], vec![0u64; 2 * l]);
    let b = Buffers {
        out,
        sm: &mut sm,
        acc: &mut acc,
        scratch: &mut m,
    };
    exp_with(b, s, &key.n, &key.rr, key.n0, key.e);
}

/// Left-to-right binary exponentiation for an odd exponent. `s` is taken into Montgomery
/// form once; the last product multiplies by plain `s`, which leaves Montgomery form for
/// free (`x·R · s · R⁻¹ = x·s`).
#[inline(always)]
fn exp_with(b: Buffers<'_>, s: &[u64], n: &[u64], rr: &[u64], n0: u64, e: u64) {
    let Buffers {
        out,
        sm,
        acc,
        scratch,
    } = b;
    mont_mul(sm, s, rr, n, n0, scratch);
    acc.copy_from_slice(sm);
    let top = 63 - e.leading_zeros();
    for i in (1..top).rev() {
        mont_sqr(out, acc, n, n0, scratch);
        if e >> i & 1 == 1 {
            mont_mul(acc, out, sm, n, n0, scratch);
        } else {
            acc.copy_from_slice(out);
        }
    }
    // Bit 0 is set (the exponent is odd).
    mont_sqr(out, acc, n, n0, scratch);
    acc.copy_from_slice(out);
    mont_mul(out, acc, s, n, n0, scratch);
}

/// Montgomery product `out = a·b·R⁻¹ mod n`, for `a, b < n`: the full product, then a
/// Montgomery reduction (separated operand scanning). `wide` is scratch of twice the limb
/// count.
///
/// Both halves walk two rows at once, the second one limb behind the first: the two carry
/// chains are independent, so the processor overlaps them where one row at a time would
/// wait on every carry (the limit of a row loop in portable code without `adcx`/`adox`).
#[inline(always)]
fn mont_mul(out: &mut [u64], a: &[u64], b: &[u64], n: &[u64], n0: u64, wide: &mut [u64]) {
    let len = n.len();
    let (a, b, wide) = (&a[..len], &b[..len], &mut wide[..2 * len]);
    wide.fill(0);
    let mut i = 0;
    while i + 1 < len {
        mul_rows(wide, a, b[i], b[i + 1], i);
        i += 2;
    }
    if i < len {
        mul_row(wide, a, b[i], i);
    }
    redc(out, wide, n, n0);
}

/// `wide[at..] += a·x·2^(64·at)` for a row that starts on zero limbs beyond `at + len`.
#[inline(always)]
fn mul_row(wide: &mut [u64], a: &[u64], x: u64, at: usize) {
    let len = a.len();
    let x = u128::from(x);
    let mut carry = 0u128;
    for (w, &aj) in wide[at..at + len].iter_mut().zip(a) {
        let v = u128::from(*w) + u128::from(aj) * x + carry;
        *w = v as u64;
        carry = v >> 64;
    }
    wide[at + len] = carry as u64;
}

/// Two consecutive rows, `a·x` at limb `at` and `a·y` at `at + 1`, in one pass.
#[inline(always)]
fn mul_rows(wide: &mut [u64], a: &[u64], x: u64, y: u64, at: usize) {
    let len = a.len();
    let (x, y) = (u128::from(x), u128::from(y));
    let v = u128::from(wide[at]) + u128::from(a[0]) * x;
    wide[at] = v as u64;
    let (c1, c2) = two_rows(
        &mut wide[at + 1..at + len],
        &a[1..],
        a,
        x,
        y,
        (v >> 64) as u64,
    );
    let v2 = u128::from(c1) + u128::from(a[len - 1]) * y + u128::from(c2);
    wide[at + len] = v2 as u64;
    wide[at + len + 1] = (v2 >> 64) as u64;
}

/// The shared inner loop of two rows one limb apart: `row[j] += xs[j]·x` (carry `c1`, which
/// starts at `carry`) then `+= ys[j]·y` (carry `c2`, from 0). Returns both carries.
#[inline(always)]
fn two_rows(row: &mut [u64], xs: &[u64], ys: &[u64], x: u128, y: u128, carry: u64) -> (u64, u64) {
    let (mut c1, mut c2) = (carry, 0u64);
    for ((w, &xj), &yj) in row.iter_mut().zip(xs).zip(ys) {
        let v1 = u128::from(*w) + u128::from(xj) * x + u128::from(c1);
        c1 = (v1 >> 64) as u64;
        let v2 = u128::from(v1 as u64) + u128::from(yj) * y + u128::from(c2);
        c2 = (v2 >> 64) as u64;
        *w = v2 as u64;
    }
    (c1, c2)
}

/// Montgomery square `out = a²·R⁻¹ mod n`: each cross product `a[i]·a[j]` is computed once
/// and doubled, then the squares of the limbs are added, then the reduction.
#[inline(always)]
fn mont_sqr(out: &mut [u64], a: &[u64], n: &[u64], n0: u64, wide: &mut [u64]) {
    let len = n.len();
    let (a, wide) = (&a[..len], &mut wide[..2 * len]);
    wide.fill(0);
    // Row i adds a[i]·a[j], j > i, at limb i + j; rows go in pairs while the second one
    // has products of its own.
    let mut i = 0;
    while i + 3 <= len {
        let (x, y) = (u128::from(a[i]), u128::from(a[i + 1]));
        let v = u128::from(wide[2 * i + 1]) + u128::from(a[i + 1]) * x;
        wide[2 * i + 1] = v as u64;
        let v = u128::from(wide[2 * i + 2]) + u128::from(a[i + 2]) * x + (v >> 64);
        wide[2 * i + 2] = v as u64;
        let row = &mut wide[2 * i + 3..i + len];
        let (c1, c2) = two_rows(row, &a[i + 3..], &a[i + 2..], x, y, (v >> 64) as u64);
        let v2 = u128::from(c1) + u128::from(a[len - 1]) * y + u128::from(c2);
        wide[i + len] = v2 as u64;
        wide[i + len + 1] = (v2 >> 64) as u64;
        i += 2;
    }
    while i < len {
        let x = u128::from(a[i]);
        let mut carry = 0u128;
        for (w, &aj) in wide[2 * i + 1..i + len].iter_mut().zip(&a[i + 1..]) {
            let v = u128::from(*w) + u128::from(aj) * x + carry;
            *w = v as u64;
            carry = v >> 64;
        }
        wide[i + len] = carry as u64;
        i += 1;
    }
    // Double the cross products (their sum is below 2^(128·len-1): no bit is lost).
    let mut top = 0u64;
    for w in wide.iter_mut() {
        let next = *w >> 63;
        *w = (*w << 1) | top;
        top = next;
    }
    // Add the squares a[i]² at limb 2i.
    let mut carry = 0u128;
    for (i, &ai) in a.iter().enumerate() {
        let sq = u128::from(ai) * u128::from(ai);
        let lo = u128::from(wide[2 * i]) + (sq & u128::from(u64::MAX)) + carry;
        wide[2 * i] = lo as u64;
        let hi = u128::from(wide[2 * i + 1]) + (sq >> 64) + (lo >> 64);
        wide[2 * i + 1] = hi as u64;
        carry = hi >> 64;
    }
    redc(out, wide, n, n0);
}

/// Montgomery reduction `out = w·R⁻¹ mod n` of a double-width `w < n·R`, two rows at a
/// time (the second row's quotient digit is known once the first row has passed its
/// second limb).
#[inline(always)]
fn redc(out: &mut [u64], wide: &mut [u64], n: &[u64], n0: u64) {
    let len = n.len();
    let out = &mut out[..len];
    // A carry pending into limb `i + len` of the current row.
    let mut top = 0u128;
    let mut i = 0;
    while i + 1 < len {
        let m0 = u128::from(wide[i].wrapping_mul(n0));
        let v = u128::from(wide[i]) + m0 * u128::from(n[0]);
        let mut c1 = v >> 64; // the low word is zero by the choice of m0
        let v = u128::from(wide[i + 1]) + m0 * u128::from(n[1]) + c1;
        c1 = v >> 64;
        let m1 = u128::from((v as u64).wrapping_mul(n0));
        let v = u128::from(v as u64) + m1 * u128::from(n[0]);
        let mut c2 = (v >> 64) as u64;
        let mut c1 = c1 as u64;
        let row = &mut wide[i + 2..i + len];
        for ((w, &nj), &nj1) in row.iter_mut().zip(&n[2..]).zip(&n[1..]) {
            let v1 = u128::from(*w) + m0 * u128::from(nj) + u128::from(c1);
            c1 = (v1 >> 64) as u64;
            let v2 = u128::from(v1 as u64) + m1 * u128::from(nj1) + u128::from(c2);
            c2 = (v2 >> 64) as u64;
            *w = v2 as u64;
        }
        let y = u128::from(wide[i + len]) + u128::from(c1) + top;
        let v2 = u128::from(y as u64) + m1 * u128::from(n[len - 1]) + u128::from(c2);
        wide[i + len] = v2 as u64;
        let z = u128::from(wide[i + len + 1]) + (v2 >> 64) + (y >> 64);
        wide[i + len + 1] = z as u64;
        top = z >> 64;
        i += 2;
    }
    if i < len {
        let m = u128::from(wide[i].wrapping_mul(n0));
        let mut carry = 0u128;
        for (w, &nj) in wide[i..i + len].iter_mut().zip(n) {
            let x = u128::from(*w) + m * u128::from(nj) + carry;
            *w = x as u64;
            carry = x >> 64;
        }
        let x = u128::from(wide[i + len]) + carry + top;
        wide[i + len] = x as u64;
        top = x >> 64;
    }
    out.copy_from_slice(&wide[len..]);
    // The result is below 2n: at most one subtraction.
    if top != 0 || !less_than(out, n) {
        sub_in_place(out, n);
    }
}

/// `a < b` for equal-length little-endian numbers.
#[inline(always)]
fn less_than(a: &[u64], b: &[u64]) -> bool {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if x != y {
            return x < y;
        }
    }
    false
}

/// `a -= b` modulo `2^(64·len)`.
#[inline(always)]
fn sub_in_place(a: &mut [u64], b: &[u64]) {
    let mut borrow = false;
    for (x, y) in a.iter_mut().zip(b) {
        let (d1, b1) = x.overflowing_sub(*y);
        let (d2, b2) = d1.overflowing_sub(u64::from(borrow));
        *x = d2;
        borrow = b1 || b2;
    }
}

/// `u mod v` by schoolbook long division (Knuth, TAOCP vol. 2, §4.3.1, Algorithm D), for a
/// divisor of at least two limbs whose top limb is not zero and a dividend at least as long.
/// Each quotient digit is estimated from the top two limbs of the normalized remainder and
/// the divisor's top limb, corrected with its second limb (then off by at most one, which
/// the rare add-back fixes).
fn remainder(u: &[u64], v: &[u64]) -> Vec<u64> {
    let n = v.len();
    let m = u.len() - n;
    // Normalize: shift both left until the divisor's top bit is set.
    let shift = v[n - 1].leading_zeros();
    let shl = |x: &[u64], extra: usize| -> Vec<u64> {
        let mut out = vec![0u64; x.len() + extra];
        for (i, &w) in x.iter().enumerate() {
            out[i] |= w << shift;
            if shift > 0 {
                out[i + 1] = w >> (64 - shift);
            }
        }
        out
    };
    let vn = shl(v, usize::from(shift > 0));
    let vn = &vn[..n];
    let mut un = shl(u, 1);
    let (v1, v2) = (u128::from(vn[n - 1]), u128::from(vn[n - 2]));
    for j in (0..=m).rev() {
        let top = (u128::from(un[j + n]) << 64) | u128::from(un[j + n - 1]);
        let (mut qhat, mut rhat) = (top / v1, top % v1);
        while qhat >> 64 != 0 || qhat * v2 > ((rhat << 64) | u128::from(un[j + n - 2])) {
            qhat -= 1;
            rhat += v1;
            if rhat >> 64 != 0 {
                break;
            }
        }
        // un[j..=j+n] -= qhat·vn
        let (mut carry, mut borrow) = (0u128, false);
        for (w, &d) in un[j..j + n].iter_mut().zip(vn) {
            let p = qhat * u128::from(d) + carry;
            carry = p >> 64;
            let (x, b1) = w.overflowing_sub(p as u64);
            let (x, b2) = x.overflowing_sub(u64::from(borrow));
            *w = x;
            borrow = b1 || b2;
        }
        let (x, b1) = un[j + n].overflowing_sub(carry as u64);
        let (x, b2) = x.overflowing_sub(u64::from(borrow));
        un[j + n] = x;
        if b1 || b2 {
            // qhat was one too large: add the divisor back.
            let mut c = false;
            for (w, &d) in un[j..j + n].iter_mut().zip(vn) {
                let (x, c1) = w.overflowing_add(d);
                let (x, c2) = x.overflowing_add(u64::from(c));
                *w = x;
                c = c1 || c2;
            }
            un[j + n] = un[j + n].wrapping_add(u64::from(c));
        }
    }
    // The remainder is un[..n], shifted back.
    (0..n)
        .map(|i| {
            if shift == 0 {
                un[i]
            } else {
                (un[i] >> shift) | (un[i + 1] << (64 - shift))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference: the `rsa` crate's key checks and crypto-bigint's modular power.
    fn reference(pkcs1: &[u8], sig: &[u8]) -> Option<Vec<u8>> {
        use rsa::pkcs1::DecodeRsaPublicKey;
        use rsa::traits::PublicKeyParts;
        let key = rsa::RsaPublicKey::from_pkcs1_der(pkcs1).ok()?;
        if sig.len() != key.size() {
            return None;
        }
        let s = rsa::BoxedUint::from_be_slice(sig, key.n_bits_precision()).ok()?;
        if s >= *key.n().as_ref() {
            return None;
        }
        let m = crypto_bigint::modular::BoxedMontyForm::new(s, key.n_params())
            .pow(key.e())
            .retrieve()
            .to_be_bytes();
        Some(m[m.len() - key.size()..].to_vec())
    }

    fn tlv(tag: u8, v: &[u8]) -> Vec<u8> {
        let mut o = vec![tag];
        match v.len() {
            l if l < 0x80 => o.push(l as u8),
            l if l < 0x100 => o.extend([0x81, l as u8]),
            l => o.extend([0x82, (l >> 8) as u8, l as u8]),
        }
        o.extend_from_slice(v);
        o
    }

    /// RSAPublicKey DER from raw INTEGER contents (encoded exactly as given).
    fn pkcs1(n: &[u8], e: &[u8]) -> Vec<u8> {
        let mut body = tlv(INTEGER, n);
        body.extend(tlv(INTEGER, e));
        tlv(SEQUENCE, &body)
    }

    /// Positive INTEGER content for a big-endian magnitude (a zero byte added when needed).
    fn int(mag: &[u8]) -> Vec<u8> {
        let mut v = mag.to_vec();
        if v[0] & 0x80 != 0 {
            v.insert(0, 0);
        }
        v
    }

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn bytes(&mut self, len: usize) -> Vec<u8> {
            (0..len).map(|_| self.next() as u8).collect()
        }
    }

    /// A random odd modulus of exactly `bits` bits.
    fn modulus(rng: &mut Rng, bits: usize) -> Vec<u8> {
        let mut n = rng.bytes(bits.div_ceil(8));
        let top = (bits - 1) % 8;
        n[0] &= (1u16 << (top + 1)).wrapping_sub(1) as u8;
        n[0] |= 1 << top;
        *n.last_mut().unwrap() |= 1;
        n
    }

    fn real_keys() -> Vec<Vec<u8>> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data");
        let mut keys = Vec::new();
        for dir in ["certs", "chain"] {
            for f in std::fs::read_dir(root.join(dir)).unwrap() {
                let p = f.unwrap().path();
                if p.extension().is_some_and(|e| e == "pem") {
                    for c in
                        crate::load_certificates(&std::fs::read(&p).unwrap()).unwrap_or_default()
                    {
                        if let Some(k) = c.subject_public_key_info() {
                            if k.algorithm.oid == super::super::oids::known::RSA_ENCRYPTION {
                                keys.push(k.subject_public_key.as_bytes().unwrap().to_vec());
                            }
                        }
                    }
                }
            }
        }
        keys
    }

    /// Real OpenSSL keys (1024 and 2048 bits) and random odd moduli of every size class
    /// (the fixed 1024/2048/3072/4096-bit paths and the heap path for other lengths, up to
    /// 8192 bits), with exponents 3, 65537 and 2^33-1: `s^e mod n` equals crypto-bigint's on
    /// random signatures, on 2 and on n-1; signatures of the wrong length or not below n are
    /// refused by both.
    #[test]
    fn agrees_with_crypto_bigint() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut keys = real_keys();
        assert!(keys.len() >= 10, "fixture keys found: {}", keys.len());
        for (bits, e) in [
            (1024, &[3u8][..]),
            (1100, &[1, 0, 1]),
            (2048, &[1, 0, 1]),
            (2047, &[1, 0, 1]),
            (2049, &[3]),
            (3072, &[1, 0, 1]),
            (4096, &[1, 0, 1]),
            (4096, &[1, 0xff, 0xff, 0xff, 0xff]),
            (8192, &[1, 0, 1]),
        ] {
            keys.push(pkcs1(&int(&modulus(&mut rng, bits)), e));
        }
        for der in &keys {
            let key = RsaPublic::from_pkcs1(der).unwrap();
            let k = key.modulus_len();
            let n = {
                let mut v = key
                    .n
                    .iter()
                    .rev()
                    .flat_map(|w| w.to_be_bytes())
                    .collect::<Vec<_>>();
                v.split_off(v.len() - k)
            };
            let mut n_minus_1 = n.clone();
            *n_minus_1.last_mut().unwrap() -= 1;
            let mut two = vec![0u8; k];
            two[k - 1] = 2;
            let mut inputs = vec![two, n_minus_1, n.clone(), vec![0xff; k], vec![1; k - 1]];
            for _ in 0..6 {
                let mut s = rng.bytes(k);
                s[0] &= 0x7f >> (8 - key.bits() % 8).min(7);
                inputs.push(s);
            }
            for s in &inputs {
                assert_eq!(
                    key.public_op(s),
                    reference(der, s),
                    "{key:?} on {:02x?}",
                    &s[..4]
                );
            }
            assert!(key.public_op(&n).is_none());
        }
    }

    /// The key checks are the `rsa` crate's: every key below is refused by both, and each
    /// minimal well-formed variant accepted by both.
    /// `remainder` (Knuth's Algorithm D) against crypto-bigint's division: random operands
    /// of every shape the key set-up meets, and divisors whose quotient estimates need the
    /// correction step and the add-back (the cases of Hacker's Delight's `divmnu64` tests).
    #[test]
    fn long_division_agrees_with_crypto_bigint() {
        use crypto_bigint::{BoxedUint, NonZero};
        let to_be = |limbs: &[u64]| -> Vec<u8> {
            limbs.iter().rev().flat_map(|w| w.to_be_bytes()).collect()
        };
        let check = |u: &[u64], v: &[u64]| {
            let bits = 64 * u.len() as u32;
            let bu = BoxedUint::from_be_slice(&to_be(u), bits).unwrap();
            let bv = BoxedUint::from_be_slice(&to_be(v), bits).unwrap();
            let want = bu.rem(&NonZero::new(bv).unwrap());
            let got = remainder(u, v);
            let mut got_wide = got.clone();
            got_wide.resize(u.len(), 0);
            assert_eq!(
                to_be(&got_wide),
                want.to_be_bytes().to_vec(),
                "{u:x?} mod {v:x?}"
            );
            assert_eq!(got.len(), v.len());
        };
        let m = u64::MAX;
        let h = 1u64 << 63;
        // Add-back and correction cases (little-endian limbs).
        check(&[0, 0, h, h - 1], &[1, 0, h]);
        check(&[0, 0, h, h - 1], &[1, 0, h - 1 + h]);
        check(&[0, 0xffff_fffe, 0, h], &[0xffff_ffff, 0, h]);
        check(&[3, 0, h], &[1, h]);
        check(&[0, 0, 0x8000, 0x7fff], &[1, 0, 0x8000]);
        check(&[0, m - 1, 0, h], &[m, 0, h]);
        check(&[m, m, m, m], &[m, m]);
        check(&[0, 0, 0, 0, 1], &[3, 1]);
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        for limbs in [2usize, 3, 16, 17, 32, 48, 64, 128] {
            for round in 0..8 {
                let mut v: Vec<u64> = (0..limbs).map(|_| rng.next()).collect();
                // Top limbs of every size, from one bit to full.
                let top = v[limbs - 1] >> (round * 9 % 64);
                v[limbs - 1] = top.max(1);
                let mut u = vec![0u64; 2 * limbs + 1];
                if round % 2 == 0 {
                    u[2 * limbs] = 1; // the R² of the key set-up
                } else {
                    u.iter_mut().for_each(|w| *w = rng.next());
                }
                check(&u, &v);
            }
        }
    }

    #[test]
    fn key_checks_match_the_rsa_crate() {
        use rsa::pkcs1::DecodeRsaPublicKey;
        let mut rng = Rng(7);
        let n2048 = int(&modulus(&mut rng, 2048));
        let mut even = n2048.clone();
        *even.last_mut().unwrap() &= 0xfe;
        let mut redundant = vec![0u8];
        redundant.extend_from_slice(&n2048);
        let mut negative = n2048.clone();
        negative.remove(0);
        let cases: Vec<(Vec<u8>, bool)> = vec![
            (pkcs1(&n2048, &[1, 0, 1]), true),
            (pkcs1(&n2048, &[3]), true),
            (pkcs1(&n2048, &[1, 0xff, 0xff, 0xff, 0xff]), true),
            (pkcs1(&n2048, &[2, 0, 0, 0, 1]), false),
            (pkcs1(&n2048, &[1]), false),
            (pkcs1(&n2048, &[4]), false),
            (pkcs1(&n2048, &[0]), false),
            (pkcs1(&n2048, &[0x80, 1]), false),
            (pkcs1(&n2048, &[0, 3]), false),
            (pkcs1(&even, &[1, 0, 1]), false),
            (pkcs1(&redundant, &[1, 0, 1]), false),
            (pkcs1(&negative, &[1, 0, 1]), false),
            (pkcs1(&int(&modulus(&mut rng, 1023)), &[1, 0, 1]), false),
            (pkcs1(&int(&modulus(&mut rng, 1024)), &[1, 0, 1]), true),
            (pkcs1(&int(&modulus(&mut rng, 8193)), &[1, 0, 1]), false),
            (
                {
                    let mut d = pkcs1(&n2048, &[1, 0, 1]);
                    d.push(0);
                    d
                },
                false,
            ),
            (tlv(SEQUENCE, &tlv(INTEGER, &n2048)), false),
        ];
        for (i, (der, ok)) in cases.iter().enumerate() {
            let ours = RsaPublic::from_pkcs1(der).is_ok();
            let theirs = rsa::RsaPublicKey::from_pkcs1_der(der).is_ok();
            assert_eq!(ours, *ok, "case {i}");
            assert_eq!(theirs, *ok, "case {i} (rsa crate)");
        }
    }
}
