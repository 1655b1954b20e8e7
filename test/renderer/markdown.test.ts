// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { renderMarkdown } from '@renderer/features/steps/markdown'

describe('step Markdown', () => {
  it('renders Markdown but no raw HTML', () => {
    const html = renderMarkdown(
      '**bold** `code`\n\n<script>alert(1)</script><img src=x onerror=alert(1)>',
    )
    expect(html).toContain('<strong>bold</strong>')
    expect(html).toContain('<code>code</code>')
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('<img')
  })

  it('turns links into text that goes nowhere', () => {
    const html = renderMarkdown('[docs](https://example.com/a?b=1&c="x") and [top](#top)')
    expect(html).not.toContain('<a')
    expect(html).not.toContain('href')
    expect(html).toContain(
      '<span class="ext-link" title="https://example.com/a?b=1&amp;c=%22x%22">docs</span>',
    )
    expect(html).toContain('>top</span>')
  })
})

describe('step Markdown code blocks', () => {
  it('can be focused, so a wide one scrolls from the keyboard', () => {
    expect(renderMarkdown('```\npython3 x.py\n```\n')).toMatch(/^<pre tabindex="0"><code>/)
    expect(renderMarkdown('    indented\n')).toMatch(/^<pre tabindex="0"><code>/)
  })
})
