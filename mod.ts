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
 * Subpaths: `@deno-gpac/gpac/raw` (every GPAC constant and the FFI struct layouts),
 * `@deno-gpac/gpac/cli` (the `gpac`-compatible command line) and the bundled TypeScript filters
 * `@deno-gpac/gpac/filters/inspect_hash.ts`, `.../overlay_box.ts`, `.../restamp.ts`.
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
  SessionState,
} from "./core/session.ts";
export { type InterruptSignal, interruptSignal } from "./core/signals.ts";
export {
  enableRemoteMonitoring,
  MONITORING_SCRIPT,
  RemoteMonitoring,
  type RemoteMonitoringOptions,
} from "./core/monitor.ts";
export { Filter, type FilterArg, type FilterBinder, registerBinder } from "./core/filter.ts";
export { FilterEvent } from "./core/event.ts";
export type * from "./core/event.ts";
export type { FilterStatsOf, PidStatistics } from "./core/stats.ts";
export type { FilterStats } from "./core/filter.ts";
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
// Everyday GPAC constants (error codes, session flags, event types, stream and property types,
// capabilities, SAP and clock types). Every other GF_* constant and the struct layouts of the FFI
// layer are in the `@deno-gpac/gpac/raw` subpath (raw.ts).
export {
  GF_AUTHENTICATION_FAILURE,
  GF_BAD_PARAM,
  GF_BIFS_UNKNOWN_VERSION,
  GF_BUFFER_TOO_SMALL,
  GF_CAPS_IN_OUT_EXCLUDED,
  // GF_CAPS_* composite capability flags (macros)
  GF_CAPS_INPUT,
  GF_CAPS_INPUT_EXCLUDED,
  GF_CAPS_INPUT_LOADED_FILTER,
  GF_CAPS_INPUT_OPT,
  GF_CAPS_INPUT_OUTPUT,
  GF_CAPS_INPUT_OUTPUT_OPT,
  GF_CAPS_INPUT_STATIC,
  GF_CAPS_INPUT_STATIC_OPT,
  GF_CAPS_OUTPUT,
  GF_CAPS_OUTPUT_EXCLUDED,
  GF_CAPS_OUTPUT_LOADED_FILTER,
  GF_CAPS_OUTPUT_STATIC,
  GF_CAPS_OUTPUT_STATIC_EXCLUDED,
  GF_CORRUPTED_DATA,
  GF_EOS,
  GF_ERROR_NAMES,
  GF_FEVT_ATTACH_SCENE,
  GF_FEVT_BUFFER_REQ,
  GF_FEVT_CAPS_CHANGE,
  GF_FEVT_CONNECT_FAIL,
  GF_FEVT_DASH_QUALITY_SELECT,
  GF_FEVT_FILE_DELETE,
  GF_FEVT_FRAGMENT_SIZE,
  GF_FEVT_INFO_UPDATE,
  GF_FEVT_NAMES,
  GF_FEVT_NETWORK_HINT,
  GF_FEVT_NTP_REF,
  GF_FEVT_PAUSE,
  // GF_FEVT_* filter event types (GF_FEventType)
  GF_FEVT_PLAY,
  GF_FEVT_PLAY_HINT,
  GF_FEVT_QUALITY_SWITCH,
  GF_FEVT_RESET_SCENE,
  GF_FEVT_RESUME,
  GF_FEVT_SEGMENT_SIZE,
  GF_FEVT_SET_SPEED,
  GF_FEVT_SOURCE_SEEK,
  GF_FEVT_SOURCE_SWITCH,
  GF_FEVT_STOP,
  GF_FEVT_TRANSPORT_HINTS,
  GF_FEVT_USER,
  GF_FEVT_VISIBILITY_HINT,
  // GF_FILTER_CLOCK_* packet clock types (GF_FilterClockType)
  GF_FILTER_CLOCK_NONE,
  GF_FILTER_CLOCK_PCR,
  GF_FILTER_CLOCK_PCR_DISC,
  GF_FILTER_NOT_FOUND,
  GF_FILTER_NOT_SUPPORTED,
  GF_FILTER_SAP_1,
  GF_FILTER_SAP_2,
  GF_FILTER_SAP_3,
  GF_FILTER_SAP_4,
  GF_FILTER_SAP_4_PROL,
  // GF_FILTER_SAP_* stream access point types (GF_FilterSAPType)
  GF_FILTER_SAP_NONE,
  GF_FS_ARG_HINT_ADVANCED,
  GF_FS_ARG_HINT_EXPERT,
  GF_FS_ARG_HINT_HIDE,
  // GF_FS_ARG_* filter argument flags (GF_FSArgumentFlags)
  GF_FS_ARG_HINT_NORMAL,
  GF_FS_ARG_META,
  GF_FS_ARG_META_ALLOC,
  GF_FS_ARG_META_ARRAY,
  GF_FS_ARG_SINK_ALIAS,
  GF_FS_ARG_UPDATE,
  GF_FS_ARG_UPDATE_SYNC,
  GF_FS_FLAG_FORCE_DEFER_LINK,
  GF_FS_FLAG_FULL_LINK,
  // GF_FS_FLAG_* filter session flags (GF_FilterSessionFlags)
  GF_FS_FLAG_LOAD_META,
  GF_FS_FLAG_NO_ARG_CHECK,
  GF_FS_FLAG_NO_GRAPH_CACHE,
  GF_FS_FLAG_NO_IMPLICIT,
  GF_FS_FLAG_NO_PROBE,
  GF_FS_FLAG_NO_REASSIGN,
  GF_FS_FLAG_NO_REGULATION,
  GF_FS_FLAG_NO_RESERVOIR,
  GF_FS_FLAG_NON_BLOCKING,
  GF_FS_FLAG_PREVENT_PLAY,
  GF_FS_FLAG_PRINT_CONNECTIONS,
  GF_FS_FLAG_REQUIRE_SOURCE_ID,
  GF_FS_FLUSH_ALL,
  GF_FS_FLUSH_FAST,
  // GF_FS_FLUSH_* session stop modes (GF_FSFlushType)
  GF_FS_FLUSH_NONE,
  // GF_FS_SCHEDULER_* scheduler types (GF_FilterSchedulerType)
  GF_FS_SCHEDULER_DIRECT,
  GF_FS_SCHEDULER_LOCK,
  GF_FS_SCHEDULER_LOCK_FORCE,
  GF_FS_SCHEDULER_LOCK_FREE,
  GF_FS_SCHEDULER_LOCK_FREE_X,
  GF_INVALID_CONFIGURATION,
  GF_IO_BYTE_RANGE_NOT_SUPPORTED,
  GF_IO_ERR,
  GF_IP_ADDRESS_NOT_FOUND,
  GF_IP_CONNECTION_CLOSED,
  GF_IP_CONNECTION_FAILURE,
  GF_IP_NETWORK_EMPTY,
  GF_IP_NETWORK_FAILURE,
  GF_IP_UDP_TIMEOUT,
  GF_ISOM_INCOMPLETE_FILE,
  GF_ISOM_INVALID_FILE,
  GF_ISOM_INVALID_MEDIA,
  GF_ISOM_INVALID_MODE,
  GF_ISOM_UNKNOWN_DATA_REF,
  GF_NON_COMPLIANT_BITSTREAM,
  GF_NOT_FOUND,
  GF_NOT_READY,
  GF_NOT_SUPPORTED,
  GF_ODF_FORBIDDEN_DESCRIPTOR,
  GF_ODF_INVALID_COMMAND,
  GF_ODF_INVALID_DESCRIPTOR,
  GF_OK,
  GF_OUT_OF_MEM,
  GF_PENDING_PACKET,
  GF_PROFILE_NOT_SUPPORTED,
  GF_PROP_4CC,
  GF_PROP_4CC_LIST,
  GF_PROP_BOOL,
  GF_PROP_CICP_COL_MX,
  GF_PROP_CICP_COL_PRIM,
  GF_PROP_CICP_COL_TFC,
  GF_PROP_CICP_LAYOUT,
  GF_PROP_CONST_DATA,
  GF_PROP_DATA,
  GF_PROP_DATA_NO_COPY,
  GF_PROP_DOUBLE,
  GF_PROP_FIRST_ENUM,
  GF_PROP_FLOAT,
  // GF_PROP_* property value types (GF_PropType)
  GF_PROP_FORBIDDEN,
  GF_PROP_FRACTION,
  GF_PROP_FRACTION64,
  GF_PROP_LAST_DEFINED,
  GF_PROP_LAST_NON_ENUM,
  GF_PROP_LSINT,
  GF_PROP_LUINT,
  GF_PROP_NAME,
  GF_PROP_PCMFMT,
  GF_PROP_PIXFMT,
  GF_PROP_POINTER,
  GF_PROP_SINT,
  GF_PROP_SINT_LIST,
  GF_PROP_STRING,
  GF_PROP_STRING_LIST,
  GF_PROP_STRING_LIST_COPY,
  GF_PROP_STRING_NO_COPY,
  GF_PROP_UINT,
  GF_PROP_UINT_LIST,
  GF_PROP_VEC2,
  GF_PROP_VEC2I,
  GF_PROP_VEC2I_LIST,
  GF_PROP_VEC3I,
  GF_PROP_VEC4I,
  GF_REMOTE_SERVICE_ERROR,
  GF_REQUIRES_NEW_INSTANCE,
  GF_SCRIPT_ERROR,
  // GF_Err error codes (tools.h): negative = error, 0 = success, positive = informative
  GF_SCRIPT_INFO,
  GF_SERVICE_ERROR,
  GF_SG_INVALID_PROTO,
  GF_SG_UNKNOWN_NODE,
  GF_STREAM_AUDIO,
  GF_STREAM_ENCRYPTED,
  GF_STREAM_FILE,
  GF_STREAM_FONT,
  GF_STREAM_INTERACT,
  GF_STREAM_IPMP,
  GF_STREAM_IPMP_TOOL,
  GF_STREAM_METADATA,
  GF_STREAM_MPEG7,
  GF_STREAM_MPEGJ,
  GF_STREAM_ND_SUBPIC,
  GF_STREAM_NOT_FOUND,
  GF_STREAM_OCI,
  GF_STREAM_OCR,
  GF_STREAM_OD,
  GF_STREAM_PRIVATE_SCENE,
  GF_STREAM_SCENE,
  GF_STREAM_TEXT,
  // GF_STREAM_* stream types (GF_StreamType)
  GF_STREAM_UNKNOWN,
  GF_STREAM_VISUAL,
  GF_URL_ERROR,
  GF_URL_REMOVED,
} from "./ffi/constants.ts";
// GPAC releases: the supported range and what each release can do
export {
  type GpacFeature,
  gpacSupports,
  requireFeature,
  SETUP_GPAC_VERSION,
  SUPPORTED_GPAC,
} from "./ffi/library.ts";
export type { FieldValue, StructValues, StructView } from "./ffi/struct.ts";
// The layouts that describe the fields of event payloads and PID statistics (the types above
// are views over them); every other layout is in `@deno-gpac/gpac/raw`.
export type { FieldLayout, FieldType, StructLayout } from "./ffi/layouts.ts";
export {
  EventCharacterLayout,
  EventKeyLayout,
  EventMouseLayout,
  EventMoveLayout,
  EventMtouchLayout,
  EventShowLayout,
  EventSizeLayout,
  FevtAttachSceneLayout,
  FevtBufferRequirementLayout,
  FevtDashQualitySelectionLayout,
  FevtFileDeleteLayout,
  FevtFragmentSizeLayout,
  FevtNetworkHintLayout,
  FevtNtpRefLayout,
  FevtPlayLayout,
  FevtQualitySwitchLayout,
  FevtSegmentSizeLayout,
  FevtSourceSeekLayout,
  FevtTransportHintsLayout,
  FevtVisibilityHintLayout,
  FilterPidStatisticsLayout,
} from "./ffi/layouts.ts";
export {
  DEFAULT_INPUT_BUFFER_US,
  FilterCustom,
  type FilterCustomOptions,
} from "./custom/filter.ts";
export { type BufferOccupancy, FilterPid } from "./custom/pid.ts";
export { FilterPacket, type PacketKind } from "./custom/packet.ts";
export type { FrameInterfaceInfo } from "./ffi/frame_ifce.ts";

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
  HTTPOutHandler,
  HTTPOutRequest,
  type HTTPOutRequestClass,
  type HTTPOutRequestState,
  normaliseRequestPath,
} from "./httpout/mod.ts";
