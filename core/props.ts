/**
 * GPAC properties (`GF_PropertyValue`) in both directions.
 *
 * Reading maps each `GF_PropType` to a JS value:
 *
 * | GPAC type | JS value |
 * |---|---|
 * | SINT, UINT, FLOAT, DOUBLE | `number` |
 * | LSINT, LUINT | `number`, or `bigint` when the value exceeds 2^53 |
 * | BOOL | `boolean` |
 * | FRACTION / FRACTION64 | {@link Fraction} / {@link Fraction64} |
 * | VEC2I, VEC2, VEC3I, VEC4I | {@link Vec2}, {@link Vec2}, {@link Vec3}, {@link Vec4} |
 * | STRING, NAME | `string` |
 * | DATA, CONST_DATA | `Uint8Array` (a copy) |
 * | POINTER | `Deno.PointerValue` |
 * | STRING_LIST, UINT_LIST, SINT_LIST, 4CC_LIST, VEC2I_LIST | arrays |
 * | 4CC | 4-character `string` |
 * | PIXFMT, PCMFMT, CICP_* enums | GPAC's short name, e.g. `"yuv420"`, `"s16"` |
 *
 * and the built-in `StreamType` and `CodecID` properties read as names (`"Visual"`, `"avc"`).
 * Writing accepts the same forms (plus plain numbers for enums, codecs and 4CCs).
 *
 * @module
 */
export { Fraction, Fraction64, type PropValue, Vec2, Vec3, Vec4 } from "./prop_values.ts";
export {
  codecName,
  fourccParse,
  fourccToString,
  propId,
  propName,
  propTypeName,
  propTypeOf,
} from "./prop_names.ts";
export { enumNamedProps, getNamedInfo, getNamedProp, readProp } from "./prop_read.ts";
export { type EncodedProp, encodeNamedProp, encodeProp, inferPropType } from "./prop_encode.ts";
