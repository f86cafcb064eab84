/**
 * The one typed FFI symbol table of deno-gpac: every libgpac function the binding calls.
 *
 * Conventions:
 * - `"pointer"` for opaque handles (`GF_FilterSession*`, `GF_Filter*`, `GF_FilterPid*`,
 *   `GF_FilterPacket*`) and for `char*` results, `"buffer"` for memory JS passes in (C strings,
 *   out-parameters, structs passed by address).
 * - `Bool` is GPAC's 4-byte enum, so it is `"u32"`, never `"bool"`.
 * - Deno 2 lets any foreign call re-enter JavaScript through an `UnsafeCallback` on the same
 *   thread; callbacks from GPAC's worker threads are never used (see `core/logs.ts` for the one
 *   place threads matter).
 * - Fast calls: Deno compiles every synchronous symbol without a struct parameter or result into
 *   a V8 fast API call (ext/ffi `turbocall::is_compatible`; `nonblocking: false` does not opt
 *   out and the old `callback: true` flag is gone). V8 aborts the process ("Lazy deopt after a
 *   fast API call with return value is unsupported") when JS that ran inside such a call
 *   deoptimized its caller. Symbols through which GPAC calls back into JS (the session step
 *   first) are listed in {@link CALLS_BACK}: {@link bindGpacSymbols} declares their first
 *   parameter, always a handle, as a one-field struct holding that pointer (passed in the same
 *   register in the C ABIs Deno supports), which keeps them off the fast path at about 0.1 to 0.2 µs
 *   a call, and passes it from one reused buffer. Hot per-packet calls that may re-enter JS
 *   return `void` instead (a fast call without result may deoptimize its caller), see the
 *   packet section.
 * - Functions that older libgpac releases lack are `optional: true`; {@link SINCE} records the
 *   first GPAC release that has them, so a missing one gives a "needs GPAC >= X" error when it
 *   is called instead of a load failure.
 *
 * @module
 */

const P = "pointer" as const;
const B = "buffer" as const;
const F = "function" as const;

/** libgpac symbols, as `Deno.dlopen` declarations. */
export const symbols = {
  // ---- library, version, system ----
  gf_gpac_version: { parameters: [], result: P },
  gf_gpac_copyright: { parameters: [], result: P },
  gf_gpac_abi_major: { parameters: [], result: "u32" },
  gf_gpac_abi_minor: { parameters: [], result: "u32" },
  gf_gpac_abi_micro: { parameters: [], result: "u32" },
  gf_error_to_string: { parameters: ["i32"], result: P }, // GF_Err e
  gf_sys_init: { parameters: ["u32", B], result: "i32" }, // GF_MemTrackerType, const char *profile
  gf_sys_close: { parameters: [], result: "void" },
  gf_sys_set_args: { parameters: ["i32", P], result: "i32" }, // s32 argc, const char **argv (kept)
  gf_sys_clock: { parameters: [], result: "u32" },
  gf_th_id: { parameters: [], result: "usize" },
  gf_sys_clock_high_res: { parameters: [], result: "u64" },
  gf_sleep: { parameters: ["u32"], result: "void" },
  gf_log_set_tools_levels: { parameters: [B, "u32"], result: "i32" }, // const char *, Bool reset_all
  gf_log_get_tools_levels: { parameters: [], result: P }, // char* (caller frees)
  gf_log_set_callback: { parameters: [P, P], result: P }, // void *usr_cbk, gf_log_cbk cbk
  gf_log_tool_name: { parameters: ["u32"], result: P },
  gf_log_get_tool_level: { parameters: ["u32"], result: "u32" }, // GF_LOG_Tool -> GF_LOG_Level
  gf_log_set_tool_level: { parameters: ["u32", "u32"], result: "void" }, // tool, level
  gf_memory_size: { parameters: [], result: "u64", optional: true },
  gf_memory_print: { parameters: [], result: "void", optional: true },
  gf_file_handles_count: { parameters: [], result: "u32", optional: true },
  gf_free: { parameters: [P], result: "void" },
  // char *dst, const char *src (as an address), size_t size -> strlen(src) (BSD strlcpy; the
  // result is read as u32). Copies C strings into JS buffers with a fast call (httpout requests)
  gf_strlcpy: { parameters: [B, "usize", "usize"], result: "u32" },
  // A read bitstream over memory received as an address (usize): copies a `const char*` table
  // (httpout request headers) into a JS buffer with fast calls, no Deno op per request.
  // (gf_bs_reassign_buffer would spare the allocation, but 2.4 does not export it.)
  // const u8 *buffer, u64 size, u32 mode (GF_BITSTREAM_READ = 0) -> GF_BitStream*
  gf_bs_new: { parameters: ["usize", "u64", "u32"], result: P },
  gf_bs_read_data: { parameters: [P, B, "u32"], result: "u32" }, // bs, u8 *data, nbBytes -> read
  gf_bs_del: { parameters: [P], result: "void" },
  gf_malloc: { parameters: ["usize"], result: P },
  gf_url_concatenate: { parameters: [B, B], result: P },
  gf_4cc_to_str: { parameters: ["u32"], result: P },
  gf_4cc_parse: { parameters: [B], result: "u32" },
  gf_opts_get_key: { parameters: [B, B], result: P }, // section, key -> const char *
  gf_opts_set_key: { parameters: [B, B, B], result: "i32" }, // section, key, value

  // ---- property helpers ----
  gf_props_get_id: { parameters: [B], result: "u32" }, // const char *name -> 4CC
  gf_props_4cc_get_type: { parameters: ["u32"], result: "u32" },
  gf_props_4cc_get_name: { parameters: ["u32"], result: P },
  gf_props_get_type_name: { parameters: ["u32"], result: P },
  gf_props_type_is_enum: { parameters: ["u32"], result: "u32" },
  gf_props_enum_name: { parameters: ["u32", "u32"], result: P },
  gf_props_parse_enum: { parameters: ["u32", B], result: "u32" },
  // const GF_PropertyValue *, char dump[GF_PROP_DUMP_ARG_SIZE], GF_PropDumpDataMode, min_max_enum
  gf_props_dump_val: { parameters: [B, B, "u32", B], result: P },
  gf_props_equal: { parameters: [B, B], result: "u32", optional: true },
  // u32 type, const char *name, const char *value, const char *enum_values, char list_sep
  gf_props_parse_value: {
    parameters: ["u32", B, B, B, "u8"],
    result: { struct: ["u32", "u32", "u64", "u64"] }, // GF_PropertyValue by value (24 bytes)
    optional: true,
  },
  gf_props_reset_single: { parameters: [B], result: "void", optional: true },
  gf_stream_type_name: { parameters: ["u32"], result: P },
  gf_stream_type_by_name: { parameters: [B], result: "u32" },
  gf_codecid_name: { parameters: ["u32"], result: P },
  gf_codecid_file_ext: { parameters: ["u32"], result: P },
  gf_codecid_parse: { parameters: [B], result: "u32" },
  gf_codecid_enum: { parameters: ["u32", B, B], result: "u32" }, // idx, const char **sname, **lname
  gf_pixel_fmt_sname: { parameters: ["u32"], result: P },
  gf_pixel_fmt_parse: { parameters: [B], result: "u32" },
  gf_audio_fmt_sname: { parameters: ["u32"], result: P },
  gf_audio_fmt_parse: { parameters: [B], result: "u32" },

  // ---- filter session ----
  // s32 nb_threads, GF_FilterSchedulerType, GF_FilterSessionFlags, const char *blacklist
  gf_fs_new: { parameters: ["i32", "u32", "u32", B], result: P },
  gf_fs_del: { parameters: [P], result: "void" },
  gf_fs_run: { parameters: [P], result: "i32" },
  gf_fs_abort: { parameters: [P, "u32"], result: "i32" },
  gf_fs_is_last_task: { parameters: [P], result: "u32" },
  gf_fs_set_max_sleep_time: { parameters: [P, "u32"], result: "i32" },
  gf_fs_stop: { parameters: [P], result: "i32" },
  // session, url, args, parent_url, GF_Err *err
  gf_fs_load_source: { parameters: [P, B, B, B, B], result: P },
  gf_fs_load_destination: { parameters: [P, B, B, B, B], result: P },
  gf_fs_load_filter: { parameters: [P, B, B], result: P }, // name, GF_Err *
  gf_fs_new_filter: { parameters: [P, B, "u32", B], result: P }, // name, flags, GF_Err *
  gf_fs_get_filters_count: { parameters: [P], result: "u32" },
  gf_fs_get_filter: { parameters: [P, "u32"], result: P },
  gf_fs_get_filter_stats: { parameters: [P, "u32", B], result: "i32" },
  gf_fs_post_user_task: { parameters: [P, F, P, B], result: "i32" },
  gf_fs_post_user_task_delay: { parameters: [P, F, P, B, "u32"], result: "i32", optional: true },
  gf_fs_set_filter_creation_callback: { parameters: [P, F, P, "u32"], result: "i32" },
  gf_fs_fire_event: { parameters: [P, P, B, "u32"], result: "u32" },
  gf_fs_is_supported_mime: { parameters: [P, B], result: "u32" },
  gf_fs_is_supported_source: { parameters: [P, B, B], result: "u32" },
  gf_fs_print_stats: { parameters: [P], result: "void" },
  gf_fs_print_connections: { parameters: [P], result: "void" },
  gf_fs_enable_reporting: { parameters: [P, "u32"], result: "void" },
  gf_fs_lock_filters: { parameters: [P, "u32"], result: "void" },
  gf_fs_get_http_rate: { parameters: [P], result: "u32" },
  gf_fs_get_http_max_rate: { parameters: [P], result: "u32" },
  gf_fs_set_http_max_rate: { parameters: [P, "u32"], result: "i32" },
  // session, const char *fid, GF_Filter*, name, val, propagate_mask
  gf_fs_send_update: { parameters: [P, B, P, B, B, "u32"], result: "void" },
  gf_fs_filter_exists: { parameters: [P, B], result: "u32" }, // session, register name
  gf_fs_check_filter: { parameters: [P, P], result: "u32", optional: true },
  gf_fs_get_last_connect_error: { parameters: [P], result: "i32" },
  gf_fs_get_last_process_error: { parameters: [P], result: "i32" },
  gf_fs_get_max_resolution_chain_length: { parameters: [P], result: "u32" },

  // ---- filters (any filter) ----
  gf_filter_get_name: { parameters: [P], result: P },
  gf_filter_get_id: { parameters: [P], result: P },
  gf_filter_get_ipid_count: { parameters: [P], result: "u32" },
  gf_filter_get_opid_count: { parameters: [P], result: "u32" },
  gf_filter_get_ipid: { parameters: [P, "u32"], result: P },
  gf_filter_get_opid: { parameters: [P, "u32"], result: P },
  gf_filter_get_stats: { parameters: [P, B], result: "i32" },
  gf_filter_get_status: { parameters: [P], result: P, optional: true },
  gf_filter_get_bytes_done: { parameters: [P], result: "u64", optional: true },
  gf_filter_remove: { parameters: [P], result: "void" },
  gf_filter_set_source: { parameters: [P, P, B], result: "i32" },
  gf_filter_set_source_restricted: { parameters: [P, P, B], result: "i32" },
  gf_filter_reconnect_output: { parameters: [P, P], result: "i32" },
  gf_filter_get_info: { parameters: [P, "u32", B], result: P }, // filter, 4cc, GF_PropertyEntry **
  gf_filter_get_info_str: { parameters: [P, B, B], result: P },
  gf_filter_release_property: { parameters: [P], result: "void" },
  gf_filter_enumerate_args: { parameters: [P, "u32"], result: P }, // -> const GF_FilterArgs*
  gf_filter_get_arg: { parameters: [P, B, B], result: "u32" }, // name, GF_PropertyValue *out
  gf_filter_require_source_id: { parameters: [P], result: "void" },
  gf_filter_probe_link: { parameters: [P, "u32", B, B], result: "i32", optional: true },
  gf_filter_get_possible_destinations: { parameters: [P, "i32", B], result: "i32", optional: true },

  // ---- PIDs, seen from outside a filter ----
  gf_filter_pid_get_property: { parameters: [P, "u32"], result: P },
  gf_filter_pid_get_property_str: { parameters: [P, B], result: P },
  gf_filter_pid_get_info: { parameters: [P, "u32", B], result: P },
  gf_filter_pid_get_info_str: { parameters: [P, B, B], result: P },
  // pid, u32 *idx, u32 *prop_4cc, const char **prop_name
  gf_filter_pid_enum_properties: { parameters: [P, B, B, B], result: P },
  gf_filter_pid_enum_info: { parameters: [P, B, B, B], result: P },
  gf_filter_pid_get_statistics: { parameters: [P, B, "u32"], result: "i32" },
  gf_filter_pid_get_source_filter: { parameters: [P], result: P },
  gf_filter_pid_enum_destinations: { parameters: [P, "u32"], result: P },
  gf_filter_pid_get_owner: { parameters: [P], result: P, optional: true },
  gf_filter_pid_get_name: { parameters: [P], result: P },
  gf_filter_pid_get_filter_name: { parameters: [P], result: P },

  // ---- custom filters (FilterCustom) ----
  gf_filter_push_caps: { parameters: [P, "u32", B, B, "u32", "u8"], result: "i32" },
  gf_filter_set_process_ckb: { parameters: [P, F], result: "i32" },
  gf_filter_set_configure_ckb: { parameters: [P, F], result: "i32" },
  gf_filter_set_process_event_ckb: { parameters: [P, F], result: "i32" },
  gf_filter_set_reconfigure_output_ckb: { parameters: [P, F], result: "i32" },
  gf_filter_update_status: { parameters: [P, "u32", B], result: "i32" },
  gf_filter_ask_rt_reschedule: { parameters: [P, "u32"], result: "void" },
  gf_filter_post_process_task: { parameters: [P], result: "void" },
  gf_filter_setup_failure: { parameters: [P, "i32"], result: "void" },
  gf_filter_notification_failure: { parameters: [P, "i32", "u32"], result: "void" },
  gf_filter_make_sticky: { parameters: [P], result: "void" },
  gf_filter_prevent_blocking: { parameters: [P, "u32"], result: "i32" },
  gf_filter_block_eos: { parameters: [P, "u32"], result: "void" },
  gf_filter_set_max_extra_input_pids: { parameters: [P, "u32"], result: "void" },
  gf_filter_block_enabled: { parameters: [P], result: "u32" },
  gf_filter_get_output_buffer_max: { parameters: [P, B, B], result: "void" },
  gf_filter_all_sinks_done: { parameters: [P], result: "u32" },
  gf_filter_get_num_events_queued: { parameters: [P], result: "u32" },
  gf_filter_connections_pending: { parameters: [P], result: "u32" },
  // u64 time_in_us, GF_Fraction64 media_timestamp (by value)
  gf_filter_hint_single_clock: {
    parameters: [P, "u64", { struct: ["i64", "u64"] }],
    result: "void",
  },
  gf_filter_get_clock_hint: { parameters: [P, B, B], result: "void" },

  // ---- PIDs of a custom filter ----
  gf_filter_pid_new: { parameters: [P], result: P },
  gf_filter_pid_remove: { parameters: [P], result: "void" },
  gf_filter_pid_set_property: { parameters: [P, "u32", B], result: "i32" },
  // the `_dyn` setters copy the property name; the `_str` ones keep the pointer, which would
  // point into a JS buffer freed by the GC (heap-use-after-free seen under ASan)
  gf_filter_pid_set_property_dyn: { parameters: [P, B, B], result: "i32" },
  gf_filter_pid_set_info: { parameters: [P, "u32", B], result: "i32" },
  gf_filter_pid_set_info_dyn: { parameters: [P, B, B], result: "i32" },
  gf_filter_pid_copy_properties: { parameters: [P, P], result: "i32" },
  gf_filter_pid_reset_properties: { parameters: [P], result: "i32" },
  gf_filter_pid_get_packet: { parameters: [P], result: P },
  // the same function without a result: it may call the filter's configure_pid/process_event
  // (property or info change carried by the head packet), and a fast call without result may
  // deoptimize its caller; the second call (with result) then finds nothing left to notify
  gf_filter_pid_prepare_packet: {
    name: "gf_filter_pid_get_packet",
    parameters: [P],
    result: "void",
  },
  gf_filter_pid_drop_packet: { parameters: [P], result: "void" },
  gf_filter_pid_is_eos: { parameters: [P], result: "u32" },
  gf_filter_pid_set_eos: { parameters: [P], result: "void" },
  gf_filter_pid_has_seen_eos: { parameters: [P], result: "u32" },
  gf_filter_pid_eos_received: { parameters: [P], result: "u32" },
  gf_filter_pid_clear_eos: { parameters: [P, "u32"], result: "void" },
  gf_filter_pid_would_block: { parameters: [P], result: "u32" },
  gf_filter_pid_get_packet_count: { parameters: [P], result: "u32" },
  gf_filter_pid_get_max_buffer: { parameters: [P], result: "u32" },
  gf_filter_pid_set_max_buffer: { parameters: [P, "u32"], result: "void" },
  gf_filter_pid_query_buffer_duration: { parameters: [P, "u32"], result: "u64" },
  gf_filter_pid_get_timescale: { parameters: [P], result: "u32" },
  gf_filter_pid_check_caps: { parameters: [P], result: "u32" },
  gf_filter_pid_caps_query: { parameters: [P, "u32"], result: P },
  gf_filter_pid_caps_query_str: { parameters: [P, B], result: P },
  gf_filter_pid_negotiate_property: { parameters: [P, "u32", B], result: "i32", optional: true },
  gf_filter_pid_negotiate_property_str: { parameters: [P, B, B], result: "i32", optional: true },
  gf_filter_pid_negociate_property: { parameters: [P, "u32", B], result: "i32", optional: true },
  gf_filter_pid_send_event: { parameters: [P, B], result: "void" },
  gf_filter_pid_set_name: { parameters: [P, B], result: "void" },
  // pid, const char szTemplate[], char szFinalName[], u32 file_number, const char *suffix
  gf_filter_pid_resolve_file_template: { parameters: [P, B, B, "u32", B], result: "i32" },
  gf_filter_pid_get_buffer_occupancy: { parameters: [P, B, B, B, B], result: "u32" },
  gf_filter_pid_is_playing: { parameters: [P], result: "u32" },

  // ---- packets ----
  gf_filter_pck_new_alloc: { parameters: [P, "u32", B], result: P },
  gf_filter_pck_new_shared: { parameters: [P, B, "u32", F], result: P },
  gf_filter_pck_new_ref: { parameters: [P, "u32", "u32", P], result: P },
  gf_filter_pck_new_clone: { parameters: [P, P, B], result: P },
  gf_filter_pck_new_copy: { parameters: [P, P, B], result: P },
  gf_filter_pck_dangling_clone: { parameters: [P, P], result: P, optional: true },
  // GF_Err ignored: it may run a JS packet destructor (a fast call with a result must not);
  // its error cases (input packet, NULL) are checked in JS before the call
  gf_filter_pck_send: { parameters: [P], result: "void" },
  gf_filter_pck_discard: { parameters: [P], result: "void" },
  gf_filter_pck_forward: { parameters: [P, P], result: "i32" },
  gf_filter_pck_ref_ex: { parameters: [P], result: P },
  gf_filter_pck_unref: { parameters: [P], result: "void" },
  gf_filter_pck_set_readonly: { parameters: [P], result: "i32" },
  gf_filter_pck_truncate: { parameters: [P, "u32"], result: "i32" },
  gf_filter_pck_get_data: { parameters: [P, B], result: P },
  gf_filter_pck_get_frame_interface: { parameters: [P], result: P },
  gf_filter_pck_merge_properties: { parameters: [P, P], result: "i32" },
  gf_filter_pck_set_property: { parameters: [P, "u32", B], result: "i32" },
  gf_filter_pck_set_property_dyn: { parameters: [P, B, B], result: "i32" },
  gf_filter_pck_get_property: { parameters: [P, "u32"], result: P },
  gf_filter_pck_get_property_str: { parameters: [P, B], result: P },
  gf_filter_pck_enum_properties: { parameters: [P, B, B, B], result: P },
  gf_filter_pck_get_dts: { parameters: [P], result: "u64" },
  gf_filter_pck_set_dts: { parameters: [P, "u64"], result: "i32" },
  gf_filter_pck_get_cts: { parameters: [P], result: "u64" },
  gf_filter_pck_set_cts: { parameters: [P, "u64"], result: "i32" },
  gf_filter_pck_get_timescale: { parameters: [P], result: "u32" },
  gf_filter_pck_get_duration: { parameters: [P], result: "u32" },
  gf_filter_pck_set_duration: { parameters: [P, "u32"], result: "i32" },
  gf_filter_pck_get_sap: { parameters: [P], result: "u32" },
  gf_filter_pck_set_sap: { parameters: [P, "u32"], result: "i32" },
  gf_filter_pck_get_framing: { parameters: [P, B, B], result: "i32" },
  gf_filter_pck_set_framing: { parameters: [P, "u32", "u32"], result: "i32" },
  gf_filter_pck_get_interlaced: { parameters: [P], result: "u32" },
  gf_filter_pck_set_interlaced: { parameters: [P, "u32"], result: "i32" },
  gf_filter_pck_get_corrupted: { parameters: [P], result: "u32" },
  gf_filter_pck_set_corrupted: { parameters: [P, "u32"], result: "i32" },
  gf_filter_pck_get_seek_flag: { parameters: [P], result: "u32" },
  gf_filter_pck_set_seek_flag: { parameters: [P, "u32"], result: "i32" },
  gf_filter_pck_get_byte_offset: { parameters: [P], result: "u64" },
  gf_filter_pck_set_byte_offset: { parameters: [P, "u64"], result: "i32" },
  gf_filter_pck_get_roll_info: { parameters: [P], result: "i16" },
  gf_filter_pck_set_roll_info: { parameters: [P, "i16"], result: "i32" },
  gf_filter_pck_get_crypt_flags: { parameters: [P], result: "u8" },
  gf_filter_pck_set_crypt_flags: { parameters: [P, "u8"], result: "i32" },
  gf_filter_pck_get_clock_type: { parameters: [P], result: "u32" },
  gf_filter_pck_set_clock_type: { parameters: [P, "u32"], result: "i32" },
  gf_filter_pck_get_carousel_version: { parameters: [P], result: "u8" },
  gf_filter_pck_set_carousel_version: { parameters: [P, "u8"], result: "i32" },
  gf_filter_pck_get_seq_num: { parameters: [P], result: "u32" },
  gf_filter_pck_set_seq_num: { parameters: [P, "u32"], result: "i32" },
  gf_filter_pck_get_dependency_flags: { parameters: [P], result: "u8" },
  gf_filter_pck_set_dependency_flags: { parameters: [P, "u8"], result: "i32" },

  // ---- cli: runtime command line (cli/) ----
  gf_filter_is_source: { parameters: [P], result: "u32", optional: true }, // GF_Filter* -> Bool
  gf_filter_is_sink: { parameters: [P], result: "u32", optional: true }, // GF_Filter* -> Bool
  // GF_Filter*, u32 subsession_id, u32 source_id (implicit linking as in `gpac`)
  gf_filter_tag_subsession: { parameters: [P, "u32", "u32"], result: "i32", optional: true },
  gf_fs_filters_registers_count: { parameters: [P], result: "u32" }, // GF_FilterSession*
  gf_fs_get_filter_register: { parameters: [P, "u32"], result: P }, // -> const GF_FilterRegister*
  // ---- FileIO (fileio/): GF_FileIO wrappers, gfio:// URLs ----
  // char *url, void *udta, open, seek, read, write, tell, eof, printf (va_list: always NULL)
  gf_fileio_new: { parameters: [B, P, F, F, F, F, F, F, P], result: P },
  gf_fileio_del: { parameters: [P], result: "void" }, // GF_FileIO *
  gf_fileio_url: { parameters: [P], result: P }, // -> const char * (gfio://...)
  gf_fileio_resource_url: { parameters: [P], result: P }, // -> const char * (wrapped URL)
  gf_fileio_tag_main_thread: { parameters: [P], result: "i32" },
  gf_fileio_is_main_thread: { parameters: [B], result: "u32" }, // const char *url
  gf_fileio_from_url: { parameters: [B], result: P }, // const char *url -> GF_FileIO *
  // GF_FileIO *, u64 bytes_done, u64 file_size, GF_FileIOCacheState, u32 bytes_per_sec
  gf_fileio_set_stats: { parameters: [P, "u64", "u64", "u32", "u32"], result: "void" },
  // ---- dash/: custom DASH/HLS adaptation algorithms bound to dashin ----
  // GF_Filter *dashin, void *udta, period_reset, new_group, rate_adaptation, download_monitor
  // (exported by libgpac but declared in no public header; same prototype since 2.2)
  gf_filter_bind_dash_algo_callbacks: { parameters: [P, P, F, F, F, F], result: "i32" },
  // (gf_filter_force_main_thread is declared in the httpout block below)
  gf_dash_group_get_num_qualities: { parameters: [P, "u32"], result: "u32" }, // dash, group_idx
  // dash, group_idx, quality_idx, GF_DASHQualityInfo *out (libgpac clears sizeof of its own ABI)
  gf_dash_group_get_quality_info: { parameters: [P, "u32", "u32", B], result: "i32" },
  gf_dash_group_get_active_quality: { parameters: [P, "u32"], result: "i32" },
  gf_dash_group_get_as_id: { parameters: [P, "u32"], result: "i32" },
  gf_dash_group_get_language: { parameters: [P, "u32"], result: P },
  // dash, group_idx, u32 *duration, u32 *timescale
  gf_dash_group_get_segment_duration: { parameters: [P, "u32", B, B], result: "i32" },
  // dash, group_idx, u32 *srd_id, *x, *y, *w, *h, *full_width, *full_height
  gf_dash_group_get_srd_info: { parameters: [P, "u32", B, B, B, B, B, B, B], result: "u32" },
  gf_dash_get_period_duration: { parameters: [P], result: "u64" }, // ms (u64, not truncated)
  gf_dash_get_min_buffer_time: { parameters: [P], result: "u32" },
  gf_dash_is_m3u8: { parameters: [P], result: "u32" },
  gf_dash_is_dynamic_mpd: { parameters: [P], result: "u32" },
  gf_list_count: { parameters: [P], result: "u32" },
  gf_list_get: { parameters: [P, "u32"], result: P },

  // ---- httpout request hooks (httpout/) ----
  // Both are exported by libgpac >= 2.4 but declared in no public header (src/filters/out_http.c).
  // GF_Filter *httpout, void *udta, s32 (*on_request)(udta, GF_HTTPOutSession *sess,
  //   const char *method, const char *url, u32 auth_code, u32 nb_hdrs, const char **hdrs)
  gf_filter_bind_httpout_callbacks: { parameters: [P, P, F], result: "i32", optional: true },
  // GF_HTTPOutSession *sess, void *udta, u32 reply, char *body_or_file, u32 nb_headers,
  // const char **headers (name, value, name, value...), u32 (*throttle)(udta, u64 done, u64 total),
  // s32 (*read)(udta, u8 *buf, u32 size), u32 (*write)(udta, const u8 *buf, u32 size),
  // void (*close)(udta, GF_Err reason); NULL callbacks are allowed. udta is declared usize:
  // deno-gpac passes its request id (no pointer object per request)
  gf_httpout_send_request: {
    parameters: [P, "usize", "u32", B, "u32", B, F, F, F, F],
    result: "i32",
    optional: true,
  },
  gf_list_new: { parameters: [], result: P }, // GF_List* (headers queued on an httpout session)
  gf_list_add: { parameters: [P, P], result: "i32" }, // GF_List*, void *item
  gf_filter_force_main_thread: { parameters: [P, "u32"], result: "void", optional: true }, // GF_Filter*, Bool

  // ---- CLI parity with gpac (cli/gpac_help.ts) and remote monitoring (core/monitor.ts) ----
  // All optional: only the CLI's help/argument checks and enableRemoteMonitoring use them.
  gf_fopen: { parameters: [B, B], result: P, optional: true }, // path, mode -> FILE*
  gf_fclose: { parameters: [P], result: "i32", optional: true }, // FILE*
  // FILE*, GF_SysPrintArgFlags, const char *fmt, ... (called with a fmt without %: no varargs)
  gf_sys_format_help: { parameters: [P, "u32", B], result: "void", optional: true },
  // FILE*, GF_SysPrintArgFlags, GF_SysArgMode, u32 subsystem_flags
  gf_sys_print_core_help: { parameters: [P, "u32", "u32", "u32"], result: "void", optional: true },
  gf_sys_is_gpac_arg: { parameters: [B], result: "u32", optional: true }, // "-arg[=val]" -> u32
  gf_sys_word_match: { parameters: [B, B], result: "u32", optional: true }, // Bool
  gf_opts_get_bool: { parameters: [B, B], result: "u32", optional: true }, // sec, key -> Bool
  gf_opts_get_filename: { parameters: [], result: P, optional: true }, // const char*
  gf_opts_default_shared_directory: { parameters: [B], result: "u32", optional: true }, // char[4096]
  gf_cfg_new: { parameters: [B, B], result: P, optional: true }, // dir|NULL, file -> GF_Config*
  gf_cfg_del: { parameters: [P], result: "void", optional: true },
  gf_cfg_get_key: { parameters: [P, B, B], result: P, optional: true }, // cfg, sec, key
  gf_cfg_get_key_count: { parameters: [P, B], result: "u32", optional: true }, // cfg, sec
  gf_cfg_get_key_name: { parameters: [P, B, "u32"], result: P, optional: true }, // cfg, sec, idx
  // session, u32 *idx, const char **name, u32 *type, const char **meta_name, const char **meta_opt
  gf_fs_enum_unmapped_options: { parameters: [P, B, B, B, B, B], result: "u32", optional: true },
  gf_filter_get_register: { parameters: [P], result: P, optional: true }, // -> GF_FilterRegister*
  gf_filter_get_args: { parameters: [P], result: P, optional: true }, // -> GF_FilterArgs*
  gf_filter_get_description: { parameters: [P], result: P, optional: true },
  gf_filter_get_help: { parameters: [P], result: P, optional: true },
  gf_filter_get_version: { parameters: [P], result: P, optional: true },
  gf_filter_get_author: { parameters: [P], result: P, optional: true },
  gf_sys_enable_rmtws: { parameters: ["u32"], result: "i32", optional: true }, // Bool start
  gf_sys_get_rmtws: { parameters: [], result: P, optional: true }, // -> RMT_WS*
  gf_fs_load_script: { parameters: [P, B], result: "i32", optional: true }, // session, JS path
  gf_filter_get_caps: { parameters: [P, B], result: P, optional: true }, // filter, u32 *nb_caps
} as const satisfies Deno.ForeignLibraryInterface;

/**
 * Symbols through which GPAC can call back into JavaScript (custom filter callbacks, packet
 * destructors, filter creation/destruction notices, tasks, FileIO, httpout and DASH hooks)
 * and which are not on a per-packet path: never V8 fast calls (see the module notes). Each
 * costs about 0.1 to 0.2 µs per call instead of about 10 to 60 ns.
 */
export const CALLS_BACK: ReadonlySet<keyof typeof symbols> = new Set<keyof typeof symbols>([
  "gf_fs_run", // every callback
  "gf_fs_del", // filter destruction notices, packet destructors, FileIO close
  "gf_fs_stop", // flushes the session (runs tasks)
  "gf_fs_abort", // may flush (runs tasks)
  "gf_fs_load_source", // filter creation notice, FileIO open/read while probing
  "gf_fs_load_destination", // filter creation notice, FileIO open
  "gf_fs_load_filter", // filter creation notice
  "gf_fs_new_filter", // filter creation notice
  "gf_fs_fire_event", // calls process_event of filters directly
  "gf_fs_post_user_task", // queued, but cheap to keep off the fast path
  "gf_fs_post_user_task_delay",
  "gf_fs_send_update", // filter update_arg
  "gf_filter_remove", // may destroy the filter and its packets
  "gf_filter_setup_failure", // may remove the filter at once
  "gf_filter_notification_failure",
  "gf_filter_pid_remove", // may destroy queued packets
  "gf_filter_pid_send_event", // events on PIDs may be processed at once
  // not gf_httpout_send_request: it only stores the answer and its callbacks on the session
  // (out_http.c in 2.4, 26.02 and 26.07); GPAC calls them later, from the filter's process()
]);

/** The one-field struct standing for the first (pointer) parameter of {@link CALLS_BACK} symbols. */
const HANDLE_STRUCT = { struct: ["pointer"] } as const;

/** The buffer holding that struct: arguments are copied before each call, so one buffer serves. */
const handleWord = new BigUint64Array(1);
const handleBytes = new Uint8Array(handleWord.buffer);
/**
 * The pointer whose address `handleWord` holds. Converting a pointer to its address allocates a
 * BigInt, which took about a third of each call (callgrind: ~1,970 instructions per call of a
 * trivial function, ~1,290 with this cache); a session's steps pass the same pointer object
 * each time. A pointer object always holds the same address.
 */
let handleOf: unknown = handleWord; // matches no pointer

function asHandleStruct(p: unknown): Uint8Array {
  if (p !== handleOf) {
    handleWord[0] = p === null ? 0n : BigInt(Deno.UnsafePointer.value(p as Deno.PointerObject));
    handleOf = p;
  }
  return handleBytes;
}

type AnyFn = (...a: unknown[]) => unknown;

/**
 * The symbol table of libgpac at `path` (already opened once, so the system loader has done its
 * work), with each function bound on its first call. Deno compiles a fast-call trampoline for
 * every symbol a `Deno.dlopen` declares, about 0.2 to 0.5 ms each: binding the whole table up
 * front cost more than the rest of a short `gpac`-style run. Each entry starts as a small
 * forwarding function; its first call opens the library again with that one symbol (a
 * reference count in the system loader) and puts the bound function in its place, so later
 * calls through the table are direct. Every {@link CALLS_BACK} symbol is declared with its
 * first parameter as a one-field struct, which keeps it off V8's fast-call path.
 *
 * `absent` lists the optional symbols the library lacks: they are `null` in the table.
 */
export function bindGpacSymbols(path: string, absent: ReadonlySet<string>): GpacSymbols {
  let table: Record<string, AnyFn | null> = {};
  const bind = (name: keyof typeof symbols): AnyFn => {
    const def = symbols[name] as Deno.ForeignFunction;
    const slow = CALLS_BACK.has(name);
    if (slow && def.parameters[0] !== P) throw new Error(`${name}: first parameter not a handle`);
    const decl = slow ? { ...def, parameters: [HANDLE_STRUCT, ...def.parameters.slice(1)] } : def;
    const raw = Deno.dlopen(path, { [name]: decl }).symbols[name] as AnyFn;
    const fn: AnyFn = slow ? (p, ...a) => raw(asHandleStruct(p), ...a) : raw;
    table[name] = fn;
    return fn;
  };
  const init: Record<string, AnyFn | null> = {};
  for (const name of Object.keys(symbols) as (keyof typeof symbols)[]) {
    if (absent.has(name)) {
      init[name] = null;
      continue;
    }
    let fn: AnyFn | undefined;
    // a caller may keep this function itself (e.g. a callback argument): it stays valid
    init[name] = (...a) => (fn ??= bind(name))(...a);
  }
  // a copy made by spreading has V8 fast properties (the loop above leaves a dictionary);
  // binding replaces values, never the shape
  table = { ...init };
  return table as unknown as GpacSymbols;
}

/** First GPAC release exporting each optional symbol (used in "needs GPAC >= X" errors). */
export const SINCE: Readonly<Partial<Record<keyof typeof symbols, string>>> = {
  gf_memory_size: "any build with memory tracking (--enable-mem-track)",
  gf_memory_print: "any build with memory tracking (--enable-mem-track)",
  gf_file_handles_count: "2.0",
  gf_fs_post_user_task_delay: "26.02",
  gf_fs_check_filter: "26.02",
  gf_props_equal: "26.02",
  gf_props_parse_value: "26.02",
  gf_filter_pck_dangling_clone: "26.02",
  gf_props_reset_single: "2.4",
  gf_filter_get_status: "26.02",
  gf_filter_get_bytes_done: "26.02",
  gf_filter_probe_link: "2.4",
  gf_filter_get_possible_destinations: "2.4",
  gf_filter_pid_get_owner: "26.02",
  gf_filter_pid_negotiate_property: "2.4",
  gf_filter_pid_negotiate_property_str: "2.4",
  gf_filter_pid_negociate_property: "2.2 (renamed negotiate in 2.4)",
  gf_filter_is_source: "2.4",
  gf_filter_is_sink: "2.4",
  gf_filter_tag_subsession: "2.4",
  gf_filter_bind_httpout_callbacks: "2.4",
  gf_httpout_send_request: "2.4",
  gf_sys_enable_rmtws: "26.02",
  gf_sys_get_rmtws: "26.02",
};

/** The symbol object of the loaded libgpac. */
export type GpacSymbols = Deno.DynamicLibrary<typeof symbols>["symbols"];
