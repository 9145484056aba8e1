// Keeps the session page's media in step: the avatar video is the clock; the user's video and
// audio follow it (play, pause, seek, rate), and drift beyond 80 ms is corrected.

const DRIFT_SECONDS = 0.08;

export function attach(master, followers, dotnet) {
  followers = followers.filter((f) => f);
  const sync = (force) => {
    for (const f of followers) {
      if (Math.abs(f.currentTime - master.currentTime) > (force ? 0.001 : DRIFT_SECONDS) && master.currentTime <= (f.duration || Infinity)) {
        f.currentTime = master.currentTime;
      }
      f.playbackRate = master.playbackRate;
    }
  };
  const handlers = {
    play: () => { sync(true); followers.forEach((f) => f.play().catch(() => {})); },
    pause: () => { followers.forEach((f) => f.pause()); sync(true); },
    seeked: () => sync(true),
    ratechange: () => sync(true),
    timeupdate: () => {
      sync(false);
      if (dotnet) dotnet.invokeMethodAsync('OnTime', master.currentTime);
    },
  };
  for (const [event, handler] of Object.entries(handlers)) master.addEventListener(event, handler);
  return {
    dispose: () => { for (const [event, handler] of Object.entries(handlers)) master.removeEventListener(event, handler); },
  };
}

export function seek(master, seconds) {
  master.currentTime = seconds;
}

export function state(master) {
  return { time: master.currentTime, paused: master.paused, duration: master.duration };
}

export function setMuted(element, muted) {
  if (element) element.muted = muted;
}
