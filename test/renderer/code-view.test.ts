// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import CodeView from '@renderer/features/code/CodeView.vue'
import { prepareSource, shownText } from '@renderer/features/code/anchors'
import { cachedTokens, prefetchHighlighting } from '@renderer/features/code/highlighter'
import { TCP_CLIENT_PY, TCP_SERVER_PY, tcpPingPongTrace } from './fixtures'

const files = [
  { name: 'tcp_server.py', source: TCP_SERVER_PY },
  { name: 'tcp_client.py', source: TCP_CLIENT_PY },
]
const lineOf = (source: string, needle: string) =>
  source.split('\n').findIndex((l) => l.includes(needle)) + 1

describe('anchors', () => {
  it('finds `# anchor: NAME` lines and hides the comments', () => {
    const prep = prepareSource(TCP_SERVER_PY)
    expect(prep.anchors.get('recv')).toBe(lineOf(TCP_SERVER_PY, 'conn.recv(1024)'))
    expect(prep.lines.join('\n')).not.toContain('anchor:')
    expect(prep.lines[prep.anchors.get('bind')! - 1]).toBe('server.bind((HOST, PORT))')
  })
})

describe('CodeView', () => {
  const trace = tcpPingPongTrace(1)
  const serverRecv = trace.find((e) => e.actor === 'tcp-server#1' && e.op === 'recv')!
  const clientSend = trace.find((e) => e.actor === 'tcp-client#2' && e.op === 'send')!

  it('highlights the anchor line in the right file, with a caption', () => {
    const wrapper = mount(CodeView, { props: { files, event: serverRecv } })
    const current = wrapper.get('[data-testid="code-current-line"]')
    expect(current.classes()).toContain('is-current')
    expect(current.attributes('data-line')).toBe(String(lineOf(TCP_SERVER_PY, 'conn.recv(1024)')))
    expect(current.text()).toContain('data = conn.recv(1024)')
    expect(current.text()).not.toContain('anchor')
    expect(wrapper.get('[data-testid="code-tab-tcp_server.py"]').attributes('aria-selected')).toBe(
      'true',
    )
    expect(wrapper.get('[data-testid="code-caption"]').text()).toBe(
      `Line ${lineOf(TCP_SERVER_PY, 'conn.recv(1024)')} · data = conn.recv(1024) — what the TCP server just did`,
    )
    expect(wrapper.findAll('.is-current')).toHaveLength(1)
  })

  it('switches to the file of the next anchor', async () => {
    const wrapper = mount(CodeView, { props: { files, event: serverRecv } })
    await wrapper.setProps({ event: clientSend })
    expect(wrapper.get('[data-testid="code-tab-tcp_client.py"]').attributes('aria-selected')).toBe(
      'true',
    )
    const current = wrapper.get('[data-testid="code-current-line"]')
    expect(current.attributes('data-line')).toBe(String(lineOf(TCP_CLIENT_PY, 'client.sendall')))
    expect(wrapper.get('[data-testid="code-caption"]').text()).toContain(
      'what the TCP client just did',
    )
  })

  it('opens another step’s files on their first, not on the tab the last step had', async () => {
    const wrapper = mount(CodeView, { props: { files, event: null } })
    await wrapper.get('[data-testid="code-tab-tcp_client.py"]').trigger('click')
    const next = [{ name: 'udp_server.py', source: TCP_SERVER_PY }, files[1]!]
    await wrapper.setProps({ files: next })
    expect(wrapper.get('[data-testid="code-tab-udp_server.py"]').attributes('aria-selected')).toBe(
      'true',
    )
    // The same files again (a step with the same code): the student's tab stays.
    await wrapper.get('[data-testid="code-tab-tcp_client.py"]').trigger('click')
    await wrapper.setProps({ files: [...next] })
    expect(wrapper.get('[data-testid="code-tab-tcp_client.py"]').attributes('aria-selected')).toBe(
      'true',
    )
  })

  it('lets the student look at another file, with no highlight there', async () => {
    const wrapper = mount(CodeView, { props: { files, event: serverRecv } })
    await wrapper.get('[data-testid="code-tab-tcp_client.py"]').trigger('click')
    expect(wrapper.find('[data-testid="code-current-line"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="code-caption"]').text()).toContain(
      'The line is in tcp_server.py',
    )
  })

  it('says which event a picked line belongs to, and offers to follow live again', async () => {
    const wrapper = mount(CodeView, { props: { files, event: serverRecv, picked: true } })
    expect(wrapper.get('[data-testid="code-caption"]').text()).toContain(
      `what the TCP server did (event #${serverRecv.seq})`,
    )
    await wrapper.get('[data-testid="code-follow"]').trigger('click')
    expect(wrapper.emitted('unpick')).toHaveLength(1)
  })

  it('colours the code with Shiki once the highlighter is ready', async () => {
    const wrapper = mount(CodeView, { props: { files, event: serverRecv } })
    await vi.waitFor(
      () => {
        expect(wrapper.find('.src span[style*="color"]').exists()).toBe(true)
      },
      { timeout: 10_000, interval: 50 },
    )
    // Highlighting keeps the current line.
    expect(wrapper.get('[data-testid="code-current-line"]').text()).toContain('conn.recv(1024)')
  })

  it('shows a file tokenized ahead (in idle time) in colour at once', async () => {
    const text = shownText(prepareSource(TCP_CLIENT_PY))
    prefetchHighlighting([text])
    await vi.waitFor(() => expect(cachedTokens(text)).toBeDefined(), {
      timeout: 10_000,
      interval: 50,
    })
    const wrapper = mount(CodeView, { props: { files, event: clientSend } })
    // No waiting: the colours are there in the first drawing.
    expect(wrapper.find('.src span[style*="color"]').exists()).toBe(true)
    expect(wrapper.get('[data-testid="code-view"]').attributes('data-highlighted')).toBe('true')
  })

  it('copies and downloads the open file as shown (anchor comments left out)', async () => {
    const copied: string[] = []
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: async (t: string) => void copied.push(t) },
    })
    const downloads: { name: string; href: string }[] = []
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      downloads.push({ name: this.download, href: this.href })
    })
    const wrapper = mount(CodeView, { props: { files, event: serverRecv } })
    await wrapper.get('[data-testid="code-copy"]').trigger('click')
    await flushPromises()
    expect(copied).toEqual([shownText(prepareSource(TCP_SERVER_PY))])
    expect(copied[0]).not.toContain('anchor:')
    await wrapper.get('[data-testid="code-download"]').trigger('click')
    expect(downloads).toHaveLength(1)
    expect(downloads[0]!.name).toBe('tcp_server.py')
    expect(downloads[0]!.href).toMatch(/^blob:/)
    click.mockRestore()
  })
})
