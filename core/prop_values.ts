/**
 * Property value classes (`Fraction`, `Fraction64`, `Vec2`, `Vec3`, `Vec4`) and the
 * `PropValue` union of every JS form a GPAC property takes (see `core/props.ts`).
 *
 * @module
 */

/** A 32-bit fraction (`GF_Fraction`): signed numerator, unsigned denominator. */
export class Fraction {
  /** Numerator (signed 32-bit). */
  num: number;
  /** Denominator (unsigned 32-bit). */
  den: number;
  /**
   * Creates a fraction.
   * @param num Numerator.
   * @param den Denominator.
   */
  constructor(num: number, den: number) {
    this.num = num;
    this.den = den;
  }
  /** The fraction as a floating-point number. */
  valueOf(): number {
    return this.num / this.den;
  }
  /** `num/den`. */
  toString(): string {
    return `${this.num}/${this.den}`;
  }
}

/** A 64-bit fraction (`GF_Fraction64`); members are bigints only beyond 2^53. */
export class Fraction64 {
  /** Numerator (signed 64-bit; a bigint only beyond 2^53). */
  num: number | bigint;
  /** Denominator (unsigned 64-bit; a bigint only beyond 2^53). */
  den: number | bigint;
  /**
   * Creates a fraction.
   * @param num Numerator.
   * @param den Denominator.
   */
  constructor(num: number | bigint, den: number | bigint) {
    this.num = num;
    this.den = den;
  }
  /** The fraction as a floating-point number. */
  valueOf(): number {
    return Number(this.num) / Number(this.den);
  }
  /** `num/den`. */
  toString(): string {
    return `${this.num}/${this.den}`;
  }
}

/** A 2D vector (`GF_PropVec2i` with integers, `GF_PropVec2` with doubles). */
export class Vec2 {
  /** X. */
  x: number;
  /** Y. */
  y: number;
  /**
   * Creates a vector.
   * @param x X.
   * @param y Y.
   */
  constructor(x: number, y: number) {
    this.x = x;
    this.y = y;
  }
}

/** A 3D integer vector (`GF_PropVec3i`). */
export class Vec3 {
  /** X. */
  x: number;
  /** Y. */
  y: number;
  /** Z. */
  z: number;
  /**
   * Creates a vector.
   * @param x X.
   * @param y Y.
   * @param z Z.
   */
  constructor(x: number, y: number, z: number) {
    this.x = x;
    this.y = y;
    this.z = z;
  }
}

/** A 4D integer vector (`GF_PropVec4i`). */
export class Vec4 {
  /** X. */
  x: number;
  /** Y. */
  y: number;
  /** Z. */
  z: number;
  /** W. */
  w: number;
  /**
   * Creates a vector.
   * @param x X.
   * @param y Y.
   * @param z Z.
   * @param w W.
   */
  constructor(x: number, y: number, z: number, w: number) {
    this.x = x;
    this.y = y;
    this.z = z;
    this.w = w;
  }
}

/** Any value a GPAC property can take in JS. */
export type PropValue =
  | number
  | bigint
  | boolean
  | string
  | Fraction
  | Fraction64
  | Vec2
  | Vec3
  | Vec4
  | Uint8Array
  | Deno.PointerValue
  | string[]
  | number[]
  | Vec2[];
