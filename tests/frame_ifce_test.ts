/**
 * Frame-interface packets: a TS sink sees what the frame interface offers, reads frames with
 * CPU planes through clone() (the readback path), and gets a clear error for frames that
 * exist only as an OpenGL texture.
 *
 * No headless GL producer is available here, so the source below emits frame-interface
 * packets itself through libgpac's own `gf_filter_pck_new_frame_interface` (opened by this
 * test only), with a `get_plane` callback (CPU frame) or only a `get_gl_texture` one.
 */
import assert from "node:assert/strict";
import {
  FilterCustom,
  FilterEvent,
  type FilterPid,
  FilterSession,
  type FrameInterfaceInfo,
  GF_CAPS_INPUT,
  GF_CAPS_OUTPUT,
  GF_EOS,
  GF_FEVT_PLAY,
  GpacError,
  libraryPath,
} from "../mod.ts";
import { GF_FRAME_IFCE_BLOCKING } from "../raw.ts";
import { refused } from "./helpers.ts";

const W = 16;
const H = 8;
const lib = Deno.dlopen(libraryPath(), {
  gf_filter_pck_new_frame_interface: {
    parameters: ["pointer", "buffer", "pointer"],
    result: "pointer",
  },
  gf_filter_pck_send: { parameters: ["pointer"], result: "i32" },
});

/** A source of one GREY frame exposed through a frame interface. */
class IfceSource extends FilterCustom {
  #sent = false;
  readonly ifce = new Uint8Array(32); // GF_FilterFrameInterface
  readonly pixels = new Uint8Array(W * H).map((_, i) => (i * 7) & 0xff);
  readonly #callbacks: { close(): void }[] = [];
  #opid: FilterPid | null = null;

  constructor(fs: FilterSession, withPlanes: boolean) {
    super(fs, "ifce_src");
    this.pushCap("StreamType", "Visual", GF_CAPS_OUTPUT);
    const dv = new DataView(this.ifce.buffer);
    const ptr = (cb: { pointer: Deno.PointerObject }) =>
      BigInt(Deno.UnsafePointer.value(cb.pointer));
    const texture = new Deno.UnsafeCallback(
      { parameters: ["pointer", "u32", "pointer", "pointer", "pointer"], result: "i32" } as const,
      () => -4, // GF_NOT_SUPPORTED: never called by this test
    );
    this.#callbacks.push(texture);
    dv.setBigUint64(8, ptr(texture), true);
    if (withPlanes) {
      const pix = this.pixels;
      const plane = new Deno.UnsafeCallback(
        { parameters: ["pointer", "u32", "pointer", "pointer"], result: "i32" } as const,
        (_f, idx, outPlane, outStride) => {
          if (idx !== 0 || !outPlane || !outStride) return -1;
          const p = BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(pix)!));
          new BigUint64Array(Deno.UnsafePointerView.getArrayBuffer(outPlane, 8))[0] = p;
          new Uint32Array(Deno.UnsafePointerView.getArrayBuffer(outStride, 4))[0] = W;
          return 0;
        },
      );
      this.#callbacks.push(plane);
      dv.setBigUint64(0, ptr(plane), true);
    }
    dv.setUint32(16, GF_FRAME_IFCE_BLOCKING, true);
  }

  override process(): number {
    if (!this.#opid) {
      const o = this.#opid = this.newPid();
      o.setProp("StreamType", "Visual");
      o.setProp("CodecID", "raw");
      o.setProp("Width", W);
      o.setProp("Height", H);
      o.setProp("PixelFormat", "grey");
      o.setProp("Timescale", 25);
      return 0;
    }
    if (this.#sent) {
      this.#opid.eos = true;
      return GF_EOS;
    }
    const pck = lib.symbols.gf_filter_pck_new_frame_interface(this.#opid.handle, this.ifce, null);
    assert.ok(pck, "frame-interface packet");
    lib.symbols.gf_filter_pck_send(pck);
    this.#sent = true;
    return 0;
  }

  free(): void {
    for (const c of this.#callbacks) c.close();
  }
}

/** What the sink saw on the one frame. */
interface Seen {
  info: FrameInterfaceInfo | null;
  data: Uint8Array | Error;
  clone: Uint8Array | Error;
}

class Sink extends FilterCustom {
  seen: Seen | null = null;
  constructor(fs: FilterSession) {
    super(fs, "ifce_sink");
    this.pushCap("StreamType", "Visual", GF_CAPS_INPUT);
  }
  override configurePid(pid: FilterPid, isRemove: boolean): number {
    if (!isRemove) pid.sendEvent(new FilterEvent(GF_FEVT_PLAY));
    return 0;
  }
  override process(): number {
    if (this.ipids.length === 0) return GF_EOS;
    for (const pid of this.ipids) {
      for (let pck = pid.getPacket(); pck; pck = pid.getPacket()) {
        const attempt = (f: () => Uint8Array) => {
          try {
            return f();
          } catch (e) {
            return e as Error;
          }
        };
        this.seen = {
          info: pck.frameInterface,
          data: attempt(() => pck.data.slice()),
          clone: attempt(() => {
            const c = pck.clone();
            const bytes = c.data.slice();
            c.discard();
            return bytes;
          }),
        };
        pid.dropPacket();
      }
    }
    return 0;
  }
}

async function run(withPlanes: boolean): Promise<Seen> {
  using fs = new FilterSession({ nonBlocking: true });
  const src = new IfceSource(fs, withPlanes);
  const sink = new Sink(fs);
  sink.setSource(src);
  await fs.runAsync({ signal: AbortSignal.timeout(20_000) }); // a hang fails (rejects)
  src.free();
  assert.ok(sink.seen, "the sink got the frame");
  return sink.seen;
}

Deno.test("frame interface: CPU planes are read back with clone()", async () => {
  const seen = await run(true);
  assert.deepEqual(seen.info, {
    planes: true,
    glTexture: true,
    flags: GF_FRAME_IFCE_BLOCKING,
    blocking: true,
    mainFramebuffer: false,
  });
  assert.ok(seen.data instanceof Uint8Array && seen.data.length === 0, "no data block");
  if (refused("packetClone")) {
    // the planes are only read through clone(), which this GPAC lacks: refused, not emptied
    assert.ok(seen.clone instanceof GpacError, String(seen.clone));
    assert.equal(seen.clone.codeName, "GF_NOT_SUPPORTED");
    assert.match(seen.clone.message, /FilterPacket\.clone\(\) needs GPAC >= 26\.02/);
    return;
  }
  assert.ok(seen.clone instanceof Uint8Array, String(seen.clone));
  const expect = new Uint8Array(W * H).map((_, i) => (i * 7) & 0xff);
  assert.deepEqual(seen.clone.subarray(0, W * H), expect);
});

Deno.test("frame interface: a GL-texture-only frame gives a clear error", async () => {
  const seen = await run(false);
  assert.equal(seen.info?.planes, false);
  assert.equal(seen.info?.glTexture, true);
  for (const e of [seen.data, seen.clone]) {
    assert.ok(e instanceof GpacError, `expected a GpacError, got ${e}`);
    assert.equal(e.codeName, "GF_NOT_SUPPORTED");
    assert.match(e.message, /only as an OpenGL texture/);
  }
  assert.match((seen.clone as Error).message, /^packet clone\(\)/);
});
