// The page's one place for formatting numbers and times (the engine computes them; this only
// writes them down). No exponent notation: a clinician reads "39 700", not "3.97e+4".

const sig3 = new Intl.NumberFormat('en-GB', { maximumSignificantDigits: 3 });

/** A concentration or amount to 3 significant digits, without exponent notation. */
export function num3(x: number): string {
  if (!Number.isFinite(x)) return '–';
  return sig3.format(x).replace(/,/g, '\u202f');
}

/** A duration in min: "45 min", "2 h 5 min", "3 d 4 h". */
export function duration(min: number): string {
  if (!Number.isFinite(min)) return '–';
  const m = Math.round(min);
  if (m < 120) return `${m} min`;
  if (m < 48 * 60) return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
  const d = Math.floor(m / 1440);
  const h = Math.round((m - d * 1440) / 60);
  return `${d} d${h ? ` ${h} h` : ''}`;
}

/** Unit of a time axis spanning `spanMin`. */
export function timeUnit(spanMin: number): 'min' | 'h' | 'd' {
  return spanMin > 4 * 1440 ? 'd' : spanMin > 12 * 60 ? 'h' : 'min';
}

/** A point in time (min from the start) in the unit of a span: "40", "6 h", "day 2.5". */
export function timeOfDay(min: number, spanMin: number): string {
  const u = timeUnit(spanMin);
  if (u === 'd') return `${+(min / 1440).toFixed(min % 1440 === 0 ? 0 : 2)} d`;
  if (u === 'h') return `${+(min / 60).toFixed(min % 60 === 0 ? 0 : 1)} h`;
  return `${+min.toFixed(1)}`;
}

/** A moment for readouts: "40 min" within a session span, "day 2.42" on a course. */
export function moment(min: number, spanMin: number): string {
  return timeUnit(spanMin) === 'd' ? `day ${(min / 1440).toFixed(2)}` : duration(min);
}
