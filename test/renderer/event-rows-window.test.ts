import { describe, expect, it } from 'vitest'
import { rowWindow, scrollToShow } from '@renderer/features/log/event-rows'

// The event log draws only the rows in view (28 px each here) plus a few on each side.
describe('rowWindow', () => {
  it('draws the rows in view and the overscan around them, never past either end', () => {
    expect(rowWindow(0, 280, 28, 1000, 8)).toEqual({ first: 0, last: 18 })
    expect(rowWindow(2800, 280, 28, 1000, 8)).toEqual({ first: 92, last: 118 })
    expect(rowWindow(27_720, 280, 28, 1000, 8)).toEqual({ first: 982, last: 1000 })
    expect(rowWindow(0, 280, 28, 3, 8)).toEqual({ first: 0, last: 3 })
  })

  it('counts a row cut at the bottom as in view', () => {
    expect(rowWindow(14, 28, 28, 100, 0)).toEqual({ first: 0, last: 2 })
  })
})

describe('scrollToShow', () => {
  it('leaves the scroll alone when the row is already wholly in view', () => {
    expect(scrollToShow(5, 28, 0, 280)).toBe(0)
    expect(scrollToShow(9, 28, 0, 280)).toBe(0)
  })

  it('scrolls up to a row above, and just far enough down for a row below', () => {
    expect(scrollToShow(2, 28, 280, 280)).toBe(56)
    expect(scrollToShow(10, 28, 0, 280)).toBe(28)
    expect(scrollToShow(50, 28, 0, 280)).toBe(50 * 28 + 28 - 280)
  })
})
