/**
 * `overlay_box`: draws a rectangle (filled, or a frame of `border` pixels) on raw video, for
 * instance to mark a region or to check that a pipeline really goes through TypeScript. Works
 * on 8-bit YUV 4:2:0 frames (`yuv420`, `yvu420`, `nv12`, `nv21`) and `grey`; for other pixel
 * formats it asks upstream for `yuv420` and GPAC inserts a converter. Frames are modified in
 * place when GPAC allows it (`newPckClone`).
 *
 * ```sh
 * deno task gpac -- -i avgen:dur=2 filters/overlay_box.ts:x=32:y=32:width=100:height=60:color=red c=avc -o boxed.mp4
 * ```
 *
 * @module
 */

import { FilterCustom } from "../custom/filter.ts";
import type { FilterPid } from "../custom/pid.ts";
import type { FilterSession } from "../core/session.ts";
import { GF_CAPS_INPUT_OUTPUT } from "../ffi/constants.ts";
import { fourccToString, type PropValue } from "../core/props.ts";
import type { PluginOptionSpecs, PluginOptionValues } from "../custom/plugin_options.ts";

/** BT.601 limited-range Y, U, V of the colors `overlay_box` knows. */
export const BOX_COLORS: Readonly<Record<string, readonly [number, number, number]>> = {
  white: [235, 128, 128],
  black: [16, 128, 128],
  grey: [126, 128, 128],
  red: [81, 90, 240],
  green: [145, 54, 34],
  blue: [41, 240, 110],
  yellow: [210, 16, 146],
};

const options = {
  x: { type: "integer", default: 16, min: 0, help: "left edge, in pixels" },
  y: { type: "integer", default: 16, min: 0, help: "top edge, in pixels" },
  width: { type: "integer", default: 64, min: 1, help: "box width, in pixels" },
  height: { type: "integer", default: 64, min: 1, help: "box height, in pixels" },
  color: {
    type: "enum",
    values: ["white", "black", "grey", "red", "green", "blue", "yellow"], // the keys of BOX_COLORS
    default: "white",
    help: "box color",
  },
  border: {
    type: "integer",
    default: 0,
    min: 0,
    help: "outline thickness in pixels (0: filled box)",
  },
} as const satisfies PluginOptionSpecs;

/** Plane layouts `overlay_box` draws on: [name, 4CC, chroma layout]. */
const FORMATS: readonly [string, string, "planar" | "semi" | "none", boolean][] = [
  ["yuv420", "YU12", "planar", false],
  ["yvu420", "YV12", "planar", true],
  ["nv12", "NV12", "semi", false],
  ["nv21", "NV21", "semi", true],
  ["grey", "GREY", "none", false],
];

interface Geometry {
  width: number;
  height: number;
  stride: number;
  strideUV: number;
  chroma: "planar" | "semi" | "none";
  /** U and V swapped (yvu420, nv21). */
  swapped: boolean;
}

function formatOf(v: PropValue | null) {
  const key = typeof v === "number" ? fourccToString(v) : String(v);
  return FORMATS.find(([name, cc]) => key === name || key === cc) ?? null;
}

/** Rectangle painter on raw video (see the module documentation). */
export default class OverlayBox extends FilterCustom {
  /** Options accepted on the command line. */
  static readonly options: PluginOptionSpecs = options;
  /** One-line description for `-h`. */
  static readonly description = "Draws a filled or outlined rectangle on raw YUV 4:2:0 video.";

  readonly #o: PluginOptionValues<typeof options>;
  /** Frames drawn on so far. */
  frames = 0;

  /**
   * Creates the filter.
   * @param fs The session.
   * @param opts Options (see {@link OverlayBox.options}).
   */
  constructor(fs: FilterSession, opts: Partial<PluginOptionValues<typeof options>> = {}) {
    super(fs, "overlay_box");
    this.#o = { x: 16, y: 16, width: 64, height: 64, color: "white", border: 0, ...opts };
    if (!BOX_COLORS[this.#o.color]) throw new RangeError(`unknown color "${this.#o.color}"`);
    this.pushCap("StreamType", "Visual", GF_CAPS_INPUT_OUTPUT);
    this.pushCap("CodecID", "raw", GF_CAPS_INPUT_OUTPUT);
  }

  /** GPAC callback: an input PID was connected, reconfigured or removed. */
  override configurePid(pid: FilterPid, isRemove: boolean): number {
    if (isRemove) {
      pid.opid?.remove();
      return 0;
    }
    const fmt = formatOf(pid.getProp("PixelFormat"));
    if (!fmt) {
      pid.udta = undefined;
      pid.negotiateCap("PixelFormat", "yuv420");
      return 0;
    }
    this.mirrorPid(pid);
    const width = pid.getProp("Width") as number;
    const height = pid.getProp("Height") as number;
    const stride = (pid.getProp("Stride") as number | null) || width;
    const strideUV = (pid.getProp("StrideUV") as number | null) ||
      (fmt[2] === "semi" ? stride : stride >> 1);
    pid.udta = {
      width,
      height,
      stride,
      strideUV,
      chroma: fmt[2],
      swapped: fmt[3],
    } satisfies Geometry;
    return 0;
  }

  /** GPAC callback: processes the packets queued on the input PIDs. */
  override process(): number {
    for (const pid of this.ipids) {
      const geo = pid.udta as Geometry | undefined;
      if (!geo || !pid.opid) continue; // waiting for the negotiated format
      for (let pck = pid.getPacket(); pck; pck = pid.getPacket()) {
        const out = pid.opid.newPckClone(pck);
        this.#draw(out.data, geo);
        out.send();
        pid.dropPacket();
        this.frames++;
      }
      if (pid.eos) pid.opid.eos = true;
    }
    return 0;
  }

  /** The box's rectangles (one, or four for an outline), clipped to `w`×`h`. */
  #rects(w: number, h: number, scale: number): [number, number, number, number][] {
    const { x, y, width, height, border } = this.#o;
    const x0 = Math.floor(x / scale), y0 = Math.floor(y / scale);
    const x1 = Math.min(w, Math.ceil((x + width) / scale));
    const y1 = Math.min(h, Math.ceil((y + height) / scale));
    if (x0 >= x1 || y0 >= y1) return [];
    if (border === 0) return [[x0, y0, x1, y1]];
    const b = Math.max(1, Math.round(border / scale));
    return [
      [x0, y0, x1, Math.min(y1, y0 + b)],
      [x0, Math.max(y0, y1 - b), x1, y1],
      [x0, y0, Math.min(x1, x0 + b), y1],
      [Math.max(x0, x1 - b), y0, x1, y1],
    ];
  }

  #draw(frame: Uint8Array, g: Geometry): void {
    const [Y, U, V] = BOX_COLORS[this.#o.color];
    const lumaSize = g.stride * g.height;
    for (const [x0, y0, x1, y1] of this.#rects(g.width, g.height, 1)) {
      for (let row = y0; row < y1; row++) {
        frame.fill(Y, row * g.stride + x0, row * g.stride + x1);
      }
    }
    if (g.chroma === "none") return;
    const cw = (g.width + 1) >> 1, ch = (g.height + 1) >> 1;
    const [first, second] = g.swapped ? [V, U] : [U, V];
    for (const [x0, y0, x1, y1] of this.#rects(cw, ch, 2)) {
      for (let row = y0; row < y1; row++) {
        if (g.chroma === "planar") {
          const u = lumaSize + row * g.strideUV;
          const v = lumaSize + g.strideUV * ch + row * g.strideUV;
          frame.fill(first, u + x0, u + x1);
          frame.fill(second, v + x0, v + x1);
        } else {
          const base = lumaSize + row * g.strideUV;
          for (let c = x0; c < x1; c++) {
            frame[base + 2 * c] = first;
            frame[base + 2 * c + 1] = second;
          }
        }
      }
    }
  }
}
