// Animation controls: reset, step back/forward, play/pause, speed, a scrubber, and ← → space keys.
import { onLang, t } from './i18n.js';

const BASE_DELAY_MS = 700;

/** Wires the controls; onSeek(pos) is called whenever the position changes. Keys act on keyTarget. */
export function createControls(dom, onSeek, keyTarget = document) {
  const s = { pos: 0, length: 0, playing: false, timer: null };
  const seek = (p, quiet = false) => {
    s.pos = Math.max(0, Math.min(s.length, p));
    dom.scrubber.value = String(s.pos);
    onSeek(s.pos, quiet);
  };
  const stop = () => {
    s.playing = false;
    clearTimeout(s.timer);
    dom.play.textContent = '▶';
    dom.play.setAttribute('aria-label', t('player.play'));
    dom.play.classList.remove('playing');
  };
  const tick = () => {
    if (!s.playing) return;
    if (s.pos >= s.length) return stop();
    seek(s.pos + 1);
    s.timer = setTimeout(tick, BASE_DELAY_MS / Number(dom.speed.value || 1));
  };
  const play = () => {
    if (s.pos >= s.length) seek(0); // replay from the start when at the end
    s.playing = true;
    dom.play.textContent = '❚❚';
    dom.play.setAttribute('aria-label', t('player.pause'));
    dom.play.classList.add('playing');
    s.timer = setTimeout(tick, BASE_DELAY_MS / Number(dom.speed.value || 1));
  };
  const toggle = () => (s.playing ? stop() : play());
  bindButtons(dom, { seek, stop, toggle, s });
  onLang(() => dom.play.setAttribute('aria-label', t(s.playing ? 'player.pause' : 'player.play')));
  bindKeys(keyTarget, { seek, stop, toggle, s });
  return {
    /** Sets the number of steps and the position (without animating). */
    setLength(length, pos) {
      stop();
      s.length = length;
      dom.scrubber.max = String(length);
      seek(pos, true); // a fresh result: no step was taken, so nothing is highlighted
    },
    get pos() {
      return s.pos;
    },
    /** Moves to position p (practice mode and the teaching views drive the player this way). */
    seek(p) {
      stop();
      seek(p);
    },
    get playing() {
      return s.playing;
    },
    play,
    stop,
  };
}

/** Button and scrubber handlers. */
function bindButtons(dom, { seek, stop, toggle, s }) {
  dom.reset.addEventListener('click', () => {
    stop();
    seek(0);
  });
  dom.prev.addEventListener('click', () => {
    stop();
    seek(s.pos - 1);
  });
  dom.next.addEventListener('click', () => {
    stop();
    seek(s.pos + 1);
  });
  dom.play.addEventListener('click', toggle);
  dom.scrubber.addEventListener('input', () => {
    stop();
    seek(Number(dom.scrubber.value));
  });
}

/** ← → step and space plays, unless the user is typing in a field (or moving between gates). */
function bindKeys(target, { seek, stop, toggle, s }) {
  target.addEventListener('keydown', (ev) => {
    const t = ev.target;
    if (t.closest?.('textarea, input, select, [contenteditable], dialog') || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.defaultPrevented) return; // a gate took the arrow key
    if (ev.key === 'ArrowRight' || ev.key === 'ArrowLeft') {
      ev.preventDefault();
      stop();
      seek(s.pos + (ev.key === 'ArrowRight' ? 1 : -1));
    } else if (ev.key === ' ' && !t.closest?.('[data-fold], summary')) {
      ev.preventDefault();
      toggle();
    }
  });
}
