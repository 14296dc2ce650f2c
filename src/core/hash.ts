/**
 * FNV-1a 64-bit, computed on two 32-bit halves so it needs neither `BigInt` nor `node:crypto` and runs
 * the same in any bundle. Used for cursor query fingerprints and for shortening long ids kept in cursor
 * state; it is a fingerprint, not a security hash.
 */

const OFFSET_HI = 0xcbf29ce4;
const OFFSET_LO = 0x84222325;

/** The FNV-1a 64-bit hash of the UTF-16 code units of `text`, as 16 lowercase hex digits. */
export function fnv1a64(text: string): string {
  let hi = OFFSET_HI;
  let lo = OFFSET_LO;
  for (let i = 0; i < text.length; i++) {
    lo = (lo ^ text.charCodeAt(i)) >>> 0;
    // Multiply (hi, lo) by the FNV prime 0x100000001b3 = 2^40 + 0x1b3, modulo 2^64.
    const loTimesLow = lo * 0x1b3;
    const carry = Math.floor(loTimesLow / 0x1_0000_0000);
    const newLo = loTimesLow >>> 0;
    hi = (Math.imul(hi, 0x1b3) + Math.imul(lo, 0x100) + carry) >>> 0;
    lo = newLo;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}
