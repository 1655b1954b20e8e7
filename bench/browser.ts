import { chromium, type Browser } from 'playwright-core'
import { chromiumLaunchOptions } from '../e2e/chromium'

/** Debian's Chromium, launched as the end-to-end tests launch it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions)
}
