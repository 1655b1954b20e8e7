import { describe, expect, it } from 'vitest'
import { openUdpInbox } from '../../src/main/net/udp/udp-inbox'

describe('openUdpInbox close', () => {
  it('can be called twice: the second call waits for the same close instead of throwing', async () => {
    const inbox = openUdpInbox('127.0.0.1')
    expect(await inbox.bind()).toBeNull()
    const first = inbox.close()
    const second = inbox.close()
    await expect(Promise.all([first, second])).resolves.toEqual([undefined, undefined])
    expect(await inbox.receive(0)).toBeNull()
  })
})
