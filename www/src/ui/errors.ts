// Messages next to the control they concern. A control declares the scenario fields it edits in
// `data-path` (space-separated dotted paths); an engine error naming a field goes to the control
// whose path matches it exactly, or else to the closest enclosing one (`regimen[0]` for
// `regimen[0].schedule.at_min`), or else to the general line above the charts.

function controlFor(field: string): HTMLElement | null {
  let best: { el: HTMLElement; len: number } | null = null;
  for (const el of document.querySelectorAll<HTMLElement>('[data-path]')) {
    for (const p of (el.dataset.path ?? '').split(' ')) {
      if (!p) continue;
      if (p === field) return el;
      if ((field.startsWith(p + '.') || field.startsWith(p + '[')) && p.length > (best?.len ?? -1)) best = { el, len: p.length };
    }
  }
  return best?.el ?? null;
}

/** Removes every message placed by `show` within `scope`. */
export function clearMessages(scope: ParentNode = document): void {
  scope.querySelectorAll<HTMLElement>('.err[data-msg]').forEach((e) => {
    e.textContent = '';
    delete e.dataset.msg;
  });
  scope.querySelectorAll('.invalid').forEach((c) => c.classList.remove('invalid'));
}

/** Shows `message` next to the control of `field` (or on the general line); returns where. */
export function showMessage(field: string | undefined, message: string): HTMLElement {
  const ctl = field ? controlFor(field) : null;
  const el = ctl?.querySelector<HTMLElement>(':scope > .err') ?? (document.getElementById('err-general') as HTMLElement);
  el.textContent = el.dataset.msg ? `${el.textContent} ${message}` : message;
  el.dataset.msg = '1';
  ctl?.classList.add('invalid');
  return el;
}
