/**
 * Request hooks for GPAC's HTTP server filter (`httpout`): watch, rewrite, reject, throttle or
 * fully serve HTTP requests from TypeScript, while GPAC keeps serving files, DASH/HLS sessions
 * and uploads. Importing this module registers the `httpout` binder of `Filter.bind`.
 *
 * @module
 */

export { HTTPOutRequest, type HTTPOutRequestState } from "./request.ts";
export { HTTPOutHandler, type HTTPOutRequestClass } from "./handler.ts";
export { bindHTTPOut, boundHTTPOutHandler, httpOutCompleted } from "./binding.ts";
export { normaliseRequestPath } from "./path.ts";
