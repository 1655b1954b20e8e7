/**
 * Token colours that read on the code view's backgrounds: a theme colour below 4.5:1
 * (github-light's orange is 3.5:1 on white, less on the current line's yellow) is darkened,
 * keeping its hue, until it reaches that against every background given.
 */
export const MIN_CONTRAST = 4.5

type Rgb = [number, number, number]

function parseHex(color: string): Rgb | null {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})([0-9a-f]{2})?$/i.exec(color)
  if (!m) return null
  let hex = m[1]!
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join('')
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb
}

function luminance([r, g, b]: Rgb): number {
  const lin = (v: number) => {
    const c = v / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/** WCAG contrast ratio of two #rrggbb colours. */
export function contrast(a: string, b: string): number {
  const la = luminance(parseHex(a)!)
  const lb = luminance(parseHex(b)!)
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05)
}

const hex = (rgb: Rgb) => '#' + rgb.map((v) => v.toString(16).padStart(2, '0')).join('')

/** `color` itself if it reads on every background, else the nearest darker shade that does. */
export function legible(color: string, backgrounds: readonly string[]): string {
  const rgb = parseHex(color)
  if (!rgb) return color
  const reads = (c: Rgb) => backgrounds.every((bg) => contrast(hex(c), bg) >= MIN_CONTRAST)
  let shade: Rgb = [rgb[0], rgb[1], rgb[2]]
  while (!reads(shade)) shade = shade.map((v) => Math.floor(v * 0.95)) as Rgb
  return shade === rgb || hex(shade) === hex(rgb) ? color : hex(shade)
}
