import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import { useDisplayStore } from '@renderer/stores/display'

const KEY = 'socket-labs.display'
const root = (): HTMLElement => document.documentElement

describe('display store', () => {
  beforeEach(() => {
    localStorage.clear()
    setActivePinia(createPinia())
  })

  it('applies the theme, presenter mode and the type scale to the root, and keeps them', async () => {
    const display = useDisplayStore()
    expect(root().style.getPropertyValue('--ui-scale')).toBe('1')
    display.theme = 'contrast'
    display.large = true
    await nextTick()
    expect(root().dataset.theme).toBe('contrast')
    expect(root().style.getPropertyValue('--ui-scale')).toBe('1.25')
    display.togglePresenter()
    await nextTick()
    expect(root().dataset.presenter).toBe('true')
    // Presenter mode never has smaller type than Large.
    expect(Number(root().style.getPropertyValue('--ui-scale'))).toBeGreaterThanOrEqual(1.3)
    expect(JSON.parse(localStorage.getItem(KEY)!)).toMatchObject({
      theme: 'contrast',
      large: true,
      presenter: true,
    })
    // A new page reads the choices back.
    setActivePinia(createPinia())
    const again = useDisplayStore()
    expect([again.theme, again.large, again.presenter]).toEqual(['contrast', true, true])
  })

  it('ignores a damaged or foreign saved entry and starts from the defaults', () => {
    localStorage.setItem(KEY, '{"theme":"neon","large":"yes"')
    expect(useDisplayStore().theme).toBe('system')
    setActivePinia(createPinia())
    localStorage.setItem(KEY, JSON.stringify({ theme: 'neon', large: 'yes', presenter: true }))
    const d = useDisplayStore()
    expect([d.theme, d.large, d.presenter]).toEqual(['system', false, true])
  })

  it("keeps the presenter's open controls for the next step and the next page, until folded", async () => {
    const d = useDisplayStore()
    expect(d.presenterControls).toBe(false)
    d.presenterControls = true
    await nextTick()
    setActivePinia(createPinia())
    expect(useDisplayStore().presenterControls).toBe(true)
    useDisplayStore().presenterControls = false
    await nextTick()
    setActivePinia(createPinia())
    expect(useDisplayStore().presenterControls).toBe(false)
    localStorage.setItem(KEY, JSON.stringify({ presenterControls: 'open' }))
    setActivePinia(createPinia())
    expect(useDisplayStore().presenterControls).toBe(false)
  })

  it('cycles the themes in order, back to "as the system"', () => {
    const d = useDisplayStore()
    const seen = [d.theme]
    for (let i = 0; i < 4; i++) {
      d.nextTheme()
      seen.push(d.theme)
    }
    expect(seen).toEqual(['system', 'light', 'dark', 'contrast', 'system'])
  })
})
