import { defineConfig } from '@playwright/test'
import { chromiumLaunchOptions } from './e2e/chromium'

/**
 * End-to-end specs drive the real app: the browser host (built main + renderer) in Debian's
 * Chromium, and the Electron window where Electron's binary exists. Never a downloaded browser.
 */
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
  projects: [
    { name: 'browser-host', testIgnore: /electron\.spec\.ts/ },
    { name: 'electron', testMatch: /electron\.spec\.ts/ },
  ],
})
