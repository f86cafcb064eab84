import assert from "node:assert/strict";
import * as gpac from "../mod.ts";
import {
  FilterCustom,
  type FilterEvent,
  type FilterPacket,
  type FilterPid,
  FilterSession,
  GF_CAPS_INPUT,
  GF_CAPS_INPUT_OUTPUT,
  GF_CAPS_OUTPUT,
  GF_FEVT_PLAY,
  GpacError,
} from "../mod.ts";
import { checksum, PassThrough, RecordingSink, type SeenPid } from "./filters_helpers.ts";
import { makeMedia } from "./helpers.ts";

function byType(sink: RecordingSink): Record<string, SeenPid> {
  return Object.fromEntries([...sink.seen.values()].map((s) => [s.streamType, s]));
}

/** Runs avgen (or `input`) → [middle] → RecordingSink and returns what the sink saw. */
function runThrough(
  dur: number,
  middle?: (fs: FilterSession) => gpac.Filter,
  opts: gpac.FilterSessionOptions = {},
  input?: string,
): Record<string, SeenPid> {
  using fs = new FilterSession(opts);
  const src = fs.loadSrc(input ?? `avgen:dur=${dur}`);
  const mid = middle?.(fs);
  const sink = new RecordingSink(fs);
  sink.setSource(mid ?? src);
  fs.run();
  return byType(sink);
}

Deno.test("custom: a TS pass-through keeps every packet and timestamp end to end", () => {
  const ref = runThrough(1);
  let pass: PassThrough | undefined;
  const got = runThrough(1, (fs) => (pass = new PassThrough(fs)));
  for (const t of ["Audio", "Visual"]) {
    assert.ok(ref[t].dts.length > 10, `${t}: ${ref[t].dts.length} packets`);
    assert.deepEqual(got[t].dts, ref[t].dts, `${t} DTS`);
    assert.deepEqual(got[t].cts, ref[t].cts, `${t} CTS`);
    assert.deepEqual(got[t].sums, pass!.inSums[t], `${t} payloads`);
    assert.equal(got[t].eos, true);
  }
  assert.equal(pass!.count, ref.Audio.dts.length + ref.Visual.dts.length);
});

Deno.test("custom: a sink sends PLAY itself and sees PID properties", () => {
  using fs = new FilterSession();
  fs.loadSrc("avgen:dur=0.3");
  const props: Map<string, gpac.PropValue | null>[] = [];
  class PropSink extends RecordingSink {
    override configurePid(pid: FilterPid, isRemove: boolean): number {
      if (!isRemove && !this.ipids.includes(pid)) props.push(pid.enumProps());
      return super.configurePid(pid, isRemove);
    }
  }
  const sink = new PropSink(fs, ["Visual"]);
  fs.run();
  assert.equal(sink.playSent, 1);
  assert.equal(props.length, 1);
  assert.equal(props[0].get("StreamType"), "Visual");
  assert.equal(props[0].get("Width"), 1280);
  assert.equal(props[0].get("PixelFormat"), "yuv420");
  assert.ok(byType(sink).Visual.dts.length >= 7);
});

Deno.test("custom: all six packet creation modes deliver the same payloads and timestamps", () => {
  const modes = ["forward", "ref", "alloc", "shared", "copy", "clone"] as const;
  const used = new Map<string, number>();
  let released = 0;
  let sharedMade = 0;
  const inSums: number[] = [];
  class SixModes extends FilterCustom {
    n = 0;
    constructor(fs: FilterSession) {
      super(fs, "sixmodes");
      this.pushCap("StreamType", "Visual", GF_CAPS_INPUT_OUTPUT);
    }
    override configurePid(pid: FilterPid, isRemove: boolean): number {
      if (!isRemove) this.mirrorPid(pid);
      return 0;
    }
    override process(): number {
      for (const pid of this.ipids) {
        const opid = pid.opid!;
        for (let pck = pid.getPacket(); pck; pck = pid.getPacket()) {
          const mode = modes[this.n++ % modes.length];
          inSums.push(checksum(pck.data));
          used.set(mode, (used.get(mode) ?? 0) + 1);
          let out: FilterPacket | null = null;
          switch (mode) {
            case "forward":
              opid.forward(pck);
              break;
            case "ref":
              out = opid.newPckRef(pck);
              break;
            case "alloc":
              out = opid.newPck(pck.size);
              out.data.set(pck.data);
              break;
            case "shared": {
              const copy = pck.data.slice(); // JS-owned memory
              out = opid.newPckShared(copy);
              sharedMade++;
              break;
            }
            case "copy":
              out = opid.newPckCopy(pck);
              break;
            case "clone":
              out = opid.newPckClone(pck);
              break;
          }
          if (out) {
            if (mode === "alloc" || mode === "shared") out.copyProps(pck);
            out.dts = pck.dts;
            out.cts = pck.cts;
            out.dur = pck.dur;
            out.sap = pck.sap;
            out.send();
            assert.throws(() => out!.dts, /used after it was sent/);
          }
          pid.dropPacket();
        }
        if (pid.eos) opid.eos = true;
      }
      return 0;
    }
    override packetRelease(opid: FilterPid, pck: FilterPacket): void {
      assert.equal(opid, this.opids[0]);
      assert.equal(pck.valid, false);
      released++;
    }
  }
  const ref = runThrough(1, undefined);
  let f: SixModes | undefined;
  const got = runThrough(1, (fs) => (f = new SixModes(fs)));
  for (const m of modes) assert.ok((used.get(m) ?? 0) >= 3, `mode ${m} used ${used.get(m)} times`);
  assert.deepEqual(got.Visual.sums, inSums);
  assert.deepEqual(got.Visual.dts, ref.Visual.dts);
  assert.deepEqual(got.Visual.cts, ref.Visual.cts);
  assert.ok(sharedMade >= 3);
  assert.equal(released, sharedMade, "packetRelease called exactly once per shared packet");
  assert.equal(f!.nbSharedPending, 0);
});

Deno.test("custom: packet setters each write their own field", () => {
  const checks: string[] = [];
  class Setters extends FilterCustom {
    constructor(fs: FilterSession) {
      super(fs, "setters");
      this.pushCap("StreamType", "Visual", GF_CAPS_INPUT_OUTPUT);
    }
    override configurePid(pid: FilterPid, isRemove: boolean): number {
      if (!isRemove) this.mirrorPid(pid);
      return 0;
    }
    override process(): number {
      for (const pid of this.ipids) {
        for (let pck = pid.getPacket(); pck; pck = pid.getPacket()) {
          const o = pid.opid!.newPckClone(pck);
          const fields: [Exclude<keyof FilterPacket, symbol>, unknown][] = [
            ["dts", 1000],
            ["cts", 2002],
            ["dur", 77],
            ["sap", gpac.GF_FILTER_SAP_3],
            ["seek", true],
            ["corrupted", true],
            ["roll", -3],
            ["crypt", 2],
            ["clock", gpac.GF_FILTER_CLOCK_PCR],
            ["carousel", 9],
            ["seqnum", 123456],
            ["deps", 0x2a],
            ["byteOffset", 4096],
            ["interlaced", 2],
            ["start", false],
            ["end", false],
          ];
          for (const [k, v] of fields) {
            const before = Object.fromEntries(fields.map(([f]) => [f, o[f]]));
            (o as unknown as Record<string, unknown>)[k] = v;
            assert.deepEqual(o[k], v, `${k} reads back`);
            for (const [f] of fields) {
              if (f !== k) assert.deepEqual(o[f], before[f], `setting ${k} changed ${f}`);
            }
            checks.push(k);
          }
          o.setProp("MyCounter", 42);
          o.setProp("MyLabel", "hello");
          assert.equal(o.getProp("MyCounter"), 42);
          assert.equal(o.enumProps().get("MyLabel"), "hello");
          assert.throws(() => (pck.dts = 5), /read-only/);
          o.discard();
          pid.dropPacket();
        }
        if (pid.eos) pid.opid!.eos = true;
      }
      return 0;
    }
  }
  runThrough(0.2, (fs) => new Setters(fs));
  assert.ok(checks.length >= 16);
});

Deno.test("custom: a luma line drawn in place (clone) and by copy shows up in the output frames", () => {
  for (const inPlace of [true, false]) {
    const rows = new Set<number>();
    class Line extends FilterCustom {
      constructor(fs: FilterSession) {
        super(fs, "lumaline");
        this.pushCap("StreamType", "Visual", GF_CAPS_INPUT_OUTPUT);
        this.pushCap("CodecID", "raw", GF_CAPS_INPUT_OUTPUT);
      }
      override configurePid(pid: FilterPid, isRemove: boolean): number {
        if (isRemove) return 0;
        this.mirrorPid(pid);
        pid.udta = {
          width: pid.getProp("Width") as number,
          height: pid.getProp("Height") as number,
          stride: (pid.getProp("Stride") as number | null) ?? (pid.getProp("Width") as number),
        };
        return 0;
      }
      override process(): number {
        for (const pid of this.ipids) {
          const { width, height, stride } = pid.udta as Record<string, number>;
          for (let pck = pid.getPacket(); pck; pck = pid.getPacket()) {
            let out: FilterPacket;
            if (inPlace) {
              out = pid.opid!.newPckClone(pck);
            } else {
              out = pid.opid!.newPck(pck.size);
              out.data.set(pck.data);
              out.copyProps(pck);
              out.dts = pck.dts;
              out.cts = pck.cts;
            }
            const y = height >> 1;
            out.data.fill(128, y * stride, y * stride + width);
            out.send();
            pid.dropPacket();
          }
          if (pid.eos) pid.opid!.eos = true;
        }
        return 0;
      }
    }
    using fs = new FilterSession();
    const src = fs.loadSrc("avgen:dur=0.4");
    const line = new Line(fs);
    line.setSource(src, "#StreamType=Visual");
    const sink = new RecordingSink(fs, ["Visual"]);
    sink.setSource(line);
    let frames = 0;
    sink.onPacket = (pid, pck) => {
      const w = pid.getProp("Width") as number;
      const h = pid.getProp("Height") as number;
      const stride = (pid.getProp("Stride") as number | null) ?? w;
      const d = pck.data;
      const row = d.subarray((h >> 1) * stride, (h >> 1) * stride + w);
      assert.ok(row.every((v) => v === 128), "middle row is the line");
      rows.add(d[((h >> 1) - 1) * stride + 10]); // the row above is not all 128
      frames++;
    };
    fs.run();
    assert.ok(frames >= 5, `${frames} frames`);
  }
});

Deno.test("custom: an exception in process() makes run() throw it; the process stays usable", () => {
  class Broken extends PassThrough {
    override process(): number {
      if (this.count >= 5) throwFromFilter();
      return super.process();
    }
  }
  function throwFromFilter(): never {
    throw new TypeError("filter exploded");
  }
  const fs = new FilterSession();
  const src = fs.loadSrc("avgen:dur=2");
  const b = new Broken(fs);
  const sink = new RecordingSink(fs);
  b.setSource(src);
  sink.setSource(b);
  assert.throws(() => fs.run(), (e: unknown) => {
    assert.ok(e instanceof TypeError);
    assert.match(String(e.stack), /throwFromFilter/);
    return true;
  });
  fs.close();
  assert.equal(b.alive, false);
  const ok = runThrough(0.3, (fs2) => new PassThrough(fs2));
  assert.ok(ok.Visual.dts.length > 3);
});

Deno.test("custom: exceptions in configurePid and processEvent surface too", () => {
  class BadConfig extends PassThrough {
    override configurePid(): number {
      throw new Error("bad configure");
    }
  }
  assert.throws(() => runThrough(0.3, (fs) => new BadConfig(fs)), /bad configure/);
  class BadEvent extends PassThrough {
    override processEvent(evt: FilterEvent): boolean {
      if (evt.type === GF_FEVT_PLAY) throw new Error("bad event");
      return false;
    }
  }
  assert.throws(() => runThrough(0.3, (fs) => new BadEvent(fs)), /bad event/);
});

Deno.test("custom: using a dropped packet or a removed PID throws", () => {
  let checked = false;
  class Checker extends PassThrough {
    override process(): number {
      for (const pid of this.ipids) {
        const pck = pid.getPacket();
        if (!pck) continue;
        const data = pck.data;
        assert.ok(data.length > 0);
        pid.opid!.forward(pck);
        pid.dropPacket();
        assert.throws(
          () => pck.dts,
          (e: unknown) => e instanceof GpacError && /dropped/.test(e.message),
        );
        assert.throws(() => pck.data, /dropped/);
        assert.equal(data.length, 0, "data view detached after drop");
        // input-only operations on an output PID throw instead of misleading answers
        assert.throws(() => pid.opid!.eos, /reading eos is for input PIDs/);
        assert.throws(() => pid.opid!.getPacket(), /is for input PIDs/);
        checked = true;
      }
      return super.process();
    }
  }
  runThrough(0.3, (fs) => new Checker(fs));
  assert.ok(checked);
});

Deno.test("custom: processEvent sees PLAY, PIDs are stable objects usable as Map keys", () => {
  const events: string[] = [];
  const keys = new Set<FilterPid>();
  class Watch extends PassThrough {
    override configurePid(pid: FilterPid, isRemove: boolean): number {
      keys.add(pid);
      return super.configurePid(pid, isRemove);
    }
    override process(): number {
      for (const p of this.ipids) assert.ok(keys.has(p));
      return super.process();
    }
    override processEvent(evt: FilterEvent): boolean {
      events.push(evt.typeName);
      if (evt.type === GF_FEVT_PLAY) assert.equal(typeof evt.play.speed, "number");
      return false;
    }
  }
  runThrough(0.3, (fs) => new Watch(fs));
  assert.ok(events.includes("GF_FEVT_PLAY"), events.join());
  assert.equal(keys.size, 2);
});

Deno.test("custom: a TS source filter produces packets that a muxer writes", () => {
  class Source extends FilterCustom {
    n = 0;
    opid!: FilterPid;
    constructor(fs: FilterSession) {
      super(fs, "tssource");
      this.pushCap("StreamType", "Text", GF_CAPS_OUTPUT);
      this.opid = this.newPid();
      this.opid.setProp("StreamType", "Text");
      this.opid.setProp("CodecID", "subs");
      this.opid.setProp("Timescale", 1000);
      this.opid.name = "texts";
    }
    override process(): number {
      if (this.n >= 10) {
        this.opid.eos = true;
        return gpac.GF_EOS;
      }
      const text = new TextEncoder().encode(`line ${this.n}`);
      const p = this.opid.newPck(text.length);
      p.data.set(text);
      p.dts = p.cts = this.n * 1000;
      p.dur = 1000;
      p.sap = gpac.GF_FILTER_SAP_1;
      p.send();
      this.n++;
      return 0;
    }
  }
  using fs = new FilterSession();
  const src = new Source(fs);
  const sink = new RecordingSink(fs, ["Text"]);
  sink.setSource(src);
  fs.run();
  const seen = [...sink.seen.values()][0];
  assert.equal(seen.dts.length, 10);
  assert.deepEqual(seen.dts, [0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000]);
  assert.equal(src.opids[0].name, "texts");
});

Deno.test("custom: a TS filter works in a threads: 2 session and runs on the JS thread", () => {
  // a generated file, not avgen: GPAC's JS filters may fail to start on a worker thread
  const clip = makeMedia("threads_clip.mp4", 1);
  let pass: PassThrough | undefined;
  const got = runThrough(1, (fs) => (pass = new PassThrough(fs)), { threads: 2 }, clip);
  const ref = runThrough(1, undefined, {}, clip);
  assert.deepEqual(got.Visual.dts, ref.Visual.dts);
  assert.ok(got.Visual.dts.length >= 20);
  assert.deepEqual(got.Audio.sums, pass!.inSums.Audio);
  assert.deepEqual(got.Visual.sums, pass!.inSums.Visual);
});

Deno.test("custom: pushCap rejects values GPAC cannot keep, and bad capability names", () => {
  using fs = new FilterSession();
  const f = new FilterCustom(fs, "caps");
  assert.throws(
    () => f.pushCap("StreamType", "NotAType", GF_CAPS_INPUT),
    /unknown value "NotAType"/,
  );
  assert.throws(() => f.pushCap("Mine", ["a", "b"], GF_CAPS_INPUT), /cannot have a value of type/);
  f.pushCap("Mine", "a string cap", GF_CAPS_INPUT);
  f.pushCap("CodecID", "avc", GF_CAPS_INPUT);
  assert.equal(checksum(new Uint8Array([1, 2, 3])) > 0, true);
});

Deno.test("custom: a sink that never gets an input does not keep the session spinning", () => {
  let calls = 0;
  class Lonely extends FilterCustom {
    constructor(fs: FilterSession) {
      super(fs, "lonely");
      this.pushCap("StreamType", "Text", GF_CAPS_INPUT);
    }
    override process(): number {
      calls++;
      return 0;
    }
  }
  using fs = new FilterSession();
  fs.loadSrc("avgen:dur=0.2");
  fs.load("inspect:deep=0:log=null");
  new Lonely(fs);
  fs.run();
  assert.ok(calls < 100, `process() called ${calls} times`);
});

/** Pass-through recording how many packets each process() call found. */
class BatchCounter extends FilterCustom {
  calls = 0;
  packets = 0;
  maxPerCall = 0;
  override configurePid(pid: FilterPid, isRemove: boolean): number {
    if (!isRemove) this.mirrorPid(pid);
    return 0;
  }
  override process(): number {
    this.calls++;
    let n = 0;
    for (const pid of this.ipids) {
      for (let pck = pid.getPacket(); pck; pck = pid.getPacket()) {
        pid.opid!.forward(pck);
        pid.dropPacket();
        n++;
      }
      if (pid.eos) pid.opid!.eos = true;
    }
    this.packets += n;
    this.maxPerCall = Math.max(this.maxPerCall, n);
    return 0;
  }
}

Deno.test("custom: options.inputBuffer (default: batched) hands process() several queued packets per call", () => {
  const file = makeMedia("batch.mp4", 4);
  const ref = runThrough(0, undefined, {}, file);
  const run = (inputBuffer?: number) => {
    let f: BatchCounter | undefined;
    const got = runThrough(
      0,
      (fs) => {
        f = new BatchCounter(fs, "batch", { inputBuffer });
        f.pushCap("StreamType", "Audio", GF_CAPS_INPUT_OUTPUT);
        f.pushCap("StreamType", "Visual", GF_CAPS_INPUT_OUTPUT);
        return f;
      },
      {},
      file,
    );
    for (const t of ["Audio", "Visual"]) {
      assert.deepEqual(got[t].dts, ref[t].dts, `${t} DTS (inputBuffer ${inputBuffer})`);
      assert.equal(got[t].eos, true);
    }
    return f!;
  };
  const perPacket = run(0);
  const batched = run(2_000_000);
  const auto = run(); // unset: DEFAULT_INPUT_BUFFER_US on these compressed streams
  assert.equal(batched.packets, perPacket.packets);
  assert.equal(auto.packets, perPacket.packets);
  assert.ok(auto.maxPerCall >= 4, `unset inputBuffer: up to ${auto.maxPerCall} packets per call`);
  assert.ok(
    auto.calls * 2 < perPacket.calls,
    `process() calls: ${auto.calls} by default, ${perPacket.calls} with inputBuffer: 0`,
  );
  assert.ok(perPacket.packets > 100, `${perPacket.packets} packets`);
  // GPAC's default buffer blocks the demuxer after about one packet per PID
  assert.ok(perPacket.maxPerCall <= 4, `default: up to ${perPacket.maxPerCall} packets per call`);
  assert.ok(batched.maxPerCall >= 10, `inputBuffer: up to ${batched.maxPerCall} packets per call`);
  assert.ok(
    batched.calls * 3 < perPacket.calls,
    `process() calls: ${batched.calls} with inputBuffer, ${perPacket.calls} without`,
  );
  using fs = new FilterSession();
  for (
    const [bad, type] of [[-1, RangeError], [1.5, RangeError], [2 ** 32, RangeError], [
      "1000",
      TypeError,
    ]] as const
  ) {
    assert.throws(
      () => new FilterCustom(fs, "bad", { inputBuffer: bad as number }),
      type,
      `inputBuffer ${String(bad)}`,
    );
  }
});
