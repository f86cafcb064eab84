/**
 * A moving checkerboard drawn in TypeScript (rgb24), with a burned-in timecode and the frame
 * number written as a row of big black/white blocks that survive compression (read them back
 * with {@link readFrameCounter} on decoded luma). One square at a time turns mint for a while:
 * the demo puts a marker on the frame where that happens.
 *
 * @module
 */

/** Bits of the frame counter drawn in the top-left corner. */
export const COUNTER_BITS = 20;

// 5x7 font for digits and ':'
const FONT: Record<string, number[]> = {
  "0": [0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e],
  "1": [0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e],
  "2": [0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f],
  "3": [0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e],
  "4": [0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02],
  "5": [0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e],
  "6": [0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e],
  "7": [0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
  "8": [0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e],
  "9": [0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c],
  ":": [0x00, 0x0c, 0x0c, 0x00, 0x0c, 0x0c, 0x00],
};

/** The colour-change event of a frame, if one starts on it. */
export interface SquareEvent {
  /** Column and row of the square (in board squares). */
  col: number;
  /** Row of the square. */
  row: number;
}

/** Draws the frames of the demo. */
export class Checkerboard {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  /** Side of a board square in pixels. */
  readonly square: number;
  /** Side of a counter block in pixels. */
  readonly block: number;
  /** Seconds between colour changes. */
  readonly every: number;
  readonly frame: Uint8Array;
  readonly #line: Uint8Array;
  #event: (SquareEvent & { until: number }) | null = null;

  /**
   * @param width Frame width.
   * @param height Frame height.
   * @param fps Frame rate (for the timecode and the scrolling speed).
   * @param every Seconds between colour changes (default 4).
   */
  constructor(width: number, height: number, fps: number, every = 4) {
    this.width = width;
    this.height = height;
    this.fps = fps;
    this.every = every;
    this.square = Math.max(16, Math.round(height / 9));
    this.block = Math.max(8, Math.floor(Math.min(width / (COUNTER_BITS + 2), height / 12)));
    this.frame = new Uint8Array(width * height * 3);
    this.#line = new Uint8Array(width * 3);
  }

  /** Draws frame `n` into `this.frame`; returns the colour event starting on it, if any. */
  draw(n: number): SquareEvent | null {
    const { width: w, height: h, square: sq, frame: f } = this;
    const shift = Math.floor((n * sq) / this.fps / 2) % (2 * sq); // half a square per second
    const line = this.#line;
    // board: one line per band of squares, copied down the band
    for (let band = 0; band * sq < h; band++) {
      for (let x = 0; x < w; x++) {
        const on = ((Math.floor((x + shift) / sq) + band) & 1) === 1;
        const v = on ? 200 : 40;
        line[x * 3] = v;
        line[x * 3 + 1] = v;
        line[x * 3 + 2] = v;
      }
      const y0 = band * sq;
      const y1 = Math.min(h, y0 + sq);
      for (let y = y0; y < y1; y++) f.set(line, y * w * 3);
    }
    // colour change every `every` seconds, lasting half of it
    let started: SquareEvent | null = null;
    const period = Math.max(1, Math.round(this.every * this.fps));
    if (n > 0 && n % period === 0) {
      const cols = Math.floor(w / sq);
      const rows = Math.floor(h / sq);
      const k = n / period;
      started = {
        col: 1 + (k * 7) % Math.max(1, cols - 2),
        row: 2 + (k * 3) % Math.max(1, rows - 4),
      };
      this.#event = { ...started, until: n + Math.floor(period / 2) };
    }
    if (this.#event && n < this.#event.until) {
      this.#fill(this.#event.col * sq, this.#event.row * sq, sq, sq, [60, 230, 170]);
    } else this.#event = null;
    // frame counter blocks
    const b = this.block;
    this.#fill(0, 0, (COUNTER_BITS + 2) * b, b * 2, [0, 0, 0]);
    for (let i = 0; i < COUNTER_BITS; i++) {
      if ((n >> (COUNTER_BITS - 1 - i)) & 1) {
        this.#fill((i + 1) * b, Math.floor(b / 2), b, b, [255, 255, 255]);
      }
    }
    // timecode HH:MM:SS:FF
    const fr = Math.round(this.fps);
    const secs = Math.floor(n / fr);
    const tc = [Math.floor(secs / 3600), Math.floor(secs / 60) % 60, secs % 60, n % fr]
      .map((v) => String(v).padStart(2, "0")).join(":");
    this.#text(tc, Math.max(2, Math.floor(h / 60)), h - Math.max(2, Math.floor(h / 60)) * 10);
    return started;
  }

  #fill(x0: number, y0: number, w: number, h: number, rgb: number[]): void {
    const W = this.width;
    const x1 = Math.min(W, x0 + w);
    const y1 = Math.min(this.height, y0 + h);
    if (x1 <= x0) return;
    const f = this.frame;
    for (let x = x0; x < x1; x++) f.set(rgb, (y0 * W + x) * 3);
    const row = f.subarray(y0 * W * 3 + x0 * 3, y0 * W * 3 + x1 * 3);
    for (let y = y0 + 1; y < y1; y++) f.set(row, (y * W + x0) * 3);
  }

  #text(s: string, scale: number, y: number): void {
    const cw = 6 * scale;
    const x0 = Math.floor((this.width - s.length * cw) / 2);
    this.#fill(x0 - scale, y - scale, s.length * cw + 2 * scale, 9 * scale, [0, 0, 0]);
    for (let i = 0; i < s.length; i++) {
      const g = FONT[s[i]];
      if (!g) continue;
      for (let r = 0; r < 7; r++) {
        for (let c = 0; c < 5; c++) {
          if ((g[r] >> (4 - c)) & 1) {
            this.#fill(x0 + i * cw + c * scale, y + r * scale, scale, scale, [255, 255, 255]);
          }
        }
      }
    }
  }
}

/**
 * Reads the frame counter back from a decoded luma plane (`stride` bytes per row), as drawn by
 * a {@link Checkerboard} of the same size.
 */
export function readFrameCounter(
  luma: Uint8Array,
  stride: number,
  width: number,
  height: number,
): number {
  const b = Math.max(8, Math.floor(Math.min(width / (COUNTER_BITS + 2), height / 12)));
  const y = Math.floor(b / 2) + Math.floor(b / 2);
  let n = 0;
  for (let i = 0; i < COUNTER_BITS; i++) {
    const x = (i + 1) * b + Math.floor(b / 2);
    n = (n << 1) | (luma[y * stride + x] > 128 ? 1 : 0);
  }
  return n;
}
