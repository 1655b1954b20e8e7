/**
 * Presenter mode's keyboard shortcuts: one key per action, so an instructor at a projector
 * drives the lab without hunting for small buttons. `P` works everywhere; the others only in
 * presenter mode (a student typing elsewhere never triggers them). Keys typed into a field
 * are the field's.
 */
export type ShortcutAction =
  | { kind: 'presenter' }
  | { kind: 'next' }
  | { kind: 'previous' }
  | { kind: 'program'; index: number }
  | { kind: 'stop-all' }
  | { kind: 'clear' }
  | { kind: 'answers' }
  | { kind: 'reveal' }
  | { kind: 'theme' }

export interface KeyPress {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
}

/** The fixed shortcuts, in the order the on-screen list shows them (programs come between). */
export const FIXED_SHORTCUTS: readonly { keys: string; does: string }[] = [
  { keys: 'N or →', does: 'Next step' },
  { keys: 'B or ←', does: 'Step back' },
  { keys: 'X', does: 'Stop all' },
  { keys: 'C', does: 'Clear trace' },
  { keys: 'H', does: 'Fold answers' },
  { keys: 'R', does: 'Reveal answers' },
  { keys: 'T', does: 'Next theme' },
  { keys: 'P', does: 'Presenter off' },
]

const LETTERS: Record<string, ShortcutAction> = {
  n: { kind: 'next' },
  arrowright: { kind: 'next' },
  b: { kind: 'previous' },
  arrowleft: { kind: 'previous' },
  x: { kind: 'stop-all' },
  c: { kind: 'clear' },
  h: { kind: 'answers' },
  r: { kind: 'reveal' },
  t: { kind: 'theme' },
}

/** What a key press asks for, or null: not a shortcut (or not one in this mode). */
export function shortcutFor(press: KeyPress, presenter: boolean): ShortcutAction | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null
  const key = press.key.toLowerCase()
  if (key === 'p') return { kind: 'presenter' }
  if (!presenter) return null
  if (/^[1-9]$/.test(key)) return { kind: 'program', index: Number(key) - 1 }
  return LETTERS[key] ?? null
}

/** The key press belongs to what has focus: a text field, a list box, an editor. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  const tag = target.tagName
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true
  if (tag !== 'INPUT') return false
  const type = (target as HTMLInputElement).type
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color'].includes(type)
}
