// Typing into a number box runs its value once typing pauses, so that the values passed through
// on the way ("1" on the way to "1e9", "7" on the way to "70") are never run and shown. Enter,
// leaving the box and its change event run it at once; sliders and selects are not delayed.
// (A page timing, not a rule of the model: the engine never sees it.)

/** How long typing must pause before the value typed runs, ms. */
export const TYPING_PAUSE_MS = 280;

export class Typing {
  private waiting = new Map<Element, { timer: ReturnType<typeof setTimeout>; act: () => void; done: () => void }>();

  /**
   * Runs `act` once typing in `el` pauses, instead of what waited for `el` before; `start` is
   * called now when nothing waited yet, and `done` just before `act` runs (or when it is dropped).
   */
  later(el: Element, act: () => void, start: () => void, done: () => void): void {
    const had = this.waiting.get(el);
    if (had) clearTimeout(had.timer);
    else start();
    this.waiting.set(el, { timer: setTimeout(() => this.now(el), TYPING_PAUSE_MS), act, done });
  }

  /** Runs what waits for `el` now (Enter, leaving the box, its change event). */
  now(el: Element): void {
    const w = this.waiting.get(el);
    if (!w) return;
    clearTimeout(w.timer);
    this.waiting.delete(el);
    w.done();
    w.act();
  }

  /** Drops what waits for `el` (a slider set the value meanwhile). */
  drop(el: Element): void {
    const w = this.waiting.get(el);
    if (!w) return;
    clearTimeout(w.timer);
    this.waiting.delete(el);
    w.done();
  }

  /** Runs what waits in a box of `root` at once on Enter, on leaving the box and on its change event. */
  bind(root: HTMLElement): void {
    root.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && e.target instanceof Element) this.now(e.target);
    });
    root.addEventListener('focusout', (e) => {
      if (e.target instanceof Element) this.now(e.target);
    });
    root.addEventListener('change', (e) => {
      if (e.target instanceof Element) this.now(e.target);
    });
  }
}
