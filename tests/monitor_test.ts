/**
 * Remote monitoring (GPAC's rmtws server and its monitoring back end): a WebSocket client on
 * 127.0.0.1 sees the session's filters.
 */
import assert from "node:assert/strict";
import { abi, enableRemoteMonitoring, FilterSession, GpacError, version } from "../mod.ts";
import { refused } from "./helpers.ts";

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test("monitor: options are checked", () => {
  assert.throws(() => enableRemoteMonitoring({ port: 0 }), RangeError);
  assert.throws(() => enableRemoteMonitoring({ port: 1.5 }), RangeError);
  assert.throws(() => enableRemoteMonitoring({ port: 70000 }), /1\.\.65535, got 70000/);
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => enableRemoteMonitoring({ localhostOnly: "yes" as any }),
    TypeError,
  );
  // deno-lint-ignore no-explicit-any
  assert.throws(() => enableRemoteMonitoring(null as any), TypeError);
});

Deno.test({
  name: "monitor: a WebSocket client sees the session's filters",
  async fn() {
    if (refused("remoteMonitoring")) {
      // the server is refused by name, not started half way
      assert.throws(
        () => enableRemoteMonitoring({ port: freePort() }),
        /remote monitoring .*needs GPAC >= 26\.02/,
      );
      return;
    }
    const port = freePort();
    const monitor = enableRemoteMonitoring({ port });
    try {
      assert.equal(monitor.port, port);
      // one server per process
      assert.throws(() => enableRemoteMonitoring({ port: freePort() }), GpacError);
      using fs = new FilterSession({ nonBlocking: true });
      monitor.attach(fs);
      fs.loadSrc("avgen:dur=4");
      fs.load("reframer:rt=on"); // real time: the session lasts while the client talks
      fs.loadDst("null");
      const ac = new AbortController();
      const running = fs.runAsync({ signal: ac.signal }).catch((e) => {
        if (!ac.signal.aborted) throw e;
      });
      const bound = AbortSignal.timeout(20_000);
      try {
        const messages: Record<string, unknown>[] = [];
        const filters = await new Promise<{ name: string }[]>((resolve, reject) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
          bound.addEventListener("abort", () => {
            ws.close();
            reject(new Error(`no filter list within 20 s; got ${JSON.stringify(messages)}`));
          });
          ws.onopen = () => ws.send(`json:${JSON.stringify({ message: "get_all_filters" })}`);
          ws.onerror = (e) => reject(new Error(`WebSocket error: ${(e as ErrorEvent).message}`));
          ws.onmessage = (e) => {
            const m = JSON.parse(String(e.data));
            messages.push(m);
            if (m.message === "filters") {
              ws.close();
              resolve(m.filters);
            }
          };
        });
        // 26.07's back end greets with its configuration first; 26.02's sends none
        const a = abi();
        const greets = a.major > 16 || (a.major === 16 && a.minor >= 14);
        assert.equal(
          messages[0]?.message === "monitor_config",
          greets,
          `greeting (GPAC ${version()}): ${JSON.stringify(messages).slice(0, 300)}`,
        );
        const names = filters.map((f) => f.name);
        assert.ok(names.includes("avgen"), `filters seen: ${names}`);
        assert.ok(names.includes("reframer"), `filters seen: ${names}`);
      } finally {
        ac.abort();
        await running;
      }
    } finally {
      monitor.close();
    }
    assert.equal(monitor.active, false);
    // closed: attach refuses, and nothing listens any more
    using fs2 = new FilterSession();
    assert.throws(() => monitor.attach(fs2), /closed/);
    await assert.rejects(
      Deno.connect({ hostname: "127.0.0.1", port }).then((c) => c.close()),
    );
    // and a new server may start again
    const again = enableRemoteMonitoring({ port: freePort() });
    again.close();
  },
});
