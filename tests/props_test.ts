import assert from "node:assert/strict";
import { refused } from "./helpers.ts";
import * as gpac from "../mod.ts";
import { encodeProp, readProp } from "../core/props.ts";
import {
  dumpProp,
  freeNativeProp,
  nativePropsEqual,
  parseNativeProp,
  parseProp,
} from "../core/prop_text.ts";

/** [type, GPAC text form, expected JS value] for every property type GPAC can parse. */
const CASES: [string, number, string, unknown][] = [
  ["SINT", gpac.GF_PROP_SINT, "-5", -5],
  ["UINT", gpac.GF_PROP_UINT, "4000000000", 4000000000],
  ["LSINT", gpac.GF_PROP_LSINT, "-9007199254740993", -9007199254740993n],
  ["LSINT small", gpac.GF_PROP_LSINT, "-42", -42],
  ["LUINT", gpac.GF_PROP_LUINT, "18446744073709551615", 18446744073709551615n],
  ["BOOL", gpac.GF_PROP_BOOL, "true", true],
  ["FRACTION", gpac.GF_PROP_FRACTION, "30000/1001", new gpac.Fraction(30000, 1001)],
  ["FRACTION64", gpac.GF_PROP_FRACTION64, "90000/7", new gpac.Fraction64(90000, 7)],
  ["FLOAT", gpac.GF_PROP_FLOAT, "1.5", 1.5],
  ["DOUBLE", gpac.GF_PROP_DOUBLE, "2.25", 2.25],
  ["VEC2I", gpac.GF_PROP_VEC2I, "3x4", new gpac.Vec2(3, 4)],
  ["VEC2", gpac.GF_PROP_VEC2, "1.5x2.5", new gpac.Vec2(1.5, 2.5)],
  ["VEC3I", gpac.GF_PROP_VEC3I, "1x2x3", new gpac.Vec3(1, 2, 3)],
  ["VEC4I", gpac.GF_PROP_VEC4I, "1x2x3x4", new gpac.Vec4(1, 2, 3, 4)],
  ["STRING", gpac.GF_PROP_STRING, "héllo wörld", "héllo wörld"],
  ["NAME", gpac.GF_PROP_NAME, "a name", "a name"],
  ["STRING_LIST", gpac.GF_PROP_STRING_LIST, "a,bb,ccc", ["a", "bb", "ccc"]],
  ["UINT_LIST", gpac.GF_PROP_UINT_LIST, "1,2,4000000000", [1, 2, 4000000000]],
  ["SINT_LIST", gpac.GF_PROP_SINT_LIST, "-1,2,-3", [-1, 2, -3]],
  ["VEC2I_LIST", gpac.GF_PROP_VEC2I_LIST, "1x2,3x4", [new gpac.Vec2(1, 2), new gpac.Vec2(3, 4)]],
  ["4CC", gpac.GF_PROP_4CC, "avc1", "avc1"],
  ["4CC_LIST", gpac.GF_PROP_4CC_LIST, "avc1,mp4a", ["avc1", "mp4a"]],
  ["PIXFMT", gpac.GF_PROP_PIXFMT, "yuv420", "yuv420"],
  ["PCMFMT", gpac.GF_PROP_PCMFMT, "s16", "s16"],
  ["CICP_COL_PRIM", gpac.GF_PROP_CICP_COL_PRIM, "BT709", "BT709"],
  ["CICP_COL_TFC", gpac.GF_PROP_CICP_COL_TFC, "BT709", "BT709"],
  ["CICP_COL_MX", gpac.GF_PROP_CICP_COL_MX, "BT709", "BT709"],
  ["CICP_LAYOUT", gpac.GF_PROP_CICP_LAYOUT, "2", "stereo"],
];

for (const [label, type, text, expected] of CASES) {
  Deno.test(`props: ${label} round-trips GPAC text -> native -> JS -> native`, () => {
    if (refused("parseProp")) return;
    const native = parseNativeProp(type, text);
    try {
      const js = readProp(Deno.UnsafePointer.of(native as Uint8Array<ArrayBuffer>));
      assert.deepEqual(js, expected);
      const enc = encodeProp("", type, js!);
      assert.ok(
        nativePropsEqual(native, enc.bytes),
        `GPAC sees ${dumpProp(type, js!)} instead of ${text}`,
      );
    } finally {
      freeNativeProp(native);
    }
  });
}

Deno.test("props: DATA and POINTER values encode to what GPAC sees", () => {
  const data = new Uint8Array([1, 2, 3, 250]);
  const enc = encodeProp("", gpac.GF_PROP_DATA, data);
  const back = readProp(Deno.UnsafePointer.of(enc.bytes));
  assert.deepEqual(back, data);
  assert.notEqual((back as Uint8Array).buffer, data.buffer, "read data is a copy");
  const buf = new Uint8Array(8);
  const p = Deno.UnsafePointer.of(buf);
  const penc = encodeProp("", gpac.GF_PROP_POINTER, p);
  assert.equal(
    Deno.UnsafePointer.value(readProp(Deno.UnsafePointer.of(penc.bytes)) as Deno.PointerObject),
    Deno.UnsafePointer.value(p),
  );
});

Deno.test("props: StreamType and CodecID read and write as names", () => {
  const st = encodeProp("StreamType", gpac.GF_PROP_UINT, "Visual");
  assert.equal(readProp(Deno.UnsafePointer.of(st.bytes), "StreamType"), "Visual");
  const cid = encodeProp("CodecID", gpac.GF_PROP_UINT, "aac");
  const name = readProp(Deno.UnsafePointer.of(cid.bytes), "CodecID") as string;
  const again = encodeProp("CodecID", gpac.GF_PROP_UINT, name);
  assert.deepEqual(again.bytes, cid.bytes, `codec name ${name} maps back to the same ID`);
  assert.equal(gpac.propId("StreamType") !== 0, true);
  assert.equal(gpac.propName(gpac.propId("Width")), "Width");
  assert.equal(gpac.propId("MyOwnProperty"), 0);
  assert.equal(gpac.fourccToString(gpac.fourccParse("mp4a")), "mp4a");
});

Deno.test("props: PixelFormat and AudioFormat stored as plain integers read as names", () => {
  const pf = encodeProp("PixelFormat", gpac.GF_PROP_UINT, "yuv420");
  assert.equal(readProp(Deno.UnsafePointer.of(pf.bytes), "PixelFormat"), "yuv420");
  const af = encodeProp("AudioFormat", gpac.GF_PROP_UINT, "s16");
  assert.equal(readProp(Deno.UnsafePointer.of(af.bytes), "AudioFormat"), "s16");
});

Deno.test("props: bad values are GpacErrors naming the property and the value", () => {
  assert.throws(() => encodeProp("StreamType", gpac.GF_PROP_UINT, "Smell"), (e: unknown) => {
    assert.ok(e instanceof gpac.GpacError);
    assert.equal(e.codeName, "GF_BAD_PARAM");
    assert.match(e.message, /"Smell".*StreamType/);
    return true;
  });
  assert.throws(
    () => encodeProp("Width", gpac.GF_PROP_UINT, -1),
    /invalid value -1 for property Width: expected a uint/,
  );
  assert.throws(() => encodeProp("X", gpac.GF_PROP_SINT, 1.5), /invalid value/);
  assert.throws(() => encodeProp("X", gpac.GF_PROP_VEC2I, 3), /invalid value/);
  assert.throws(() => encodeProp("X", gpac.GF_PROP_UINT_LIST, []), /cannot be empty/);
  assert.throws(
    () => encodeProp("PixelFormat", gpac.GF_PROP_PIXFMT, "nosuchfmt"),
    /unknown value "nosuchfmt"/,
  );
  assert.throws(() => gpac.fourccParse("toolong"), /4 characters/);
});

Deno.test("props: parseProp and dumpProp use GPAC's own text forms", () => {
  if (refused("parseProp")) return;
  assert.deepEqual(parseProp(gpac.GF_PROP_FRACTION, "25"), new gpac.Fraction(25, 1));
  assert.equal(parseProp(gpac.GF_PROP_UINT, "2k"), 2000);
  assert.equal(dumpProp(gpac.GF_PROP_FRACTION, new gpac.Fraction(30000, 1001)), "30000/1001");
  assert.equal(dumpProp(gpac.GF_PROP_VEC2I, new gpac.Vec2(640, 480)), "640x480");
});
