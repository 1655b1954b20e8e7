import MarkdownIt from 'markdown-it'

/**
 * Step text: Markdown with raw HTML disabled. Links never navigate: the app routes on the
 * URL hash and never opens the outside world, so a link is shown as underlined text with
 * its address as a tooltip. Images (which the page could not load) show their alt text.
 */
const md = new MarkdownIt({ html: false, linkify: false, typographer: true })

md.renderer.rules.link_open = (tokens, idx) => {
  const href = String(tokens[idx]!.attrGet('href') ?? '')
  return `<span class="ext-link" title="${md.utils.escapeHtml(href)}">`
}
md.renderer.rules.link_close = () => '</span>'
md.renderer.rules.image = (tokens, idx) => {
  const token = tokens[idx]!
  return `<span class="img-alt">[${md.utils.escapeHtml(token.content)}]</span>`
}

// A code block wider than the column scrolls: it must be reachable from the keyboard.
for (const rule of ['fence', 'code_block'] as const) {
  const draw = md.renderer.rules[rule]!
  md.renderer.rules[rule] = (...args) => draw(...args).replace(/^<pre/, '<pre tabindex="0"')
}

export function renderMarkdown(source: string): string {
  return md.render(source)
}
