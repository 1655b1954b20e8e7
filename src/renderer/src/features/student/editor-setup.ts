import {
  Annotation,
  EditorState,
  RangeSet,
  StateEffect,
  StateField,
  Transaction,
  type Extension,
} from '@codemirror/state'
import {
  Decoration,
  EditorView,
  GutterMarker,
  gutter,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  drawSelection,
  keymap,
  lineNumbers,
  type DecorationSet,
} from '@codemirror/view'
import {
  defaultKeymap,
  history,
  historyKeymap,
  indentWithTab,
  simplifySelection,
  temporarilySetTabFocusMode,
} from '@codemirror/commands'
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search'
import {
  HighlightStyle,
  bracketMatching,
  indentOnInput,
  indentUnit,
  syntaxHighlighting,
} from '@codemirror/language'
import { python } from '@codemirror/lang-python'
import { tags as t } from '@lezer/highlight'

/** The lines the editor marks: the student's program's latest call, and where it failed. */
export interface MarkedLines {
  current: number | null
  failure: number | null
  failureText?: string
}

export const setMarkedLines = StateEffect.define<MarkedLines>()

/** Marks a text put in from disk, which is not an edit of the student's to save. */
export const fromDisk = Annotation.define<boolean>()

/** Replace the whole text with the file's text from disk (undo history starts again). */
export function replaceText(view: EditorView, text: string): void {
  if (view.state.doc.toString() === text) return
  view.dispatch({
    changes: { from: 0, to: view.state.doc.length, insert: text },
    annotations: [fromDisk.of(true), Transaction.addToHistory.of(false)],
  })
}

class MarkGutter extends GutterMarker {
  constructor(readonly kind: 'current' | 'failure') {
    super()
  }
  override eq(other: MarkGutter): boolean {
    return other.kind === this.kind
  }
  override toDOM(): Node {
    const el = document.createElement('span')
    el.className = `cm-student-mark cm-student-mark-${this.kind}`
    el.textContent = this.kind === 'failure' ? '✖' : '▶'
    el.setAttribute('aria-hidden', 'true')
    return el
  }
}
const currentMarker = new MarkGutter('current')
const failureMarker = new MarkGutter('failure')

interface Marks {
  lines: MarkedLines
  decorations: DecorationSet
  gutter: RangeSet<GutterMarker>
}

function buildMarks(state: EditorState, lines: MarkedLines): Marks {
  const decos: { from: number; deco: Decoration }[] = []
  const marks: { from: number; mark: GutterMarker }[] = []
  const at = (n: number | null) =>
    n !== null && n >= 1 && n <= state.doc.lines ? state.doc.line(n).from : null
  const failure = at(lines.failure)
  if (failure !== null) {
    decos.push({
      from: failure,
      deco: Decoration.line({
        class: 'cm-student-failure',
        attributes: {
          'data-testid': 'editor-failure-line',
          'data-line': String(lines.failure),
          title: lines.failureText ?? 'The program failed here',
        },
      }),
    })
    marks.push({ from: failure, mark: failureMarker })
  }
  const current = at(lines.current)
  if (current !== null) {
    decos.push({
      from: current,
      deco: Decoration.line({
        class: 'cm-student-current',
        attributes: { 'data-testid': 'editor-current-line', 'data-line': String(lines.current) },
      }),
    })
    if (current !== failure) marks.push({ from: current, mark: currentMarker })
  }
  decos.sort((a, b) => a.from - b.from)
  marks.sort((a, b) => a.from - b.from)
  return {
    lines,
    decorations: Decoration.set(decos.map((d) => d.deco.range(d.from))),
    gutter: RangeSet.of(marks.map((m) => m.mark.range(m.from))),
  }
}

const none: MarkedLines = { current: null, failure: null }

/** The marked lines, kept on their lines while the student edits around them. */
const marksField = StateField.define<Marks>({
  create: (state) => buildMarks(state, none),
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setMarkedLines)) return buildMarks(tr.state, e.value)
    if (!tr.docChanged) return value
    return {
      lines: value.lines,
      decorations: value.decorations.map(tr.changes),
      gutter: value.gutter.map(tr.changes),
    }
  },
  provide: (f) => EditorView.decorations.from(f, (v) => v.decorations),
})

/**
 * The editor stays light in every theme, as the reference code view does: its colours were
 * chosen together, each at least 4.5:1 on the white page, the active line and the marked lines.
 */
const highlightStyle = HighlightStyle.define([
  {
    tag: [t.keyword, t.controlKeyword, t.definitionKeyword, t.moduleKeyword],
    color: '#a40e26',
  },
  { tag: [t.string, t.special(t.string)], color: '#0a3069' },
  { tag: [t.comment, t.lineComment], color: '#57606a', fontStyle: 'italic' },
  { tag: [t.number, t.bool, t.null], color: '#0550ae' },
  {
    tag: [t.function(t.variableName), t.function(t.propertyName)],
    color: '#6639ba',
  },
  { tag: [t.definition(t.variableName), t.className], color: '#953800' },
  { tag: t.self, color: '#a40e26' },
])

const theme = EditorView.theme({
  '&': {
    height: '100%',
    fontSize: '13px',
    color: '#1c2128',
    backgroundColor: '#ffffff',
  },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '-2px' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.6' },
  '.cm-content': { caretColor: '#1c2128' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: '#1c2128' },
  '.cm-gutters': {
    backgroundColor: '#f6f8fa',
    color: '#57606a',
    borderRight: '1px solid #d8dee4',
  },
  '.cm-activeLine': { backgroundColor: '#f1f6fc' },
  '.cm-activeLineGutter': { backgroundColor: '#e7eef7', color: '#1c2128' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: '#cfe3fb !important',
  },
  '.cm-student-current': {
    backgroundColor: '#fff3c4',
    boxShadow: 'inset 4px 0 0 #e0a800',
  },
  '.cm-student-failure': {
    backgroundColor: '#ffebe9',
    boxShadow: 'inset 4px 0 0 #cf222e',
  },
  '.cm-student-gutter': { width: '1.3em', textAlign: 'center' },
  '.cm-student-mark-current': { color: '#9a6700' },
  '.cm-student-mark-failure': { color: '#cf222e', fontWeight: '700' },
  '.cm-panels': { backgroundColor: '#f6f8fa', color: '#1c2128', borderColor: '#d8dee4' },
  '.cm-searchMatch': { backgroundColor: 'var(--warn-bg)', outline: '1px solid var(--warn)' },
  '.cm-textfield, .cm-button': { fontSize: '0.85rem' },
})

/**
 * Escape, then Tab, leaves the editor: Tab indents while typing code, so without this a
 * keyboard user could never get out. (CodeMirror's advice for indentWithTab.)
 */
const escapeReleasesTab = keymap.of([
  {
    key: 'Escape',
    run: (view) => {
      simplifySelection(view)
      return temporarilySetTabFocusMode(view)
    },
  },
])

export interface EditorOptions {
  /** Told after every change the student makes (not after `replaceText`). */
  onEdit: () => void
  label: string
}

/** Everything the student's Python editor needs, in one extension list. */
export function editorExtensions(opts: EditorOptions): Extension[] {
  return [
    lineNumbers(),
    gutter({
      class: 'cm-student-gutter',
      markers: (view) => view.state.field(marksField).gutter,
    }),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    indentOnInput(),
    indentUnit.of('    '),
    bracketMatching(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    search({ top: true }),
    python(),
    syntaxHighlighting(highlightStyle),
    marksField,
    escapeReleasesTab,
    keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap, indentWithTab]),
    theme,
    // tabindex: the editable area is in the tab order anyway; saying so lets checkers see that
    // the scrolling box holds something focusable.
    EditorView.contentAttributes.of({ 'aria-label': opts.label, tabindex: '0' }),
    EditorView.updateListener.of((u) => {
      if (u.docChanged && u.transactions.some((tr) => !tr.annotation(fromDisk))) opts.onEdit()
    }),
  ]
}
