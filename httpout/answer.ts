/**
 * Sending the answer to one httpout request: checks what the request object describes, works
 * out how GPAC must send it (served by GPAC, a body, `read()` data, an upload received by
 * `write()`), and hands it to `gf_httpout_send_request`.
 *
 * @module
 */

import { gpacSymbols, requireFeature, requireSymbol } from "../ffi/library.ts";
import { CStringScratch } from "../ffi/buffers.ts";
import { GF_BAD_PARAM, GF_IP_UDP_TIMEOUT, GF_URL_ERROR } from "../ffi/constants.ts";
import { GpacError } from "../core/errors.ts";
import type { RequestState } from "./state.ts";
import { canPatchSession, patchSession } from "./native_session.ts";
import { answerHeaderList } from "./headers.ts";

/** What the request object says about its answer, read by `send()`. */
export interface AnswerInput {
  /** `reply` field. */
  reply: unknown;
  /** `body` field. */
  body: unknown;
  /** `file` field. */
  file: unknown;
  /** `headersOut` (null when the request object never made one). */
  headers: Headers | null;
  /** Which callbacks the request's class overrides. */
  overrides: { throttle: boolean; read: boolean; write: boolean; close: boolean };
}

/** How GPAC sends the answer. */
export interface AnswerPlan {
  reply: number;
  /** Body string, or file path with reply 0; null for none. */
  body: string | null;
  /** Bytes served through the read callback. */
  bytes: Uint8Array | null;
  useRead: boolean;
  useWrite: boolean;
  /** An accepted upload received by `write()`. */
  receive: boolean;
  /** The answer's headers: the request's own `Headers`, or a copy when the plan changed them. */
  headers: Headers | null;
  /** Length GPAC must be told (upload received, or read() reply), if any. */
  length: { bytes: number; chunked: boolean } | null;
}

function where(st: RequestState): string {
  return `${st.method} ${st.url}`;
}

function fileExists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    return true; // no read permission: let GPAC decide
  }
}

/** A `Content-Length` value as a number (0 when absent or invalid). */
function declaredLength(v: string | null): number {
  if (v === null || !/^\s*\d+\s*$/.test(v)) return 0;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : 0;
}

/** Refuses a request GPAC already dropped (its `timeout` option); true when still valid. */
export function checkNotTimedOut(st: RequestState): boolean {
  const elapsed = (gpacSymbols().gf_sys_clock() - st.since) >>> 0;
  if (elapsed < 1000) return true;
  // GPAC closes connections idle for more than `timeout` seconds, pending requests included
  // (without telling the request): refuse to touch it past that point
  const t = st.binding.filter.getArgValue("timeout");
  const timeout = typeof t === "number" ? t : 30;
  if (timeout > 0 && elapsed >= timeout * 1000) {
    throw new GpacError(
      GF_IP_UDP_TIMEOUT,
      `send() ${elapsed} ms after ${where(st)} arrived: httpout drops pending requests after ` +
        `its timeout option (${timeout} s)`,
    );
  }
  return true;
}

function checkReply(st: RequestState, reply: unknown): number {
  if (
    typeof reply !== "number" || !Number.isInteger(reply) ||
    (reply !== 0 && (reply < 100 || reply > 599))
  ) {
    throw new GpacError(
      GF_BAD_PARAM,
      `invalid reply code ${String(reply)} for ${where(st)} (0 or 100-599)`,
    );
  }
  return reply;
}

/** Reply 0: GPAC serves the resource, or `file`. */
function servedBody(st: RequestState, input: AnswerInput): string | null {
  if (input.body !== null && input.body !== undefined) {
    throw new GpacError(
      GF_BAD_PARAM,
      `body needs a reply code (reply is 0, GPAC serves the resource): ${where(st)}`,
    );
  }
  if (input.file === null || input.file === undefined) return null;
  if (typeof input.file !== "string") {
    throw new TypeError(`file must be a string path, got ${typeof input.file} (${where(st)})`);
  }
  if (input.file.includes("\0") || !fileExists(input.file)) {
    throw new GpacError(GF_URL_ERROR, `file to serve not found: "${input.file}"`);
  }
  return input.file;
}

/** A reply code: the body as a string or bytes. */
function replyBody(st: RequestState, input: AnswerInput, reply: number) {
  if (input.file !== null && input.file !== undefined) {
    throw new GpacError(
      GF_BAD_PARAM,
      `file is only served with reply 0 (reply is ${reply}): ${where(st)}`,
    );
  }
  const bd = input.body;
  if (typeof bd === "string") {
    if (bd.includes("\0")) {
      throw new GpacError(
        GF_BAD_PARAM,
        `string body contains a NUL character: use a Uint8Array (${where(st)})`,
      );
    }
    return { body: bd, bytes: null };
  }
  if (bd instanceof Uint8Array) return { body: null, bytes: bd };
  if (bd !== null && bd !== undefined) {
    throw new GpacError(
      GF_BAD_PARAM,
      `body must be a string or a Uint8Array, got ${typeof bd} (${where(st)})`,
    );
  }
  return { body: null, bytes: null };
}

/** The length GPAC must know: of the upload it receives, or of the reply read() produces. */
function answerLength(st: RequestState, plan: AnswerPlan): AnswerPlan["length"] {
  if (plan.receive) {
    const length = {
      bytes: declaredLength(st.headers.get("content-length")),
      chunked: /chunked/i.test(st.headers.get("transfer-encoding") ?? ""),
    };
    if (!length.chunked && length.bytes > 0 && !canPatchSession()) {
      requireFeature(
        "httpoutUploadLength",
        `this GPAC would never see the end of ${st.method} ${st.url}`,
      );
    }
    return length;
  }
  if (!plan.useRead) return null;
  const headers = plan.headers ??= new Headers();
  if (plan.bytes) headers.set("content-length", String(plan.bytes.length));
  const n = declaredLength(headers.get("content-length"));
  if (n > 0 && canPatchSession()) return { bytes: n, chunked: false };
  headers.delete("content-length"); // GPAC sends read() data chunked
  return { bytes: 0, chunked: true };
}

/** Works out how GPAC sends the answer; throws on an invalid one. */
export function planAnswer(st: RequestState, input: AnswerInput): AnswerPlan {
  const reply = checkReply(st, input.reply);
  const upload = st.method === "PUT" || st.method === "POST";
  let body: string | null = null;
  let bytes: Uint8Array | null = null;
  if (reply === 0) body = servedBody(st, input);
  else {
    ({ body, bytes } = replyBody(st, input, reply));
    if (upload && reply < 400 && !input.overrides.write) {
      throw new GpacError(
        GF_BAD_PARAM,
        `accepting ${where(st)} with reply ${reply} needs a write() override to receive the ` +
          `upload (or use reply 0 to let GPAC store it in wdir)`,
      );
    }
  }
  const useRead = reply !== 0 && st.method === "GET" &&
    (bytes !== null || (input.overrides.read && body === null));
  const useWrite = reply !== 0 && upload; // GPAC refuses PUT/POST replies without one
  // without a body, GPAC would send no Content-Length: clients would wait for the connection
  // to close (and GPAC insists on a body or a read callback for GET)
  if (reply !== 0 && body === null && !useRead) body = "";
  // the request's own headers unless the plan changes them (a copy costs several µs)
  const refused = upload && reply >= 400;
  const headers = refused || useRead ? new Headers(input.headers ?? undefined) : input.headers;
  // a refused upload is not read: the connection cannot carry another request
  if (refused) headers!.set("connection", "close");
  const plan: AnswerPlan = {
    reply,
    body,
    bytes,
    useRead,
    useWrite,
    receive: useWrite && reply < 400 && input.overrides.write,
    headers,
    length: null,
  };
  plan.length = answerLength(st, plan);
  return plan;
}

/** Native memory for the strings of `gf_httpout_send_request` (it copies them). */
const scratch = new CStringScratch();
/** The strings of the call being prepared (reused). */
const strings: (string | null)[] = [];

/** Hands the planned answer to GPAC. The request is `sent` afterwards, even when GPAC refuses. */
export function sendAnswer(
  req: object,
  st: RequestState,
  plan: AnswerPlan,
  overrides: AnswerInput["overrides"],
): void {
  // for an accepted upload, GPAC answers once it is received: headers go with that answer
  st.finalHeaders = plan.receive && plan.headers ? [...plan.headers] : null;
  st.bytes = plan.bytes;
  st.offset = 0;
  // [body, name, value, name, value, ...]: GPAC copies them all during the call
  const items = strings;
  items.length = 1;
  items[0] = plan.body;
  if (!plan.receive && plan.headers) answerHeaderList(plan.headers, items);
  const nbHeaders = items.length - 1;
  scratch.pack(items);
  items.length = 0;
  const ptrs = st.binding.pointers;
  // GPAC reports the end of a request (a C-to-JS call) only to requests that hear from GPAC
  // again anyway or asked for it: the others are done on our side once sent
  const track = overrides.close || overrides.throttle || plan.useRead || plan.useWrite;
  if (track) st.binding.requests.set(st.id, req);
  const e = requireSymbol("gf_httpout_send_request")(
    st.sess,
    BigInt(st.id),
    plan.reply,
    scratch.string(0),
    nbHeaders,
    scratch.table(1, nbHeaders),
    overrides.throttle ? ptrs.throttle : null,
    plan.useRead ? ptrs.read : null,
    plan.useWrite ? ptrs.write : null,
    track ? ptrs.close : null,
  );
  scratch.trim();
  st.state = "sent";
  if (e < 0) {
    // GPAC answers 500 (and calls close() when given)
    throw new GpacError(e, `httpout refused the answer to ${where(st)}`);
  }
  if (plan.length && canPatchSession()) patchSession(st, plan.length.bytes, plan.length.chunked);
}
