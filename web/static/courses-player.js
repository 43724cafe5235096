// Course videos: report playback to the server every few seconds. The server decides whether the
// video was watched to the end (it checks positions against real elapsed time, credits at most
// twice the wall time, one lesson at a time), not this script. Reports carry this page view's
// token, which the video request also carried: without a loaded video nothing counts.
document.addEventListener("DOMContentLoaded", () => {
  const video = document.getElementById("lesson-video");
  const status = document.getElementById("video-status");
  if (!video || video.dataset.enrolled !== "true") return;
  let previous = video.currentTime;
  let played = 0;
  let running = false;
  let lastTick = null;
  let sending = false;
  let pending = false;

  // seconds of media played since the last report (only while actually playing)
  const tick = () => {
    const now = performance.now();
    if (running && lastTick !== null) played += ((now - lastTick) / 1000) * (video.playbackRate || 1);
    lastTick = now;
  };

  const send = async () => {
    if (sending) { pending = true; return; }
    tick();
    const body = { position: video.currentTime, previous, played, view: video.dataset.view };
    sending = true;
    try {
      const response = await fetch(video.dataset.progressUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": video.dataset.csrf },
        credentials: "same-origin",
        body: JSON.stringify(body),
      });
      if (response.ok) {
        const result = await response.json();
        previous = body.position;
        played = Math.max(0, played - body.played);
        if (result.course_completed) status.textContent = "本视频已完整观看，课程已结业。";
        else if (result.completed) status.textContent = "本视频已完整观看。";
        else status.textContent = `已观看 ${Math.round(result.seen_share * 100)}%。`;
        if (result.note) status.textContent += ` ${result.note}`;
      }
    } finally {
      sending = false;
      if (pending) { pending = false; send(); }
    }
  };

  video.addEventListener("playing", () => { tick(); running = true; });
  video.addEventListener("play", () => send());
  video.addEventListener("waiting", () => { tick(); running = false; });
  video.addEventListener("pause", () => { tick(); running = false; send(); });
  video.addEventListener("ended", () => { tick(); running = false; send(); });
  // a jump is reported as its own stretch, which the server does not credit
  video.addEventListener("seeking", () => { tick(); send(); });
  setInterval(() => { if (running) send(); }, 5000);
});
