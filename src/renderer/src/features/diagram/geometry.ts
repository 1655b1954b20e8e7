import type { Diagram, DiagramRow, Lifeline } from './build-diagram'
import { ellipsize } from '@renderer/format'

/**
 * Where everything of a sequence diagram goes, in the drawing's own units (the view scales
 * them for "Large"): lane columns, lifeline heads, rows and the text beside them. Pure, so
 * the numbers can be tested without a browser.
 *
 * Lanes share the visible width. When they do not fit even narrowed, the clients scroll
 * sideways under a band on the right that keeps the server lanes in view (pinned); before
 * that, finished clients fold into thin columns.
 */

export const PAD_X = 14
/** Lanes are never narrower than this: two short lines of title still fit. */
export const MIN_COL = 112
export const MAX_COL = 280
/** A folded lane: just wide enough for its lifeline and a button to unfold it. */
export const FOLDED_COL = 40
const CHAR_W = 7.3
export const ROW_H: Record<DiagramRow['kind'], number> = {
  arrow: 36,
  call: 30,
  timeout: 32,
  note: 24,
}
export const INFERRED_H = 26
export const CALL_BOX_H = 20
export const LINE_H = 15
/**
 * A lane title is at most about this wide per character (13.5 px, semi-bold: "Your program"
 * measures 8.65 in DejaVu Sans, the lab machines' font); a subtitle (mono).
 */
const TITLE_CHAR_W = 8.4
const SUBTITLE_CHAR_W = 7
/** An arrow label's text is about this wide per character (13 px, semi-bold). */
const LABEL_CHAR_W = 7.2
const BADGE_CHAR_W = 6
const BADGE_PAD = 5
const HEAD_TOP = 8

// --- Lanes -----------------------------------------------------------------------------------

/**
 * Which lanes are drawn folded: finished clients, once the lanes would not fit the visible
 * width (`room`, in drawing units; 0 if unknown) even at their narrowest; flipped by the
 * student's `toggled` lanes.
 */
export function foldedLanes(
  lifelines: readonly Lifeline[],
  toggled: ReadonlySet<string> = new Set(),
  room = 0,
): Set<string> {
  const auto = room > 0 && PAD_X * 2 + lifelines.length * MIN_COL > room
  const out = new Set<string>()
  for (const l of lifelines) {
    const byDefault = auto && l.finished === true && l.role === 'client' && !l.external
    if (byDefault !== toggled.has(l.id)) out.add(l.id)
  }
  return out
}

export interface LanePlace {
  lane: Lifeline
  /** The lifeline's x, and its column's width. */
  x: number
  w: number
  folded: boolean
  /** Kept in view at the right while the other lanes scroll. */
  pinned: boolean
}

export interface LaneLayout {
  lanes: LanePlace[]
  x: Map<string, number>
  /** The width of an unfolded column. */
  colWidth: number
  /** The drawing's width: at least the visible width. */
  width: number
  /** What every lane needs side by side; more than `width` when the lanes scroll. */
  contentWidth: number
  /** How far the unpinned lanes are scrolled (clamped), and how far they can be. */
  shift: number
  maxShift: number
  /** Where the band of pinned lanes starts, when the lanes scroll. */
  bandLeft: number | null
}

export interface LaneInput {
  lifelines: readonly Lifeline[]
  rows: readonly DiagramRow[]
  /** The visible width in screen pixels (0: unknown, everything at its wanted width). */
  available: number
  scale: number
  folded?: ReadonlySet<string>
  /** How far the student scrolled the lanes sideways, in drawing units. */
  shift?: number
}

export function layoutLanes(input: LaneInput): LaneLayout {
  const { lifelines, rows, available, scale } = input
  const folded = input.folded ?? new Set<string>()
  let longest = 0
  for (const row of rows) {
    if (row.kind === 'arrow' && row.label.length > longest) longest = row.label.length
  }
  const wanted = Math.min(MAX_COL, Math.max(190, Math.min(longest, 32) * CHAR_W + 48))
  const nFolded = lifelines.filter((l) => folded.has(l.id)).length
  const open = Math.max(1, lifelines.length - nFolded)
  const visible = available ? available / scale : 0
  const fit = visible ? (visible - PAD_X * 2 - nFolded * FOLDED_COL) / open : wanted
  // Narrower columns rather than a sideways scroll, down to what a header needs.
  const colWidth = Math.max(MIN_COL, Math.min(wanted, fit))
  const widthOf = (l: Lifeline) => (folded.has(l.id) ? FOLDED_COL : colWidth)
  const lanesWidth = PAD_X * 2 + lifelines.reduce((sum, l) => sum + widthOf(l), 0)
  const contentWidth = Math.max(lanesWidth, PAD_X * 2 + colWidth)

  const lanes: LanePlace[] = []
  const x = new Map<string, number>()
  const place = (lane: Lifeline, at: number, pinned: boolean) => {
    const w = widthOf(lane)
    lanes.push({ lane, x: at + w / 2, w, folded: folded.has(lane.id), pinned })
    x.set(lane.id, at + w / 2)
    return w
  }

  if (!visible || lanesWidth <= visible + 0.5) {
    // Everything fits: centred in the visible width.
    const width = Math.max(contentWidth, visible)
    let at = (width - lanesWidth) / 2 + PAD_X
    for (const l of lifelines) at += place(l, at, false)
    return { lanes, x, colWidth, width, contentWidth, shift: 0, maxShift: 0, bandLeft: null }
  }

  // Too many lanes: the drawing keeps the visible width and the lanes scroll inside it,
  // but for the servers at the right end, which stay in a band of their own.
  const width = visible
  const from = pinStart(lifelines, widthOf, visible)
  const pinned = lifelines.slice(from)
  const band = pinned.length ? PAD_X + pinned.reduce((sum, l) => sum + widthOf(l), 0) : 0
  const bandLeft = pinned.length ? width - band : null
  const maxShift = Math.max(0, lanesWidth - width)
  const shift = Math.min(maxShift, Math.max(0, input.shift ?? 0))
  let at = PAD_X - shift
  for (const l of lifelines.slice(0, from)) at += place(l, at, false)
  at = width - band
  for (const l of pinned) at += place(l, at, true)
  return { lanes, x, colWidth, width, contentWidth: lanesWidth, shift, maxShift, bandLeft }
}

/**
 * The first of the lanes kept in view: the servers at the right end (where the clients'
 * arrows go), as long as they leave most of the width to the lanes that scroll.
 */
function pinStart(
  lifelines: readonly Lifeline[],
  widthOf: (l: Lifeline) => number,
  visible: number,
): number {
  let from = lifelines.length
  let band = PAD_X
  while (from > 1) {
    const l = lifelines[from - 1]!
    if (l.role !== 'server' || band + widthOf(l) > visible / 2) break
    band += widthOf(l)
    from--
  }
  return from
}

// --- Heads -----------------------------------------------------------------------------------

export interface Head {
  lane: Lifeline
  x: number
  w: number
  cls: string
  /** The title on one or two lines, cut only when a single word is too long. */
  lines: string[]
  subtitle: string
  folded: boolean
  pinned: boolean
  /** The first title line's baseline (the others follow every 16), the subtitle's. */
  titleY: number
  subtitleY: number
  /** The box around the title. */
  boxW: number
  boxH: number
}

export function laneClass(lane: Lifeline): string {
  if (lane.external) return 'lane-external'
  if (lane.role === 'relay') return 'lane-relay'
  return lane.role === 'server' ? 'lane-server' : 'lane-client'
}

export function placeHeads(layout: LaneLayout): Head[] {
  return layout.lanes.map(({ lane, x, w, folded, pinned }) => {
    const room = w - 28
    const lines = folded
      ? []
      : wrapText(lane.title, Math.max(4, Math.floor(room / TITLE_CHAR_W)), 3)
    let subtitle = folded ? '' : lane.subtitle
    // A narrow lane keeps the port, the part that tells two lanes of one host apart.
    if (subtitle.length * SUBTITLE_CHAR_W > room)
      subtitle = ellipsize(portPart(subtitle), Math.floor(room / SUBTITLE_CHAR_W))
    const boxH = folded ? 36 : subtitle ? 18 + lines.length * 16 + 14 : 20 + lines.length * 16
    // Baselines: the title's lines, then the address under them.
    const titleY = subtitle ? 28 : 31
    const subtitleY = titleY + lines.length * 16 + 2
    const boxW = folded ? w - 12 : w - 20
    return {
      lane,
      x,
      w,
      cls: laneClass(lane),
      lines,
      subtitle,
      folded,
      pinned,
      titleY,
      subtitleY,
      boxW,
      boxH,
    }
  })
}

/** How tall the header is: the tallest head and a margin. */
export function headerHeight(heads: readonly Head[]): number {
  return Math.max(64, ...heads.map((h) => HEAD_TOP + h.boxH + 8))
}

function portPart(address: string): string {
  const colon = address.lastIndexOf(':')
  return colon > 0 ? address.slice(colon) : address
}

// --- Rows ------------------------------------------------------------------------------------

export interface ArrowGeometry {
  x1: number
  x2: number
  y: number
  xEnd: number
  head: string
  labelX: number
}

/** A small tag drawn on an arrow: what happened to the datagram. */
export interface Badge {
  tag: string
  x: number
  w: number
}

/** Where text beside a lifeline starts, and which way it runs. */
export interface Beside {
  x: number
  anchor: 'start' | 'end'
}

/**
 * One drawn row, everything the template needs worked out once per drawing: the template
 * reads these fields only, so a row whose object did not change is skipped.
 */
export interface Placed {
  row: DiagramRow
  y: number
  h: number
  /** The class of the row's own group (arrow, call...). */
  cls: string
  /** The lanes the row touches that are pinned (the band draws its part again). */
  pinned: boolean
  geo?: ArrowGeometry
  label?: string
  arrivalSeq?: number
  badges?: Badge[]
  /** Calls, timeouts and notes: the lifeline's x, and text beside it. */
  x?: number
  beside?: Beside
  boxWidth?: number
  /** A call's label, empty on a folded lane (the box says something happened). */
  callLabel?: string
  /** A call's detail, cut to fit; an error's wraps onto up to three lines. */
  lines?: string[]
  /** A timeout's detail or a note's text, cut to fit. */
  text?: string
  title: string
}

export function placeRows(rows: readonly DiagramRow[], layout: LaneLayout): Placed[] {
  const byId = new Map(layout.lanes.map((p) => [p.lane.id, p]))
  const laneX = (id: string) => layout.x.get(id) ?? 0
  const color = (id: string) => {
    const p = byId.get(id)
    return p ? laneClass(p.lane) : 'lane-client'
  }
  const isPinned = (id: string) => byId.get(id)?.pinned === true
  const isFolded = (id: string) => byId.get(id)?.folded === true
  const last = layout.lanes.at(-1)?.lane.id
  const right = layout.bandLeft ?? layout.width

  /** Text beside a lifeline goes left of the last one (and of pinned ones) to stay in view. */
  const besideX = (id: string, gap: number): Beside => {
    const x = laneX(id)
    if ((id === last && layout.lanes.length > 1) || isPinned(id)) {
      return { x: x - gap, anchor: 'end' }
    }
    return { x: x + gap, anchor: 'start' }
  }
  /** How many characters fit between a lifeline and the edge its side text runs to. */
  const roomBeside = (id: string, gap: number): number => {
    const { x, anchor } = besideX(id, gap)
    const room = anchor === 'start' ? right - x - 8 : x - 8
    return Math.max(12, Math.floor(room / 6.4))
  }

  let y = 10
  return rows.map((row) => {
    let h = row.kind === 'arrow' && row.inferred ? INFERRED_H : ROW_H[row.kind]
    let p: Placed
    switch (row.kind) {
      case 'arrow': {
        const geo = arrowGeometry(laneX(row.from), laneX(row.to), h - 9, row.lost)
        const label = ellipsize(row.label, 34)
        p = {
          row,
          y,
          h,
          cls: `arrow ${row.inferred ? 'inferred' : row.lost ? 'lost' : color(row.from)}`,
          pinned: isPinned(row.from) || isPinned(row.to),
          geo,
          label,
          arrivalSeq: row.arrivalSeq,
          title: row.tags ? `${row.label} — ${row.tags.join(', ')}` : row.label,
        }
        if (row.tags) p.badges = badgesFor(row.tags, label, geo.labelX)
        break
      }
      case 'call': {
        const folded = isFolded(row.lifeline)
        const boxWidth = folded ? 12 : callWidth(row.label)
        p = {
          row,
          y,
          h,
          cls: `call ${color(row.lifeline)}`,
          pinned: isPinned(row.lifeline),
          x: laneX(row.lifeline),
          boxWidth,
          callLabel: folded ? '' : row.label,
          title: row.detail ? `${row.label} — ${row.detail}` : row.label,
        }
        if (row.detail && !folded) {
          const gap = boxWidth / 2 + 8
          const room = roomBeside(row.lifeline, gap)
          p.beside = besideX(row.lifeline, gap)
          p.lines =
            row.level === 'error' ? wrapText(row.detail, room, 3) : [ellipsize(row.detail, room)]
          h += (p.lines.length - 1) * LINE_H
          p.h = h
        }
        break
      }
      case 'timeout': {
        const folded = isFolded(row.lifeline)
        p = {
          row,
          y,
          h,
          cls: 'timeout',
          pinned: isPinned(row.lifeline),
          x: laneX(row.lifeline),
          beside: besideX(row.lifeline, 15),
          text:
            row.detail && !folded
              ? ellipsize(row.detail, roomBeside(row.lifeline, 15) - 10)
              : undefined,
          title: row.detail ? `timeout — ${row.detail}` : 'timeout',
        }
        break
      }
      case 'note':
        p = {
          row,
          y,
          h,
          cls: 'note',
          pinned: isPinned(row.lifeline),
          beside: besideX(row.lifeline, 8),
          text: isFolded(row.lifeline) ? '' : ellipsize(row.text, roomBeside(row.lifeline, 8)),
          title: row.text,
        }
        break
    }
    y += h
    return p
  })
}

/** The drawing's height below the header. */
export function bodyHeight(placed: readonly Placed[]): number {
  const last = placed.at(-1)
  return (last ? last.y + last.h : 0) + 24
}

export function callWidth(label: string): number {
  return label.length * CHAR_W + 18
}

/** Where an arrow goes. A lost datagram stops halfway, where the cross is drawn. */
export function arrowGeometry(x1: number, x2: number, y: number, lost: boolean): ArrowGeometry {
  const dir = x2 >= x1 ? 1 : -1
  const half = (x1 + x2) / 2
  // The tip stops at the arrival dot on the target's lifeline.
  const tip = x2 - dir * 3
  const head = `${tip},${y} ${tip - dir * 9},${y - 4.5} ${tip - dir * 9},${y + 4.5}`
  return {
    x1,
    x2,
    y,
    xEnd: lost ? half : tip - dir * 8,
    head,
    labelX: lost ? (x1 + half) / 2 : half,
  }
}

/** Badges in a row after the label. */
export function badgesFor(tags: readonly string[], label: string, labelX: number): Badge[] {
  let x = labelX + (label.length * LABEL_CHAR_W) / 2 + 6
  return tags.map((tag) => {
    const w = tag.length * BADGE_CHAR_W + BADGE_PAD * 2
    const badge = { tag, x, w }
    x += w + 4
    return badge
  })
}

/**
 * Break text into at most `maxLines` lines of `width` characters: at a space, or after a `_`,
 * `.` or `-` of a long file name ("your lossy_" / "client.py"), whichever fills the line more.
 */
export function wrapText(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = []
  let rest = text.trim()
  while (rest && lines.length < maxLines) {
    if (rest.length <= width || lines.length === maxLines - 1) {
      lines.push(ellipsize(rest, width))
      break
    }
    const inName = Math.max(...['_', '.', '-'].map((c) => rest.lastIndexOf(c, width - 1) + 1))
    let cut = Math.max(rest.lastIndexOf(' ', width), inName)
    if (cut <= 0) cut = width
    lines.push(rest.slice(0, cut))
    rest = rest.slice(cut).trim()
  }
  return lines
}

/**
 * The rows in the order their elements stay in the page. Each row has a slot: its number
 * in the whole trace, modulo the window. When the window slides, a new row takes the slot
 * (and the elements) of the row that left, so they are updated in place rather than made
 * again, and rows that stay keep theirs. Rows are placed by their own y.
 */
export function slotted(placed: Placed[], firstRow: number): Placed[] {
  const n = placed.length
  if (firstRow === 0 || n === 0) return placed
  const out = new Array<Placed>(n)
  for (let i = 0; i < n; i++) out[(firstRow + i) % n] = placed[i]!
  return out
}

/**
 * The x range of the newest row's ends on lanes that scroll (to bring it into view), or
 * undefined when it has none there (a pinned lane is always in view).
 */
export function rowSpan(
  d: Pick<Diagram, 'rows'>,
  layout: LaneLayout,
): [number, number] | undefined {
  const last = d.rows.at(-1)
  if (!last) return undefined
  const ids = last.kind === 'arrow' ? [last.from, last.to] : [last.lifeline]
  const xs = layout.lanes.filter((p) => !p.pinned && ids.includes(p.lane.id)).map((p) => p.x)
  return xs.length ? [Math.min(...xs), Math.max(...xs)] : undefined
}
