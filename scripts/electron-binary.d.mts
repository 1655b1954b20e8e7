/** Where Electron's binary is, or null when it is not installed (never downloads it). */
export function findElectronBinary(): string | null
