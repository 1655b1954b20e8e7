import { seededRandom } from './random'

export interface DropSettings {
  seed: number
  /** Probability of dropping each reply, 0 to 0.9. */
  dropRate: number
  /** Drop exactly the replies to these PING numbers instead (when not empty). */
  dropList?: readonly number[]
}

/**
 * The lossy server's choice for each valid PING, in arrival order: true means "do not reply".
 * It draws one number per PING in both modes, so switching mode never shifts the sequence.
 */
export function makeDropDecider(settings: DropSettings): (pingNumber: number) => boolean {
  const random = seededRandom(settings.seed)
  const list = settings.dropList?.length ? new Set(settings.dropList) : undefined
  return (pingNumber) => {
    const draw = random()
    return list ? list.has(pingNumber) : draw < settings.dropRate
  }
}

/** "seed 1234, drop probability 0.3" or "seed 1234, dropping replies to PING 3, 7". */
export function describeDropSettings(settings: DropSettings): string {
  if (settings.dropList?.length) {
    const numbers = [...new Set(settings.dropList)].sort((a, b) => a - b)
    return `seed ${settings.seed}, dropping replies to PING ${numbers.join(', ')}`
  }
  return `seed ${settings.seed}, drop probability ${settings.dropRate}`
}
