/**
 * Frame-interface packets (`GF_FilterFrameInterface`): frames a filter exposes through
 * callbacks instead of a data block — decoders handing out their own planes (NVDEC,
 * VideoToolbox, MediaCodec), and OpenGL producers (the compositor, WebGL in JS filters, GPU
 * decoders) handing out textures.
 *
 * What TypeScript can read:
 * - `get_plane` set (decoders, the compositor, WebGL's color buffer): `FilterPacket.clone()`
 *   copies the planes to CPU memory through it (GPAC's `gf_filter_pck_dangling_clone`; the
 *   PID needs `Width`, `Height` and `PixelFormat`), and `clone().data` holds the frame. This is
 *   the readback path; `data` of the packet itself stays empty.
 * - only `get_gl_texture` (e.g. WebGL depth buffers, GPU decoders in GL output mode): the frame
 *   exists as a texture of GPAC's OpenGL context only, which TypeScript cannot bind. `data` and
 *   `clone()` throw a `GF_NOT_SUPPORTED` error saying so; let a GL consumer (`vout`, the
 *   compositor) take such PIDs, or configure the producer for CPU output.
 *
 * @module
 */

import { gpacSymbols } from "./library.ts";
import { FilterFrameInterfaceLayout as L } from "./layouts.ts";
import { GF_FRAME_IFCE_BLOCKING, GF_FRAME_IFCE_MAIN_GLFB, GF_NOT_SUPPORTED } from "./constants.ts";
import { GpacError } from "./errors.ts";

/** What a frame-interface packet offers; see `FilterPacket.frameInterface`. */
export interface FrameInterfaceInfo {
  /** The producer can hand out the planes in CPU memory (`get_plane`): `clone()` reads them. */
  planes: boolean;
  /** The producer can hand out OpenGL textures (`get_gl_texture`). */
  glTexture: boolean;
  /** `GF_FRAME_IFCE_*` flags. */
  flags: number;
  /** The producer waits until this packet is released: drop it quickly. */
  blocking: boolean;
  /** The texture is GPAC's main OpenGL framebuffer. */
  mainFramebuffer: boolean;
}

/** The frame interface of packet `pck` (a native packet handle), or null if it has none. */
export function frameInterfaceOf(pck: NonNullable<Deno.PointerValue>): FrameInterfaceInfo | null {
  const fi = gpacSymbols().gf_filter_pck_get_frame_interface(pck);
  if (!fi) return null;
  const v = new Deno.UnsafePointerView(fi);
  const flags = v.getUint32(L.fields.flags.offset);
  return {
    planes: v.getPointer(L.fields.getPlane.offset) !== null,
    glTexture: v.getPointer(L.fields.getGlTexture.offset) !== null,
    flags,
    blocking: (flags & GF_FRAME_IFCE_BLOCKING) !== 0,
    mainFramebuffer: (flags & GF_FRAME_IFCE_MAIN_GLFB) !== 0,
  };
}

/**
 * Throws the error for reading `what` (`"data"`, `"clone()"`) of a packet whose frame exists
 * only as an OpenGL texture; returns normally for any other packet.
 */
export function checkReadable(pck: NonNullable<Deno.PointerValue>, what: string): void {
  const fi = frameInterfaceOf(pck);
  if (!fi || fi.planes) return;
  throw new GpacError(
    GF_NOT_SUPPORTED,
    `packet ${what}: this frame exists only as an OpenGL texture of GPAC's GL context ` +
      `(frame interface without get_plane${fi.glTexture ? ", with get_gl_texture" : ""}); ` +
      `TypeScript cannot read it. Let a GL consumer (vout, compositor) take this PID, or ` +
      `configure the producer for CPU output (frames with planes are read with clone())`,
  );
}
