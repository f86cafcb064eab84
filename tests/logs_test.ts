import assert from "node:assert/strict";
import * as gpac from "../mod.ts";

Deno.test({
  name:
    "logs: GPAC logs from every thread reach the JS callback without blocking a threaded session",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const entries: gpac.LogEntry[] = [];
    await gpac.setLogCallback((e) => entries.push(e));
    try {
      gpac.setLogs("filter@debug");
      {
        using fs = new gpac.FilterSession({ threads: 2 });
        fs.loadSrc("avgen:dur=0.5");
        fs.load("ffenc:c=avc");
        fs.load("inspect:deep=0:log=null");
        fs.run();
      }
      gpac.flushLogs();
      assert.ok(entries.length > 0, "no log received");
      assert.ok(entries.every((e) => ["error", "warning", "info", "debug"].includes(e.level)));
      assert.ok(
        entries.some((e) => e.tool === "filter" && e.level === "debug"),
        JSON.stringify(entries.slice(0, 5)),
      );
      assert.ok(entries.length > 100, `${entries.length} entries`);
      assert.ok(entries.every((e) => !e.message.endsWith("\n")));
    } finally {
      gpac.setLogs("all@warning", true);
      await gpac.setLogCallback(null);
    }
    const before = entries.length;
    gpac.setLogs("filter@info");
    {
      using fs = new gpac.FilterSession();
      fs.loadSrc("avgen:dur=0.2");
      fs.load("inspect:deep=0:log=null");
      fs.run();
    }
    gpac.setLogs("all@warning", true);
    gpac.flushLogs();
    assert.equal(entries.length, before, "no delivery after the callback was removed");
  },
});

Deno.test({
  name: "logs: an exception thrown by the log callback surfaces from flushLogs",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await gpac.setLogCallback(() => {
      throw new Error("log callback failed");
    });
    try {
      gpac.setLogs("filter@info");
      const fs = new gpac.FilterSession();
      fs.loadSrc("avgen:dur=0.2");
      fs.load("inspect:deep=0:log=null");
      assert.throws(() => fs.run(), /log callback failed/);
      await gpac.setLogCallback(null);
      fs.close();
    } finally {
      gpac.setLogs("all@warning", true);
      await gpac.setLogCallback(null);
    }
  },
});
