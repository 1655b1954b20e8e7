/**
 * How every browser of this project is launched: Debian's Chromium (never a downloaded
 * one), with the flags this workplace needs. Used by Playwright's config and the bench.
 */
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
}
