import assert from "node:assert/strict";
import * as gpac from "../mod.ts";
import { GF_EVENT_QUIT } from "../raw.ts";
import { FilterSession, FilterTask, GpacError } from "../mod.ts";
import { makeMedia, tmpPath } from "./helpers.ts";

/** Opens `path` and returns the demuxer's output PIDs as property maps. */
function probe(path: string): Map<string, gpac.PropValue | null>[] {
  using fs = new FilterSession();
  fs.loadSrc(path);
  fs.load("inspect:deep=0:log=null");
  fs.run();
  const dmx = fs.filters.find((f) => f.name === "mp4dmx");
  assert.ok(dmx, `no demuxer for ${path}: ${fs.filters.map(String)}`);
  return Array.from({ length: dmx.nbOpid }, (_, i) => dmx.opidEnumProps(i));
}

Deno.test("session: remux avgen to MP4 and verify duration and tracks in a second session", () => {
  const out = tmpPath("remux.mp4");
  {
    using fs = new FilterSession();
    fs.loadSrc("avgen:dur=2");
    fs.load("ffenc:c=avc");
    fs.loadDst(out);
    assert.equal(fs.run(), gpac.GF_EOS, "a blocking run returns GF_EOS when the session is over");
  }
  assert.ok(Deno.statSync(out).size > 10_000);
  const tracks = probe(out);
  assert.equal(tracks.length, 2);
  const types = tracks.map((t) => t.get("StreamType")).sort();
  assert.deepEqual(types, ["Audio", "Visual"]);
  const video = tracks.find((t) => t.get("StreamType") === "Visual")!;
  assert.ok(
    ["264", "avc", "h264"].includes(video.get("CodecID") as string),
    String(video.get("CodecID")),
  );
  assert.equal(video.get("Width"), 1280);
  const dur = video.get("Duration") as gpac.Fraction64;
  assert.ok(dur instanceof gpac.Fraction64);
  assert.ok(Math.abs(dur.valueOf() - 2) < 0.1, `duration ${dur}`);
});

Deno.test("session: non-blocking stepping reaches lastTask", () => {
  using fs = new FilterSession({ flags: gpac.GF_FS_FLAG_NON_BLOCKING });
  fs.loadSrc("avgen:dur=1");
  fs.load("inspect:deep=0:log=null");
  let steps = 0;
  while (!fs.lastTask) {
    fs.run();
    steps++;
    assert.ok(steps < 100_000, "session never finished");
  }
  assert.ok(steps > 10, `only ${steps} steps`);
  const insp = fs.filters.find((f) => f.name === "inspect")!;
  assert.equal(insp.nbIpid, 2);
});

Deno.test("session: a task rescheduled 3 times then removed", () => {
  using fs = new FilterSession();
  fs.loadSrc("avgen:dur=1");
  fs.load("inspect:deep=0:log=null");
  const times: number[] = [];
  class Counter extends FilterTask {
    override execute(): number {
      times.push(performance.now());
      return times.length < 4 ? 20 : -1;
    }
  }
  const t = fs.post(new Counter("counter"));
  assert.equal(t.session, fs);
  let after = 0;
  fs.post(() => {
    after++;
    return times.length >= 4 ? -1 : 5;
  }, "watcher");
  fs.run();
  assert.equal(times.length, 4, "executed once, then rescheduled 3 times");
  for (let i = 1; i < 4; i++) {
    assert.ok(times[i] - times[i - 1] >= 15, `gap ${times[i] - times[i - 1]}`);
  }
  assert.equal(t.session, null, "removed task is detached");
  assert.ok(after >= 1);
});

Deno.test("session: an exception thrown in a task makes run() throw it with its stack; a new session works", () => {
  const fs = new FilterSession();
  fs.loadSrc("avgen:dur=5");
  fs.load("inspect:deep=0:log=null");
  function failingTaskBody(): number {
    throw new RangeError("boom from task");
  }
  fs.post(() => failingTaskBody(), "failing");
  assert.throws(() => fs.run(), (e: unknown) => {
    assert.ok(e instanceof RangeError);
    assert.equal(e.message, "boom from task");
    assert.match(e.stack ?? "", /failingTaskBody/);
    return true;
  });
  fs.close();
  using fs2 = new FilterSession();
  fs2.loadSrc("avgen:dur=0.5");
  fs2.load("inspect:deep=0:log=null");
  assert.equal(fs2.run(), gpac.GF_EOS);
});

Deno.test("session: setSource with #PID= and PID= restricts the link; a link that connects nothing is reported", () => {
  for (const la of ["#PID=2", "PID=2"]) {
    using fs = new FilterSession();
    const src = fs.loadSrc("avgen:dur=0.5");
    const dst = fs.load("inspect:deep=0:log=null");
    dst.setSource(src, la);
    fs.run();
    assert.equal(dst.nbIpid, 1, la);
    assert.equal(dst.ipidProp(0, "ID"), 2);
    assert.equal(dst.ipidSource(0), src);
  }
  {
    using fs = new FilterSession();
    const src = fs.loadSrc("avgen:dur=0.5");
    const dst = fs.load("inspect:deep=0:log=null");
    dst.setSource(src, "#StreamType=Audio");
    fs.run();
    assert.equal(dst.nbIpid, 1);
    assert.equal(dst.ipidProp(0, "StreamType"), "Audio");
  }
  {
    using fs = new FilterSession();
    const src = fs.loadSrc("avgen:dur=0.5");
    const dst = fs.load("inspect:deep=0:log=null");
    dst.setSource(src, "#PID=99");
    assert.throws(() => fs.run(), (e: unknown) => {
      assert.ok(e instanceof GpacError);
      assert.equal(e.codeName, "GF_FILTER_NOT_FOUND");
      assert.match(e.message, /PID=99/);
      return true;
    });
  }
});

Deno.test("session: filter and PID inspection returns the expected properties", () => {
  using fs = new FilterSession();
  const src = fs.loadSrc("avgen:dur=0.5");
  const sink = fs.load("inspect:deep:log=null");
  let live: gpac.PidStatistics | undefined;
  let tries = 0;
  fs.post(() => {
    if (++tries > 3000) return -1; // bounded: the assertion below reports the failure
    if (sink.nbIpid < 2 || Number(sink.getStatistics().nbPckProcessed) < 4) return 1;
    live = sink.ipidStats([0, 1].find((i) => sink.ipidProp(i, "StreamType") === "Audio")!);
    return -1;
  }, "stats probe");
  fs.run();
  assert.equal(src.name, "avgen");
  assert.equal(src.nbOpid, 2);
  assert.equal(fs.nbFilters, fs.filters.length);
  assert.equal(fs.getFilter(0), fs.filters[0], "same native filter, same object");
  const props = [0, 1].map((i) => src.opidEnumProps(i));
  const video = props.find((p) => p.get("StreamType") === "Visual")!;
  const audio = props.find((p) => p.get("StreamType") === "Audio")!;
  assert.equal(video.get("CodecID"), "raw");
  assert.equal(video.get("Width"), 1280);
  assert.equal(video.get("Height"), 720);
  assert.equal(video.get("PixelFormat"), "yuv420");
  assert.ok(video.get("FPS") instanceof gpac.Fraction);
  assert.equal((video.get("FPS") as gpac.Fraction).valueOf(), 25);
  assert.equal(audio.get("SampleRate"), 44100);
  assert.equal(audio.get("AudioFormat"), "flt");
  const vi = props.indexOf(video);
  assert.equal(src.opidProp(vi, "Width"), 1280);
  assert.equal(src.opidProp(vi, "NoSuchUserProp"), null);
  assert.deepEqual(src.opidSinks(vi), [sink]);
  assert.ok(live, "PID statistics were read while running");
  assert.equal(live.minFrameDur, 1024, "AAC-sized audio frames from avgen");
  assert.equal(Number(live.lastTsDrop.den), 44100);
  assert.equal(typeof live.averageBitrate, "number");
  assert.equal(live.disconnected, false);
  const g = fs.graph();
  const si = g.filters.findIndex((n) => n.name === "inspect");
  assert.equal(g.filters[si].inputs.length, 2);
  assert.ok(g.filters[si].inputs.every((l) => g.filters[l.filter].name === "avgen"));
  const stats = fs.stats();
  const sinkStats = stats.find((s) => s.filter === sink)!;
  assert.equal(sinkStats.regName, "inspect");
  assert.equal(sinkStats.nbPidIn, 2);
  assert.ok(Number(sinkStats.nbPckProcessed) > 10, `processed ${sinkStats.nbPckProcessed}`);
  const args = sink.allArgs();
  const deep = args.find((a) => a.name === "deep")!;
  assert.equal(deep.type, "bool");
  assert.equal(deep.value, true);
  assert.equal(sink.getArgValue("deep"), true);
  assert.equal(sink.getArgValue("no-such-arg"), null);
  assert.equal(typeof sink.status, "string");
  assert.ok(Number(src.bytesDone) >= 0);
  assert.ok(fs.filterExists("mp4mx"));
  assert.ok(!fs.filterExists("no-such-filter"));
  assert.ok(fs.isSupportedSource(makeMedia("clip.mp4", 1)));
  assert.ok(fs.isSupportedMime("video/mp4"));
});

Deno.test("session: probeLink and getDestinations describe possible chains", () => {
  using fs = new FilterSession();
  const src = fs.loadSrc("avgen:dur=0.2");
  fs.load("inspect:deep=0:log=null");
  fs.run();
  const chain = src.probeLink(0, "mp4mx");
  assert.ok(chain === null || Array.isArray(chain));
  const dests = src.getDestinations(0);
  assert.ok(Array.isArray(dests) && dests.length > 0, String(dests));
});

Deno.test("session: errors carry GPAC's error name and the offending value", () => {
  using fs = new FilterSession();
  assert.throws(() => fs.load("no_such_filter_xyz"), (e: unknown) => {
    assert.ok(e instanceof GpacError);
    assert.equal(e.codeName, "GF_FILTER_NOT_FOUND");
    assert.match(e.message, /no_such_filter_xyz/);
    return true;
  });
  assert.throws(() => fs.loadSrc("/no/such/file.mp4"), (e: unknown) => {
    assert.ok(e instanceof GpacError);
    assert.equal(e.codeName, "GF_URL_ERROR");
    assert.match(e.message, /\/no\/such\/file\.mp4/);
    return true;
  });
  assert.throws(() => fs.load("reframer:speed=fast"), (e: unknown) => {
    assert.ok(e instanceof GpacError);
    assert.equal(e.codeName, "GF_BAD_PARAM");
    assert.match(e.message, /"fast".*speed/);
    return true;
  });
  // (2.4's reframer has no "align" mode)
  assert.throws(() => fs.load("reframer:rt=sometimes"), /one of off, on, sync(, align)?/);
  assert.throws(() => fs.load("ffenc:c=no_such_codec"), (e: unknown) => {
    assert.ok(e instanceof GpacError);
    assert.equal(e.codeName, "GF_NOT_SUPPORTED");
    return true;
  });
  assert.throws(() => fs.getFilter(999), /expected an integer index in 0\.\.\d+, got number 999/);
  assert.throws(() => new FilterSession({ threads: -5 }), /invalid thread count -5/);
  // valid values in GPAC's other notations are accepted
  fs.load("reframer:rt=sync:speed=2");
  fs.load("inspect:dur=1/2:deep");
});

Deno.test("session: use after close throws instead of crashing", () => {
  const fs = new FilterSession();
  const f = fs.loadSrc("avgen:dur=0.2");
  fs.load("inspect:deep=0:log=null");
  fs.run();
  fs.close();
  fs.close(); // idempotent
  assert.equal(fs.closed, true);
  assert.throws(() => fs.run(), /closed/);
  assert.throws(() => fs.loadSrc("avgen"), /closed/);
  assert.throws(() => fs.nbFilters, /closed/);
  assert.throws(() => f.name, /destroyed or its session closed/);
  assert.throws(() => f.opidProp(0, "Width"), GpacError);
  assert.equal(f.alive, false);
  assert.equal(String(f), "Filter(destroyed)");
});

Deno.test("session: onFilterNew / onFilterDel see every filter, which is invalidated afterwards", () => {
  const seen: string[] = [];
  const gone: gpac.Filter[] = [];
  class Watched extends FilterSession {
    override onFilterNew(f: gpac.Filter): void {
      seen.push(f.name);
    }
    override onFilterDel(f: gpac.Filter): void {
      gone.push(f);
    }
  }
  const fs = new Watched();
  fs.loadSrc("avgen:dur=0.2");
  fs.load("ffenc:c=avc");
  fs.loadDst(tmpPath("watched.mp4"));
  fs.run();
  assert.ok(seen.includes("avgen"));
  assert.ok(seen.includes("mp4mx"), seen.join(","));
  assert.ok(seen.some((n) => n.startsWith("ffenc")), seen.join(","));
  fs.close();
  assert.ok(gone.length >= 4, `${gone.length} destroyed`);
  assert.ok(gone.every((f) => !f.alive));
});

Deno.test("session: abort with flush finalizes an MP4 another session can read", () => {
  const out = tmpPath("aborted.mp4");
  {
    using fs = new FilterSession();
    fs.loadSrc("avgen:dur=30");
    fs.load("ffenc:c=avc");
    fs.loadDst(out);
    let n = 0;
    fs.post(() => {
      if (++n === 20) {
        fs.abort(gpac.GF_FS_FLUSH_ALL);
        return -1;
      }
      return 10;
    });
    fs.run();
  }
  const tracks = probe(out);
  assert.equal(tracks.length, 2);
  const video = tracks.find((t) => t.get("StreamType") === "Visual")!;
  const frames = video.get("NumFrames") as number;
  assert.ok(frames > 0 && frames < 750, `${frames} frames of 750`);
  const dur = (video.get("Duration") as gpac.Fraction64).valueOf();
  assert.ok(dur > 0 && dur < 30, `duration ${dur}`);
});

Deno.test("session: fireEvent sends a user event and update() changes an option", () => {
  using fs = new FilterSession();
  const src = fs.loadSrc("avgen:dur=0.3");
  fs.load("inspect:deep=0:log=null");
  const evt = new gpac.FilterEvent(gpac.GF_FEVT_USER);
  evt.user.eventType = GF_EVENT_QUIT;
  assert.equal(evt.typeName, "GF_FEVT_USER");
  assert.equal(typeof fs.fireEvent(evt, src), "boolean");
  const insp = fs.filters.find((f) => f.name === "inspect")!;
  insp.update("deep", "true");
  fs.run();
  assert.equal(insp.getArgValue("deep"), true);
});

Deno.test("session: threads option runs a multi-threaded session", () => {
  using fs = new FilterSession({ threads: 2 });
  fs.loadSrc(makeMedia("clip.mp4", 1)); // not avgen: see logs_test.ts
  fs.loadDst(tmpPath("threaded.mp4"));
  fs.run();
  const tracks = probe(tmpPath("threaded.mp4"));
  assert.equal(tracks.length, 2);
});

Deno.test("session: makeMedia helper output is reusable input", () => {
  const clip = makeMedia("clip.mp4", 1);
  const tracks = probe(clip);
  assert.equal(tracks.length, 2);
});

Deno.test("session: a non-blocking session reports a link that connected nothing when it ends", () => {
  using fs = new FilterSession({ flags: gpac.GF_FS_FLAG_NON_BLOCKING });
  const src = fs.loadSrc("avgen:dur=0.2");
  const dst = fs.load("inspect:deep=0:log=null");
  dst.setSource(src, "#PID=99");
  let steps = 0;
  assert.throws(() => {
    while (!fs.lastTask && steps++ < 100_000) fs.run();
    fs.run();
  }, /no PID connected to inspect through link "PID=99"/);
});

Deno.test("session: choice options read as names, option checks do not read option values", () => {
  using fs = new FilterSession();
  const mx = fs.load("mp4mx:store=flat");
  assert.equal(mx.getArgValue("store"), "flat");
  const store = mx.allArgs().find((a) => a.name === "store")!;
  assert.equal(store.value, "flat");
  assert.ok(store.minMaxEnum?.split("|").includes("flat"));
  assert.equal(mx.allArgs({ values: false }).every((a) => a.value === null), true);
});

Deno.test("session: bind() on a filter without a registered binder names the filter", () => {
  using fs = new FilterSession();
  const f = fs.load("reframer");
  assert.throws(() => f.bind({}), (e: unknown) => {
    assert.ok(e instanceof GpacError);
    assert.equal(e.codeName, "GF_NOT_SUPPORTED");
    assert.match(e.message, /reframer/);
    return true;
  });
});

Deno.test("session: one state machine from idle to closed", () => {
  const fs = new FilterSession();
  assert.equal(fs.state, gpac.SessionState.Idle);
  fs.loadSrc("avgen:dur=0.2");
  let inTask: string | null = null;
  fs.post(() => {
    inTask = fs.state;
    return -1;
  });
  fs.load("inspect:deep:log=null");
  assert.equal(fs.run(), gpac.GF_EOS);
  assert.equal(inTask, gpac.SessionState.Running);
  assert.equal(fs.state, gpac.SessionState.Done);
  assert.equal(fs.run(), gpac.GF_EOS); // nothing left to do
  fs.close();
  assert.equal(fs.state, gpac.SessionState.Closed);
  assert.ok(fs.closed);
  assert.throws(() => fs.run(), /filter session is closed/);
});
