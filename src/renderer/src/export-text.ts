/**
 * Handing a panel's text to the student: as a downloaded file, or on the clipboard.
 */

/** Save `text` as a file named `filename` through the browser's download. */
export function downloadText(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  // In the document while clicked (some browsers ignore a detached link); the address is freed
  // a moment later, once the download has started.
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** Put `text` on the clipboard; false when this window may not (no permission, no clipboard). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    return false
  }
}
