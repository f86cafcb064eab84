#!/usr/bin/env -S deno run --allow-net --allow-run --allow-read --allow-write --allow-env
/**
 * `deno task setup-gpac`: builds the GPAC release deno-gpac is tested with into a per-user
 * cache (`~/.cache/deno-gpac/gpac-<version>`, or `$XDG_CACHE_HOME/deno-gpac/...`), where
 * deno-gpac finds it without any setting.
 *
 * ```sh
 * deno task setup-gpac                       # download GPAC's source release and build it
 * deno task setup-gpac --source ~/src/gpac   # build a local source tree or tarball instead
 * deno task setup-gpac --check               # only check the compiler and optional packages
 * ```
 *
 * Before building it checks the C compiler, `make` and `pkg-config`, and the optional FFmpeg,
 * OpenSSL and nghttp2 development packages, and prints the exact apt / dnf / brew command for
 * what is missing. Options: `--source PATH`, `--prefix PATH`, `--jobs N`, `--force` (rebuild
 * over an existing build), `--check`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { SETUP_GPAC_VERSION, setupGpacPrefix } from "../ffi/library.ts";

/** GPAC's official source release of {@link SETUP_GPAC_VERSION} (GitHub tag archive). */
export const GPAC_SOURCE_URL =
  `https://github.com/gpac/gpac/archive/refs/tags/v${SETUP_GPAC_VERSION}.tar.gz`;

/** An optional dependency of GPAC, found with pkg-config. */
interface Optional {
  /** What GPAC uses it for. */
  what: string;
  /** pkg-config modules that must all exist. */
  modules: string[];
  /** Package names per package manager. */
  apt: string[];
  dnf: string[];
  brew: string[];
}

const OPTIONALS: Optional[] = [
  {
    what: "FFmpeg (ffenc/ffdec/ffmx/ffsws/ffavf filters: encoding, decoding, scaling)",
    modules: [
      "libavcodec",
      "libavformat",
      "libavfilter",
      "libavdevice",
      "libswscale",
      "libswresample",
    ],
    apt: [
      "libavcodec-dev",
      "libavformat-dev",
      "libavfilter-dev",
      "libavdevice-dev",
      "libswscale-dev",
      "libswresample-dev",
    ],
    dnf: ["ffmpeg-free-devel"],
    brew: ["ffmpeg"],
  },
  {
    what: "OpenSSL (HTTPS, encryption)",
    modules: ["openssl"],
    apt: ["libssl-dev"],
    dnf: ["openssl-devel"],
    brew: ["openssl@3"],
  },
  {
    what: "nghttp2 (HTTP/2 in httpin/httpout)",
    modules: ["libnghttp2"],
    apt: ["libnghttp2-dev"],
    dnf: ["libnghttp2-devel"],
    brew: ["nghttp2"],
  },
  {
    what: "zlib (compressed boxes, PNG)",
    modules: ["zlib"],
    apt: ["zlib1g-dev"],
    dnf: ["zlib-devel"],
    brew: [],
  },
];

const TOOLS = {
  apt: ["build-essential", "pkg-config"],
  dnf: ["gcc", "make", "pkgconf-pkg-config"],
  brew: ["pkg-config"],
} as const;

async function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; quiet?: boolean; env?: Record<string, string> } = {},
): Promise<{ ok: boolean; out: string }> {
  try {
    const r = await new Deno.Command(cmd, {
      args,
      cwd: opts.cwd,
      env: opts.env,
      stdout: opts.quiet ? "piped" : "inherit",
      stderr: opts.quiet ? "piped" : "inherit",
    }).output();
    const dec = new TextDecoder();
    return { ok: r.success, out: opts.quiet ? dec.decode(r.stdout) + dec.decode(r.stderr) : "" };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { ok: false, out: `${cmd}: not found` };
    throw e;
  }
}

async function has(cmd: string, args = ["--version"]): Promise<boolean> {
  return (await run(cmd, args, { quiet: true })).ok;
}

/** The package manager of this machine, for the install hints. */
async function packageManager(): Promise<"apt" | "dnf" | "brew" | null> {
  if (Deno.build.os === "darwin") return (await has("brew")) ? "brew" : null;
  if (await has("apt-get")) return "apt";
  if (await has("dnf")) return "dnf";
  if (await has("brew")) return "brew";
  return null;
}

function installLine(pm: "apt" | "dnf" | "brew", pkgs: string[]): string {
  if (pm === "apt") return `sudo apt-get install -y ${pkgs.join(" ")}`;
  if (pm === "dnf") return `sudo dnf install -y ${pkgs.join(" ")}`;
  return `brew install ${pkgs.join(" ")}`;
}

/**
 * Checks the build tools (required) and the optional libraries; prints what is missing with
 * the command that installs it. Returns false when a required tool is missing.
 */
export async function checkPrerequisites(): Promise<boolean> {
  const pm = await packageManager();
  const cc = (await has("cc")) || (await has("gcc")) || (await has("clang"));
  const make = await has("make");
  const pkgConfig = await has("pkg-config");
  const missingTools: string[] = [];
  if (!cc) missingTools.push("a C compiler (cc/gcc/clang)");
  if (!make) missingTools.push("make");
  if (!pkgConfig) missingTools.push("pkg-config");
  const missingOpt: Optional[] = [];
  for (const o of OPTIONALS) {
    if (!pkgConfig) {
      missingOpt.push(o);
      continue;
    }
    const r = await run("pkg-config", ["--exists", ...o.modules], { quiet: true });
    console.log(`  ${r.ok ? "found  " : "missing"} ${o.what}`);
    if (!r.ok) missingOpt.push(o);
  }
  const pkgs = (pm: "apt" | "dnf" | "brew") => [
    ...(missingTools.length ? TOOLS[pm] : []),
    ...missingOpt.flatMap((o) => o[pm]),
  ];
  if (missingTools.length) console.log(`missing (required): ${missingTools.join(", ")}`);
  if (missingTools.length || missingOpt.length) {
    if (pm) {
      const p = pkgs(pm);
      if (p.length) console.log(`install them with:\n  ${installLine(pm, p)}`);
    } else {
      for (const m of ["apt", "dnf", "brew"] as const) {
        const p = pkgs(m);
        if (p.length) console.log(`  ${m}: ${installLine(m, p)}`);
      }
    }
    if (!missingTools.length) {
      console.log("GPAC builds without the missing optional libraries (fewer filters).");
    }
  }
  return missingTools.length === 0;
}

async function download(url: string, to: string): Promise<void> {
  console.log(`downloading ${url}`);
  const r = await fetch(url);
  if (!r.ok || !r.body) throw new Error(`download of ${url} failed: HTTP ${r.status}`);
  const f = await Deno.open(to, { write: true, create: true, truncate: true });
  await r.body.pipeTo(f.writable);
}

/** Unpacks `tarball` into `dir` and returns the source root (the folder with `configure`). */
async function unpack(tarball: string, dir: string): Promise<string> {
  const r = await run("tar", ["-xf", tarball, "-C", dir]);
  if (!r.ok) throw new Error(`cannot unpack ${tarball}`);
  for (const e of Deno.readDirSync(dir)) {
    if (e.isDirectory && exists(`${dir}/${e.name}/configure`)) return `${dir}/${e.name}`;
  }
  if (exists(`${dir}/configure`)) return dir;
  throw new Error(`${tarball} holds no GPAC source tree (no configure script)`);
}

function exists(p: string): boolean {
  try {
    Deno.statSync(p);
    return true;
  } catch {
    return false;
  }
}

function libFile(prefix: string): string | null {
  for (const n of ["libgpac.so", "libgpac.dylib", "libgpac.dll"]) {
    if (exists(`${prefix}/lib/${n}`)) return `${prefix}/lib/${n}`;
  }
  return null;
}

/** Builds and installs GPAC; returns the install prefix. */
export async function setupGpac(args: string[]): Promise<number> {
  const { values: o } = parseArgs({
    args,
    options: {
      source: { type: "string" },
      prefix: { type: "string" },
      jobs: { type: "string" },
      force: { type: "boolean", default: false },
      check: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (o.help) {
    console.log(
      `deno task setup-gpac [--source PATH] [--prefix PATH] [--jobs N] [--force] [--check]\n` +
        `Builds GPAC ${SETUP_GPAC_VERSION} from ${GPAC_SOURCE_URL}\n` +
        `(or from --source, a source tree or tarball) into ${setupGpacPrefix() ?? "(no HOME)"}.`,
    );
    return 0;
  }
  console.log(`checking build prerequisites for GPAC ${SETUP_GPAC_VERSION}:`);
  const ok = await checkPrerequisites();
  if (!ok) return 1;
  if (o.check) return 0;
  const prefix = o.prefix ?? setupGpacPrefix();
  if (!prefix) {
    console.error("no HOME or XDG_CACHE_HOME: give --prefix PATH");
    return 1;
  }
  if (!o.force && libFile(prefix)) {
    console.log(`GPAC is already built in ${prefix} (--force rebuilds it)`);
    return 0;
  }
  const jobs = o.jobs ?? String(navigator.hardwareConcurrency || 2);
  const work = await Deno.makeTempDir({ prefix: "deno-gpac-setup-" });
  try {
    let src: string;
    if (o.source && Deno.statSync(o.source).isDirectory) {
      src = await Deno.realPath(o.source);
    } else {
      let tarball = o.source;
      if (!tarball) {
        tarball = `${work}/gpac-${SETUP_GPAC_VERSION}.tar.gz`;
        await download(GPAC_SOURCE_URL, tarball);
      }
      src = await unpack(tarball, work);
    }
    console.log(`building GPAC from ${src} into ${prefix} (make -j${jobs})`);
    // out-of-tree build: a local source tree given with --source stays untouched
    const build = `${work}/build`;
    Deno.mkdirSync(build, { recursive: true });
    const steps: [string, string[]][] = [
      [`${src}/configure`, [`--prefix=${prefix}`]],
      ["make", [`-j${jobs}`]],
      ["make", ["install"]],
    ];
    for (const [cmd, a] of steps) {
      console.log(`== ${cmd} ${a.join(" ")}`);
      const r = await run(cmd, a, { cwd: build });
      if (!r.ok) {
        console.error(`!! ${cmd} ${a.join(" ")} failed (in ${build})`);
        return 1;
      }
    }
    const lib = libFile(prefix);
    if (!lib) {
      console.error(`!! the build installed no libgpac in ${prefix}/lib`);
      return 1;
    }
    console.log(
      `GPAC ${SETUP_GPAC_VERSION} installed in ${prefix}.\n` +
        `deno-gpac finds it by itself (its search order includes this folder); ` +
        `GPAC_LIB=${prefix}/lib selects it explicitly.`,
    );
    return 0;
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) Deno.exit(await setupGpac(Deno.args));
