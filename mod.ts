/**
 * deno-gpac: GPAC's filter sessions for Deno, through FFI.
 *
 * Build and run media pipelines, inspect them, and (in later modules) write filters in
 * TypeScript. libgpac is loaded on first use (env `GPAC_LIB`, then the usual prefixes).
 *
 * @example
 * ```ts
 * import { FilterSession } from "@deno-gpac/gpac";
 * using fs = new FilterSession();
 * fs.loadSrc("avgen:dur=2");
 * fs.load("ffenc:c=avc");
 * fs.loadDst("out.mp4");
 * fs.run();
 * ```
 *
 * @module
 */

export {
  abi,
  close,
  type CloseReport,
  copyright,
  e2s,
  getLogs,
  init,
  type InitOptions,
  libraryPath,
  setArgs,
  setLogs,
  sysClock,
  sysClockHighRes,
  version,
} from "./core/gpac.ts";
export { flushLogs, type LogCallback, type LogEntry, setLogCallback } from "./core/logs.ts";
export { errorName, GpacError, GpacLoadError } from "./core/errors.ts";
export {
  FilterSession,
  type FilterSessionOptions,
  FilterTask,
  type GraphLink,
  type GraphNode,
  type RunAsyncOptions,
  type SessionGraph,
} from "./core/session.ts";
export { type InterruptSignal, interruptSignal } from "./core/signals.ts";
export { Filter, type FilterArg, type FilterBinder, registerBinder } from "./core/filter.ts";
export { FilterEvent } from "./core/event.ts";
export type * from "./core/event.ts";
export type { FilterStats, PidStatistics } from "./core/stats.ts";
export {
  codecName,
  fourccParse,
  fourccToString,
  Fraction,
  Fraction64,
  propId,
  propName,
  propTypeName,
  type PropValue,
  Vec2,
  Vec3,
  Vec4,
} from "./core/props.ts";
export type { AbiProfile, GpacAbi } from "./ffi/library.ts";
// GPAC releases: the supported range and what each release can do
export {
  type GpacFeature,
  gpacSupports,
  requireFeature,
  SETUP_GPAC_VERSION,
  SUPPORTED_GPAC,
} from "./ffi/library.ts";
export * from "./ffi/constants.ts";
export type { FieldValue, StructValues, StructView } from "./ffi/struct.ts";
export * from "./ffi/layouts.ts";
export { FilterCustom, type FilterCustomOptions } from "./filters/custom.ts";
export { type BufferOccupancy, FilterPid } from "./filters/pid.ts";
export { FilterPacket, type PacketKind } from "./filters/packet.ts";

// ---- runtime CLI: plugin declarations and the CLI entry (cli/) ----
export {
  loadPlugin,
  parsePluginOptions,
  type Plugin,
  type PluginClass,
  pluginHelp,
  type PluginOptionSpec,
  type PluginOptionSpecs,
  type PluginOptionValue,
  type PluginOptionValues,
} from "./cli/plugin.ts";
export { type CliIo, EXIT_INTERRUPTED, runCli } from "./cli/run.ts";
export { type ChainItem, type CliPlan, type LinkDirective, parseCommandLine } from "./cli/args.ts";
// ---- FileIO: gfio:// URLs served by TypeScript objects (fileio/) ----
export { FileIO, type FileIOFactory, type SeekWhence } from "./fileio/fileio.ts";
export {
  FsFileFactory,
  type FsFileFactoryOptions,
  MemoryFileFactory,
  ReadableStreamFileFactory,
  type ReadableStreamFileFactoryOptions,
  WritableStreamFileFactory,
} from "./fileio/factories.ts";
// ---- dash/: custom DASH/HLS adaptation algorithms (dashin) ----
export {
  bindDashAlgorithm,
  checkDashAlgorithm,
  DASHAlgorithmBinding,
  type DASHAlgorithmSource,
  DASHAlgorithmUse,
  useDashAlgorithm,
} from "./dash/binding.ts";
export { DASHGroup } from "./dash/group.ts";
export { loadDashAlgorithm } from "./dash/plugin.ts";
export {
  DASH_DOWNLOAD_ABORT,
  DASH_DOWNLOAD_CONTINUE,
  DASH_PERIOD_END,
  DASH_PERIOD_START_DYNAMIC,
  DASH_PERIOD_START_STATIC,
  DASH_QUALITY_DISABLE,
  DASH_QUALITY_KEEP,
  type DASHAlgorithm,
  type DASHGroupDownloadStatistics,
  type DASHGroupStatistics,
  type DASHQualityInfo,
  type DASHSRD,
} from "./dash/types.ts";

// ---- httpout request hooks (httpout/) ----
export {
  bindHTTPOut,
  boundHTTPOutHandler,
  httpOutCompleted,
  HTTPOutRequest,
  type HTTPOutRequestState,
} from "./httpout/request.ts";
