"""Socket Labs tracer: run a student's Python program and report its socket calls.

    python3 -u socketlabs_tracer.py STUDENT_FILE [ARGS...]

The app starts this file instead of the student's; it never touches the student's file.
It replaces socket.socket with a subclass that reports each call as one JSON line on a
pipe the app passes as an extra file descriptor (its number in SOCKETLABS_TRACE_FD), then
runs the student's file as __main__ with sys.argv[0] set to it.

Rules this file keeps, so that a traced program does exactly what it does untraced:
- every wrapped call calls the real one with the same arguments, and returns its result
  or re-raises its exception unchanged (a bare `raise`);
- reporting never raises: if the pipe breaks, tracing stops and the program goes on;
- the standard library only, and nothing printed on stdout or stderr.

A record: {"v":1,"n":seq,"t":monotonic seconds,"op":...,"sock":id,"proto":"tcp"|"udp"|"other",
"local":"host:port","remote":"host:port","bytes":n,"data":"first bytes as latin-1",
"outcome":"ok"|"timeout"|"refused"|"reset"|"wouldblock"|"interrupted"|"error","errno":"ECONNREFUSED",
"error":"text","file":path,"line":n,"thread":name,"tid":id, plus op-specific fields}.

What stays the same from one call to the next at one line of code (v, op, sock, proto, file,
line, thread, tid, local, remote: the record's "head") is written once, as a definition
{"def":id, ...those fields}, and the records of that call site say {"h":id, ...the rest}: a
record is then a third of the bytes, and the app parses a third of the JSON.
"""

import errno as _errno
import json as _json
import os as _os
import socket as _socket
import sys as _sys
import threading as _threading
import time as _time
import _thread

VERSION = 1
# How many payload bytes a record carries: enough to read a protocol line, never a megabyte.
PREVIEW_BYTES = 200
FD_ENV = "SOCKETLABS_TRACE_FD"
# How long a record may wait to be written with others, and how much may wait.
FLUSH_SECONDS = 0.004
BUFFER_BYTES = 32 * 1024
# As this file's frames name it (the path it was started with), to leave them out.
THIS_FILE = _sys._getframe(0).f_code.co_filename

_RealSocket = _socket.socket
_dumps = _json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), allow_nan=False).encode
_monotonic = _time.monotonic
_sleep = _time.sleep
_getframe = _sys._getframe
_get_ident = _threading.get_ident
_current_thread = _threading.current_thread


class _Channel:
    """The pipe to the app: whole lines, a few milliseconds' worth at a time.

    A record waits at most FLUSH_SECONDS (a helper thread writes it) or until BUFFER_BYTES
    are pending, so a fast program makes one write per batch, not one per call. The helper is
    a bare _thread, invisible to threading.enumerate() and active_count(). Once the pipe
    breaks, tracing stops for good and the program goes on.
    """

    def __init__(self, fd):
        self.fd = fd
        # Re-entrant: a signal handler that uses a socket may run while this thread records.
        self.lock = _threading.RLock()
        self.pending = []
        self.size = 0
        self.seq = 0
        # Held while nothing is pending; released to wake the writer.
        self.wake = _thread.allocate_lock()
        self.wake.acquire()
        if fd is not None:
            _thread.start_new_thread(self._writer, ())

    def define(self, line):
        """Queue a head definition (a whole line): before any record that refers to it."""
        if self.fd is None:
            return
        with self.lock:
            self._queue(line)

    def send(self, text):
        """Queue one record, all but its number and closing brace."""
        if self.fd is None:
            return
        with self.lock:
            self.seq += 1
            self._queue('%s,"n":%d}' % (text, self.seq))

    def _queue(self, line):
        # Called with the lock held. The first line pending wakes the writer, whatever it is:
        # a definition followed by its record must not wait for the buffer to fill.
        self.pending.append(line)
        self.size += len(line)
        if self.size >= BUFFER_BYTES:
            self._write()
        elif len(self.pending) == 1 and self.wake.locked():
            self.wake.release()

    def flush(self):
        with self.lock:
            self._write()

    def _write(self):
        if not self.pending or self.fd is None:
            return
        data = ("\n".join(self.pending) + "\n").encode("ascii")
        self.pending = []
        self.size = 0
        try:
            while data:
                written = _os.write(self.fd, data)
                data = data[written:]
        except Exception:  # a broken pipe or a closed fd: the program goes on untraced
            self.fd = None

    def _writer(self):
        while self.fd is not None:
            self.wake.acquire()
            _sleep(FLUSH_SECONDS)
            self.flush()

    def stop_in_child(self):
        # A forked child has no writer thread: it runs untraced rather than write half lines.
        self.fd = None
        self.pending = []


def _open_channel():
    raw = _os.environ.pop(FD_ENV, None)
    if raw is None or not raw.isdigit():
        return _Channel(None)
    fd = int(raw)
    try:
        # Move the pipe out of the way: the student's first socket then gets the descriptor
        # number it gets untraced (3), and their child processes do not inherit the pipe.
        import fcntl

        high = fcntl.fcntl(fd, getattr(fcntl, "F_DUPFD_CLOEXEC", fcntl.F_DUPFD), 100)
        _os.set_inheritable(high, False)
        _os.close(fd)
        fd = high
    except Exception:  # no fcntl (Windows): keep the descriptor, not inherited
        try:
            _os.set_inheritable(fd, False)
        except OSError:
            return _Channel(None)
    return _Channel(fd)


_channel = _Channel(None)
_student_file = None
_student_dir = None
_sock_ids = iter(range(1, 1 << 62))
_heads = {}
_head_ids = iter(range(1, 1 << 62))
_DATA_KEYS = frozenset(("bytes", "data"))
_encode_str = _json.encoder.encode_basestring_ascii


_is_students = {}


def _students(name):
    """Is this code file the student's: their program, or a module next to it?"""
    yes = _is_students.get(name)
    if yes is None:
        yes = name == _student_file or (
            name != THIS_FILE and _student_dir is not None and _os.path.dirname(name) == _student_dir
        )
        _is_students[name] = yes
    return yes


def _where():
    """The innermost frame of the student's code: (file, line), or (None, None)."""
    frame = _getframe(2)
    while frame is not None:
        if _students(frame.f_code.co_filename):
            return frame.f_code.co_filename, frame.f_lineno
        frame = frame.f_back
    return None, None


def _address(addr):
    if isinstance(addr, tuple) and len(addr) >= 2:
        host, port = addr[0], addr[1]
        if ":" in str(host):
            return "[%s]:%s" % (host, port)
        return "%s:%s" % (host, port)
    if addr is None or addr == "" or addr == b"":
        return None
    return str(addr)


def _preview(data, n=None):
    """The first bytes of a payload as latin-1 text (JSON escapes what is not printable)."""
    try:
        view = memoryview(data).cast("B")
        if n is not None:
            view = view[:n]
        return bytes(view[:PREVIEW_BYTES]).decode("latin-1")
    except Exception:
        return None


def _outcome(error):
    if isinstance(error, KeyboardInterrupt):
        return "interrupted"
    if isinstance(error, _socket.timeout):
        return "timeout"
    if isinstance(error, ConnectionRefusedError):
        return "refused"
    if isinstance(error, ConnectionResetError):
        return "reset"
    if isinstance(error, BlockingIOError):
        return "wouldblock"
    return "error"


def _describe(error):
    out = {"outcome": _outcome(error), "error": "%s: %s" % (type(error).__name__, error)}
    code = getattr(error, "errno", None)
    if isinstance(code, int):
        out["errno"] = _errno.errorcode.get(code, str(code))
    return out


class TracedSocket(_RealSocket):
    """socket.socket, reporting each call. Same arguments, results and exceptions."""

    __slots__ = ("_sl_id", "_sl_local", "_sl_remote")

    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        _RealSocket.__init__(self, family, type, proto, fileno)
        self._sl_id = next(_sock_ids)
        self._sl_local = None
        self._sl_remote = None
        # A socket made from a descriptor (accept(), dup(), fromfd()) is reported by its maker.
        if fileno is None:
            self._report("socket", None, family=int(self.family), type=int(self.type))

    def _proto(self):
        kind = _RealSocket.type.__get__(self) & 0xF  # SOCK_NONBLOCK/SOCK_CLOEXEC bits cleared
        if kind == _socket.SOCK_STREAM:
            return "tcp"
        if kind == _socket.SOCK_DGRAM:
            return "udp"
        return "other"

    def _learn_local(self):
        if self._sl_local is None:
            try:
                self._sl_local = _address(_RealSocket.getsockname(self))
            except Exception:
                pass

    def _learn_remote(self):
        try:
            self._sl_remote = _address(_RealSocket.getpeername(self))
        except Exception:
            pass

    def _head(self, op, file, line, tid, remote):
        """The start of this call site's records (ends with a comma); defined on first use."""
        # What stays the same from one call to the next at one line (which socket, where,
        # which thread) is sent once: a record then costs little more than its numbers.
        key = (op, self._sl_id, file, line, tid, self._sl_local, remote)
        head = _heads.get(key)
        if head is None:
            fields = {
                "v": VERSION,
                "op": op,
                "sock": self._sl_id,
                "proto": self._proto(),
                "file": file,
                "line": line,
                "thread": _current_thread().name,
                "tid": tid,
            }
            if self._sl_local is not None:
                fields["local"] = self._sl_local
            if remote is not None:
                fields["remote"] = remote
            number = next(_head_ids)
            fields["def"] = number
            if len(_heads) >= 4096:
                _heads.clear()
            # Defined on the pipe before it is stored, so no thread can refer to it earlier.
            _channel.define(_dumps(fields))
            head = '{"h":%d,' % number
            _heads[key] = head
        return head

    def _moved(self, op, count, data, remote=None):
        """A call that returned after moving `count` bytes: the hot path, written by hand."""
        if _channel.fd is None:
            return
        frame = _getframe(2)  # the wrapper's caller
        while frame is not None and not _students(frame.f_code.co_filename):
            frame = frame.f_back
        if frame is None:
            file = line = None
        else:
            file, line = frame.f_code.co_filename, frame.f_lineno
        head = self._head(op, file, line, _get_ident(), remote or self._sl_remote)
        preview = data[:PREVIEW_BYTES].decode("latin-1") if type(data) is bytes else _preview(data)
        if preview is None:
            _channel.send('%s"outcome":"ok","t":%r,"bytes":%d' % (head, _monotonic(), count))
        else:
            _channel.send('%s"outcome":"ok","t":%r,"bytes":%d,"data":%s'
                          % (head, _monotonic(), count, _encode_str(preview)))

    def _report(self, op, error, **fields):
        if _channel.fd is None:
            return
        file, line = _where()
        head = self._head(op, file, line, _get_ident(), fields.pop("remote", self._sl_remote))
        t = _monotonic()
        if error is None and fields.keys() <= _DATA_KEYS:
            # The common case, a call that returned with its bytes, written out by hand.
            tail = '"outcome":"ok","t":' + repr(t)
            count = fields.get("bytes")
            if count is not None:
                tail += ',"bytes":%d' % count
            data = fields.get("data")
            if data is not None:
                tail += ',"data":' + _encode_str(data)
        else:
            fields["t"] = t
            if error is None:
                fields["outcome"] = "ok"
            else:
                fields.update(_describe(error))
            try:
                tail = _dumps(fields)[1:-1]
            except Exception:  # a value JSON cannot hold: this record is skipped, not the rest
                return
        _channel.send(head + tail)

    # Set-up ------------------------------------------------------------------------------

    def bind(self, address):
        try:
            result = _RealSocket.bind(self, address)
        except BaseException as error:
            self._report("bind", error, asked=_address(address))
            raise
        self._learn_local()
        self._report("bind", None, asked=_address(address))
        return result

    def listen(self, *backlog):
        try:
            result = _RealSocket.listen(self, *backlog)
        except BaseException as error:
            self._report("listen", error)
            raise
        self._learn_local()
        self._report("listen", None, backlog=backlog[0] if backlog else None)
        return result

    def accept(self):
        try:
            conn, addr = _RealSocket.accept(self)
        except BaseException as error:
            self._report("accept", error)
            raise
        if isinstance(conn, TracedSocket):
            conn._sl_local = _address(conn.getsockname())
            conn._sl_remote = _address(addr)
            self._report("accept", None, remote=conn._sl_remote, conn_sock=conn._sl_id,
                         conn_local=conn._sl_local)
        return conn, addr

    def connect(self, address):
        try:
            result = _RealSocket.connect(self, address)
        except BaseException as error:
            self._learn_local()
            self._report("connect", error, remote=_address(address))
            raise
        self._learn_local()
        self._sl_remote = _address(address)
        if self.type & 0xF == _socket.SOCK_STREAM:
            self._learn_remote()
        self._report("connect", None)
        return result

    def connect_ex(self, address):
        try:
            code = _RealSocket.connect_ex(self, address)
        except BaseException as error:
            self._report("connect", error, remote=_address(address))
            raise
        self._learn_local()
        if code == 0 or code == _errno.EISCONN:
            self._sl_remote = _address(address)
            self._report("connect", None, code=code)
        else:
            outcome = {_errno.ECONNREFUSED: "refused", _errno.EINPROGRESS: "wouldblock",
                       _errno.EWOULDBLOCK: "wouldblock", _errno.EALREADY: "wouldblock"}.get(code, "error")
            # connect_ex returns its error instead of raising it: the outcome is the code.
            self._report("connect", None, remote=_address(address), code=code, outcome=outcome,
                         errno=_errno.errorcode.get(code, str(code)))
        return code

    def settimeout(self, value):
        try:
            result = _RealSocket.settimeout(self, value)
        except BaseException as error:
            self._report("settimeout", error)
            raise
        self._report("settimeout", None, timeout=self.gettimeout())
        return result

    def setblocking(self, flag):
        try:
            result = _RealSocket.setblocking(self, flag)
        except BaseException as error:
            self._report("setblocking", error)
            raise
        self._report("setblocking", None, blocking=bool(flag))
        return result

    def shutdown(self, how):
        try:
            result = _RealSocket.shutdown(self, how)
        except BaseException as error:
            self._report("shutdown", error, how=how if isinstance(how, int) else None)
            raise
        self._report("shutdown", None, how=how)
        return result

    def close(self):
        already = self._closed
        try:
            result = _RealSocket.close(self)
        except BaseException as error:
            self._report("close", error)
            raise
        if not already:
            self._report("close", None)
        return result

    # Data ----------------------------------------------------------------------------------

    def send(self, data, *flags):
        try:
            n = _RealSocket.send(self, data, *flags)
        except BaseException as error:
            self._report("send", error, data=_preview(data))
            raise
        self._moved("send", n, data)
        return n

    def sendall(self, data, *flags):
        try:
            result = _RealSocket.sendall(self, data, *flags)
        except BaseException as error:
            self._report("sendall", error, data=_preview(data))
            raise
        self._moved("sendall", memoryview(data).nbytes, data)
        return result

    def sendto(self, data, *rest):
        try:
            n = _RealSocket.sendto(self, data, *rest)
        except BaseException as error:
            self._report("sendto", error, remote=_address(rest[-1]) if rest else None,
                         data=_preview(data))
            raise
        self._learn_local()
        self._moved("sendto", n, data, _address(rest[-1]))
        return n

    def recv(self, *args):
        try:
            data = _RealSocket.recv(self, *args)
        except BaseException as error:
            self._report("recv", error)
            raise
        self._moved("recv", len(data), data)
        return data

    def recvfrom(self, *args):
        try:
            data, addr = _RealSocket.recvfrom(self, *args)
        except BaseException as error:
            self._report("recvfrom", error)
            raise
        self._moved("recvfrom", len(data), data, _address(addr))
        return data, addr

    def recv_into(self, buffer, *args):
        try:
            n = _RealSocket.recv_into(self, buffer, *args)
        except BaseException as error:
            self._report("recv_into", error)
            raise
        self._report("recv_into", None, bytes=n, data=_preview(buffer, n))
        return n

    def recvfrom_into(self, buffer, *args):
        try:
            n, addr = _RealSocket.recvfrom_into(self, buffer, *args)
        except BaseException as error:
            self._report("recvfrom_into", error)
            raise
        self._report("recvfrom_into", None, remote=_address(addr), bytes=n,
                     data=_preview(buffer, n))
        return n, addr


# A student who prints a socket, or checks its type's name, sees socket.socket as usual.
TracedSocket.__module__ = "socket"
TracedSocket.__name__ = "socket"
TracedSocket.__qualname__ = "socket"


def _install():
    # socket.create_connection, create_server, socketpair and accept() look the class up
    # here when they run, so the sockets they make are traced too.
    _socket.socket = TracedSocket


def _clean_traceback(tb):
    """The traceback without the frames of this file and of runpy, as if run directly."""
    keep = []
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name != THIS_FILE and not name.endswith(("runpy.py", "<frozen runpy>")):
            keep.append(tb)
        tb = tb.tb_next
    for a, b in zip(keep, keep[1:]):
        a.tb_next = b
    if keep:
        keep[-1].tb_next = None
        return keep[0]
    return None


_die_by_sigint = False


def _after_everything():
    # Registered before the student's code runs, so it runs after every handler of theirs,
    # and after the interpreter has waited for their threads: as Python does on Ctrl+C.
    if _die_by_sigint and _os.name == "posix":
        import signal

        for stream in (_sys.stdout, _sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        _os.kill(_os.getpid(), signal.SIGINT)


def main():
    global _channel, _student_file, _student_dir, _die_by_sigint
    if len(_sys.argv) < 2:
        _sys.stderr.write("usage: python3 socketlabs_tracer.py STUDENT_FILE [ARGS...]\n")
        return 2
    import atexit
    import runpy

    atexit.register(_after_everything)
    _student_file = _os.path.abspath(_sys.argv[1])
    _student_dir = _os.path.dirname(_student_file)
    _sys.argv = _sys.argv[1:]
    # As `python3 FILE` does: the program's own folder first on the import path.
    _sys.path[0] = _student_dir
    _channel = _open_channel()
    # Registered before the student's code runs, so it runs after their own exit handlers.
    atexit.register(_channel.flush)
    if hasattr(_os, "register_at_fork"):
        _os.register_at_fork(after_in_child=_channel.stop_in_child)
    _install()
    try:
        runpy.run_path(_student_file, run_name="__main__")
    except SystemExit:
        raise
    except BaseException as error:
        tb = _clean_traceback(error.__traceback__)
        _sys.excepthook(type(error), error.with_traceback(tb), tb)
        if isinstance(error, KeyboardInterrupt):
            _die_by_sigint = True
            return 130
        return 1
    return 0


if __name__ == "__main__":
    _sys.exit(main())
