import { defineStore } from 'pinia'
import { ref } from 'vue'
import { emptyWorksheet, type Worksheet } from '@shared/worksheet'
import { getApi } from '@renderer/bridge'
import { errorMessage } from '@renderer/errors'
import { useProgressStore } from '@renderer/stores/progress'

/** How long typing must pause before the worksheet is saved. */
export const AUTOSAVE_MS = 600

export type SaveState = 'loading' | 'saved' | 'unsaved' | 'saving' | 'error'

/**
 * The design worksheet being edited. What the student types is the truth here; it is saved
 * to main a moment after they stop typing (and at once when they leave), and read back from
 * the saved progress when the lab opens again.
 */
export const useWorksheetStore = defineStore('worksheet', () => {
  const labId = ref('')
  const sheet = ref<Worksheet>(emptyWorksheet())
  const state = ref<SaveState>('loading')
  const error = ref('')
  const savedAt = ref<string | undefined>()
  let timer: ReturnType<typeof setTimeout> | undefined
  /** Bumped on every edit: a save that finishes after a newer edit leaves it "unsaved". */
  let edits = 0
  let saving: Promise<void> = Promise.resolve()

  async function open(id: string): Promise<void> {
    if (labId.value === id && state.value !== 'loading') return
    await flush()
    labId.value = id
    state.value = 'loading'
    error.value = ''
    const editsBefore = edits
    try {
      const progress = await getApi().getProgress()
      if (labId.value !== id || edits !== editsBefore) return
      const saved = progress.labs[id]?.worksheet
      sheet.value = saved ? { answers: saved.answers, choices: saved.choices } : emptyWorksheet()
      savedAt.value = saved?.savedAt
      state.value = 'saved'
    } catch (err) {
      if (labId.value !== id) return
      state.value = 'error'
      error.value = `Could not read the saved worksheet: ${errorMessage(err)}`
    }
  }

  /** Write a question's answer; saved after a pause in typing. */
  function answer(questionId: string, text: string): void {
    edit({ ...sheet.value, answers: { ...sheet.value.answers, [questionId]: text } })
  }

  /** Pick an option of a choice question. */
  function choose(questionId: string, value: string): void {
    edit({ ...sheet.value, choices: { ...sheet.value.choices, [questionId]: value } })
  }

  function edit(next: Worksheet): void {
    sheet.value = next
    edits++
    state.value = 'unsaved'
    clearTimeout(timer)
    timer = setTimeout(() => void flush(), AUTOSAVE_MS)
  }

  /** Save now if anything is unsaved (e.g. when the student leaves the step). */
  async function flush(): Promise<void> {
    clearTimeout(timer)
    timer = undefined
    await saving
    if (state.value !== 'unsaved' && state.value !== 'error') return
    if (!labId.value) return
    saving = save(labId.value, edits)
    await saving
  }

  async function save(id: string, version: number): Promise<void> {
    state.value = 'saving'
    const { savedAt: _stamp, ...answers } = sheet.value
    try {
      const progress = await getApi().saveWorksheet(id, answers)
      useProgressStore().progress = progress
      if (labId.value !== id) return
      savedAt.value = progress.labs[id]?.worksheet?.savedAt
      error.value = ''
      state.value = edits === version ? 'saved' : 'unsaved'
    } catch (err) {
      if (labId.value !== id) return
      state.value = 'error'
      error.value = `Not saved: ${errorMessage(err)}`
    }
  }

  return { labId, sheet, state, error, savedAt, open, answer, choose, flush }
})
