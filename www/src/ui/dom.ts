// The page's Content-Security-Policy allows no style attributes ('unsafe-inline' is not in
// style-src), so HTML templates write the few computed styles (a timeline segment's width, a
// swatch's colour) as `data-css="prop: value; …"`, and this applies them through the CSSOM,
// which the policy allows.

/** Applies and removes every `data-css` attribute under `root`. */
export function applyCss(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-css]')) {
    for (const decl of (el.dataset.css ?? '').split(';')) {
      const i = decl.indexOf(':');
      if (i > 0) el.style.setProperty(decl.slice(0, i).trim(), decl.slice(i + 1).trim());
    }
    el.removeAttribute('data-css');
  }
}
