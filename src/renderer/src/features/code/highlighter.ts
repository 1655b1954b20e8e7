import type { HighlighterCore, ThemedToken } from 'shiki/core'
import { legible } from './legible'

export const CODE_THEME = 'github-light'

/** The code view's backgrounds: the page white and the current line's yellow (base.css). */
export const CODE_BACKGROUNDS = ['#ffffff', '#fff3c4'] as const

/** Theme colours made legible once each (a file has thousands of tokens, a theme a dozen colours). */
const legibleColors = new Map<string, string>()
function readable(color: string | undefined): string | undefined {
  if (!color) return color
  let shade = legibleColors.get(color)
  if (shade === undefined) {
    shade = legible(color, CODE_BACKGROUNDS)
    legibleColors.set(color, shade)
  }
  return shade
}

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

/** Tokens of every source highlighted so far (the lab files never change). */
const done = new Map<string, Token[][]>()
const running = new Map<string, Promise<Token[][]>>()

/** The tokens of a source highlighted earlier, at once; undefined if it was not. */
export function cachedTokens(source: string): Token[][] | undefined {
  return done.get(source)
}

/**
 * Python source as lines of coloured tokens. Each source is tokenized once, in a task of
 * its own (tens of milliseconds for a file), never inside the caller's task: a view that
 * switches files draws the plain text at once and the colours a moment later.
 */
export function highlightPython(source: string): Promise<Token[][]> {
  const ready = done.get(source)
  if (ready) return Promise.resolve(ready)
  let job = running.get(source)
  if (!job) {
    job = getHighlighter()
      .then((h) => nextTask().then(() => done.get(source) ?? tokenize(h, source)))
      .finally(() => running.delete(source))
    running.set(source, job)
  }
  return job
}

/**
 * Tokenize sources ahead of need, one per idle moment, so that showing another file
 * later costs no highlighting (e.g. when the first event of a run points into it).
 */
export function prefetchHighlighting(sources: readonly string[]): void {
  const queue = [...new Set(sources)]
  const next = (h: HighlighterCore) => {
    const source = queue.shift()
    if (source === undefined) return
    if (done.has(source)) return next(h)
    whenIdle(() => {
      try {
        if (!done.has(source)) tokenize(h, source)
      } catch {
        // Highlighting is a nicety: the view shows the plain text.
      }
      next(h)
    })
  }
  getHighlighter().then(next, () => {})
}

function tokenize(h: HighlighterCore, source: string): Token[][] {
  const result = h.codeToTokens(source, { lang: 'python', theme: CODE_THEME })
  const lines = result.tokens.map((line: ThemedToken[]) =>
    line.map((t) => ({ content: t.content, color: readable(t.color), fontStyle: t.fontStyle })),
  )
  done.set(source, lines)
  return lines
}

function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0))
}

function whenIdle(fn: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(fn, { timeout: 1000 })
  else setTimeout(fn, 50)
}
