/**
 * Byte layouts of the libgpac structs that deno-gpac reads or writes through `DataView` /
 * `Deno.UnsafePointerView`, for 64-bit targets (LP64: Linux/macOS x86_64 and aarch64) and
 * libgpac 26.07 (ABI 16.21).
 *
 * All numbers were measured with `offsetof`/`sizeof` in a C program compiled against the 26.07
 * headers. Each JSDoc says what differs in the older ABIs (2.2.1, 2.4, 26.02).
 *
 * Conventions:
 * - Each struct is `{ size, fields }`; a field is `{ offset, type }` with `type` a {@link FieldType}
 *   and, when it is not just the camelCase of the C member, a `cName` (C member path).
 * - Offsets are in bytes from the start of the struct named in the JSDoc.
 * - `GF_Fraction` / `GF_Fraction64` members are flattened into two fields named `<field>Num` /
 *   `<field>Den` (i32/u32 and i64/u64); nested structs are flattened the same way.
 * - `Bool` is GPAC's 4-byte enum: type `"bool32"` (read with getUint32, non-zero = true).
 * - C enums (GF_PropType, GF_FEventType, ...) are 4 bytes: type `"u32"`. `Fixed` is `"f32"`
 *   (GPAC builds without fixed-point). All integers are little-endian on supported targets.
 * - Unions are described as `{ size, members }`: every member starts at offset 0 of the union.
 *
 * @module
 */

/** Layout profile chosen from the ABI: which struct layouts and event payloads apply. */
export type AbiProfile = "12.10" | "12.14" | "16.5" | "16.21";

/** Scalar kind of a struct field; `bool32` is GPAC's 4-byte `Bool`, `pointer` is 8 bytes. */
export type FieldType =
  | "u8"
  | "i8"
  | "u16"
  | "i16"
  | "u32"
  | "i32"
  | "u64"
  | "i64"
  | "f32"
  | "f64"
  | "pointer"
  | "bool32";

/** One field of a struct layout. */
export interface FieldLayout {
  /** Byte offset from the start of the struct. */
  readonly offset: number;
  /** Scalar kind, which tells the `DataView` accessor to use. */
  readonly type: FieldType;
  /** C member path, when it is not simply the camelCase of the field name. */
  readonly cName?: string;
}

/** Layout of one C struct: its `sizeof` and its fields by camelCase name. */
export interface StructLayout {
  /** `sizeof` the struct in bytes. */
  readonly size: number;
  /** Fields by camelCase name. */
  readonly fields: Readonly<Record<string, FieldLayout>>;
}

/** Shape of {@link PropertyValueLayout}: a {@link StructLayout} plus shortcut offsets. */
export interface PropertyValueLayoutShape extends StructLayout {
  /** Offset of `type` (GF_PropType, u32). */
  readonly type: number;
  /** Offset of the `value` union. */
  readonly value: number;
  /** Size of the `value` union in bytes. */
  readonly valueSize: number;
  /** Offset of `value.data.ptr` (pointer). */
  readonly dataPtr: number;
  /** Offset of `value.data.size` (u32). */
  readonly dataSize: number;
  /** Offset of the `vals` pointer of any list member (string/uint/sint/v2i lists). */
  readonly listPtr: number;
  /** Offset of the `nb_items` count (u32) of any list member. */
  readonly listCount: number;
}

/**
 * Byte layout of `GF_PropertyValue` (libgpac 26.07, LP64): `type` (GF_PropType) then a
 * 16-byte union `value` at offset 8. Every union member is listed in `fields` with its offset from
 * the start of the struct (not of the union); fractions and vectors are flattened. The numeric
 * shortcuts `type`, `value`, `dataPtr`, `dataSize`, `listPtr` and `listCount` are the offsets most
 * readers need (`listPtr`/`listCount` are shared by all four list kinds).
 *
 * Same layout (24 bytes) in 2.2.1, 2.4, 26.02 and 26.07.
 */
export const PropertyValueLayout = {
  size: 24,
  type: 0,
  value: 8,
  valueSize: 16,
  dataPtr: 8,
  dataSize: 16,
  listPtr: 8,
  listCount: 16,
  fields: {
    type: { offset: 0, type: "u32" },
    uint: { offset: 8, type: "u32", cName: "value.uint" },
    sint: { offset: 8, type: "i32", cName: "value.sint" },
    longuint: { offset: 8, type: "u64", cName: "value.longuint" },
    longsint: { offset: 8, type: "i64", cName: "value.longsint" },
    boolean: { offset: 8, type: "bool32", cName: "value.boolean" },
    fracNum: { offset: 8, type: "i32", cName: "value.frac.num" },
    fracDen: { offset: 12, type: "u32", cName: "value.frac.den" },
    lfracNum: { offset: 8, type: "i64", cName: "value.lfrac.num" },
    lfracDen: { offset: 16, type: "u64", cName: "value.lfrac.den" },
    fnumber: { offset: 8, type: "f32", cName: "value.fnumber" },
    number: { offset: 8, type: "f64", cName: "value.number" },
    vec2iX: { offset: 8, type: "i32", cName: "value.vec2i.x" },
    vec2iY: { offset: 12, type: "i32", cName: "value.vec2i.y" },
    vec2X: { offset: 8, type: "f64", cName: "value.vec2.x" },
    vec2Y: { offset: 16, type: "f64", cName: "value.vec2.y" },
    vec3iX: { offset: 8, type: "i32", cName: "value.vec3i.x" },
    vec3iY: { offset: 12, type: "i32", cName: "value.vec3i.y" },
    vec3iZ: { offset: 16, type: "i32", cName: "value.vec3i.z" },
    vec4iX: { offset: 8, type: "i32", cName: "value.vec4i.x" },
    vec4iY: { offset: 12, type: "i32", cName: "value.vec4i.y" },
    vec4iZ: { offset: 16, type: "i32", cName: "value.vec4i.z" },
    vec4iW: { offset: 20, type: "i32", cName: "value.vec4i.w" },
    string: { offset: 8, type: "pointer", cName: "value.string" },
    ptr: { offset: 8, type: "pointer", cName: "value.ptr" },
    dataPtr: { offset: 8, type: "pointer", cName: "value.data.ptr" },
    dataSize: { offset: 16, type: "u32", cName: "value.data.size" },
    stringListVals: { offset: 8, type: "pointer", cName: "value.string_list.vals" },
    stringListNbItems: { offset: 16, type: "u32", cName: "value.string_list.nb_items" },
    uintListVals: { offset: 8, type: "pointer", cName: "value.uint_list.vals" },
    uintListNbItems: { offset: 16, type: "u32", cName: "value.uint_list.nb_items" },
    sintListVals: { offset: 8, type: "pointer", cName: "value.sint_list.vals" },
    sintListNbItems: { offset: 16, type: "u32", cName: "value.sint_list.nb_items" },
    v2iListVals: { offset: 8, type: "pointer", cName: "value.v2i_list.vals" },
    v2iListNbItems: { offset: 16, type: "u32", cName: "value.v2i_list.nb_items" },
  },
} as const satisfies PropertyValueLayoutShape;

/**
 * Byte layout of `GF_FilterStats` (libgpac 26.07, LP64), filled by `gf_fs_get_filter_stats`
 * and `gf_filter_get_stats`.
 *
 * Older ABIs: 208 bytes before 26.07 (`last_task_time` at 208 was appended in 26.07);
 * `nb_current_errors` at 60 was added in 26.02 inside a former padding hole (reads 0 on 2.x).
 * libgpac clears `sizeof` of its own version, so always pass a zeroed buffer of at least 216 bytes
 * (e.g. 512); with that, these offsets are valid on every supported version.
 */
export const FilterStatsLayout = {
  size: 216,
  fields: {
    filter: { offset: 0, type: "pointer" },
    filterAlias: { offset: 8, type: "pointer" },
    nbTasksDone: { offset: 16, type: "u64" },
    nbPckProcessed: { offset: 24, type: "u64" },
    nbBytesProcessed: { offset: 32, type: "u64" },
    nbPckSent: { offset: 40, type: "u64" },
    nbHwPckSent: { offset: 48, type: "u64" },
    nbErrors: { offset: 56, type: "u32" },
    nbCurrentErrors: { offset: 60, type: "u32" },
    nbBytesSent: { offset: 64, type: "u64" },
    timeProcess: { offset: 72, type: "u64" },
    percent: { offset: 80, type: "i32" },
    status: { offset: 88, type: "pointer" },
    reportUpdated: { offset: 96, type: "bool32" },
    name: { offset: 104, type: "pointer" },
    regName: { offset: 112, type: "pointer" },
    filterId: { offset: 120, type: "pointer" },
    done: { offset: 128, type: "bool32" },
    nbPidIn: { offset: 132, type: "u32" },
    nbInPck: { offset: 136, type: "u64" },
    nbPidOut: { offset: 144, type: "u32" },
    nbOutPck: { offset: 152, type: "u64" },
    inEos: { offset: 160, type: "bool32" },
    type: { offset: 164, type: "u32" },
    streamType: { offset: 168, type: "u32" },
    codecid: { offset: 172, type: "u32" },
    lastTsSentNum: { offset: 176, type: "i64" },
    lastTsSentDen: { offset: 184, type: "u64" },
    lastTsDropNum: { offset: 192, type: "i64" },
    lastTsDropDen: { offset: 200, type: "u64" },
    lastTaskTime: { offset: 208, type: "u32" },
  },
} as const satisfies StructLayout;

/**
 * Byte layout of `GF_FilterPidStatistics` (libgpac 26.07, LP64), filled by
 * `gf_filter_pid_get_statistics`.
 *
 * Older ABIs: 144 bytes in 2.2.1, where `last_ts_drop` (144) and `last_ts_sent` (160) do not exist
 * (appended in 2.4). Allocate at least 176 zeroed bytes.
 */
export const FilterPidStatisticsLayout = {
  size: 176,
  fields: {
    disconnected: { offset: 0, type: "u32" },
    averageProcessRate: { offset: 4, type: "u32" },
    maxProcessRate: { offset: 8, type: "u32" },
    averageBitrate: { offset: 12, type: "u32" },
    maxBitrate: { offset: 16, type: "u32" },
    nbProcessed: { offset: 20, type: "u32" },
    maxProcessTime: { offset: 24, type: "u32" },
    totalProcessTime: { offset: 32, type: "u64" },
    firstProcessTime: { offset: 40, type: "u64" },
    lastProcessTime: { offset: 48, type: "u64" },
    minFrameDur: { offset: 56, type: "u32" },
    nbSaps: { offset: 60, type: "u32" },
    maxSapProcessTime: { offset: 64, type: "u32" },
    totalSapProcessTime: { offset: 72, type: "u64" },
    maxBufferTime: { offset: 80, type: "u64" },
    maxPlayoutTime: { offset: 88, type: "u64" },
    minPlayoutTime: { offset: 96, type: "u64" },
    bufferTime: { offset: 104, type: "u64" },
    nbBufferUnits: { offset: 112, type: "u32" },
    lastRtReport: { offset: 120, type: "u64" },
    rtt: { offset: 128, type: "u32" },
    jitter: { offset: 132, type: "u32" },
    lossRate: { offset: 136, type: "u32" },
    lastTsDropNum: { offset: 144, type: "i64" },
    lastTsDropDen: { offset: 152, type: "u64" },
    lastTsSentNum: { offset: 160, type: "i64" },
    lastTsSentDen: { offset: 168, type: "u64" },
  },
} as const satisfies StructLayout;

/**
 * Byte layout of `GF_FilterArgs` (libgpac 26.07, LP64), as returned by
 * `gf_filter_enumerate_args`. Unchanged (56 bytes) since 2.2.1.
 */
export const FilterArgsLayout = {
  size: 56,
  fields: {
    argName: { offset: 0, type: "pointer" },
    offsetInPrivate: { offset: 8, type: "i32" },
    argDesc: { offset: 16, type: "pointer" },
    argType: { offset: 24, type: "u32" },
    argDefaultVal: { offset: 32, type: "pointer" },
    minMaxEnum: { offset: 40, type: "pointer" },
    flags: { offset: 48, type: "u32" },
  },
} as const satisfies StructLayout;

// ---- GF_FilterEvent (union) ----

/**
 * Common header of every filter event: `type` (GF_FEVT_*) and the target PID. Same in all ABIs.
 * Offsets are from the start of the event (union member `base`, at offset 0 of GF_FilterEvent).
 */
export const FevtBaseLayout = {
  size: 16,
  fields: {
    type: { offset: 0, type: "u32" },
    onPid: { offset: 8, type: "pointer" },
  },
} as const satisfies StructLayout;

/**
 * Payload of GF_FEVT_PLAY / GF_FEVT_SET_SPEED (`GF_FEVT_Play`).
 *
 * Older ABIs: 56 bytes in 2.2.1, where only the fields up to `no_byterange_forward` (50) exist;
 * `to_pck`, `orig_delay`, `hint_first_dts`, `hint_start_offset`, `hint_end_offset` were appended in 2.4.
 * Offsets are from the start of the event (union member `play`, at offset 0 of GF_FilterEvent).
 */
export const FevtPlayLayout = {
  size: 88,
  fields: {
    type: { offset: 0, type: "u32" },
    onPid: { offset: 8, type: "pointer" },
    startRange: { offset: 16, type: "f64" },
    endRange: { offset: 24, type: "f64" },
    speed: { offset: 32, type: "f64" },
    fromPck: { offset: 40, type: "u32" },
    hwBufferReset: { offset: 44, type: "u8" },
    initialBroadcastPlay: { offset: 45, type: "u8" },
    timestampBased: { offset: 46, type: "u8" },
    fullFileOnly: { offset: 47, type: "u8" },
    forcedDashSegmentSwitch: { offset: 48, type: "u8" },
    dropNonRef: { offset: 49, type: "u8" },
    noByterangeForward: { offset: 50, type: "u8" },
    toPck: { offset: 52, type: "u32" },
    origDelay: { offset: 56, type: "u32" },
    hintFirstDts: { offset: 64, type: "u64" },
    hintStartOffset: { offset: 72, type: "u64" },
    hintEndOffset: { offset: 80, type: "u64" },
  },
} as const satisfies StructLayout;

/**
 * Payload of GF_FEVT_SOURCE_SEEK / GF_FEVT_SOURCE_SWITCH (`GF_FEVT_SourceSeek`). Same layout since 2.2.1.
 * Offsets are from the start of the event (union member `seek`, at offset 0 of GF_FilterEvent).
 */
export const FevtSourceSeekLayout = {
  size: 48,
  fields: {
    type: { offset: 0, type: "u32" },
    onPid: { offset: 8, type: "pointer" },
    startOffset: { offset: 16, type: "u64" },
    endOffset: { offset: 24, type: "u64" },
    sourceSwitch: { offset: 32, type: "pointer" },
    isInitSegment: { offset: 40, type: "u8" },
    skipCacheExpiration: { offset: 41, type: "u8" },
    hintBlockSize: { offset: 44, type: "u32" },
  },
} as const satisfies StructLayout;

/**
 * Payload of GF_FEVT_SEGMENT_SIZE (`GF_FEVT_SegmentSize`).
 *
 * Older ABIs: NOT append-only. 26.02 inserted `base64_version` at 24, so in 2.2.1/2.4 (64 bytes)
 * `media_range_start`, `media_range_end`, `idx_range_start`, `idx_range_end`, `is_init`, `is_shift`
 * sit at 24/32/40/48/56/57 instead of 32/40/48/56/64/65.
 * Offsets are from the start of the event (union member `seg_size`, at offset 0 of GF_FilterEvent).
 */
export const FevtSegmentSizeLayout = {
  size: 72,
  fields: {
    type: { offset: 0, type: "u32" },
    onPid: { offset: 8, type: "pointer" },
    segUrl: { offset: 16, type: "pointer" },
    base64Version: { offset: 24, type: "pointer" },
    mediaRangeStart: { offset: 32, type: "u64" },
    mediaRangeEnd: { offset: 40, type: "u64" },
    idxRangeStart: { offset: 48, type: "u64" },
    idxRangeEnd: { offset: 56, type: "u64" },
    isInit: { offset: 64, type: "u8" },
    isShift: { offset: 65, type: "u8" },
  },
} as const satisfies StructLayout;

/**
 * Payload of GF_FEVT_FRAGMENT_SIZE (`GF_FEVT_FragmentSize`). Same layout since 2.2.1.
 * Offsets are from the start of the event (union member `frag_size`, at offset 0 of GF_FilterEvent).
 */
export const FevtFragmentSizeLayout = {
  size: 64,
  fields: {
    type: { offset: 0, type: "u32" },
    onPid: { offset: 8, type: "pointer" },
    isLast: { offset: 16, type: "bool32" },
    offset: { offset: 24, type: "u64" },
    size: { offset: 32, type: "u64" },
    durationNum: { offset: 40, type: "i64" },
    durationDen: { offset: 48, type: "u64" },
    independent: { offset: 56, type: "bool32" },
  },
} as const satisfies StructLayout;

/**
 * Payload of GF_FEVT_ATTACH_SCENE / GF_FEVT_RESET_SCENE (`GF_FEVT_AttachScene`). Same layout since 2.2.1.
 * Offsets are from the start of the event (union member `attach_scene`, at offset 0 of GF_FilterEvent).
 */
export const FevtAttachSceneLayout = {
  size: 32,
  fields: {
    type: { offset: 0, type: "u32" },
    onPid: { offset: 8, type: "pointer" },
    objectManager: { offset: 16, type: "pointer" },
    node: { offset: 24, type: "pointer" },
  },
} as const satisfies StructLayout;

/**
 * Payload of GF_FEVT_QUALITY_SWITCH (`GF_FEVT_QualitySwitch`). Same layout since 2.2.1.
 * Offsets are from the start of the event (union member `quality_switch`, at offset 0 of GF_FilterEvent).
 */
export const FevtQualitySwitchLayout = {
  size: 40,
  fields: {
    type: { offset: 0, type: "u32" },
    onPid: { offset: 8, type: "pointer" },
    up: { offset: 16, type: "bool32" },
    dependentGroupIndex: { offset: 20, type: "u32" },
    qIdx: { offset: 24, type: "i32" },
    setTileModePlusOne: { offset: 28, type: "u32" },
    qualityDegradation: { offset: 32, type: "u32" },
  },
} as const satisfies StructLayout;

/**
 * Payload of GF_FEVT_VISIBILITY_HINT (`GF_FEVT_VisibilityHint`). Same layout since 2.2.1.
 * Offsets are from the start of the event (union member `visibility_hint`, at offset 0 of GF_FilterEvent).
 */
export const FevtVisibilityHintLayout = {
  size: 40,
  fields: {
    type: { offset: 0, type: "u32" },
    onPid: { offset: 8, type: "pointer" },
    minX: { offset: 16, type: "u32" },
    maxX: { offset: 20, type: "u32" },
    minY: { offset: 24, type: "u32" },
    maxY: { offset: 28, type: "u32" },
    isGaze: { offset: 32, type: "bool32" },
  },
} as const satisfies StructLayout;

/**
 * Payload of GF_FEVT_BUFFER_REQ (`GF_FEVT_BufferRequirement`). Same layout since 2.2.1.
 * Offsets are from the start of the event (union member `buffer_req`, at offset 0 of GF_FilterEvent).
 */
export const FevtBufferRequirementLayout = {
  size: 32,
  fields: {
    type: { offset: 0, type: "u32" },
    onPid: { offset: 8, type: "pointer" },
    maxBufferUs: { offset: 16, type: "u32" },
    maxPlayoutUs: { offset: 20, type: "u32" },
    minPlayoutUs: { offset: 24, type: "u32" },
    pidOnly: { offset: 28, type: "bool32" },
  },
} as const satisfies StructLayout;

/**
 * Payload of GF_FEVT_FILE_DELETE (`GF_FEVT_FileDelete`). Same layout since 2.2.1.
 * Offsets are from the start of the event (union member `file_del`, at offset 0 of GF_FilterEvent).
 */
export const FevtFileDeleteLayout = {
  size: 24,
  fields: {
    type: { offset: 0, type: "u32" },
    onPid: { offset: 8, type: "pointer" },
    url: { offset: 16, type: "pointer" },
  },
} as const satisfies StructLayout;

/**
 * Payload of GF_FEVT_NTP_REF (`GF_FEVT_NTPRef`). Same layout since 2.2.1.
 * Offsets are from the start of the event (union member `ntp`, at offset 0 of GF_FilterEvent).
 */
export const FevtNtpRefLayout = {
  size: 24,
  fields: {
    type: { offset: 0, type: "u32" },
    onPid: { offset: 8, type: "pointer" },
    ntp: { offset: 16, type: "u64" },
  },
} as const satisfies StructLayout;

/**
 * Payload of event type 21, GF_FEVT_TRANSPORT_HINTS (`GF_FEVT_TransportHints`, 26.02+).
 *
 * Older ABIs: type 21 was GF_FEVT_ENCODE_HINTS with `GF_FEVT_EncodeHints` (union member
 * `encode_hints`): `intra_period` GF_Fraction at 16 (num i32 @16, den u32 @20), plus in 2.4 only
 * `gen_dsi_only` Bool at 24 (24 bytes in 2.2.1, 32 in 2.4). Do not read it with this layout.
 * Offsets are from the start of the event (union member `transport_hints`, at offset 0 of GF_FilterEvent).
 */
export const FevtTransportHintsLayout = {
  size: 40,
  fields: {
    type: { offset: 0, type: "u32" },
    onPid: { offset: 8, type: "pointer" },
    flags: { offset: 16, type: "u32" },
    segDurationNum: { offset: 20, type: "i32" },
    segDurationDen: { offset: 24, type: "u32" },
    genDsiOnly: { offset: 28, type: "bool32" },
    waitSegBoundary: { offset: 32, type: "bool32" },
  },
} as const satisfies StructLayout;

/**
 * Payload of GF_FEVT_DASH_QUALITY_SELECT (`GF_FEVT_DASHQualitySelection`). Added in 26.02; absent in 2.x.
 * Offsets are from the start of the event (union member `dash_select`, at offset 0 of GF_FilterEvent).
 */
export const FevtDashQualitySelectionLayout = {
  size: 56,
  fields: {
    type: { offset: 0, type: "u32" },
    onPid: { offset: 8, type: "pointer" },
    serviceId: { offset: 16, type: "u32" },
    periodId: { offset: 24, type: "pointer" },
    asId: { offset: 32, type: "i32" },
    repId: { offset: 40, type: "pointer" },
    selectType: { offset: 48, type: "u32" },
  },
} as const satisfies StructLayout;

/**
 * Payload of GF_FEVT_NETWORK_HINT (`GF_FEVT_NetworkHint`). Added in 26.02; absent in 2.x.
 * Offsets are from the start of the event (union member `net_hint`, at offset 0 of GF_FilterEvent).
 */
export const FevtNetworkHintLayout = {
  size: 24,
  fields: {
    type: { offset: 0, type: "u32" },
    onPid: { offset: 8, type: "pointer" },
    mtuSize: { offset: 16, type: "u32" },
    sinkType: { offset: 20, type: "u32" },
  },
} as const satisfies StructLayout;

/**
 * Payload of GF_FEVT_USER (`GF_FEVT_Event`): the header followed by a full `GF_Event`
 * (120 bytes) at `eventOffset`; `eventType` is the GF_Event's first byte (GF_EVENT_*). Add
 * `EventLayout` member offsets to `eventOffset`. Same layout (136 bytes) since 2.2.1.
 * Offsets are from the start of the event (union member `user_event`, at offset 0 of GF_FilterEvent).
 */
export const FevtEventLayout = {
  size: 136,
  eventOffset: 16,
  fields: {
    type: { offset: 0, type: "u32" },
    onPid: { offset: 8, type: "pointer" },
    eventType: { offset: 16, type: "u8" },
  },
} as const satisfies StructLayout & { readonly eventOffset: number };

/**
 * Byte layout of the `GF_FilterEvent` union (libgpac 26.07, LP64): 136 bytes in every ABI since 2.2.1,
 * so always allocate and zero 136 bytes for an event you build. `members` maps the C union
 * member names (camelCase) to their payload layouts; all start at offset 0.
 *
 * Older ABIs: `transportHints` was `encode_hints` (different layout) before 26.02, `dashSelect` and
 * `netHint` do not exist before 26.02, `segSize` moved fields in 26.02 and `play` grew in 2.4; see
 * each member's layout.
 */
export const FilterEventLayout = {
  size: 136,
  members: {
    base: FevtBaseLayout,
    play: FevtPlayLayout,
    seek: FevtSourceSeekLayout,
    segSize: FevtSegmentSizeLayout,
    fragSize: FevtFragmentSizeLayout,
    attachScene: FevtAttachSceneLayout,
    qualitySwitch: FevtQualitySwitchLayout,
    visibilityHint: FevtVisibilityHintLayout,
    bufferReq: FevtBufferRequirementLayout,
    fileDel: FevtFileDeleteLayout,
    ntp: FevtNtpRefLayout,
    transportHints: FevtTransportHintsLayout,
    dashSelect: FevtDashQualitySelectionLayout,
    netHint: FevtNetworkHintLayout,
    userEvent: FevtEventLayout,
  },
} as const;

// ---- GF_Event (UI event union, carried by GF_FEVT_USER) ----

/** Byte layout of GF_EventMouse (GF_EVENT_CLICK, MOUSEUP, MOUSEDOWN, MOUSEMOVE, MOUSEWHEEL); offsets from the start of GF_Event. Unchanged since 2.2.1. */
export const EventMouseLayout = {
  size: 28,
  fields: {
    type: { offset: 0, type: "u8" },
    x: { offset: 4, type: "i32" },
    y: { offset: 8, type: "i32" },
    wheelPos: { offset: 12, type: "f32" },
    button: { offset: 16, type: "u32" },
    keyStates: { offset: 20, type: "u32" },
    windowId: { offset: 24, type: "u32" },
  },
} as const satisfies StructLayout;

/** Byte layout of GF_EventMultiTouch (GF_EVENT_MULTITOUCH); offsets from the start of GF_Event. Unchanged since 2.2.1. */
export const EventMtouchLayout = {
  size: 28,
  fields: {
    type: { offset: 0, type: "u8" },
    x: { offset: 4, type: "f32" },
    y: { offset: 8, type: "f32" },
    rotation: { offset: 12, type: "f32" },
    pinch: { offset: 16, type: "f32" },
    numFingers: { offset: 20, type: "u32" },
    windowId: { offset: 24, type: "u32" },
  },
} as const satisfies StructLayout;

/** Byte layout of GF_EventKey (GF_EVENT_KEYUP, KEYDOWN, LONGKEYPRESS); offsets from the start of GF_Event. Unchanged since 2.2.1. */
export const EventKeyLayout = {
  size: 20,
  fields: {
    type: { offset: 0, type: "u8" },
    keyCode: { offset: 4, type: "u32" },
    hwCode: { offset: 8, type: "u32" },
    flags: { offset: 12, type: "u32" },
    windowId: { offset: 16, type: "u32" },
  },
} as const satisfies StructLayout;

/** Byte layout of GF_EventChar (GF_EVENT_TEXTINPUT); offsets from the start of GF_Event. Unchanged since 2.2.1. */
export const EventCharacterLayout = {
  size: 12,
  fields: {
    type: { offset: 0, type: "u8" },
    unicodeChar: { offset: 4, type: "u32" },
    windowId: { offset: 8, type: "u32" },
  },
} as const satisfies StructLayout;

/** Byte layout of GF_EventSize (GF_EVENT_SIZE, SCENE_SIZE, SET_ORIENTATION); offsets from the start of GF_Event. Unchanged since 2.2.1. */
export const EventSizeLayout = {
  size: 20,
  fields: {
    type: { offset: 0, type: "u8" },
    width: { offset: 4, type: "u32" },
    height: { offset: 8, type: "u32" },
    orientation: { offset: 12, type: "u32" },
    windowId: { offset: 16, type: "u32" },
  },
} as const satisfies StructLayout;

/** Byte layout of GF_EventShow (GF_EVENT_SHOWHIDE, QUIT); offsets from the start of GF_Event. Unchanged since 2.2.1. */
export const EventShowLayout = {
  size: 12,
  fields: {
    type: { offset: 0, type: "u8" },
    showType: { offset: 4, type: "u32" },
    windowId: { offset: 8, type: "u32" },
  },
} as const satisfies StructLayout;

/** Byte layout of GF_EventMove (GF_EVENT_MOVE); offsets from the start of GF_Event. Not compared across older ABIs (not in the ABI notes). */
export const EventMoveLayout = {
  size: 24,
  fields: {
    type: { offset: 0, type: "u8" },
    x: { offset: 4, type: "i32" },
    y: { offset: 8, type: "i32" },
    relative: { offset: 12, type: "u32" },
    alignX: { offset: 16, type: "u8" },
    alignY: { offset: 17, type: "u8" },
    windowId: { offset: 20, type: "u32" },
  },
} as const satisfies StructLayout;

/**
 * Byte layout of the `GF_Event` union (libgpac 26.07, LP64): 120 bytes, unchanged since 2.2.1. Its
 * first byte is the event type (GF_EVENT_*). Only the members deno-gpac decodes are listed; inside
 * a GF_FEVT_USER filter event it starts at `FevtEventLayout.eventOffset`.
 */
export const EventLayout = {
  size: 120,
  members: {
    mouse: EventMouseLayout,
    mtouch: EventMtouchLayout,
    key: EventKeyLayout,
    character: EventCharacterLayout,
    size: EventSizeLayout,
    show: EventShowLayout,
    move: EventMoveLayout,
  },
} as const;

// ---------------------------------------------------------------------------------------------
// dash/: structs of the DASH client seen by custom adaptation algorithms.
//
// Measured with offsetof/sizeof in a C probe compiled against the GPAC 26.07 headers
// (ABI 16.21, LP64). They are keyed on the ABI profile: `dash/` refuses to bind an algorithm
// when the loaded libgpac uses a profile that has no entry in `DashLayouts`.

/**
 * Byte layout of `GF_DASHQualityInfo` (dash.h), filled by `gf_dash_group_get_quality_info`
 * (libgpac clears `sizeof` of its own version first: allocate at least 120 zeroed bytes).
 * `parNum`/`parDen` are the sample aspect ratio. Measured on ABI 16.21.
 */
export const DashQualityInfoLayout = {
  size: 120,
  fields: {
    bandwidth: { offset: 0, type: "u32" },
    id: { offset: 8, type: "pointer", cName: "ID" },
    mime: { offset: 16, type: "pointer" },
    codec: { offset: 24, type: "pointer" },
    width: { offset: 32, type: "u32" },
    height: { offset: 36, type: "u32" },
    interlaced: { offset: 40, type: "bool32" },
    fpsNum: { offset: 44, type: "u32" },
    fpsDen: { offset: 48, type: "u32" },
    parNum: { offset: 52, type: "u32" },
    parDen: { offset: 56, type: "u32" },
    sampleRate: { offset: 60, type: "u32" },
    nbChannels: { offset: 64, type: "u32" },
    disabled: { offset: 68, type: "bool32" },
    isSelected: { offset: 72, type: "bool32" },
    astOffset: { offset: 80, type: "f64" },
    averageDuration: { offset: 88, type: "f64" },
    segUrls: { offset: 96, type: "pointer" },
    hlsVariantUrl: { offset: 104, type: "pointer" },
    ssr: { offset: 112, type: "u32" },
  },
} as const satisfies StructLayout;

/**
 * Byte layout of `GF_DASHCustomAlgoInfo` (dash.h): the statistics passed to a custom rate
 * adaptation callback. Measured on ABI 16.21.
 */
export const DashCustomAlgoInfoLayout = {
  size: 56,
  fields: {
    downloadRate: { offset: 0, type: "u32" },
    fileSize: { offset: 4, type: "u32" },
    speed: { offset: 8, type: "f64" },
    maxAvailableSpeed: { offset: 16, type: "f64" },
    displayWidth: { offset: 24, type: "u32" },
    displayHeight: { offset: 28, type: "u32" },
    activeQualityIdx: { offset: 32, type: "u32" },
    bufferMinMs: { offset: 36, type: "u32" },
    bufferMaxMs: { offset: 40, type: "u32" },
    bufferOccupancyMs: { offset: 44, type: "u32" },
    qualityDegradationHint: { offset: 48, type: "u32" },
    totalRate: { offset: 52, type: "u32" },
  },
} as const satisfies StructLayout;

/**
 * Byte layout of the download statistics passed to a custom download monitor
 * (`GF_DASHDownloadStats`, private to dmx_dash.c). Measured on ABI 16.21 by declaring the same
 * members in the probe.
 */
export const DashDownloadStatsLayout = {
  size: 40,
  fields: {
    bitsPerSec: { offset: 0, type: "u32" },
    totalBytes: { offset: 8, type: "u64" },
    bytesDone: { offset: 16, type: "u64" },
    usSinceStart: { offset: 24, type: "u64" },
    bufferDur: { offset: 32, type: "u32" },
    currentSegDur: { offset: 36, type: "u32" },
  },
} as const satisfies StructLayout;

/**
 * The first members of `GF_MPD_SegmentURL` (mpd.h), the items of
 * `GF_DASHQualityInfo.seg_urls`; `size` is the full struct on ABI 16.21 but only these two
 * members are read. `mediaRange` points to a {@link MpdByteRangeLayout}.
 */
export const MpdSegmentUrlLayout = {
  size: 136,
  fields: {
    media: { offset: 0, type: "pointer" },
    mediaRange: { offset: 8, type: "pointer", cName: "media_range" },
  },
} as const satisfies StructLayout;

/** Byte layout of `GF_MPD_ByteRange` (mpd.h). Measured on ABI 16.21. */
export const MpdByteRangeLayout = {
  size: 16,
  fields: {
    startRange: { offset: 0, type: "u64" },
    endRange: { offset: 8, type: "u64" },
  },
} as const satisfies StructLayout;

/** The set of DASH client layouts valid for one ABI profile. */
export interface DashLayoutSet {
  /** `GF_DASHQualityInfo`. */
  readonly qualityInfo: typeof DashQualityInfoLayout;
  /** `GF_DASHCustomAlgoInfo`. */
  readonly algoInfo: typeof DashCustomAlgoInfoLayout;
  /** Download monitor statistics. */
  readonly downloadStats: typeof DashDownloadStatsLayout;
  /** `GF_MPD_SegmentURL` (first members). */
  readonly segmentUrl: typeof MpdSegmentUrlLayout;
  /** `GF_MPD_ByteRange`. */
  readonly byteRange: typeof MpdByteRangeLayout;
}

const DASH_LAYOUT_SET: DashLayoutSet = Object.freeze({
  qualityInfo: DashQualityInfoLayout,
  algoInfo: DashCustomAlgoInfoLayout,
  downloadStats: DashDownloadStatsLayout,
  segmentUrl: MpdSegmentUrlLayout,
  byteRange: MpdByteRangeLayout,
});

/**
 * DASH client layouts by ABI profile (see `AbiProfile`). Measured with `offsetof`/`sizeof`
 * against the installed headers of each release: the 26.07 layouts hold for 26.02 (ABI 16.5:
 * same offsets, `GF_DASHQualityInfo` 120 bytes) and for 2.4 (ABI 12.14), whose
 * `GF_DASHQualityInfo` is 104 bytes, without `hls_variant_url` (104) and `ssr` (112): read
 * from a zeroed buffer of 120+ bytes they are null / 0 there. `GF_MPD_SegmentURL` is 128 bytes
 * on 2.4 and 26.02 (136 on 26.07), but only its first two members (same offsets) are read.
 */
export const DashLayouts: Readonly<Partial<Record<AbiProfile, DashLayoutSet>>> = Object.freeze({
  "16.21": DASH_LAYOUT_SET,
  "16.5": DASH_LAYOUT_SET,
  "12.14": DASH_LAYOUT_SET,
});

// ---- httpout (httpout/) ----

/**
 * Byte layout of httpout's private per-connection struct `GF_HTTPOutSession`
 * (src/filters/out_http.c), libgpac 26.07 (ABI 16.21), LP64: 1424 bytes. Measured with
 * `offsetof` in a probe that includes out_http.c with the build's config.h. Only the fields
 * deno-gpac reads or writes are listed.
 *
 * `gf_httpout_send_request` (the C API libgpac exports for request handlers) never sets
 * `contentLength` / `useChunkTransfer`, which GPAC uses to find the end of an upload received by
 * a handler and to decide whether a reply produced by a read callback is chunked. deno-gpac sets
 * them right after that call. When an upload received by a handler ends, GPAC answers 201
 * without any `Content-Length` on a kept-alive connection, so clients wait for a body forever:
 * deno-gpac then queues `Content-Length: 0` (and the handler's `headersOut`) in `headers`, the
 * list GPAC adds to that answer when `path` is NULL. All this only on ABI 16.21 and only after
 * checking that `rtUdta` and `asyncPending` hold the values `gf_httpout_send_request` stored
 * (the struct is not a public API: other builds are left alone). The fields up to `contentLength` have no build-dependent members
 * before them; `rtUdta` and `asyncPending` come after a QuickJS-only member (GPAC builds with
 * QuickJS, which httpout's request hooks require anyway).
 */
export const HTTPOutSessionLayout = {
  size: 1424,
  fields: {
    ctx: { offset: 0, type: "pointer" },
    httpSess: { offset: 16, type: "pointer" },
    path: { offset: 1080, type: "pointer" },
    nbBytes: { offset: 1120, type: "u64" },
    bytesInReq: { offset: 1128, type: "u64" },
    useChunkTransfer: { offset: 1180, type: "bool32" },
    uploadType: { offset: 1192, type: "u32" },
    contentLength: { offset: 1200, type: "u64" },
    methodType: { offset: 1280, type: "u32" },
    replyCode: { offset: 1284, type: "u32" },
    rtUdta: { offset: 1376, type: "pointer", cName: "rt_udta" },
    asyncPending: { offset: 1384, type: "u32" },
    headers: { offset: 1400, type: "pointer" },
  },
} as const satisfies StructLayout;

/**
 * Byte layout of `GF_FilterFrameInterface` (libgpac 26.07, LP64): two callback
 * pointers, `flags` (GF_FRAME_IFCE_*) and a user pointer. Unchanged (32 bytes) since 2.2.1.
 */
export const FilterFrameInterfaceLayout = {
  size: 32,
  fields: {
    getPlane: { offset: 0, type: "pointer" },
    getGlTexture: { offset: 8, type: "pointer" },
    flags: { offset: 16, type: "u32" },
    userData: { offset: 24, type: "pointer" },
  },
} as const satisfies StructLayout;

/**
 * httpout's private session layout by ABI (`"major.minor"`), only where it was measured (same
 * probe, with each release's own configure output): 26.07 (16.21) and 26.02 (16.5) have the
 * same layout (2.4's differs: 1400 bytes, measured, but httpout handlers are refused there). Other ABIs get `undefined`: deno-gpac then leaves the struct alone.
 */
export function httpOutSessionLayout(
  major: number,
  minor: number,
): typeof HTTPOutSessionLayout | undefined {
  return HTTP_OUT_SESSION_LAYOUTS[`${major}.${minor}`];
}

const HTTP_OUT_SESSION_LAYOUTS: Readonly<Record<string, typeof HTTPOutSessionLayout>> = Object
  .freeze({
    "16.21": HTTPOutSessionLayout,
    "16.5": HTTPOutSessionLayout,
  });
