// Player page of a deno-gpac LiveStream: hls.js (served from the npm package), a markers table
// fed by GET /markers and by the in-band ID3 cues, marks on a timeline, click to seek, and a
// button back to the live edge.
//
// Clocks: marker times are in the stream's media clock (the frames' presentation times). hls.js
// starts its own timeline (`video.currentTime`) at the first segment of the playlist it joined,
// so the page converts: media time = currentTime + delta, with delta taken from any fragment's
// EXT-X-PROGRAM-DATE-TIME (the stream's epoch + the segment's media time) and its start on the
// player's timeline.
"use strict";

(async () => {
  const video = document.getElementById("video");
  const tbody = document.querySelector("#markers tbody");
  const timeline = document.getElementById("timeline");
  const played = document.getElementById("played");
  const status = document.getElementById("status");
  const clock = document.getElementById("clock");
  const state = { markers: new Map(), cues: [], delta: null, errors: [], info: null, hls: null };
  globalThis.liveState = state; // for tests and debugging

  const info = await (await fetch("/info")).json();
  state.info = info;
  if (!info.hls) {
    status.textContent = "this stream has no HLS output";
    return;
  }
  const Hls = globalThis.Hls;
  if (!Hls || !Hls.isSupported()) {
    status.textContent = "hls.js: Media Source Extensions not supported";
    return;
  }

  let epoch = info.epoch;
  async function refreshEpoch() {
    const i = await (await fetch("/info")).json();
    epoch = i.epoch;
    return epoch;
  }

  await refreshEpoch();
  const hls = new Hls({
    lowLatencyMode: !!info.lowLatency,
    enableEmsgMetadataCues: true,
    // LL-HLS: hls.js follows the playlist's PART-HOLD-BACK; otherwise stay 2 segments behind
    ...(info.lowLatency ? {} : { liveSyncDurationCount: 2 }),
  });
  state.hls = hls;
  hls.on(Hls.Events.ERROR, (_e, d) => {
    state.errors.push(
      `${d.type}/${d.details}${d.fatal ? " (fatal)" : ""}${d.error ? ` ${d.error.message}` : ""}${
        d.frag ? ` ${d.frag.relurl}` : ""
      }${d.part ? ` part ${d.part.relurl}` : ""}`,
    );
    if (d.fatal) status.textContent = `error: ${d.details}`;
  });
  hls.on(Hls.Events.MANIFEST_PARSED, () => {
    status.textContent = "playing";
    video.play().catch(() => {});
  });
  // media time = player time + delta (see above)
  function delta() {
    const d = hls.latestLevelDetails;
    const f = d?.fragments?.find((x) => x.programDateTime);
    if (!f || !epoch) return state.delta;
    state.delta = (f.programDateTime - epoch) / 1000 - f.start;
    return state.delta;
  }
  const toMedia = (t) => t + (delta() ?? 0);
  const toPlayer = (t) => t - (delta() ?? 0);
  state.mediaTime = () => toMedia(video.currentTime);
  hls.loadSource(`/media/${info.hls}`);
  hls.attachMedia(video);

  // ---- markers: /markers polling and in-band cues ----
  const fmt = (t) => {
    const s = Math.max(0, t);
    const m = Math.floor(s / 60);
    return `${String(m).padStart(2, "0")}:${(s - m * 60).toFixed(2).padStart(5, "0")}`;
  };

  function addMarker(m, inband) {
    let entry = state.markers.get(m.id);
    if (!entry) {
      const tr = document.createElement("tr");
      tr.dataset.id = String(m.id);
      tr.dataset.time = String(m.time);
      const tt = document.createElement("td");
      tt.textContent = fmt(m.time);
      const tx = document.createElement("td");
      tx.textContent = m.text;
      const ib = document.createElement("td");
      ib.className = "inband";
      tr.append(tt, tx, ib);
      tr.addEventListener("click", () => {
        if (!tr.classList.contains("gone")) seekTo(m.time);
      });
      // keep rows sorted by time
      const after = [...tbody.children].find((r) => Number(r.dataset.time) > m.time);
      tbody.insertBefore(tr, after ?? null);
      const mark = document.createElement("div");
      mark.className = "mark";
      mark.title = `${fmt(m.time)} ${m.text}`;
      mark.addEventListener("click", (e) => {
        e.stopPropagation();
        seekTo(m.time);
      });
      timeline.append(mark);
      entry = { marker: m, row: tr, mark, inband: false };
      state.markers.set(m.id, entry);
    }
    if (inband && !entry.inband) {
      entry.inband = true;
      entry.row.lastChild.textContent = "✓";
    }
  }

  let since = -1;
  async function poll() {
    try {
      const r = await fetch(`/markers?since=${since}`);
      const j = await r.json();
      if (j.epoch) epoch = j.epoch;
      for (const m of j.markers) {
        addMarker(m, false);
        since = Math.max(since, m.time);
      }
    } catch (e) {
      state.errors.push(`markers: ${e}`);
    }
    setTimeout(poll, 1000);
  }
  poll();

  function watchTrack(track) {
    if (track.kind !== "metadata") return;
    track.mode = "hidden";
    track.addEventListener("cuechange", () => {});
    const scan = () => {
      for (const cue of track.cues ?? []) {
        if (cue.__seen) continue;
        cue.__seen = true;
        const v = cue.value;
        if (!v || v.key !== "TXXX" || v.info !== "deno-gpac-marker") continue;
        try {
          const m = JSON.parse(v.data);
          state.cues.push({ id: m.id, time: m.time, cueStart: toMedia(cue.startTime) });
          addMarker(m, true);
        } catch { /* not ours */ }
      }
    };
    setInterval(scan, 250);
  }
  for (const t of video.textTracks) watchTrack(t);
  video.textTracks.addEventListener("addtrack", (e) => watchTrack(e.track));

  // ---- seeking and the timeline ----
  // what can be played, in media time: the segments listed in the live playlist (older ones
  // are deleted)
  function range() {
    const d = hls.latestLevelDetails;
    if (!d || !d.fragments.length || delta() === null) return null;
    return { start: toMedia(d.fragments[0].start), end: toMedia(d.edge) };
  }
  state.range = range;
  function seekTo(t) {
    const r = range();
    if (!r) return;
    video.currentTime = toPlayer(Math.min(Math.max(t, r.start), r.end));
    video.play().catch(() => {});
  }
  function goLive() {
    const edge = hls.liveSyncPosition; // player time
    if (edge !== null && edge !== undefined) video.currentTime = edge;
    else if (range()) video.currentTime = toPlayer(range().end - 3 * info.segmentDuration);
    video.play().catch(() => {});
  }
  document.getElementById("live").addEventListener("click", goLive);
  timeline.addEventListener("click", (e) => {
    const r = range();
    if (!r) return;
    const box = timeline.getBoundingClientRect();
    seekTo(r.start + ((e.clientX - box.left) / box.width) * (r.end - r.start));
  });
  setInterval(() => {
    clock.textContent = `${fmt(toMedia(video.currentTime))}${
      hls.latency ? ` · ${hls.latency.toFixed(1)} s behind live` : ""
    }`;
    const r = range();
    if (!r || r.end <= r.start) return;
    const span = r.end - r.start;
    played.style.width = `${(100 * (toMedia(video.currentTime) - r.start)) / span}%`;
    for (const { marker, mark, row } of state.markers.values()) {
      const x = (marker.time - r.start) / span;
      mark.style.display = x < 0 || x > 1 ? "none" : "block";
      mark.style.left = `calc(${100 * x}% - 1px)`;
      // markers that left the window can no longer be played
      row.classList.toggle("gone", marker.time < r.start);
    }
  }, 250);
})();
