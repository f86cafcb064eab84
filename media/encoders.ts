/**
 * What this libgpac build can encode and mux: encoders are probed by loading GPAC's `ffenc`
 * with each candidate codec (once per process), muxers by the filters present.
 *
 * @module
 */

import { FilterSession, getLogs, GF_NOT_SUPPORTED, GpacError, setLogs } from "../mod.ts";

/** An encoder available through GPAC's `ffenc`. */
export interface EncoderInfo {
  /** Name to pass as `encoder` (GPAC's codec name, e.g. `avc`). */
  name: string;
  /** The FFmpeg encoder `ffenc` picked for it (e.g. `libx264`). */
  ffmpeg: string;
}

/** A container format {@link MediaWriter} can write. */
export interface MuxerInfo {
  /** Name to pass as `format` (e.g. `mp4`). */
  name: string;
  /** File extensions it is chosen for. */
  extensions: string[];
  /** The GPAC filter doing it. */
  filter: string;
  /** Default video and audio encoders for it. */
  video: string;
  /** Default audio encoder. */
  audio: string;
}

const VIDEO_CANDIDATES = [
  "avc",
  "hevc",
  "vp8",
  "vp9",
  "av1",
  "mpeg4",
  "mpeg2",
  "mjpeg",
  "prores",
  "png",
  "theora",
];
const AUDIO_CANDIDATES = ["aac", "opus", "mp3", "vorbis", "flac", "ac3", "eac3", "alac"];

interface Container {
  name: string;
  extensions: string[];
  filter: string;
  /** Extra destination options. */
  opts: string;
  video: string;
  audio: string;
}

const CONTAINERS: Container[] = [
  {
    name: "mp4",
    extensions: ["mp4", "m4v", "m4a"],
    filter: "mp4mx",
    opts: "",
    video: "avc",
    audio: "aac",
  },
  { name: "fmp4", extensions: [], filter: "mp4mx", opts: ":frag", video: "avc", audio: "aac" },
  { name: "mov", extensions: ["mov"], filter: "mp4mx", opts: "", video: "avc", audio: "aac" },
  {
    name: "ts",
    extensions: ["ts", "m2ts"],
    filter: "m2tsmx",
    opts: "",
    video: "avc",
    audio: "aac",
  },
  { name: "mkv", extensions: ["mkv"], filter: "ffmx", opts: "", video: "avc", audio: "aac" },
  { name: "webm", extensions: ["webm"], filter: "ffmx", opts: "", video: "vp9", audio: "opus" },
  { name: "flv", extensions: ["flv"], filter: "ffmx", opts: "", video: "avc", audio: "aac" },
  { name: "raw", extensions: [], filter: "writegen", opts: "", video: "avc", audio: "aac" },
];

/** Elementary-stream extension of each codec, for `format: "raw"`. */
const RAW_EXT: Record<string, string> = {
  avc: "264",
  hevc: "hevc",
  vp8: "ivf",
  vp9: "ivf",
  av1: "obu",
  mpeg4: "cmp",
  mpeg2: "m2v",
  mjpeg: "mjpg",
  aac: "aac",
  mp3: "mp3",
  opus: "opus",
  flac: "flac",
  ac3: "ac3",
  eac3: "eac3",
};

let probed: { video: EncoderInfo[]; audio: EncoderInfo[] } | null = null;
const extra = new Map<string, EncoderInfo | null>();

function probeOne(fs: FilterSession, name: string): EncoderInfo | null {
  try {
    const f = fs.load(`ffenc:c=${name}`);
    const ff = f.getArgValue("c");
    f.remove();
    return { name, ffmpeg: typeof ff === "string" && ff ? ff : name };
  } catch {
    return null;
  }
}

function quietly<T>(fn: () => T): T {
  const logs = getLogs();
  setLogs("all@quiet");
  try {
    return fn();
  } finally {
    setLogs(logs, true);
  }
}

function probeAll(): { video: EncoderInfo[]; audio: EncoderInfo[] } {
  if (probed) return probed;
  probed = quietly(() => {
    using fs = new FilterSession();
    const pick = (names: string[]) =>
      names.map((n) => probeOne(fs, n)).filter((e): e is EncoderInfo => e !== null);
    return { video: pick(VIDEO_CANDIDATES), audio: pick(AUDIO_CANDIDATES) };
  });
  return probed;
}

/** Video encoders of this libgpac build (GPAC codec names with the FFmpeg encoder behind). */
export function getVideoEncoders(): EncoderInfo[] {
  return probeAll().video.map((e) => ({ ...e }));
}

/** Audio encoders of this libgpac build. */
export function getAudioEncoders(): EncoderInfo[] {
  return probeAll().audio.map((e) => ({ ...e }));
}

/** Container formats {@link MediaWriter} can write with this libgpac build. */
export function getMuxers(): MuxerInfo[] {
  return quietly(() => {
    using fs = new FilterSession();
    return CONTAINERS.filter((c) => c.filter === "writegen" || fs.filterExists(c.filter)).map(
      (c) => ({
        name: c.name,
        extensions: [...c.extensions],
        filter: c.filter,
        video: c.video,
        audio: c.audio,
      }),
    );
  });
}

/**
 * @ignore Checks an encoder name (a GPAC codec name or an FFmpeg encoder name such as
 * `libx264`); throws a GpacError listing the available ones.
 */
export function checkEncoder(name: string, kind: "video" | "audio"): string {
  if (typeof name !== "string" || !/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw new TypeError(`${kind} encoder: expected a codec name such as "avc", got ${name}`);
  }
  // probe only this name (loading ffenc once); the full list is built for the error message
  let hit = extra.get(name);
  if (hit === undefined) {
    hit = quietly(() => {
      using fs = new FilterSession();
      return probeOne(fs, name);
    });
    extra.set(name, hit);
  }
  if (hit) return name;
  const list = kind === "video" ? probeAll().video : probeAll().audio;
  throw new GpacError(
    GF_NOT_SUPPORTED,
    `unknown ${kind} encoder "${name}"; this libgpac build offers: ` +
      list.map((e) => `${e.name} (${e.ffmpeg})`).join(", "),
  );
}

/** @ignore The container for a format name or a file extension, or null. */
export function containerOf(format: string | null, ext: string | null): Container | null {
  if (format) {
    return CONTAINERS.find((c) => c.name === format || c.extensions.includes(format)) ?? null;
  }
  if (ext) return CONTAINERS.find((c) => c.extensions.includes(ext.toLowerCase())) ?? null;
  return null;
}

/** @ignore Format names accepted by `format`. */
export function formatNames(): string[] {
  return CONTAINERS.map((c) => c.name);
}

/** @ignore The elementary-stream extension of a codec, for raw output. */
export function rawExtension(codec: string): string | null {
  return RAW_EXT[codec] ?? null;
}

export type { Container };
