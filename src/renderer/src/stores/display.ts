import { defineStore } from 'pinia'
import { ref, watch } from 'vue'

/**
 * How the page looks, for the person in front of it: the theme, the type size, presenter mode
 * and whether the step's answers wait for the instructor. Kept in localStorage (it belongs to
 * this screen, not to the student's progress) and applied to the root element, where
 * styles/base.css reads it.
 */
export const THEMES = ['system', 'light', 'dark', 'contrast'] as const
export type Theme = (typeof THEMES)[number]
export const THEME_LABELS: Record<Theme, string> = {
  system: 'Theme: auto',
  light: 'Light',
  dark: 'Dark',
  contrast: 'High contrast',
}

/** The type scale of each size; presenter mode never goes below PRESENTER_SCALE. */
const SCALES = { normal: 1, large: 1.25 } as const
const PRESENTER_SCALE = 1.3
const KEY = 'socket-labs.display'

interface Saved {
  theme: Theme
  large: boolean
  presenter: boolean
  hideAnswers: boolean
  presenterControls: boolean
}

function readSaved(): Partial<Saved> {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(KEY) ?? '{}')
    if (!raw || typeof raw !== 'object') return {}
    const r = raw as Record<string, unknown>
    return {
      theme: THEMES.includes(r.theme as Theme) ? (r.theme as Theme) : undefined,
      large: typeof r.large === 'boolean' ? r.large : undefined,
      presenter: typeof r.presenter === 'boolean' ? r.presenter : undefined,
      hideAnswers: typeof r.hideAnswers === 'boolean' ? r.hideAnswers : undefined,
      presenterControls: typeof r.presenterControls === 'boolean' ? r.presenterControls : undefined,
    }
  } catch {
    // A damaged entry (edited by hand, another version): start from the defaults.
    return {}
  }
}

export const useDisplayStore = defineStore('display', () => {
  const saved = readSaved()
  const theme = ref<Theme>(saved.theme ?? 'system')
  /** Larger type everywhere: text, controls, code, log and the diagram. */
  const large = ref(saved.large ?? false)
  const presenter = ref(saved.presenter ?? false)
  /** In presenter mode: hints and "what to watch" answers stay folded until revealed. */
  const hideAnswers = ref(saved.hideAnswers ?? false)
  /**
   * In presenter mode the controls fold under the shortcut list; an instructor who opens them
   * keeps them open from step to step and after a reload, until they fold them again.
   */
  const presenterControls = ref(saved.presenterControls ?? false)

  // "As the system": the operating system's dark or light (or more contrast) preference,
  // followed live when it changes.
  const dark = window.matchMedia?.('(prefers-color-scheme: dark)')
  const more = window.matchMedia?.('(prefers-contrast: more)')
  const systemChanged = ref(0)
  for (const q of [dark, more]) q?.addEventListener('change', () => systemChanged.value++)

  /** The theme drawn now: the choice, or the system's preference. */
  function shownTheme(): Exclude<Theme, 'system'> {
    void systemChanged.value
    if (theme.value !== 'system') return theme.value
    if (more?.matches) return 'contrast'
    return dark?.matches ? 'dark' : 'light'
  }

  /** The factor every size on the page is multiplied by. */
  function scale(): number {
    const base = large.value ? SCALES.large : SCALES.normal
    return presenter.value ? Math.max(base, PRESENTER_SCALE) : base
  }

  function apply(): void {
    const root = document.documentElement
    root.dataset.theme = shownTheme()
    root.dataset.presenter = presenter.value ? 'true' : 'false'
    root.style.setProperty('--ui-scale', String(scale()))
  }

  watch(
    [theme, large, presenter, hideAnswers, presenterControls, systemChanged],
    () => {
      apply()
      const value: Saved = {
        theme: theme.value,
        large: large.value,
        presenter: presenter.value,
        hideAnswers: hideAnswers.value,
        presenterControls: presenterControls.value,
      }
      try {
        localStorage.setItem(KEY, JSON.stringify(value))
      } catch {
        // Storage full or disabled: the choice still holds for this page.
      }
    },
    { immediate: true },
  )

  function togglePresenter(): void {
    presenter.value = !presenter.value
  }

  function nextTheme(): void {
    theme.value = THEMES[(THEMES.indexOf(theme.value) + 1) % THEMES.length]!
  }

  return {
    theme,
    large,
    presenter,
    hideAnswers,
    presenterControls,
    scale,
    togglePresenter,
    nextTheme,
  }
})
