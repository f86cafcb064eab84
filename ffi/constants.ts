/**
 * GPAC constants for the FFI layer, as flat `export const`s using GPAC's own C names.
 *
 * Every value was printed by a C program compiled against the libgpac 26.07 headers (ABI 16.21),
 * not copied by hand. Values that are different in older ABIs say so in their comment; see
 * also the `GF_ERROR_NAMES` and `GF_FEVT_NAMES` lookup tables at the end of their sections.
 *
 * @module
 */

// ---- GF_Err error codes (tools.h): negative = error, 0 = success, positive = informative ----

/** Not an error: an informational message coming from a script. */
export const GF_SCRIPT_INFO = 3;

/** Not an error: the packet could not be handled yet, keep it and retry later. */
export const GF_PENDING_PACKET = 2;

/** Not an error: end of stream reached. */
export const GF_EOS = 1;

/** Success. */
export const GF_OK = 0;

/** An argument passed to the call is invalid. */
export const GF_BAD_PARAM: -1 = -1;

/** Memory allocation failed. */
export const GF_OUT_OF_MEM: -2 = -2;

/** Input/output failure (file or stream access). */
export const GF_IO_ERR: -3 = -3;

/** The requested feature or format is not supported. */
export const GF_NOT_SUPPORTED: -4 = -4;

/** The data is corrupted or could not be parsed. */
export const GF_CORRUPTED_DATA: -5 = -5;

/** Scene graph: the node type is unknown. */
export const GF_SG_UNKNOWN_NODE: -6 = -6;

/** Scene graph: the PROTO declaration is invalid. */
export const GF_SG_INVALID_PROTO: -7 = -7;

/** A script raised an error. */
export const GF_SCRIPT_ERROR: -8 = -8;

/** The supplied buffer is too small for the result. */
export const GF_BUFFER_TOO_SMALL: -9 = -9;

/** The bitstream does not follow its specification. */
export const GF_NON_COMPLIANT_BITSTREAM: -10 = -10;

/** No filter (or codec) was found to handle the request. */
export const GF_FILTER_NOT_FOUND: -11 = -11;

/** The URL is invalid or its resource could not be found. */
export const GF_URL_ERROR: -12 = -12;

/** A service-level failure occurred. */
export const GF_SERVICE_ERROR: -13 = -13;

/** The remote server reported a failure. */
export const GF_REMOTE_SERVICE_ERROR: -14 = -14;

/** The requested stream does not exist in the service. */
export const GF_STREAM_NOT_FOUND: -15 = -15;

/** The resource behind the URL was removed. */
export const GF_URL_REMOVED: -16 = -16;

/** ISO BMFF: the file is not a valid ISO media file. */
export const GF_ISOM_INVALID_FILE: -20 = -20;

/** ISO BMFF: the file is truncated or still being written. */
export const GF_ISOM_INCOMPLETE_FILE: -21 = -21;

/** ISO BMFF: the media (track) is invalid. */
export const GF_ISOM_INVALID_MEDIA: -22 = -22;

/** ISO BMFF: the operation is not allowed in the file's open mode. */
export const GF_ISOM_INVALID_MODE: -23 = -23;

/** ISO BMFF: a data reference could not be resolved. */
export const GF_ISOM_UNKNOWN_DATA_REF: -24 = -24;

/** MPEG-4 OD framework: the descriptor is invalid. */
export const GF_ODF_INVALID_DESCRIPTOR: -30 = -30;

/** MPEG-4 OD framework: the descriptor is not allowed here. */
export const GF_ODF_FORBIDDEN_DESCRIPTOR: -31 = -31;

/** MPEG-4 OD framework: the OD command is invalid. */
export const GF_ODF_INVALID_COMMAND: -32 = -32;

/** BIFS: the decoder configuration has an unknown version. */
export const GF_BIFS_UNKNOWN_VERSION: -33 = -33;

/** Network: the host name or address could not be resolved. */
export const GF_IP_ADDRESS_NOT_FOUND: -40 = -40;

/** Network: the connection could not be established. */
export const GF_IP_CONNECTION_FAILURE: -41 = -41;

/** Network: a generic network failure. */
export const GF_IP_NETWORK_FAILURE: -42 = -42;

/** Network: the connection was closed. */
export const GF_IP_CONNECTION_CLOSED: -43 = -43;

/** Network: no data available right now (try again later). */
export const GF_IP_NETWORK_EMPTY: -44 = -44;

/** Network: no UDP data received before the timeout. */
export const GF_IP_UDP_TIMEOUT: -46 = -46;

/** Authentication was refused or failed. */
export const GF_AUTHENTICATION_FAILURE: -50 = -50;

/** The component is not ready yet; retry later (named GF_SCRIPT_NOT_READY in 2.2.1, same value). */
export const GF_NOT_READY: -51 = -51;

/** The configuration (e.g. decoder config) is invalid. */
export const GF_INVALID_CONFIGURATION: -52 = -52;

/** The requested item was not found. */
export const GF_NOT_FOUND: -53 = -53;

/** The profile or level of the content is not supported. */
export const GF_PROFILE_NOT_SUPPORTED: -54 = -54;

/** The PID must be handled by a new instance of the filter. */
export const GF_REQUIRES_NEW_INSTANCE: -56 = -56;

/** The filter cannot handle this PID; the session should try another filter. */
export const GF_FILTER_NOT_SUPPORTED: -57 = -57;

/** The server or input does not support byte-range requests (added in 26.02). */
export const GF_IO_BYTE_RANGE_NOT_SUPPORTED: -58 = -58;

/** C name of every `GF_Err` code, keyed by its numeric value (e.g. -12 -> "GF_URL_ERROR"). */
export const GF_ERROR_NAMES: Readonly<Record<number, string>> = Object.freeze({
  [GF_SCRIPT_INFO]: "GF_SCRIPT_INFO",
  [GF_PENDING_PACKET]: "GF_PENDING_PACKET",
  [GF_EOS]: "GF_EOS",
  [GF_OK]: "GF_OK",
  [GF_BAD_PARAM]: "GF_BAD_PARAM",
  [GF_OUT_OF_MEM]: "GF_OUT_OF_MEM",
  [GF_IO_ERR]: "GF_IO_ERR",
  [GF_NOT_SUPPORTED]: "GF_NOT_SUPPORTED",
  [GF_CORRUPTED_DATA]: "GF_CORRUPTED_DATA",
  [GF_SG_UNKNOWN_NODE]: "GF_SG_UNKNOWN_NODE",
  [GF_SG_INVALID_PROTO]: "GF_SG_INVALID_PROTO",
  [GF_SCRIPT_ERROR]: "GF_SCRIPT_ERROR",
  [GF_BUFFER_TOO_SMALL]: "GF_BUFFER_TOO_SMALL",
  [GF_NON_COMPLIANT_BITSTREAM]: "GF_NON_COMPLIANT_BITSTREAM",
  [GF_FILTER_NOT_FOUND]: "GF_FILTER_NOT_FOUND",
  [GF_URL_ERROR]: "GF_URL_ERROR",
  [GF_SERVICE_ERROR]: "GF_SERVICE_ERROR",
  [GF_REMOTE_SERVICE_ERROR]: "GF_REMOTE_SERVICE_ERROR",
  [GF_STREAM_NOT_FOUND]: "GF_STREAM_NOT_FOUND",
  [GF_URL_REMOVED]: "GF_URL_REMOVED",
  [GF_ISOM_INVALID_FILE]: "GF_ISOM_INVALID_FILE",
  [GF_ISOM_INCOMPLETE_FILE]: "GF_ISOM_INCOMPLETE_FILE",
  [GF_ISOM_INVALID_MEDIA]: "GF_ISOM_INVALID_MEDIA",
  [GF_ISOM_INVALID_MODE]: "GF_ISOM_INVALID_MODE",
  [GF_ISOM_UNKNOWN_DATA_REF]: "GF_ISOM_UNKNOWN_DATA_REF",
  [GF_ODF_INVALID_DESCRIPTOR]: "GF_ODF_INVALID_DESCRIPTOR",
  [GF_ODF_FORBIDDEN_DESCRIPTOR]: "GF_ODF_FORBIDDEN_DESCRIPTOR",
  [GF_ODF_INVALID_COMMAND]: "GF_ODF_INVALID_COMMAND",
  [GF_BIFS_UNKNOWN_VERSION]: "GF_BIFS_UNKNOWN_VERSION",
  [GF_IP_ADDRESS_NOT_FOUND]: "GF_IP_ADDRESS_NOT_FOUND",
  [GF_IP_CONNECTION_FAILURE]: "GF_IP_CONNECTION_FAILURE",
  [GF_IP_NETWORK_FAILURE]: "GF_IP_NETWORK_FAILURE",
  [GF_IP_CONNECTION_CLOSED]: "GF_IP_CONNECTION_CLOSED",
  [GF_IP_NETWORK_EMPTY]: "GF_IP_NETWORK_EMPTY",
  [GF_IP_UDP_TIMEOUT]: "GF_IP_UDP_TIMEOUT",
  [GF_AUTHENTICATION_FAILURE]: "GF_AUTHENTICATION_FAILURE",
  [GF_NOT_READY]: "GF_NOT_READY",
  [GF_INVALID_CONFIGURATION]: "GF_INVALID_CONFIGURATION",
  [GF_NOT_FOUND]: "GF_NOT_FOUND",
  [GF_PROFILE_NOT_SUPPORTED]: "GF_PROFILE_NOT_SUPPORTED",
  [GF_REQUIRES_NEW_INSTANCE]: "GF_REQUIRES_NEW_INSTANCE",
  [GF_FILTER_NOT_SUPPORTED]: "GF_FILTER_NOT_SUPPORTED",
  [GF_IO_BYTE_RANGE_NOT_SUPPORTED]: "GF_IO_BYTE_RANGE_NOT_SUPPORTED",
});

// ---- GF_FS_FLAG_* filter session flags (GF_FilterSessionFlags) ----

/** Session flag: expose the sub-filters of meta filters (for help/inspection). */
export const GF_FS_FLAG_LOAD_META = 2;

/** Session flag: gf_fs_run returns once no main-thread task is pending. */
export const GF_FS_FLAG_NON_BLOCKING = 4;

/** Session flag: do not cache the link graph (recomputed each time). */
export const GF_FS_FLAG_NO_GRAPH_CACHE = 8;

/** Session flag: never sleep to regulate the session. */
export const GF_FS_FLAG_NO_REGULATION = 16;

/** Session flag: disable data probing of sources. */
export const GF_FS_FLAG_NO_PROBE = 32;

/** Session flag: never reassign a source to another source filter. */
export const GF_FS_FLAG_NO_REASSIGN = 64;

/** Session flag: log link-resolution edges (debug). */
export const GF_FS_FLAG_PRINT_CONNECTIONS = 128;

/** Session flag: do not warn about unused filter arguments. */
export const GF_FS_FLAG_NO_ARG_CHECK = 256;

/** Session flag: no packet/property recycling pools (less memory, more allocations). */
export const GF_FS_FLAG_NO_RESERVOIR = 512;

/** Session flag: fail when any PID of the graph cannot be linked. */
export const GF_FS_FLAG_FULL_LINK = 1024;

/** Session flag: disable implicit linking. */
export const GF_FS_FLAG_NO_IMPLICIT = 2048;

/** Session flag: every filter requires an explicit source ID (added in 2.4). */
export const GF_FS_FLAG_REQUIRE_SOURCE_ID = 4096;

/** Session flag: explicitly added filters start in deferred-link state (added in 2.4). */
export const GF_FS_FLAG_FORCE_DEFER_LINK = 8192;

/** Session flag: ignore PLAY events from sinks until gf_fs_send_deferred_play (added in 2.4). */
export const GF_FS_FLAG_PREVENT_PLAY = 16384;

// ---- GF_FS_SCHEDULER_* scheduler types (GF_FilterSchedulerType) ----

/** Scheduler: lock-free packet/property queues, mutex-protected main task list (default). */
export const GF_FS_SCHEDULER_LOCK_FREE = 0;

/** Scheduler: mutex-protected packet/property queues (lock-free when no extra thread). */
export const GF_FS_SCHEDULER_LOCK = 1;

/** Scheduler: no locks at all, not even on the main task list. */
export const GF_FS_SCHEDULER_LOCK_FREE_X = 2;

/** Scheduler: always use locks, even single-threaded (testing). */
export const GF_FS_SCHEDULER_LOCK_FORCE = 3;

/** Scheduler: no threads, tasks are dispatched directly and may nest. */
export const GF_FS_SCHEDULER_DIRECT = 4;

// ---- GF_FS_FLUSH_* session stop modes (GF_FSFlushType) ----

/** Session stop: discard everything without flushing (outputs may be broken). */
export const GF_FS_FLUSH_NONE = 0;

/** Session stop: flush all pending data through the graph. */
export const GF_FS_FLUSH_ALL = 1;

/** Session stop: stop sources and flush the rest of the graph quickly. */
export const GF_FS_FLUSH_FAST = 2;

// ---- GF_FS_REG_* filter register flags (GF_FSRegisterFlags) ----

/** Filter register flag: run every callback on the main thread. */
export const GF_FS_REG_MAIN_THREAD = 2;

/** Filter register flag: run the first PID configuration on the main thread. */
export const GF_FS_REG_CONFIGURE_MAIN_THREAD = 4;

/** Filter register flag: never loaded automatically by link resolution. */
export const GF_FS_REG_EXPLICIT_ONLY = 8;

/** Filter register flag: ignore this filter's weight when resolving links. */
export const GF_FS_REG_HIDE_WEIGHT = 16;

/** Filter register flag: acts as a source without a src option. */
export const GF_FS_REG_ACT_AS_SOURCE = 32;

/** Filter register flag: may connect to another instance of itself. */
export const GF_FS_REG_ALLOW_CYCLIC = 64;

/** Filter register flag: output PIDs may appear while processing. */
export const GF_FS_REG_DYNAMIC_PIDS = 128;

/** Filter register flag: script-based filter. */
export const GF_FS_REG_SCRIPT = 256;

/** Filter register flag: meta filter wrapping several sub-filters. */
export const GF_FS_REG_META = 512;

/** Filter register flag: link resolution may redirect PIDs to this dynamically loaded filter. */
export const GF_FS_REG_DYNAMIC_REDIRECT = 1024;

/** Filter register flag: needs the graph resolver at run time. */
export const GF_FS_REG_REQUIRES_RESOLVER = 2048;

/** Filter register flag: forces remultiplexing of file PIDs. */
export const GF_FS_REG_FORCE_REMUX = 4096;

/** Filter register flag: always run by the same thread. */
export const GF_FS_REG_SINGLE_THREAD = 8192;

/** Filter register flag: initialize even when instantiated temporarily. */
export const GF_FS_REG_TEMP_INIT = 16384;

/** Filter register flag: uses synchronous libc reads (WebAssembly builds). */
export const GF_FS_REG_USE_SYNC_READ = 32768;

/** Filter register flag: may block the main thread (WebAssembly builds). */
export const GF_FS_REG_BLOCK_MAIN = 0x10000;

/** Filter register flag: blocks on asynchronous work (WebAssembly builds). */
export const GF_FS_REG_ASYNC_BLOCK = 0x20000;

/** Filter register flag: a dynamic instance may be reused by the resolver. */
export const GF_FS_REG_DYNAMIC_REUSE = 0x40000;

/** Filter register flag: set at run time on custom (application) filters. */
export const GF_FS_REG_CUSTOM = 0x40000000;

// ---- GF_FS_STATS_FILTER_* filter kinds reported in GF_FilterStats.type (GF_FSFilterType) ----

/** Filter kind in stats: generic filter. */
export const GF_FS_STATS_FILTER_GENERIC = 0;

/** Filter kind in stats: raw input (source) filter. */
export const GF_FS_STATS_FILTER_RAWIN = 1;

/** Filter kind in stats: demultiplexer. */
export const GF_FS_STATS_FILTER_DEMUX = 2;

/** Filter kind in stats: decoder. */
export const GF_FS_STATS_FILTER_DECODE = 3;

/** Filter kind in stats: encoder. */
export const GF_FS_STATS_FILTER_ENCODE = 4;

/** Filter kind in stats: multiplexer. */
export const GF_FS_STATS_FILTER_MUX = 5;

/** Filter kind in stats: raw output (sink) filter. */
export const GF_FS_STATS_FILTER_RAWOUT = 6;

/** Filter kind in stats: media sink (e.g. audio/video output). */
export const GF_FS_STATS_FILTER_MEDIA_SINK = 7;

/** Filter kind in stats: media source (e.g. capture). */
export const GF_FS_STATS_FILTER_MEDIA_SOURCE = 8;

// ---- GF_FS_DEBUG_* flags of gf_fs_print_debug_info (GF_SessionDebugFlag) ----

/** Session debug print: filter graph. */
export const GF_FS_DEBUG_GRAPH = 1;

/** Session debug print: statistics. */
export const GF_FS_DEBUG_STATS = 2;

/** Session debug print: task list. */
export const GF_FS_DEBUG_TASKS = 4;

/** Session debug print: filters. */
export const GF_FS_DEBUG_FILTERS = 8;

/** Session debug print: all of the above. */
export const GF_FS_DEBUG_ALL = 0xffffff;

/** Session debug print: keep printing periodically. */
export const GF_FS_DEBUG_CONTINUOUS = 0x80000000;

// ---- GF_FS_SEP_* separator queries (GF_FilterSessionSepType) ----

/** Separator query: between filter arguments. */
export const GF_FS_SEP_ARGS = 0;

/** Separator query: between argument name and value. */
export const GF_FS_SEP_NAME = 1;

/** Separator query: URL fragment marker. */
export const GF_FS_SEP_FRAG = 2;

/** Separator query: between list items. */
export const GF_FS_SEP_LIST = 3;

/** Separator query: negation prefix. */
export const GF_FS_SEP_NEG = 4;

// ---- GF_FEVT_* filter event types (GF_FEventType) ----

/** Filter event: start playback of a PID (payload GF_FEVT_Play). */
export const GF_FEVT_PLAY = 1;

/** Filter event: change playback speed (payload GF_FEVT_Play). */
export const GF_FEVT_SET_SPEED = 2;

/** Filter event: stop a PID. */
export const GF_FEVT_STOP = 3;

/** Filter event: pause a PID. */
export const GF_FEVT_PAUSE = 4;

/** Filter event: resume a paused PID. */
export const GF_FEVT_RESUME = 5;

/** Filter event: byte-range seek on a source (payload GF_FEVT_SourceSeek). */
export const GF_FEVT_SOURCE_SEEK = 6;

/** Filter event: switch a source to another URL of the same protocol. */
export const GF_FEVT_SOURCE_SWITCH = 7;

/** Filter event: segment size/range info for manifest writers (payload GF_FEVT_SegmentSize). */
export const GF_FEVT_SEGMENT_SIZE = 8;

/** Filter event: attach a scene to scene-related decoders. */
export const GF_FEVT_ATTACH_SCENE = 9;

/** Filter event: reset the attached scene. */
export const GF_FEVT_RESET_SCENE = 10;

/** Filter event: ask for a higher or lower quality. */
export const GF_FEVT_QUALITY_SWITCH = 11;

/** Filter event: visible area hint. */
export const GF_FEVT_VISIBILITY_HINT = 12;

/** Filter event: PID info properties changed. */
export const GF_FEVT_INFO_UPDATE = 13;

/** Filter event: buffering requirements of a sink. */
export const GF_FEVT_BUFFER_REQ = 14;

/** Filter event: session-wide capabilities changed. */
export const GF_FEVT_CAPS_CHANGE = 15;

/** Filter event: an output PID could not be connected. */
export const GF_FEVT_CONNECT_FAIL = 16;

/** Filter event: user-interface event (payload GF_FEVT_Event with a GF_Event). */
export const GF_FEVT_USER = 17;

/** Filter event: hint on whether block dispatch is needed for playback. */
export const GF_FEVT_PLAY_HINT = 18;

/** Filter event: a file was or must be deleted (payload GF_FEVT_FileDelete). */
export const GF_FEVT_FILE_DELETE = 19;

/** Filter event: fragment (CMAF chunk) size info (payload GF_FEVT_FragmentSize). */
export const GF_FEVT_FRAGMENT_SIZE = 20;

/** Filter event: transport hints (named GF_FEVT_ENCODE_HINTS before 26.02, different payload). */
export const GF_FEVT_TRANSPORT_HINTS = 21;

/** Filter event: NTP reference clock from another service. */
export const GF_FEVT_NTP_REF = 22;

/** Filter event: DASH/HLS quality selection notice (added in 26.02). */
export const GF_FEVT_DASH_QUALITY_SELECT = 23;

/** Filter event: network transmission hint such as MTU (added in 26.02). */
export const GF_FEVT_NETWORK_HINT = 24;

/** C name of every filter event type, keyed by its numeric value (e.g. 1 -> "GF_FEVT_PLAY"). */
export const GF_FEVT_NAMES: Readonly<Record<number, string>> = Object.freeze({
  [GF_FEVT_PLAY]: "GF_FEVT_PLAY",
  [GF_FEVT_SET_SPEED]: "GF_FEVT_SET_SPEED",
  [GF_FEVT_STOP]: "GF_FEVT_STOP",
  [GF_FEVT_PAUSE]: "GF_FEVT_PAUSE",
  [GF_FEVT_RESUME]: "GF_FEVT_RESUME",
  [GF_FEVT_SOURCE_SEEK]: "GF_FEVT_SOURCE_SEEK",
  [GF_FEVT_SOURCE_SWITCH]: "GF_FEVT_SOURCE_SWITCH",
  [GF_FEVT_SEGMENT_SIZE]: "GF_FEVT_SEGMENT_SIZE",
  [GF_FEVT_ATTACH_SCENE]: "GF_FEVT_ATTACH_SCENE",
  [GF_FEVT_RESET_SCENE]: "GF_FEVT_RESET_SCENE",
  [GF_FEVT_QUALITY_SWITCH]: "GF_FEVT_QUALITY_SWITCH",
  [GF_FEVT_VISIBILITY_HINT]: "GF_FEVT_VISIBILITY_HINT",
  [GF_FEVT_INFO_UPDATE]: "GF_FEVT_INFO_UPDATE",
  [GF_FEVT_BUFFER_REQ]: "GF_FEVT_BUFFER_REQ",
  [GF_FEVT_CAPS_CHANGE]: "GF_FEVT_CAPS_CHANGE",
  [GF_FEVT_CONNECT_FAIL]: "GF_FEVT_CONNECT_FAIL",
  [GF_FEVT_USER]: "GF_FEVT_USER",
  [GF_FEVT_PLAY_HINT]: "GF_FEVT_PLAY_HINT",
  [GF_FEVT_FILE_DELETE]: "GF_FEVT_FILE_DELETE",
  [GF_FEVT_FRAGMENT_SIZE]: "GF_FEVT_FRAGMENT_SIZE",
  [GF_FEVT_TRANSPORT_HINTS]: "GF_FEVT_TRANSPORT_HINTS",
  [GF_FEVT_NTP_REF]: "GF_FEVT_NTP_REF",
  [GF_FEVT_DASH_QUALITY_SELECT]: "GF_FEVT_DASH_QUALITY_SELECT",
  [GF_FEVT_NETWORK_HINT]: "GF_FEVT_NETWORK_HINT",
});

// ---- GF_FILTER_UPDATE_* argument-update propagation (GF_EventPropagateType) ----

/** Argument-update propagation: towards the source side of the chain. */
export const GF_FILTER_UPDATE_DOWNSTREAM = 1;

/** Argument-update propagation: towards the sink side of the chain. */
export const GF_FILTER_UPDATE_UPSTREAM = 2;

// ---- GF_TRANSPORT_HINTS_* flags (GF_TransportHintsFlags) ----

/** Transport hints flags: none. */
export const GF_TRANSPORT_HINTS_NONE = 0;

/** Transport hints flags: an encoder was seen on the chain. */
export const GF_TRANSPORT_HINTS_SAW_ENCODER = 1;

// ---- GF_QUALITY_* DASH quality selection states (GF_QualtitySelectionState) ----

/** DASH quality selection state: selected. */
export const GF_QUALITY_SELECTED = 0;

/** DASH quality selection state: no longer selected. */
export const GF_QUALITY_UNSELECTED = 1;

/** DASH quality selection state: disabled. */
export const GF_QUALITY_DISABLED = 2;

// ---- GF_PLAYBACK_MODE_* PID playback capabilities (GF_FilterPidPlaybackMode) ----

/** PID playback capability: play from start at normal speed only. */
export const GF_PLAYBACK_MODE_NONE = 0;

/** PID playback capability: seeking supported. */
export const GF_PLAYBACK_MODE_SEEK = 1;

/** PID playback capability: seeking and fast-forward supported. */
export const GF_PLAYBACK_MODE_FASTFORWARD = 2;

/** PID playback capability: seeking, fast-forward and rewind supported. */
export const GF_PLAYBACK_MODE_REWIND = 3;

// ---- GF_STREAM_* stream types (GF_StreamType) ----

/** Stream type not known. */
export const GF_STREAM_UNKNOWN = 0;

/** MPEG-4 object descriptor stream. */
export const GF_STREAM_OD = 1;

/** MPEG-4 object clock reference stream. */
export const GF_STREAM_OCR = 2;

/** Scene description stream (BIFS, LASeR, ...). */
export const GF_STREAM_SCENE = 3;

/** Video / visual stream. */
export const GF_STREAM_VISUAL = 4;

/** Audio stream. */
export const GF_STREAM_AUDIO = 5;

/** MPEG-7 description stream. */
export const GF_STREAM_MPEG7 = 6;

/** MPEG-4 IPMP (rights management) stream. */
export const GF_STREAM_IPMP = 7;

/** MPEG-4 object content information stream. */
export const GF_STREAM_OCI = 8;

/** MPEG-J (Java) stream. */
export const GF_STREAM_MPEGJ = 9;

/** User-interaction stream. */
export const GF_STREAM_INTERACT = 10;

/** MPEG-4 IPMP tool stream. */
export const GF_STREAM_IPMP_TOOL = 11;

/** Font data stream. */
export const GF_STREAM_FONT = 12;

/** Text / subtitle stream. */
export const GF_STREAM_TEXT = 13;

/** Nero Digital (DVD-style) bitmap subpicture stream. */
export const GF_STREAM_ND_SUBPIC = 56;

/** GPAC-private scene stream (e.g. SVG, raw scene files). */
export const GF_STREAM_PRIVATE_SCENE = 32;

/** Timed metadata stream. */
export const GF_STREAM_METADATA = 33;

/** Encrypted stream whose original type is carried separately. */
export const GF_STREAM_ENCRYPTED = 224;

/** Whole-file stream (not demultiplexed). */
export const GF_STREAM_FILE = 225;

// ---- GF_PROP_* property value types (GF_PropType) ----

/** Property type: invalid / unset (spelled GF_PROP_FORBIDEN in 2.2.1). */
export const GF_PROP_FORBIDDEN = 0;

/** Property type: signed 32-bit integer. */
export const GF_PROP_SINT = 1;

/** Property type: unsigned 32-bit integer. */
export const GF_PROP_UINT = 2;

/** Property type: signed 64-bit integer. */
export const GF_PROP_LSINT = 3;

/** Property type: unsigned 64-bit integer. */
export const GF_PROP_LUINT = 4;

/** Property type: boolean (4-byte Bool). */
export const GF_PROP_BOOL = 5;

/** Property type: 32-bit fraction (signed num, unsigned den). */
export const GF_PROP_FRACTION = 6;

/** Property type: 64-bit fraction (signed num, unsigned den). */
export const GF_PROP_FRACTION64 = 7;

/** Property type: 32-bit float (Fixed). */
export const GF_PROP_FLOAT = 8;

/** Property type: 64-bit double. */
export const GF_PROP_DOUBLE = 9;

/** Property type: 2D vector of signed 32-bit integers. */
export const GF_PROP_VEC2I = 10;

/** Property type: 2D vector of doubles. */
export const GF_PROP_VEC2 = 11;

/** Property type: 3D vector of signed 32-bit integers. */
export const GF_PROP_VEC3I = 12;

/** Property type: 4D vector of signed 32-bit integers. */
export const GF_PROP_VEC4I = 13;

/** Property type: string copied by the library. */
export const GF_PROP_STRING = 14;

/** Property type: string whose ownership passes to the library. */
export const GF_PROP_STRING_NO_COPY = 15;

/** Property type: byte buffer copied by the library. */
export const GF_PROP_DATA = 16;

/** Property type: constant string that is neither copied nor freed. */
export const GF_PROP_NAME = 17;

/** Property type: byte buffer whose ownership passes to the library. */
export const GF_PROP_DATA_NO_COPY = 18;

/** Property type: constant byte buffer, neither copied nor freed. */
export const GF_PROP_CONST_DATA = 19;

/** Property type: opaque pointer (never serialized). */
export const GF_PROP_POINTER = 20;

/** Property type: list of strings, ownership passes to the library. */
export const GF_PROP_STRING_LIST = 21;

/** Property type: list of unsigned 32-bit integers. */
export const GF_PROP_UINT_LIST = 22;

/** Property type: list of signed 32-bit integers. */
export const GF_PROP_SINT_LIST = 23;

/** Property type: list of 2D integer vectors. */
export const GF_PROP_VEC2I_LIST = 24;

/** Property type: four-character code stored as u32. */
export const GF_PROP_4CC = 25;

/** Property type: list of four-character codes. */
export const GF_PROP_4CC_LIST = 26;

/** Property type: list of strings copied by the library. */
export const GF_PROP_STRING_LIST_COPY = 27;

/** Marker: one past the last non-enumeration property type. */
export const GF_PROP_LAST_NON_ENUM = 28;

/** Marker: first enumeration-backed property type. */
export const GF_PROP_FIRST_ENUM = 40;

/** Property type: pixel format (u32 enum). */
export const GF_PROP_PIXFMT = 40;

/** Property type: PCM audio sample format (u32 enum). */
export const GF_PROP_PCMFMT = 41;

/** Property type: CICP colour primaries (u32 enum). */
export const GF_PROP_CICP_COL_PRIM = 42;

/** Property type: CICP transfer characteristics (u32 enum). */
export const GF_PROP_CICP_COL_TFC = 43;

/** Property type: CICP matrix coefficients (u32 enum). */
export const GF_PROP_CICP_COL_MX = 44;

/** Property type: CICP channel layout (u32 enum; added in 2.4). */
export const GF_PROP_CICP_LAYOUT = 45;

/** Marker: one past the last property type (26.07 value 46; 45 in 2.2.1). */
export const GF_PROP_LAST_DEFINED = 46;

// ---- GF_PROP_FLAG_* built-in property flags ----

/** Built-in property flag: the property is a packet property. */
export const GF_PROP_FLAG_PCK = 1;

/** Built-in property flag: removed when serialized to GSF. */
export const GF_PROP_FLAG_GSF_REM = 2;

// ---- GF_CAPFLAG_* capability flags ----

/** Capability flag: the capability belongs to the current bundle. */
export const GF_CAPFLAG_IN_BUNDLE = 1;

/** Capability flag: applies to input PIDs. */
export const GF_CAPFLAG_INPUT = 2;

/** Capability flag: applies to output PIDs. */
export const GF_CAPFLAG_OUTPUT = 4;

/** Capability flag: the value is excluded (must not match). */
export const GF_CAPFLAG_EXCLUDED = 8;

/** Capability flag: only checked when the filter is explicitly loaded. */
export const GF_CAPFLAG_LOADED_FILTER = 16;

/** Capability flag: shared by all following bundles. */
export const GF_CAPFLAG_STATIC = 32;

/** Capability flag: the property may be absent. */
export const GF_CAPFLAG_OPTIONAL = 64;

/** Capability flag: only the presence of the property is checked (added in 26.02). */
export const GF_CAPFLAG_PRESENT = 128;

/** Capability flag: used when reconfiguring output (added in 26.02). */
export const GF_CAPFLAG_RECONFIG = 256;

// ---- GF_CAPS_* composite capability flags (macros) ----

/** Composite capability flags: input in bundle. */
export const GF_CAPS_INPUT = 3;

/** Composite capability flags: optional input in bundle. */
export const GF_CAPS_INPUT_OPT = 67;

/** Composite capability flags: static input. */
export const GF_CAPS_INPUT_STATIC = 35;

/** Composite capability flags: static optional input. */
export const GF_CAPS_INPUT_STATIC_OPT = 99;

/** Composite capability flags: excluded input value. */
export const GF_CAPS_INPUT_EXCLUDED = 11;

/** Composite capability flags: input checked only for explicitly loaded filters. */
export const GF_CAPS_INPUT_LOADED_FILTER = 19;

/** Composite capability flags: output in bundle. */
export const GF_CAPS_OUTPUT = 5;

/** Composite capability flags: output checked only for explicitly loaded filters. */
export const GF_CAPS_OUTPUT_LOADED_FILTER = 21;

/** Composite capability flags: excluded output value. */
export const GF_CAPS_OUTPUT_EXCLUDED = 13;

/** Composite capability flags: static output. */
export const GF_CAPS_OUTPUT_STATIC = 37;

/** Composite capability flags: static excluded output value. */
export const GF_CAPS_OUTPUT_STATIC_EXCLUDED = 45;

/** Composite capability flags: applies to both input and output. */
export const GF_CAPS_INPUT_OUTPUT = 7;

/** Composite capability flags: optional on both input and output. */
export const GF_CAPS_INPUT_OUTPUT_OPT = 71;

/** Composite capability flags: excluded on both input and output. */
export const GF_CAPS_IN_OUT_EXCLUDED = 15;

// ---- GF_FPROBE_* probe scores (GF_FilterProbeScore) ----

/** Probe score: format not supported. */
export const GF_FPROBE_NOT_SUPPORTED = 0;

/** Probe score: probably not supported. */
export const GF_FPROBE_MAYBE_NOT_SUPPORTED = 1;

/** Probe score: possibly supported. */
export const GF_FPROBE_MAYBE_SUPPORTED = 2;

/** Probe score: supported. */
export const GF_FPROBE_SUPPORTED = 3;

/** Probe score: supported, and this filter must be used. */
export const GF_FPROBE_FORCE = 4;

/** Probe score: supported only because the file extension matches. */
export const GF_FPROBE_EXT_MATCH = 5;

// ---- GF_FS_ARG_* filter argument flags (GF_FSArgumentFlags) ----

/** Argument flag: ordinary option. */
export const GF_FS_ARG_HINT_NORMAL = 0;

/** Argument flag: advanced option. */
export const GF_FS_ARG_HINT_ADVANCED = 2;

/** Argument flag: expert option. */
export const GF_FS_ARG_HINT_EXPERT = 4;

/** Argument flag: hidden option. */
export const GF_FS_ARG_HINT_HIDE = 8;

/** Argument flag: may be changed while the filter runs. */
export const GF_FS_ARG_UPDATE = 16;

/** Argument flag: parsed by a meta filter itself (value passed as string). */
export const GF_FS_ARG_META = 32;

/** Argument flag: description is heap-allocated (meta filters, internal). */
export const GF_FS_ARG_META_ALLOC = 64;

/** Argument flag: lets a filter read the destination URL without being a sink (internal). */
export const GF_FS_ARG_SINK_ALIAS = 128;

/** Argument flag: updatable only by a direct synchronous call. */
export const GF_FS_ARG_UPDATE_SYNC = 256;

/** Argument flag: meta-filter option holding an array (added in 2.4). */
export const GF_FS_ARG_META_ARRAY = 512;

// ---- GF_STATS_* PID statistics locations (GF_FilterPidStatsLocation) ----

/** PID statistics: measured on the PID's own filter. */
export const GF_STATS_LOCAL = 0;

/** PID statistics: measured on the inputs of the PID's filter. */
export const GF_STATS_LOCAL_INPUTS = 1;

/** PID statistics: nearest decoder towards the sink. */
export const GF_STATS_DECODER_SINK = 2;

/** PID statistics: nearest decoder towards the source. */
export const GF_STATS_DECODER_SOURCE = 3;

/** PID statistics: nearest encoder towards the sink. */
export const GF_STATS_ENCODER_SINK = 4;

/** PID statistics: nearest encoder towards the source. */
export const GF_STATS_ENCODER_SOURCE = 5;

/** PID statistics: the sink at the end of the chain. */
export const GF_STATS_SINK = 6;

// ---- GF_FILTER_SAP_* stream access point types (GF_FilterSAPType) ----

/** Packet SAP type: not a stream access point. */
export const GF_FILTER_SAP_NONE = 0;

/** Packet SAP type 1 (closed GOP random access, e.g. IDR). */
export const GF_FILTER_SAP_1 = 1;

/** Packet SAP type 2 (closed GOP with leading pictures). */
export const GF_FILTER_SAP_2 = 2;

/** Packet SAP type 3 (open GOP random access). */
export const GF_FILTER_SAP_3 = 3;

/** Packet SAP type 4 (gradual decoding refresh / roll recovery). */
export const GF_FILTER_SAP_4 = 4;

/** Packet SAP type 4 signalled through pre-roll rather than roll. */
export const GF_FILTER_SAP_4_PROL = 5;

// ---- GF_FILTER_CLOCK_* packet clock types (GF_FilterClockType) ----

/** Packet clock type: not a clock reference. */
export const GF_FILTER_CLOCK_NONE = 0;

/** Packet clock type: carries a clock reference (PCR). */
export const GF_FILTER_CLOCK_PCR = 1;

/** Packet clock type: clock reference with a discontinuity. */
export const GF_FILTER_CLOCK_PCR_DISC = 2;

// ---- packet crypt flags ----

/** Packet crypt flag: the packet payload is encrypted. */
export const GF_FILTER_PCK_CRYPT = 1;

// ---- special 64-bit packet values (bigint) ----

/** Byte offset value meaning 'no byte offset' (all bits set, u64). */
export const GF_FILTER_NO_BO = 0xFFFFFFFFFFFFFFFFn;

/** Timestamp value meaning 'no timestamp' (all bits set, u64). */
export const GF_FILTER_NO_TS = 0xFFFFFFFFFFFFFFFFn;

// ---- GF_FRAME_IFCE_* frame interface flags ----

/** Frame interface flag: the frame holds a resource that blocks the producer until released. */
export const GF_FRAME_IFCE_BLOCKING = 1;

/** Frame interface flag: the frame lives in the main OpenGL framebuffer. */
export const GF_FRAME_IFCE_MAIN_GLFB = 2;

// ---- GF_LOG_* log levels (GF_LOG_Level) ----

/** Log level: print nothing. */
export const GF_LOG_QUIET = 0;

/** Log level: errors only. */
export const GF_LOG_ERROR = 1;

/** Log level: errors and warnings. */
export const GF_LOG_WARNING = 2;

/** Log level: errors, warnings and informational messages. */
export const GF_LOG_INFO = 3;

/** Log level: everything, including debug output. */
export const GF_LOG_DEBUG = 4;

// ---- GF_LOG_* log tools (GF_LOG_Tool) ----

/** Log tool: core library and general messages. */
export const GF_LOG_CORE = 0;

/** Log tool: bitstream reading and writing. */
export const GF_LOG_CODING = 1;

/** Log tool: container formats (ISO BMFF, MPEG-2 TS, ...). */
export const GF_LOG_CONTAINER = 2;

/** Log tool: low-level network (sockets). */
export const GF_LOG_NETWORK = 3;

/** Log tool: HTTP traffic. */
export const GF_LOG_HTTP = 4;

/** Log tool: RTP/RTCP/RTSP. */
export const GF_LOG_RTP = 5;

/** Log tool: encoders and decoders. */
export const GF_LOG_CODEC = 6;

/** Log tool: textual parsers (scene formats, manifests, ...). */
export const GF_LOG_PARSER = 7;

/** Log tool: media synchronisation and buffering. */
export const GF_LOG_MEDIA = 8;

/** Log tool: scene graph and scene updates. */
export const GF_LOG_SCENE = 9;

/** Log tool: scripting engines. */
export const GF_LOG_SCRIPT = 10;

/** Log tool: user interaction and events. */
export const GF_LOG_INTERACT = 11;

/** Log tool: compositor. */
export const GF_LOG_COMPOSE = 12;

/** Log tool: compositor timing. */
export const GF_LOG_COMPTIME = 13;

/** Log tool: download cache. */
export const GF_LOG_CACHE = 14;

/** Log tool: multimedia I/O (audio/video outputs). */
export const GF_LOG_MMIO = 15;

/** Log tool: run-time information (CPU, memory). */
export const GF_LOG_RTI = 16;

/** Log tool: memory tracking. */
export const GF_LOG_MEMORY = 17;

/** Log tool: audio rendering and mixing. */
export const GF_LOG_AUDIO = 18;

/** Log tool: module loading. */
export const GF_LOG_MODULE = 19;

/** Log tool: mutexes. */
export const GF_LOG_MUTEX = 20;

/** Log tool: condition variables and semaphores. */
export const GF_LOG_CONDITION = 21;

/** Log tool: DASH and HLS. */
export const GF_LOG_DASH = 22;

/** Log tool: filters. */
export const GF_LOG_FILTER = 23;

/** Log tool: filter-session scheduler. */
export const GF_LOG_SCHEDULER = 24;

/** Log tool: ROUTE / multicast delivery. */
export const GF_LOG_ROUTE = 25;

/** Log tool: console output of scripts. */
export const GF_LOG_CONSOLE = 26;

/** Log tool: messages from the application itself. */
export const GF_LOG_APP = 27;

/** Log tool: remote-monitoring websocket server (26.07 value 28; absent before 26.02). */
export const GF_LOG_RMTWS = 28;

/** Pseudo log tool selecting every tool (26.07 value 29; it is 28 in 2.x ABIs). */
export const GF_LOG_ALL = 29;

/** Number of real log tools, same as GF_LOG_ALL (26.07 value 29; 28 in 2.x ABIs). */
export const GF_LOG_TOOL_MAX = 29;

/** Marker for an unknown log tool (26.07 value 30; 29 in 2.4, absent in 2.2.1). */
export const GF_LOG_TOOL_UNDEFINED = 30;

// ---- memory tracker modes (GF_MemTrackerType) ----

/** Memory tracking disabled. */
export const GF_MemTrackerNone = 0;

/** Memory tracking of allocations without call stacks. */
export const GF_MemTrackerSimple = 1;

/** Memory tracking of allocations with call stacks. */
export const GF_MemTrackerBackTrace = 2;

// ---- GF_FILEIO_* FileIO cache states (GF_FileIOCacheState) ----

/** FileIO cache state: still being filled. */
export const GF_FILEIO_CACHE_IN_PROGRESS = 0;

/** FileIO cache state: complete. */
export const GF_FILEIO_CACHE_DONE = 1;

/** FileIO cache state: the resource is not cached (added in 2.4). */
export const GF_FILEIO_NO_CACHE = 2;

// ---- GF_AUDIO_FMT_* PCM sample formats (GF_AudioFormat); renumbered in 2.4, prefer gf_audio_fmt_parse at run time ----

/** PCM format: unsigned 8-bit (26.07 value; same in 2.2.1). */
export const GF_AUDIO_FMT_U8 = 1;

/** PCM format: signed 16-bit little-endian (26.07 value; same in 2.2.1). */
export const GF_AUDIO_FMT_S16 = 2;

/** PCM format: signed 16-bit big-endian (26.07 value; same in 2.2.1). */
export const GF_AUDIO_FMT_S16_BE = 3;

/** PCM format: signed 32-bit little-endian (26.07 value; same in 2.2.1). */
export const GF_AUDIO_FMT_S32 = 4;

/** PCM format: signed 32-bit big-endian (26.07 value; absent in 2.2.1). */
export const GF_AUDIO_FMT_S32_BE = 5;

/** PCM format: 32-bit float little-endian (26.07 value; it was 5 in 2.2.1). */
export const GF_AUDIO_FMT_FLT = 6;

/** PCM format: 32-bit float big-endian (26.07 value; absent in 2.2.1). */
export const GF_AUDIO_FMT_FLT_BE = 7;

/** PCM format: 64-bit double little-endian (26.07 value; it was 6 in 2.2.1). */
export const GF_AUDIO_FMT_DBL = 8;

/** PCM format: 64-bit double big-endian (26.07 value; absent in 2.2.1). */
export const GF_AUDIO_FMT_DBL_BE = 9;

/** PCM format: signed 24-bit little-endian (26.07 value; it was 7 in 2.2.1). */
export const GF_AUDIO_FMT_S24 = 10;

/** PCM format: signed 24-bit big-endian (26.07 value; absent in 2.2.1). */
export const GF_AUDIO_FMT_S24_BE = 11;

/** Marker: last interleaved (packed) audio format (26.07 value; it was 8 in 2.2.1). */
export const GF_AUDIO_FMT_LAST_PACKED = 12;

/** PCM format: planar unsigned 8-bit (26.07 value; it was 9 in 2.2.1). */
export const GF_AUDIO_FMT_U8P = 13;

/** PCM format: planar signed 16-bit (26.07 value; it was 10 in 2.2.1). */
export const GF_AUDIO_FMT_S16P = 14;

/** PCM format: planar signed 32-bit (26.07 value; it was 11 in 2.2.1). */
export const GF_AUDIO_FMT_S32P = 15;

/** PCM format: planar 32-bit float (26.07 value; it was 12 in 2.2.1). */
export const GF_AUDIO_FMT_FLTP = 16;

/** PCM format: planar 64-bit double (26.07 value; it was 13 in 2.2.1). */
export const GF_AUDIO_FMT_DBLP = 17;

/** PCM format: planar signed 24-bit (26.07 value; it was 14 in 2.2.1). */
export const GF_AUDIO_FMT_S24P = 18;

// ---- GF_EVENT_* UI / DOM event types (GF_EventType, events_constants.h) ----

/** UI event: mouse click (GF_EventMouse). */
export const GF_EVENT_CLICK = 1;

/** UI event: mouse button released (GF_EventMouse). */
export const GF_EVENT_MOUSEUP = 2;

/** UI event: mouse button pressed (GF_EventMouse). */
export const GF_EVENT_MOUSEDOWN = 3;

/** UI event: mouse moved (GF_EventMouse). */
export const GF_EVENT_MOUSEMOVE = 4;

/** UI event marker: last mouse event that carries coordinates. */
export const GF_EVENT_LAST_MOUSE_COORDS = 4;

/** UI event: mouse wheel (GF_EventMouse). */
export const GF_EVENT_MOUSEWHEEL = 5;

/** UI event: multi-touch gesture (GF_EventMultiTouch). */
export const GF_EVENT_MULTITOUCH = 6;

/** UI event marker: end of the mouse event range. */
export const GF_EVENT_LAST_MOUSE = 10;

/** UI event marker: start of the keyboard event range. */
export const GF_EVENT_FIRST_KEY = 20;

/** UI event: key released (GF_EventKey). */
export const GF_EVENT_KEYUP = 20;

/** UI event: key pressed (GF_EventKey). */
export const GF_EVENT_KEYDOWN = 21;

/** UI event: key held down (GF_EventKey). */
export const GF_EVENT_LONGKEYPRESS = 22;

/** UI event: character typed (GF_EventChar). */
export const GF_EVENT_TEXTINPUT = 23;

/** UI event marker: start of GPAC-internal events. */
export const GF_EVENT_FIRST_INTERNAL = 30;

/** UI/DOM event type: unknown. */
export const GF_EVENT_UNKNOWN = 30;

/** UI/DOM event type: dblclick. */
export const GF_EVENT_DBLCLICK = 31;

/** UI/DOM event type: scene attached. */
export const GF_EVENT_SCENE_ATTACHED = 32;

/** UI event: window size changed (GF_EventSize). */
export const GF_EVENT_SIZE = 33;

/** UI event: scene size announced (GF_EventSize). */
export const GF_EVENT_SCENE_SIZE = 34;

/** UI event: window shown or hidden (GF_EventShow). */
export const GF_EVENT_SHOWHIDE = 35;

/** UI/DOM event type: set cursor. */
export const GF_EVENT_SET_CURSOR = 36;

/** UI/DOM event type: set caption. */
export const GF_EVENT_SET_CAPTION = 37;

/** UI event: window moved (GF_EventMove). */
export const GF_EVENT_MOVE = 38;

/** UI/DOM event type: refresh. */
export const GF_EVENT_REFRESH = 39;

/** UI event: window or application is closing (GF_EventShow). */
export const GF_EVENT_QUIT = 40;

/** UI/DOM event type: video setup. */
export const GF_EVENT_VIDEO_SETUP = 41;

/** UI/DOM event type: set gl. */
export const GF_EVENT_SET_GL = 42;

/** UI/DOM event type: set orientation. */
export const GF_EVENT_SET_ORIENTATION = 43;

/** UI/DOM event type: sys colors. */
export const GF_EVENT_SYS_COLORS = 44;

/** UI/DOM event type: paste text. */
export const GF_EVENT_PASTE_TEXT = 45;

/** UI/DOM event type: copy text. */
export const GF_EVENT_COPY_TEXT = 46;

/** UI/DOM event type: connect. */
export const GF_EVENT_CONNECT = 47;

/** UI/DOM event type: duration. */
export const GF_EVENT_DURATION = 48;

/** UI/DOM event type: eos. */
export const GF_EVENT_EOS = 49;

/** UI/DOM event type: authorization. */
export const GF_EVENT_AUTHORIZATION = 50;

/** UI/DOM event type: navigate. */
export const GF_EVENT_NAVIGATE = 51;

/** UI/DOM event type: navigate info. */
export const GF_EVENT_NAVIGATE_INFO = 52;

/** UI/DOM event type: message. */
export const GF_EVENT_MESSAGE = 53;

/** UI/DOM event type: progress. */
export const GF_EVENT_PROGRESS = 54;

/** UI/DOM event type: viewpoints. */
export const GF_EVENT_VIEWPOINTS = 55;

/** UI/DOM event type: streamlist. */
export const GF_EVENT_STREAMLIST = 56;

/** UI/DOM event type: metadata. */
export const GF_EVENT_METADATA = 57;

/** UI/DOM event type: dropfile. */
export const GF_EVENT_DROPFILE = 58;

/** UI/DOM event type: text editing start. */
export const GF_EVENT_TEXT_EDITING_START = 59;

/** UI/DOM event type: text editing end. */
export const GF_EVENT_TEXT_EDITING_END = 60;

/** UI/DOM event type: quality switched. */
export const GF_EVENT_QUALITY_SWITCHED = 61;

/** UI/DOM event type: timeshift depth. */
export const GF_EVENT_TIMESHIFT_DEPTH = 62;

/** UI/DOM event type: timeshift update. */
export const GF_EVENT_TIMESHIFT_UPDATE = 63;

/** UI/DOM event type: timeshift overflow. */
export const GF_EVENT_TIMESHIFT_OVERFLOW = 64;

/** UI/DOM event type: timeshift underrun. */
export const GF_EVENT_TIMESHIFT_UNDERRUN = 65;

/** UI/DOM event type: addon detected. */
export const GF_EVENT_ADDON_DETECTED = 66;

/** UI/DOM event type: main addon state. */
export const GF_EVENT_MAIN_ADDON_STATE = 67;

/** UI/DOM event type: codec slow. */
export const GF_EVENT_CODEC_SLOW = 68;

/** UI/DOM event type: codec ok. */
export const GF_EVENT_CODEC_OK = 69;

/** UI/DOM event type: sensor request. */
export const GF_EVENT_SENSOR_REQUEST = 70;

/** UI/DOM event type: sensor orientation. */
export const GF_EVENT_SENSOR_ORIENTATION = 71;

/** UI/DOM event type: sensor gps. */
export const GF_EVENT_SENSOR_GPS = 72;

/** UI event marker: end of GPAC-internal events. */
export const GF_EVENT_LAST_INTERNAL = 73;

/** UI event marker: start of DOM events (overlaps the internal range numerically). */
export const GF_EVENT_FIRST_DOM = 60;

/** UI/DOM event type: vp resize. */
export const GF_EVENT_VP_RESIZE = 61;

/** UI/DOM event type: textselect. */
export const GF_EVENT_TEXTSELECT = 62;

/** UI/DOM event type: mouseover. */
export const GF_EVENT_MOUSEOVER = 63;

/** UI/DOM event type: mouseout. */
export const GF_EVENT_MOUSEOUT = 64;

/** UI/DOM event type: focusin. */
export const GF_EVENT_FOCUSIN = 65;

/** UI/DOM event type: focusout. */
export const GF_EVENT_FOCUSOUT = 66;

/** UI/DOM event type: activate. */
export const GF_EVENT_ACTIVATE = 67;

/** UI/DOM event type: change. */
export const GF_EVENT_CHANGE = 68;

/** UI/DOM event type: focus. */
export const GF_EVENT_FOCUS = 69;

/** UI/DOM event type: blur. */
export const GF_EVENT_BLUR = 70;

/** UI/DOM event type: load. */
export const GF_EVENT_LOAD = 71;

/** UI/DOM event type: unload. */
export const GF_EVENT_UNLOAD = 72;

/** UI/DOM event type: abort. */
export const GF_EVENT_ABORT = 73;

/** UI/DOM event type: error. */
export const GF_EVENT_ERROR = 74;

/** UI/DOM event type: resize. */
export const GF_EVENT_RESIZE = 75;

/** UI/DOM event type: scroll. */
export const GF_EVENT_SCROLL = 76;

/** UI/DOM event type: zoom. */
export const GF_EVENT_ZOOM = 77;

/** UI/DOM event type: begin. */
export const GF_EVENT_BEGIN = 78;

/** UI/DOM event type: begin event. */
export const GF_EVENT_BEGIN_EVENT = 79;

/** UI/DOM event type: end. */
export const GF_EVENT_END = 80;

/** UI/DOM event type: end event. */
export const GF_EVENT_END_EVENT = 81;

/** UI/DOM event type: repeat. */
export const GF_EVENT_REPEAT = 82;

/** UI/DOM event type: repeat event. */
export const GF_EVENT_REPEAT_EVENT = 83;

/** UI/DOM event type: tree modified. */
export const GF_EVENT_TREE_MODIFIED = 84;

/** UI/DOM event type: node inserted. */
export const GF_EVENT_NODE_INSERTED = 85;

/** UI/DOM event type: node removed. */
export const GF_EVENT_NODE_REMOVED = 86;

/** UI/DOM event type: node inserted doc. */
export const GF_EVENT_NODE_INSERTED_DOC = 87;

/** UI/DOM event type: node removed doc. */
export const GF_EVENT_NODE_REMOVED_DOC = 88;

/** UI/DOM event type: attr modified. */
export const GF_EVENT_ATTR_MODIFIED = 89;

/** UI/DOM event type: char data modified. */
export const GF_EVENT_CHAR_DATA_MODIFIED = 90;

/** UI/DOM event type: node name changed. */
export const GF_EVENT_NODE_NAME_CHANGED = 91;

/** UI/DOM event type: attr name changed. */
export const GF_EVENT_ATTR_NAME_CHANGED = 92;

/** UI/DOM event type: dcci prop change. */
export const GF_EVENT_DCCI_PROP_CHANGE = 93;

/** UI/DOM event type: activated. */
export const GF_EVENT_ACTIVATED = 94;

/** UI/DOM event type: deactivated. */
export const GF_EVENT_DEACTIVATED = 95;

/** UI/DOM event type: pause. */
export const GF_EVENT_PAUSE = 96;

/** UI/DOM event type: paused event. */
export const GF_EVENT_PAUSED_EVENT = 97;

/** UI/DOM event type: play. */
export const GF_EVENT_PLAY = 98;

/** UI/DOM event type: repeat key. */
export const GF_EVENT_REPEAT_KEY = 99;

/** UI/DOM event type: resume event. */
export const GF_EVENT_RESUME_EVENT = 100;

/** UI/DOM event type: short accesskey. */
export const GF_EVENT_SHORT_ACCESSKEY = 101;

/** UI/DOM event type: execution time. */
export const GF_EVENT_EXECUTION_TIME = 102;

/** Media (HTML5-style) event type: setup begin. */
export const GF_EVENT_MEDIA_SETUP_BEGIN = 103;

/** Media (HTML5-style) event type: setup done. */
export const GF_EVENT_MEDIA_SETUP_DONE = 104;

/** Media (HTML5-style) event type: load start. */
export const GF_EVENT_MEDIA_LOAD_START = 105;

/** Media (HTML5-style) event type: load done. */
export const GF_EVENT_MEDIA_LOAD_DONE = 106;

/** Media (HTML5-style) event type: progress. */
export const GF_EVENT_MEDIA_PROGRESS = 107;

/** Media (HTML5-style) event type: suspend. */
export const GF_EVENT_MEDIA_SUSPEND = 108;

/** Media (HTML5-style) event type: emptied. */
export const GF_EVENT_MEDIA_EMPTIED = 109;

/** Media (HTML5-style) event type: stalled. */
export const GF_EVENT_MEDIA_STALLED = 110;

/** Media (HTML5-style) event type: loaded metadata. */
export const GF_EVENT_MEDIA_LOADED_METADATA = 111;

/** Media event: data loaded (the C name keeps GPAC's spelling). */
export const GF_EVENT_MEDIA_LODADED_DATA = 112;

/** Media (HTML5-style) event type: canplay. */
export const GF_EVENT_MEDIA_CANPLAY = 113;

/** Media (HTML5-style) event type: canplaythrough. */
export const GF_EVENT_MEDIA_CANPLAYTHROUGH = 114;

/** Media (HTML5-style) event type: playing. */
export const GF_EVENT_MEDIA_PLAYING = 115;

/** Media (HTML5-style) event type: waiting. */
export const GF_EVENT_MEDIA_WAITING = 116;

/** Media (HTML5-style) event type: seeking. */
export const GF_EVENT_MEDIA_SEEKING = 117;

/** Media (HTML5-style) event type: seeked. */
export const GF_EVENT_MEDIA_SEEKED = 118;

/** Media (HTML5-style) event type: ended. */
export const GF_EVENT_MEDIA_ENDED = 119;

/** Media (HTML5-style) event type: duration changed. */
export const GF_EVENT_MEDIA_DURATION_CHANGED = 120;

/** Media (HTML5-style) event type: time update. */
export const GF_EVENT_MEDIA_TIME_UPDATE = 121;

/** Media (HTML5-style) event type: ratechange. */
export const GF_EVENT_MEDIA_RATECHANGE = 122;

/** Media (HTML5-style) event type: volume changed. */
export const GF_EVENT_MEDIA_VOLUME_CHANGED = 123;

/** UI/DOM event type: battery. */
export const GF_EVENT_BATTERY = 124;

/** UI/DOM event type: cpu. */
export const GF_EVENT_CPU = 125;

// ---- GF_KEY_MOD_* / GF_KEY_EXT_* key flags (GF_KeyModifier) ----

/** Key modifier flag: Shift. */
export const GF_KEY_MOD_SHIFT = 1;

/** Key modifier flag: Control. */
export const GF_KEY_MOD_CTRL = 4;

/** Key modifier flag: Alt. */
export const GF_KEY_MOD_ALT = 8;

/** Key flag: key comes from the numeric keypad. */
export const GF_KEY_EXT_NUMPAD = 16;

/** Key flag: left-hand variant of the key. */
export const GF_KEY_EXT_LEFT = 32;

/** Key flag: right-hand variant of the key. */
export const GF_KEY_EXT_RIGHT = 64;

// ---- GF_MOUSE_* mouse buttons ----

/** Mouse button: left. */
export const GF_MOUSE_LEFT = 0;

/** Mouse button: middle. */
export const GF_MOUSE_MIDDLE = 1;

/** Mouse button: right. */
export const GF_MOUSE_RIGHT = 2;

// ---- GF_DISPLAY_MODE_* display orientations (GF_DisplayOrientationType) ----

/** Display orientation: unknown. */
export const GF_DISPLAY_MODE_UNKNOWN = 0;

/** Display orientation: portrait. */
export const GF_DISPLAY_MODE_PORTRAIT = 1;

/** Display orientation: landscape. */
export const GF_DISPLAY_MODE_LANDSCAPE = 2;

/** Display orientation: landscape, upside down. */
export const GF_DISPLAY_MODE_LANDSCAPE_INV = 3;

/** Display orientation: portrait, upside down. */
export const GF_DISPLAY_MODE_PORTRAIT_INV = 4;
