import { describe, expect, it } from 'vitest'
import { parseTraceback } from '../../../src/main/student/traceback'

const mine = (f: string) => f.endsWith('/ws/client.py')

describe('parseTraceback', () => {
  it('finds the innermost frame in the student file, below library frames', () => {
    const stderr = [
      'Traceback (most recent call last):',
      '  File "/ws/client.py", line 20, in <module>',
      '    main()',
      '  File "/ws/client.py", line 12, in main',
      '    sock = socket.create_connection(("127.0.0.1", 9))',
      '  File "/usr/lib/python3.11/socket.py", line 851, in create_connection',
      '    raise exceptions[0]',
      'ConnectionRefusedError: [Errno 111] Connection refused',
      '',
    ].join('\n')
    expect(parseTraceback(stderr, mine)).toEqual({
      file: '/ws/client.py',
      line: 12,
      exception: 'ConnectionRefusedError',
      message: '[Errno 111] Connection refused',
    })
  })

  it('reads the last of chained tracebacks', () => {
    const stderr = [
      'Traceback (most recent call last):',
      '  File "/ws/client.py", line 5, in <module>',
      'TimeoutError: timed out',
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      '  File "/ws/client.py", line 8, in <module>',
      '    raise SystemError("x")',
      'socket.herror: no host',
    ].join('\n')
    expect(parseTraceback(stderr, mine)).toEqual({
      file: '/ws/client.py',
      line: 8,
      exception: 'socket.herror',
      message: 'no host',
    })
  })

  it('reads a syntax error printed without a traceback header', () => {
    const stderr = [
      '  File "/ws/client.py", line 3',
      '    print(',
      '         ^',
      "SyntaxError: '(' was never closed",
    ].join('\n')
    expect(parseTraceback(stderr, mine)).toEqual({
      file: '/ws/client.py',
      line: 3,
      exception: 'SyntaxError',
      message: "'(' was never closed",
    })
  })

  it('gives the exception without a line when no frame is the student file, and nothing without a traceback', () => {
    const stderr = [
      'Traceback (most recent call last):',
      '  File "/usr/lib/x.py", line 1, in f',
      'KeyboardInterrupt',
    ].join('\n')
    expect(parseTraceback(stderr, mine)).toEqual({ exception: 'KeyboardInterrupt', message: '' })
    expect(
      parseTraceback('usage: client.py [-h] port\nclient.py: error: bad port', mine),
    ).toBeUndefined()
  })
})
