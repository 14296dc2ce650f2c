/**
 * FNV-1a 64-bit, computed on two 32-bit halves so it needs neither `BigInt` nor `node:crypto` and runs
 * the same in any bundle. Used for cursor query fingerprints and for shortening long ids kept in cursor
 * state; it is a fingerprint, not a security hash.
 */

/** The FNV-1a 64-bit hash of the UTF-16 code units of `text`, as 16 lowercase hex digits. */
export function fnv1a64(text: string): string {
  // The 64-bit state as four 16-bit limbs, low first: every product stays well inside 2^53.
  let v0 = 0x2325;
  let v1 = 0x8422;
  let v2 = 0x9ce4;
  let v3 = 0xcbf2;
  for (let i = 0; i < text.length; i++) {
    v0 ^= text.charCodeAt(i);
    // Multiply by the FNV prime 2^40 + 0x1b3: 0x1b3 on every limb, plus the limbs shifted by 40 bits.
    const t0 = v0 * 0x1b3;
    let t1 = v1 * 0x1b3;
    let t2 = v2 * 0x1b3 + (v0 << 8);
    const t3 = v3 * 0x1b3 + (v1 << 8);
    t1 += t0 >>> 16;
    v0 = t0 & 0xffff;
    t2 += t1 >>> 16;
    v1 = t1 & 0xffff;
    v3 = (t3 + (t2 >>> 16)) & 0xffff;
    v2 = t2 & 0xffff;
  }
  return hex4(v3) + hex4(v2) + hex4(v1) + hex4(v0);
}

const hex4 = (limb: number): string => limb.toString(16).padStart(4, '0');
