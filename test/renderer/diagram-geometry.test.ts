import { describe, expect, it } from 'vitest'
import type { DiagramRow, Lifeline } from '@renderer/features/diagram/build-diagram'
import {
  FOLDED_COL,
  MIN_COL,
  PAD_X,
  arrowGeometry,
  foldedLanes,
  headerHeight,
  layoutLanes,
  placeHeads,
  placeRows,
  rowSpan,
  slotted,
  wrapText,
} from '@renderer/features/diagram/geometry'

function lane(id: string, role: Lifeline['role'], extra: Partial<Lifeline> = {}): Lifeline {
  const title = extra.title ?? `${role} ${id}`
  return { id, title, subtitle: '127.0.0.1:50007', label: title, role, external: false, ...extra }
}

const clients = (n: number, finished = false) =>
  Array.from({ length: n }, (_, i) => lane(`c${i}`, 'client', { finished }))
const server = lane('s', 'server', { title: 'Lossy UDP server' })

const arrow = (from: string, to: string, seq: number): DiagramRow => ({
  kind: 'arrow',
  key: String(seq),
  seq,
  level: 'info',
  from,
  to,
  label: 'PING 1 · 6 B',
  inferred: false,
  lost: false,
})

describe('diagram geometry: lanes', () => {
  it('spreads two lanes at their wanted width, centred in the visible width', () => {
    const l = layoutLanes({
      lifelines: [lane('a', 'client'), server],
      rows: [],
      available: 1000,
      scale: 1,
    })
    expect(l.colWidth).toBe(190)
    expect(l.width).toBe(1000)
    expect(l.bandLeft).toBeNull()
    const [a, s] = l.lanes
    expect(s!.x - a!.x).toBe(190)
    // Centred: as much room left of the first lane as right of the last.
    expect(a!.x - 95).toBeCloseTo(1000 - (s!.x + 95))
  })

  it('narrows the lanes to share the width before it scrolls', () => {
    const lifelines = [...clients(3), server]
    const l = layoutLanes({ lifelines, rows: [], available: 600, scale: 1 })
    expect(l.colWidth).toBeCloseTo((600 - PAD_X * 2) / 4)
    expect(l.maxShift).toBe(0)
    expect(l.lanes.at(-1)!.x + l.colWidth / 2).toBeLessThanOrEqual(600)
  })

  it('pins the server at the right and scrolls the clients when even narrow lanes do not fit', () => {
    const lifelines = [...clients(6), server]
    const l = layoutLanes({ lifelines, rows: [], available: 500, scale: 1 })
    expect(l.colWidth).toBe(MIN_COL)
    expect(l.width).toBe(500)
    expect(l.bandLeft).toBe(500 - PAD_X - MIN_COL)
    expect(l.x.get('s')).toBe(500 - PAD_X - MIN_COL / 2)
    expect(l.contentWidth).toBe(PAD_X * 2 + 7 * MIN_COL)
    expect(l.maxShift).toBe(l.contentWidth - 500)

    // Scrolled all the way: the last client sits just left of the band; the server has not moved.
    const end = layoutLanes({ lifelines, rows: [], available: 500, scale: 1, shift: 1e9 })
    expect(end.shift).toBe(l.maxShift)
    expect(end.x.get('c5')! + MIN_COL / 2).toBeCloseTo(end.bandLeft!)
    expect(end.x.get('s')).toBe(l.x.get('s'))
    expect(end.x.get('c0')).toBe(l.x.get('c0')! - l.maxShift)
  })

  it('keeps the drawing at its natural size when the width is unknown (tests, first paint)', () => {
    const l = layoutLanes({ lifelines: [...clients(6), server], rows: [], available: 0, scale: 1 })
    expect(l.bandLeft).toBeNull()
    expect(l.width).toBe(l.contentWidth)
  })

  it('counts the scale: Large needs more room for the same lanes', () => {
    const lifelines = [...clients(3), server]
    expect(layoutLanes({ lifelines, rows: [], available: 640, scale: 1 }).maxShift).toBe(0)
    expect(
      layoutLanes({ lifelines, rows: [], available: 640, scale: 1.45 }).maxShift,
    ).toBeGreaterThan(0)
  })
})

describe('diagram geometry: folding', () => {
  it('folds finished clients when the lanes would not fit, and the student can flip each', () => {
    const lifelines = [...clients(2, true), lane('c9', 'client'), server]
    const tight = PAD_X * 2 + 4 * MIN_COL - 1
    expect([...foldedLanes(lifelines, new Set(), tight)]).toEqual(['c0', 'c1'])
    expect([...foldedLanes(lifelines, new Set(['c0', 'c9']), tight)]).toEqual(['c1', 'c9'])
    // Room enough (or the width not known yet): nothing folds by itself.
    expect(foldedLanes(lifelines, new Set(), tight + 1).size).toBe(0)
    expect(foldedLanes(lifelines).size).toBe(0)
    expect([...foldedLanes(lifelines, new Set(['c0']))]).toEqual(['c0'])
    // Servers and the student's own programs never fold by themselves.
    const others = [
      ...clients(3),
      { ...server, finished: true },
      lane('p', 'client', { external: true, finished: true }),
    ]
    expect(foldedLanes(others, new Set(), 100).size).toBe(0)
  })

  it('gives a folded lane a thin column and its width to the others', () => {
    const lifelines = [...clients(4), server]
    const open = layoutLanes({ lifelines, rows: [], available: 700, scale: 1 })
    const folded = layoutLanes({
      lifelines,
      rows: [],
      available: 700,
      scale: 1,
      folded: new Set(['c0', 'c1']),
    })
    expect(folded.lanes[0]!.w).toBe(FOLDED_COL)
    expect(folded.lanes[0]!.folded).toBe(true)
    expect(folded.colWidth).toBeGreaterThan(open.colWidth)
    const heads = placeHeads(folded)
    expect(heads[0]!.lines).toEqual([])
    expect(heads[0]!.subtitle).toBe('')
  })
})

describe('diagram geometry: heads', () => {
  it('wraps a long title onto two lines instead of cutting it', () => {
    const l = layoutLanes({
      lifelines: [...clients(5), server],
      rows: [],
      available: 700,
      scale: 1,
    })
    const head = placeHeads(l).at(-1)!
    expect(head.lines).toEqual(['Lossy UDP', 'server'])
    expect(head.lines.join(' ')).toBe(server.title)
    // Each line fits its box (about 7.6 px a character at 13.5 px).
    for (const line of head.lines) expect(line.length * 7.6).toBeLessThanOrEqual(head.boxW)
    expect(headerHeight(placeHeads(l))).toBeGreaterThan(64)
  })

  it('keeps one line and the full address where the lane is wide enough', () => {
    const l = layoutLanes({
      lifelines: [lane('a', 'client'), server],
      rows: [],
      available: 900,
      scale: 1,
    })
    const heads = placeHeads(l)
    expect(heads[1]!.lines).toEqual(['Lossy UDP server'])
    expect(heads[1]!.subtitle).toBe('127.0.0.1:50007')
    expect(headerHeight(heads)).toBe(64)
  })

  it('shortens the address to its port on a narrow lane', () => {
    const l = layoutLanes({
      lifelines: [...clients(6), server],
      rows: [],
      available: 500,
      scale: 1,
    })
    expect(placeHeads(l)[0]!.subtitle).toBe(':50007')
  })
})

describe('diagram geometry: rows', () => {
  it('stacks rows and points arrows from lane to lane', () => {
    const l = layoutLanes({
      lifelines: [lane('a', 'client'), server],
      rows: [],
      available: 600,
      scale: 1,
    })
    const rows: DiagramRow[] = [
      arrow('a', 's', 1),
      {
        kind: 'call',
        key: '2',
        seq: 2,
        level: 'info',
        lifeline: 's',
        op: 'recvfrom',
        label: 'recvfrom',
      },
      arrow('s', 'a', 3),
    ]
    const placed = placeRows(rows, l)
    expect(placed.map((p) => p.y)).toEqual([10, 46, 76])
    expect(placed[0]!.geo!.x1).toBe(l.x.get('a'))
    expect(placed[0]!.geo!.x2).toBe(l.x.get('s'))
    expect(placed[0]!.cls).toBe('arrow lane-client')
    expect(placed[2]!.cls).toBe('arrow lane-server')
    // Text beside the last lane runs to its left, to stay on the canvas.
    expect(placed[1]!.x).toBe(l.x.get('s'))
    expect(placed[1]!.pinned).toBe(false)
  })

  it('marks rows that touch a pinned lane, and drops call text on a folded lane', () => {
    const lifelines = [...clients(6, true), server]
    const folded = new Set(['c0'])
    const l = layoutLanes({ lifelines, rows: [], available: 500, scale: 1, folded })
    const placed = placeRows(
      [
        arrow('c1', 's', 1),
        arrow('c0', 'c1', 2),
        {
          kind: 'call',
          key: '3',
          seq: 3,
          level: 'info',
          lifeline: 'c0',
          op: 'close',
          label: 'close',
          detail: 'bye',
        },
      ],
      l,
    )
    expect(placed.map((p) => p.pinned)).toEqual([true, false, false])
    expect(placed[2]!.callLabel).toBe('')
    expect(placed[2]!.lines).toBeUndefined()
    expect(placed[2]!.title).toBe('close — bye')
  })

  it('stops a lost datagram halfway, where the cross goes', () => {
    const g = arrowGeometry(100, 300, 27, true)
    expect(g.xEnd).toBe(200)
    expect(g.labelX).toBe(150)
    const back = arrowGeometry(300, 100, 27, false)
    expect(back.xEnd).toBe(100 + 3 + 8)
  })

  it('keeps each row in its slot while the window slides', () => {
    const rows = [arrow('a', 's', 1), arrow('a', 's', 2), arrow('a', 's', 3)]
    const l = layoutLanes({
      lifelines: [lane('a', 'client'), server],
      rows,
      available: 600,
      scale: 1,
    })
    const placed = placeRows(rows, l)
    expect(slotted(placed, 0)).toBe(placed)
    expect(slotted(placed, 4).map((p) => p.row.seq)).toEqual([3, 1, 2])
  })

  it('wraps text at spaces and cuts only the last line', () => {
    expect(wrapText('port already in use by another program', 12, 3)).toEqual([
      'port already',
      'in use by',
      'another pro…',
    ])
    expect(wrapText('short', 12, 3)).toEqual(['short'])
  })

  it("breaks a student's long file name after _ . or -, so two lines hold it whole", () => {
    expect(wrapText('your lossy_client.py', 14, 2)).toEqual(['your lossy_', 'client.py'])
    expect(wrapText('your threaded_server.py', 14, 2)).toEqual(['your threaded_', 'server.py'])
    expect(wrapText('your my-protocol.py', 9, 2)).toEqual([
      'your my-',
      'protocol.py'.slice(0, 8) + '…',
    ])
    // Plain words still break at spaces.
    expect(wrapText('counter server (run 1)', 14, 2)).toEqual(['counter server', '(run 1)'])
  })

  it('scrolls to the newest row by its ends on lanes that scroll, never by a pinned one', () => {
    const lifelines = [...clients(6), server]
    const l = layoutLanes({ lifelines, rows: [], available: 500, scale: 1 })
    expect(rowSpan({ rows: [arrow('c5', 's', 1)] }, l)).toEqual([l.x.get('c5'), l.x.get('c5')])
    expect(rowSpan({ rows: [arrow('c0', 'c2', 1)] }, l)).toEqual([l.x.get('c0'), l.x.get('c2')])
    const serverCall: DiagramRow = {
      kind: 'call',
      key: '2',
      seq: 2,
      level: 'info',
      lifeline: 's',
      op: 'accept',
      label: 'accept',
    }
    expect(rowSpan({ rows: [serverCall] }, l)).toBeUndefined()
    expect(rowSpan({ rows: [] }, l)).toBeUndefined()
  })
})
