// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { copyText, downloadText } from '@renderer/export-text'

afterEach(() => {
  vi.restoreAllMocks()
  vi.useRealTimers()
})

describe('export text', () => {
  it('downloads the text under its file name from a link in the document, then frees it', async () => {
    vi.useFakeTimers()
    const create = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:made')
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    const clicked: { download: string; href: string; inDocument: boolean }[] = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push({ download: this.download, href: this.href, inDocument: this.isConnected })
    })
    downloadText('lab-checks.json', '{"a":1}', 'application/json')
    const blob = create.mock.calls[0]?.[0] as Blob
    expect(await blob.text()).toBe('{"a":1}')
    expect(blob.type).toBe('application/json')
    expect(clicked).toEqual([{ download: 'lab-checks.json', href: 'blob:made', inDocument: true }])
    expect(document.querySelector('a')).toBeNull()
    expect(revoke).not.toHaveBeenCalled()
    vi.runAllTimers()
    expect(revoke).toHaveBeenCalledWith('blob:made')
  })

  it('says whether the clipboard took the text', async () => {
    const writeText = vi
      .fn()
      .mockResolvedValueOnce(undefined)
      .mockRejectedValueOnce(new Error('no'))
    vi.stubGlobal('navigator', { clipboard: { writeText } })
    expect(await copyText('one')).toBe(true)
    expect(await copyText('two')).toBe(false)
    expect(writeText.mock.calls).toEqual([['one'], ['two']])
    vi.stubGlobal('navigator', {})
    expect(await copyText('three')).toBe(false)
    vi.unstubAllGlobals()
  })
})
