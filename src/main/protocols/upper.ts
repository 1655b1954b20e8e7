/**
 * The uppercase service from the course material: the reply is the message in capitals.
 * Over TCP one message is one recv() (or one line, in line mode); over UDP one message is
 * one datagram, at most MAX_DATAGRAM_BYTES long: what the course's recvfrom(2048) reads.
 */
export const MAX_DATAGRAM_BYTES = 2048
export const DATAGRAM_TOO_LONG_REPLY = `ERROR datagram too long (max ${MAX_DATAGRAM_BYTES} bytes)`

export function upperReply(text: string): string {
  return text.toUpperCase()
}

/** The reply to one UDP datagram, given as the text recvfrom() decoded. */
export function upperDatagramReply(text: string): string {
  // Stryker: equivalent — 'utf8' → '' survives: Buffer.byteLength reads an empty encoding as UTF-8.
  if (Buffer.byteLength(text, 'utf8') > MAX_DATAGRAM_BYTES) return DATAGRAM_TOO_LONG_REPLY
  return upperReply(text)
}
