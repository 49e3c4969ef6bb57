/**
 * Colour for terminal output. Whether to colour is the caller's decision (src/cmd looks at the
 * TTY and NO_COLOR); a plain `Style` returns text unchanged, so piped output has no escape codes.
 */

/** Wraps text in ANSI colour, or not at all when `colour` is false. */
export interface Style {
  readonly colour: boolean;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  bold(text: string): string;
}

/** A `Style` that colours when `colour` is true and otherwise returns text as it is. */
export function makeStyle(colour: boolean): Style {
  const sgr =
    (code: number) =>
    (text: string): string =>
      colour && text !== '' ? `\x1b[${code}m${text}\x1b[0m` : text;
  return { colour, green: sgr(32), red: sgr(31), yellow: sgr(33), bold: sgr(1) };
}

/** No colour at all. */
export const PLAIN: Style = makeStyle(false);

/** A condition status: `True` green, `False` red, anything else (Unknown, absent) yellow. */
export function statusText(status: string | undefined, style: Style): string {
  const text = status ?? 'Unknown';
  if (text === 'True') return style.green(text);
  if (text === 'False') return style.red(text);
  return style.yellow(text);
}

/** A health: `Healthy` green, `Unhealthy` red, anything else yellow. */
export function healthText(health: string, style: Style): string {
  if (health === 'Healthy') return style.green(health);
  if (health === 'Unhealthy') return style.red(health);
  return style.yellow(health);
}

/** What every printer needs besides the objects: the time ages are measured at, and the style. */
export interface PrintContext {
  /** Epoch milliseconds "now". */
  now: number;
  style: Style;
}
