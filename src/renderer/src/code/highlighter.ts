import type { HighlighterCore, ThemedToken } from 'shiki/core'

export const CODE_THEME = 'github-light'

let highlighter: Promise<HighlighterCore> | undefined

/**
 * One Shiki highlighter for the whole app, made on first use: the fine-grained core,
 * the JavaScript regex engine (no WebAssembly, no eval: fine under the strict CSP),
 * the Python grammar and one light theme, nothing else.
 */
export function getHighlighter(): Promise<HighlighterCore> {
  highlighter ??= (async () => {
    const [{ createHighlighterCore }, { createJavaScriptRegexEngine }] = await Promise.all([
      import('shiki/core'),
      import('shiki/engine/javascript'),
    ])
    return createHighlighterCore({
      themes: [import('@shikijs/themes/github-light')],
      langs: [import('@shikijs/langs/python')],
      engine: createJavaScriptRegexEngine(),
    })
  })()
  highlighter.catch(() => {
    highlighter = undefined
  })
  return highlighter
}

export interface Token {
  content: string
  color?: string
  fontStyle?: number
}

/** Python source as lines of coloured tokens. */
export async function highlightPython(source: string): Promise<Token[][]> {
  const h = await getHighlighter()
  const result = h.codeToTokens(source, { lang: 'python', theme: CODE_THEME })
  return result.tokens.map((line: ThemedToken[]) =>
    line.map((t) => ({ content: t.content, color: t.color, fontStyle: t.fontStyle })),
  )
}
