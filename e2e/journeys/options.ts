/** What every lab journey is given: its port, where to take screenshots, and a hook. */
export interface JourneyOptions {
  /** A free port for the lab's programs, so runs never collide with anything else. */
  port: number
  /** Called at the moments worth a screenshot (and a fit and axe check). */
  snap?: (name: string) => Promise<void>
  /** Called once the lab page is open, before the first step (e.g. to show the controls). */
  afterOpen?: () => Promise<void>
}

/** A lab with a relay or framing relay needs a second port. */
export interface RelayJourneyOptions extends JourneyOptions {
  relayPort: number
}
