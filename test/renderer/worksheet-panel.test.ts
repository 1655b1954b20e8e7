// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import type { Progress } from '@shared/checkpoints'
import { createClientApi } from '@shared/client-api'
import { setApi } from '@renderer/bridge'
import WorksheetPanel from '@renderer/features/worksheet/WorksheetPanel.vue'
import { AUTOSAVE_MS } from '@renderer/features/worksheet/worksheet-store'
import { FakeTransport, HostError } from './fake-transport'
import { protocolWorksheet } from '../fixtures/protocol-worksheet'

let host: FakeTransport
let stored: Progress
let failSaves = false

beforeEach(() => {
  stored = { version: 1, labs: {} }
  failSaves = false
  host = new FakeTransport()
    .handle('progress:get', () => structuredClone(stored))
    .handle('worksheet:save', ({ labId, worksheet }) => {
      if (failSaves) throw new HostError('failed', 'the disk is full')
      const lab = (stored.labs[labId] ??= { checkpoints: {} })
      lab.worksheet = { ...worksheet, savedAt: '2025-01-01T10:00:00.000Z' }
      return structuredClone(stored)
    })
  setApi(createClientApi(host))
  setActivePinia(createPinia())
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
  setApi(undefined)
})

async function mountPanel() {
  const pinia = createPinia()
  setActivePinia(pinia)
  const wrapper = mount(WorksheetPanel, {
    props: { labId: 'protocol', spec: protocolWorksheet() },
    global: { plugins: [pinia] },
    attachTo: document.body,
  })
  await flushPromises()
  return wrapper
}
const saves = () => host.calls.filter((c) => c.channel === 'worksheet:save')
const byId = (w: Awaited<ReturnType<typeof mountPanel>>, id: string) =>
  w.get(`[data-testid="${id}"]`)

describe('WorksheetPanel', () => {
  it('autosaves after a pause in typing, once, and says Saved', async () => {
    const w = await mountPanel()
    expect(byId(w, 'worksheet-complete').text()).toBe('0 of 4 answered')
    await byId(w, 'worksheet-choice-transport-udp').trigger('click')
    await byId(w, 'worksheet-answer-transport').setValue('Each request fits in one datagram.')
    await byId(w, 'worksheet-answer-format').setValue('GUESS <n>, one per datagram')
    expect(byId(w, 'worksheet-save-state').attributes('data-state')).toBe('unsaved')
    expect(saves()).toHaveLength(0)

    vi.advanceTimersByTime(AUTOSAVE_MS)
    await flushPromises()
    expect(saves()).toHaveLength(1)
    expect(saves()[0]!.args).toMatchObject({
      labId: 'protocol',
      worksheet: {
        choices: { transport: 'udp' },
        answers: {
          transport: 'Each request fits in one datagram.',
          format: 'GUESS <n>, one per datagram',
        },
      },
    })
    expect(byId(w, 'worksheet-save-state').attributes('data-state')).toBe('saved')
    expect(byId(w, 'worksheet-save-state').text()).toMatch(/^Saved at /)
    expect(byId(w, 'worksheet-complete').text()).toBe('2 of 4 answered')
    w.unmount()
  })

  it('shows what was saved when it opens again, and what each question still needs', async () => {
    stored.labs.protocol = {
      checkpoints: {},
      worksheet: {
        choices: { transport: 'tcp' },
        answers: {
          transport: 'Replies must come back complete and in order.',
          format: 'one line',
          malformed: '',
          ending: 'The client closes; the server sees EOF and closes.',
        },
        savedAt: '2025-01-01T09:00:00.000Z',
      },
    }
    const w = await mountPanel()
    expect((byId(w, 'worksheet-answer-format').element as HTMLTextAreaElement).value).toBe(
      'one line',
    )
    expect(byId(w, 'worksheet-choice-transport-tcp').attributes('aria-checked')).toBe('true')
    expect(byId(w, 'worksheet-complete').text()).toBe('2 of 4 answered')
    expect(byId(w, 'worksheet-state-format').text()).toBe('7 more characters')
    expect(byId(w, 'worksheet-state-malformed').text()).toBe('Not answered yet')
    expect(byId(w, 'worksheet-state-ending').text()).toBe('Answered')
    expect(saves()).toHaveLength(0)
    w.unmount()
  })

  it('saves at once when it is closed before the pause is over', async () => {
    const w = await mountPanel()
    await byId(w, 'worksheet-answer-ending').setValue('The server never ends it.')
    w.unmount()
    await flushPromises()
    expect(saves()).toHaveLength(1)
    expect(stored.labs.protocol!.worksheet!.answers.ending).toBe('The server never ends it.')
  })

  it('a failed save says why, keeps the text, and is retried with the next edit', async () => {
    const w = await mountPanel()
    failSaves = true
    await byId(w, 'worksheet-answer-format').setValue('one line per request, ending in \\n')
    vi.advanceTimersByTime(AUTOSAVE_MS)
    await flushPromises()
    expect(byId(w, 'worksheet-save-state').text()).toBe('Not saved: the disk is full')
    expect((byId(w, 'worksheet-answer-format').element as HTMLTextAreaElement).value).toMatch(
      /^one line/,
    )
    failSaves = false
    await byId(w, 'worksheet-answer-format').setValue('one line per request, ending in \\n.')
    vi.advanceTimersByTime(AUTOSAVE_MS)
    await flushPromises()
    expect(byId(w, 'worksheet-save-state').attributes('data-state')).toBe('saved')
    expect(stored.labs.protocol!.worksheet!.answers.format).toBe(
      'one line per request, ending in \\n.',
    )
    w.unmount()
  })

  it('exports the answers as a Python comment block, copied or downloaded', async () => {
    const writeText = vi.fn(async () => undefined)
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    const w = await mountPanel()
    await byId(w, 'worksheet-choice-transport-tcp').trigger('click')
    await byId(w, 'worksheet-export').trigger('click')
    const block = (byId(w, 'worksheet-block').element as HTMLTextAreaElement).value
    expect(block.split('\n').slice(0, 3)).toEqual(['# Protocol design', '#', '# Transport: TCP'])
    await byId(w, 'worksheet-copy').trigger('click')
    await flushPromises()
    expect(writeText).toHaveBeenCalledWith(block)
    expect(byId(w, 'worksheet-copy').text()).toBe('Copied')

    const clicked: string[] = []
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push(this.download)
    })
    await byId(w, 'worksheet-download').trigger('click')
    expect(clicked).toEqual(['protocol_header.py'])
    click.mockRestore()
    w.unmount()
  })

  it('asks what the lab declares: its title, its questions, its options and its file', async () => {
    const spec = protocolWorksheet()
    const pinia = createPinia()
    setActivePinia(pinia)
    const w = mount(WorksheetPanel, {
      props: {
        labId: 'protocol',
        spec: {
          ...spec,
          title: 'Sensor protocol worksheet',
          minChars: 5,
          export: { ...spec.export!, file: 'sensor_header.py' },
          questions: [
            {
              ...spec.questions[0]!,
              choice: {
                label: 'Framing',
                options: [
                  { value: 'lines', label: 'Lines' },
                  { value: 'prefix', label: 'Length prefix' },
                ],
              },
            },
          ],
        },
      },
      global: { plugins: [pinia] },
      attachTo: document.body,
    })
    await flushPromises()
    expect(w.get('h2').text()).toBe('Sensor protocol worksheet')
    expect(byId(w, 'worksheet-complete').text()).toBe('0 of 1 answered')
    expect(byId(w, 'worksheet-state-transport').text()).toBe('Pick Lines or Length prefix')
    await byId(w, 'worksheet-choice-transport-prefix').trigger('click')
    await byId(w, 'worksheet-answer-transport').setValue('short')
    expect(byId(w, 'worksheet-complete').text()).toBe('1 of 1 answered')
    expect(w.findAll('[data-testid^="worksheet-q-"]')).toHaveLength(1)
    await byId(w, 'worksheet-export').trigger('click')
    expect(byId(w, 'worksheet-download').text()).toBe('Download sensor_header.py')
    expect((byId(w, 'worksheet-block').element as HTMLTextAreaElement).value).toContain(
      '# Framing: Length prefix',
    )
    w.unmount()
  })
})
