import assert from "node:assert/strict";
import {
  FileIO,
  type FileIOFactory,
  FilterSession,
  FsFileFactory,
  GF_BAD_PARAM,
  GF_IO_ERR,
  GF_NOT_SUPPORTED,
  GF_URL_ERROR,
  GpacError,
  gpacSupports,
  MemoryFileFactory,
  ReadableStreamFileFactory,
  setArgs,
  WritableStreamFileFactory,
} from "../mod.ts";
import { liveNativeCount } from "../fileio/fileio.ts";
import { makeMedia, tmpPath } from "./helpers.ts";

// no creation dates or version strings in the outputs: runs of the same input give the same bytes
setArgs(["-for-test"]);

/** A 2 s AVC + AAC MP4 made once, the input of every test (avgen differs run to run). */
function source(): string {
  return makeMedia("fileio-src.mp4", 2, ["ffenc:c=avc", "ffenc:c=aac"]);
}

/** Inspector writing one line per packet (PID, number, timestamps, size, CRC) to `log`. */
function inspector(log: string): string {
  return `inspect:interleave=false:fmt=@pid.ID@ @pn@ @dts@ @cts@ @size@ @crc@@lf@:log=${log}`;
}

function remux(src: string, dst: string): void {
  using fs = new FilterSession();
  fs.loadSrc(src);
  fs.loadDst(dst);
  fs.run();
}

/**
 * The inspector's log without the properties that only say how the source was accessed
 * (GPAC marks files it reads itself as cached, with a download size).
 */
function readLog(log: string): string {
  return Deno.readTextFileSync(log).replace(/^\t(Cached|DownloadSize): .*\n/gm, "");
}

function inspect(src: string, log: string): string {
  using fs = new FilterSession();
  fs.loadSrc(src);
  fs.load(inspector(log));
  fs.run();
  fs.close();
  return readLog(log);
}

function readDir(dir: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const e of Deno.readDirSync(dir)) {
    if (e.isFile) out.set(e.name, Deno.readFileSync(`${dir}/${e.name}`));
  }
  return out;
}

/** Runs DASH straight to disk into a fresh folder and returns its files. */
function dashToDisk(name: string): { dir: string; files: Map<string, Uint8Array> } {
  const dir = tmpPath(name);
  remux(source(), `${dir}/live.mpd:segdur=1`);
  return { dir, files: readDir(dir) };
}

Deno.test("fileio: single-file output through a memory factory equals GPAC's own file output", () => {
  const direct = tmpPath("direct-out.mp4");
  remux(source(), direct);
  const expected = Deno.readFileSync(direct);

  const files = new Map<string, Uint8Array>();
  {
    using fio = new FileIO("mem/out.mp4", new MemoryFileFactory(files));
    assert.match(fio.url, /^gfio:\/\//);
    remux(source(), fio.url);
    assert.equal(fio.error, null);
    assert.deepEqual(fio.openFiles, [], "GPAC closed every file it opened");
  }
  assert.deepEqual([...files.keys()], ["mem/out.mp4"]);
  assert.ok(expected.length > 100_000);
  assert.deepEqual(files.get("mem/out.mp4"), expected);
});

Deno.test("fileio: single-file input through the file-system factory demuxes the same packets", () => {
  const expected = inspect(source(), tmpPath("in-direct.txt"));
  const opened: string[] = [];
  class Logged extends FsFileFactory {
    override clone(): Logged {
      return new Logged(this.options);
    }
    override open(url: string, mode: string): boolean {
      opened.push(`${url} ${mode}`);
      return super.open(url, mode);
    }
  }
  using fio = new FileIO(source(), new Logged());
  const got = inspect(fio.url, tmpPath("in-fio.txt"));
  assert.ok(expected.split("\n").length > 100, "the inspector saw packets");
  assert.equal(got, expected);
  assert.ok(opened.length >= 1 && opened.every((o) => o === `${source()} rb`), opened.join());
});

Deno.test("fileio: multi-file DASH output through a memory factory equals the DASH written to disk", () => {
  const { files: disk } = dashToDisk("dash-direct");
  const files = new Map<string, Uint8Array>();
  const before = liveNativeCount();
  {
    using fio = new FileIO("out/dash/live.mpd", new MemoryFileFactory(files));
    remux(source(), `${fio.url}:segdur=1`);
    assert.equal(fio.error, null);
  }
  assert.equal(liveNativeCount(), before, "every GF_FileIO made for segments was deleted");
  // the manifest, one init segment and 2-3 media segments per track
  assert.ok(disk.size >= 6, [...disk.keys()].join());
  assert.deepEqual(
    [...files.keys()].sort(),
    [...disk.keys()].map((n) => `out/dash/${n}`).sort(),
  );
  for (const [name, bytes] of disk) {
    assert.deepEqual(files.get(`out/dash/${name}`), bytes, name);
  }
  assert.match(new TextDecoder().decode(files.get("out/dash/live.mpd")), /<MPD /);
});

Deno.test("fileio: multi-file DASH input from memory gives the same packets as from disk", () => {
  const { dir, files: disk } = dashToDisk("dash-in");
  const expected = inspect(`${dir}/live.mpd`, tmpPath("dash-in-direct.txt"));
  const files = new Map([...disk].map(([n, b]) => [`mem/${n}`, b]));
  const reads = new Map<string, number>();
  class Counting extends MemoryFileFactory {
    #url = "";
    override clone(): Counting {
      return new Counting(this.files);
    }
    override open(url: string, mode: string): boolean {
      this.#url = url;
      return super.open(url, mode);
    }
    override read(buf: Uint8Array): number {
      const n = super.read(buf);
      reads.set(this.#url, (reads.get(this.#url) ?? 0) + n);
      return n;
    }
  }
  const before = liveNativeCount();
  let got: string;
  {
    using fio = new FileIO("mem/live.mpd", new Counting(files));
    got = inspect(fio.url, tmpPath("dash-in-fio.txt"));
  }
  assert.equal(liveNativeCount(), before);
  assert.ok(expected.split("\n").length > 100);
  assert.equal(got, expected);
  // every file of the presentation was read through the wrapper, none from disk
  for (const n of disk.keys()) assert.ok(reads.get(`mem/${n}`), `mem/${n} was not read`);
});

Deno.test("fileio: a factory refusing to open an output fails run() with GF_URL_ERROR naming it", () => {
  const files = new Map<string, Uint8Array>();
  class Refusing extends MemoryFileFactory {
    override clone(): Refusing {
      return new Refusing(this.files);
    }
    override open(url: string, mode: string): boolean {
      return url.endsWith(".m4s") ? false : super.open(url, mode);
    }
  }
  using fio = new FileIO("refuse/live.mpd", new Refusing(files));
  {
    using fs = new FilterSession();
    fs.loadSrc(source());
    fs.loadDst(`${fio.url}:segdur=1`);
    assert.throws(() => fs.run(), (e: unknown) => {
      assert.ok(e instanceof GpacError);
      assert.equal(e.codeName, "GF_URL_ERROR");
      assert.equal(e.code, GF_URL_ERROR);
      assert.match(e.message, /refused to open "refuse\/[^"]+\.m4s" in mode "w\+b"/);
      return true;
    });
  }
  // the init segments written before the refusal are kept
  assert.ok([...files.keys()].some((k) => k.endsWith("_init.mp4")), [...files.keys()].join());
  assert.equal(fio.error?.code, GF_URL_ERROR);
  // a new session works afterwards
  const out = new Map<string, Uint8Array>();
  using ok = new FileIO("after.mp4", new MemoryFileFactory(out));
  remux(source(), ok.url);
  assert.ok(out.get("after.mp4")!.length > 100_000);
});

Deno.test("fileio: an exception thrown by open surfaces from run() with its stack as the cause", () => {
  class Broken extends MemoryFileFactory {
    override clone(): Broken {
      return new Broken(this.files);
    }
    override open(_url: string, _mode: string): boolean {
      throw new RangeError("quota exceeded in open");
    }
  }
  using fio = new FileIO("broken.mp4", new Broken());
  using fs = new FilterSession();
  fs.loadSrc(source());
  fs.loadDst(fio.url);
  assert.throws(() => fs.run(), (e: unknown) => {
    assert.ok(e instanceof GpacError, String(e));
    assert.equal(e.codeName, "GF_URL_ERROR");
    assert.match(e.message, /FileIO open\("w\+b"\) of "broken\.mp4" threw: quota exceeded in open/);
    assert.ok(e.cause instanceof RangeError);
    assert.match((e.cause as Error).stack ?? "", /Broken\.open/);
    return true;
  });
});

Deno.test("fileio: a write that throws stops run() with GF_IO_ERR and keeps every byte written before", () => {
  const direct = tmpPath("direct-for-write.mp4");
  remux(source(), direct);
  const expected = Deno.readFileSync(direct);
  const limit = Math.floor(expected.length / 3);
  const files = new Map<string, Uint8Array>();
  let accepted = 0;
  class DiskFull extends MemoryFileFactory {
    override clone(): DiskFull {
      return new DiskFull(this.files);
    }
    override write(buf: Uint8Array): number {
      if (accepted + buf.length > limit) throw new Error(`disk full after ${accepted} bytes`);
      accepted += buf.length;
      return super.write(buf);
    }
  }
  using fio = new FileIO("full.mp4", new DiskFull(files));
  {
    using fs = new FilterSession();
    fs.loadSrc(source());
    fs.loadDst(fio.url);
    assert.throws(() => fs.run(), (e: unknown) => {
      assert.ok(e instanceof GpacError);
      assert.equal(e.code, GF_IO_ERR);
      assert.match(e.message, /FileIO write of "full\.mp4" threw: disk full after \d+ bytes/);
      assert.match((e.cause as Error).stack ?? "", /DiskFull\.write/);
      return true;
    });
  }
  const kept = files.get("full.mp4")!;
  assert.ok(accepted > 0 && kept.length === accepted, `${kept.length} kept, ${accepted} accepted`);
  // the bytes kept are exactly those GPAC wrote first: a prefix of the complete file, unless
  // the muxer had already seeked back to patch a header (then compare from the start anyway)
  assert.deepEqual(kept.subarray(0, 8), expected.subarray(0, 8));
  assert.deepEqual(fio.openFiles, [], "the failed file was closed when the session ended");
});

Deno.test("fileio: DASH output through the file-system factory, and views on GPAC memory are emptied", () => {
  const { files: disk } = dashToDisk("dash-direct-2");
  const dir = tmpPath("dash-fs");
  const kept: Uint8Array[] = [];
  class Keeping extends FsFileFactory {
    override clone(): Keeping {
      return new Keeping(this.options);
    }
    override write(buf: Uint8Array): number {
      if (kept.length < 3) kept.push(buf);
      return super.write(buf);
    }
  }
  {
    using fio = new FileIO(`${dir}/live.mpd`, new Keeping());
    remux(source(), `${fio.url}:segdur=1`);
  }
  const got = readDir(dir);
  assert.deepEqual([...got.keys()].sort(), [...disk.keys()].sort());
  for (const [n, b] of disk) assert.deepEqual(got.get(n), b, n);
  assert.equal(kept.length, 3);
  for (const v of kept) assert.equal(v.length, 0, "a view kept past the call is empty");
});

Deno.test("fileio: the factory is checked, cloned per file, and the wrapper throws once closed", () => {
  assert.throws(
    () => new FileIO("x.mp4", { open: () => true } as unknown as FileIOFactory),
    (e: unknown) =>
      e instanceof GpacError && e.code === GF_BAD_PARAM &&
      /lacks close, seek, tell, eof, read or write/.test(e.message),
  );
  assert.throws(() => new FileIO("", new MemoryFileFactory()), GpacError);

  // a plain object factory is shallow-copied for each file: its state is per file
  const written = new Map<string, number>();
  const plain = {
    url: "",
    pos: 0,
    open(url: string, _mode: string) {
      this.url = url;
      this.pos = 0;
      return true;
    },
    close() {
      written.set(this.url, this.pos);
    },
    write(buf: Uint8Array) {
      this.pos += buf.length;
      return buf.length;
    },
    seek(offset: number, whence: 0 | 1 | 2) {
      if (whence === 0) this.pos = offset;
      else if (whence === 1) this.pos += offset;
      else return false;
    },
    tell() {
      return this.pos;
    },
    eof() {
      return false;
    },
  };
  const fio = new FileIO("plain/live.mpd", plain);
  const url = fio.url;
  remux(source(), `${url}:segdur=1`);
  assert.equal(plain.url, "", "the template itself is never opened");
  assert.ok(written.size >= 6, [...written.keys()].join());
  assert.ok([...written.values()].every((n) => n > 0));
  fio.close();
  fio.close();
  assert.ok(fio.closed);
  assert.throws(() => fio.url, /closed/);
  // GPAC can no longer open it
  using fs = new FilterSession();
  assert.throws(() => {
    fs.loadSrc(source());
    fs.loadDst(url);
    fs.run();
  }, GpacError);
  // a freed or forged gfio:// address never reaches GPAC (2.4 would dereference it)
  for (const stale of [url, "gfio://0x10&1", "gfio://0x10"]) {
    assert.throws(() => fs.loadDst(stale), (e: unknown) => {
      assert.ok(e instanceof GpacError, String(e));
      assert.equal(e.code, GF_URL_ERROR);
      assert.match(e.message, /not the URL of an open FileIO/);
      return true;
    });
  }
});

Deno.test("fileio: multi-threaded sessions refuse gfio:// URLs instead of deadlocking", () => {
  using fio = new FileIO("mt/live.mpd", new MemoryFileFactory());
  using fs = new FilterSession({ threads: 2 });
  fs.loadSrc(source());
  assert.throws(() => fs.loadDst(fio.url), (e: unknown) => {
    assert.ok(e instanceof GpacError);
    assert.equal(e.code, GF_NOT_SUPPORTED);
    assert.match(e.message, /threads: 0/);
    return true;
  });
  assert.throws(() => fs.load(`inspect:log=${fio.url}`), GpacError);
});

Deno.test("fileio: WritableStream adapter receives the same bytes as a file output", async () => {
  const direct = tmpPath("direct.ts");
  remux(source(), direct);
  const expected = Deno.readFileSync(direct);
  const chunks: Uint8Array[] = [];
  const factory = new WritableStreamFileFactory((url) => {
    assert.equal(url, "stream.ts");
    return new WritableStream({ write: (c) => void chunks.push(c) });
  });
  {
    using fio = new FileIO("stream.ts", factory);
    remux(source(), fio.url);
  }
  await factory.settled();
  const got = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  chunks.reduce((o, c) => (got.set(c, o), o + c.length), 0);
  assert.ok(expected.length > 100_000);
  assert.deepEqual(got, expected);

  // a stream failing asynchronously: GPAC's writes are synchronous, so the failure is reported
  // by settled() (and stops the session if it is noticed while the session still writes)
  const failing = new WritableStreamFileFactory(() =>
    new WritableStream({
      write() {
        throw new Error("peer went away");
      },
    })
  );
  {
    using fio2 = new FileIO("fail.ts", failing);
    using fs = new FilterSession({ nonBlocking: true });
    fs.loadSrc(source());
    fs.loadDst(fio2.url);
    try {
      await fs.runAsync();
    } catch (e) {
      assert.ok(e instanceof GpacError && e.code === GF_IO_ERR, String(e));
    }
  }
  await assert.rejects(() => failing.settled(), /peer went away/);

  // a stream already errored when GPAC writes: run() fails at the first write
  const errored = new WritableStream<Uint8Array>({
    start(c) {
      c.error(new Error("closed by peer"));
    },
  });
  await new Promise((r) => setTimeout(r, 0));
  using fio3 = new FileIO("errored.ts", new WritableStreamFileFactory(() => errored));
  using fs3 = new FilterSession();
  fs3.loadSrc(source());
  fs3.loadDst(fio3.url);
  assert.throws(() => fs3.run(), (e: unknown) => {
    assert.ok(e instanceof GpacError);
    assert.equal(e.code, GF_IO_ERR);
    assert.match(e.message, /stream of "errored\.ts" is errored/);
    return true;
  });
});

Deno.test("fileio: ReadableStream adapter feeds a runAsync() session; a blocking run fails fast", async () => {
  const ts = tmpPath("direct-in.ts");
  remux(source(), ts);
  const expected = inspect(ts, tmpPath("ts-direct.txt"));
  const size = Deno.statSync(ts).size;
  // with the length given (every release), then without it (GPAC >= 26.07; refused before)
  for (const options of [{ size }, {}]) {
    const factory = new ReadableStreamFileFactory(
      (url) => url === "in.ts" ? Deno.openSync(ts).readable : null,
      options,
    );
    using fio = new FileIO("in.ts", factory);
    const log = tmpPath("ts-stream.txt");
    using fs = new FilterSession({ nonBlocking: true });
    if (options.size === undefined && !gpacSupports("fileioUnknownLength")) {
      // refused when GPAC opens it (at load), not left to run forever
      assert.throws(() => fs.loadSrc(fio.url), (e: unknown) => {
        assert.ok(e instanceof GpacError, String(e));
        assert.equal(e.code, GF_NOT_SUPPORTED);
        assert.match(e.message, /unknown length.*needs GPAC >= 26\.07.*options\.size/s);
        return true;
      });
      continue;
    }
    fs.loadSrc(fio.url);
    fs.load(inspector(log));
    await fs.runAsync();
    fs.close();
    assert.equal(readLog(log), expected);
  }

  // a stream that never delivers in a blocking run: GF_IO_ERR after the stall timeout
  const stalled = new ReadableStreamFileFactory(() => new ReadableStream(), {
    stallTimeout: 200,
    size: 1000,
  });
  using fio = new FileIO("stalled.ts", stalled);
  using fs = new FilterSession();
  fs.loadSrc(fio.url);
  fs.load("inspect:log=null");
  const t0 = performance.now();
  assert.throws(() => fs.run(), (e: unknown) => {
    assert.ok(e instanceof GpacError);
    assert.equal(e.code, GF_IO_ERR);
    assert.match(e.message, /event loop/);
    return true;
  });
  assert.ok(performance.now() - t0 < 10_000);
});

Deno.test("fileio: closing a wrapper still used by a session defers the release to GPAC", () => {
  const direct = tmpPath("direct-late.mp4");
  remux(source(), direct);
  const expected = Deno.readFileSync(direct);
  const files = new Map<string, Uint8Array>();

  // closed while GPAC writes the file: the open file keeps working until GPAC closes it
  let fio: FileIO | null = null;
  let openAtClose: string[] = [];
  class Closing extends MemoryFileFactory {
    override clone(): Closing {
      return new Closing(this.files);
    }
    override write(buf: Uint8Array): number {
      if (fio && !fio.closed) {
        openAtClose = fio.openFiles;
        fio.close();
      }
      return super.write(buf);
    }
  }
  const before = liveNativeCount();
  fio = new FileIO("late.mp4", new Closing(files));
  const fs = new FilterSession();
  fs.loadSrc(source());
  fs.loadDst(fio.url);
  fs.run();
  assert.deepEqual(openAtClose, ["late.mp4"]);
  assert.throws(() => fio!.url, GpacError);
  assert.equal(liveNativeCount(), before + 1, "still referenced by the file output");
  fs.close(); // GPAC drops its reference to the wrapper: the native object goes now
  assert.equal(liveNativeCount(), before);
  assert.deepEqual(files.get("late.mp4"), expected);

  // closed before the run: the output cannot be opened any more, and run() says why
  const fio2 = new FileIO("early.mp4", new MemoryFileFactory(files));
  using fs2 = new FilterSession();
  fs2.loadSrc(source());
  fs2.loadDst(fio2.url);
  fio2.close();
  assert.throws(() => fs2.run(), (e: unknown) => {
    assert.ok(e instanceof GpacError);
    assert.equal(e.code, GF_URL_ERROR);
    assert.match(e.message, /FileIO for "early\.mp4" is closed/);
    return true;
  });
  assert.equal(files.has("early.mp4"), false);
});

Deno.test("fileio: a write that throws during runAsync() rejects it with GF_IO_ERR and the cause", async () => {
  const files = new Map<string, Uint8Array>();
  let accepted = 0;
  class Quota extends MemoryFileFactory {
    override clone(): Quota {
      return new Quota(this.files);
    }
    override write(buf: Uint8Array): number {
      if (accepted + buf.length > 20_000) throw new Error(`quota reached at ${accepted} bytes`);
      accepted += buf.length;
      return super.write(buf);
    }
  }
  using fio = new FileIO("quota.mp4", new Quota(files));
  using fs = new FilterSession({ nonBlocking: true });
  fs.loadSrc(source());
  fs.loadDst(fio.url);
  await assert.rejects(fs.runAsync(), (e: unknown) => {
    assert.ok(e instanceof GpacError);
    assert.equal(e.code, GF_IO_ERR);
    assert.match((e.cause as Error).stack ?? "", /Quota\.write/);
    return true;
  });
  assert.equal(files.get("quota.mp4")?.length, accepted);
});
