#!/usr/bin/env python3
# threadlab-pyhost: the Python worker host (backends python and python-process); speaks docs/protocol.md.
"""Runs one workload in a threading.Thread (--mode thread) or a multiprocessing.Process (--mode process)
and stops it exactly the way the two Python tutorials ThreadLab grows out of do: an Event flag, an async
SystemExit through ctypes.pythonapi.PyThreadState_SetAsyncExc (optionally repeated until the thread is gone),
a sys.settrace kill flag (the KThread), interpreter exit with daemon threads, terminate() and kill().

Standard library only (Python 3.11). Every line on stdout is one protocol message; timestamps come from
time.monotonic_ns(), the CLOCK_MONOTONIC the app reads, so Python and Qt lanes share one timeline."""

import atexit
import ctypes
import json
import os
import queue
import signal
import struct
import sys
import threading
import time

PROTOCOL = 1
FLUSH_S = 0.025
CHILD_LIFETIME_S = 120.0  # a forgotten grandchild never lives for ever

# Re-entrant: a SIGTERM handler (sigterm_handler=true) may emit while the interrupted code holds it.
_write_lock = threading.RLock()


def now():
    return time.monotonic_ns()


def emit(obj):
    """One protocol line; a single os.write of less than PIPE_BUF is atomic even across processes."""
    obj.setdefault("t_ns", now())
    data = (json.dumps(obj, separators=(",", ":")) + "\n").encode()
    with _write_lock:
        try:
            os.write(1, data)
        except OSError:
            pass  # the app went away; PDEATHSIG or a stop ends us


def event(kind, value=None, detail=None, t_ns=None):
    obj = {"type": "event", "kind": kind, "t_ns": t_ns if t_ns is not None else now()}
    if value is not None:
        obj["value"] = int(value)
    if detail:
        obj["detail"] = detail[:2000]
    emit(obj)


# Where the workload's code is now (core/base/workerphase.cpp defines the words, in this order); the host sends a
# "phase" line when it changed, sampled like the steps.
PHASES = ["none", "checking", "working", "sleeping", "waiting-lock", "inside-lock", "blocked", "cleaning-up",
          "finished"]


class Ctx:
    """What a workload sees: the stop check, steps, marks and declared resources (as StopContext in C++).

    Thread mode keeps its counters in plain attributes; process mode in shared memory, so the host reads
    the child's steps and whether it observed the stop."""

    def __init__(self, worker_id, lab_dir, stop_event, shared=None):
        self.worker_id = worker_id
        self.lab_dir = lab_dir
        self.stop_event = stop_event
        self._shared = shared  # (steps, observed, phase) multiprocessing.Values in process mode
        self._steps = 0
        self._phase = 0
        self._observed = False
        self._wakers = []
        self._watcher = None
        self.iterations_per_us = 1.0
        self.trace_killed = False  # the KThread's flag, read by the trace function
        self.cleanup_total = 0  # slow-cleanup: steps its finally has to do, and how many it did
        self.cleanup_done = 0

    # --- counters ---
    @property
    def steps(self):
        return self._shared[0].value if self._shared else self._steps

    @property
    def observed(self):
        return bool(self._shared[1].value) if self._shared else self._observed

    @property
    def phase_word(self):
        return PHASES[self._shared[2].value if self._shared else self._phase]

    def phase(self, word):
        """Publishes where the code is now (the line the app's code panel highlights)."""
        i = PHASES.index(word)
        if self._shared:
            self._shared[2].value = i
        else:
            self._phase = i

    def should_stop(self):
        self.phase("checking")
        return self.stop_event.is_set()

    def step(self, n):
        if self._shared:
            self._shared[0].value = n
        else:
            self._steps = n
        if n == 1:
            event("first-step", 1)

    def notice_stop(self, how="the stop flag (Event.is_set())"):
        if self.observed:
            return
        if self._shared:
            self._shared[1].value = 1
        else:
            self._observed = True
        event("stop-observed", self.steps, "noticed " + how)

    def cleanup_begin(self):
        self.phase("cleaning-up")
        event("cleanup-begin")

    def cleanup_end(self):
        event("cleanup-end")

    def note(self, detail, value=None):
        event("note", value, detail)

    def acquired(self, kind, rid, what):
        event("resource", rid, kind + " " + what)

    def released(self, kind, rid, what):
        event("released", rid, kind + " " + what)

    def on_stop(self, wake):
        """wake=notify: runs wake once the stop is requested (from a watcher thread of this process)."""
        self._wakers.append(wake)
        if self._watcher is None:

            def watch():
                self.stop_event.wait()
                for w in list(self._wakers):
                    try:
                        w()
                    except Exception:  # a wake-up that fails must not kill the watcher
                        pass

            self._watcher = threading.Thread(target=watch, name="stop-watcher", daemon=True)
            self._watcher.start()

    def burn_step(self, us):
        """One step of pure-Python work, calibrated untraced to take about `us` microseconds: a traced
        thread (settrace) does the same work, so its steps show the tracing slowdown."""
        x = 0
        for i in range(max(1, int(us * self.iterations_per_us))):
            x += i
        return x


def calibrate(ctx):
    """Iterations of burn_step's loop per microsecond on this machine, measured untraced."""
    n = 20000
    best = None
    for _ in range(3):
        t0 = time.perf_counter_ns()
        x = 0
        for i in range(n):
            x += i
        dt = max(1, time.perf_counter_ns() - t0)
        best = dt if best is None else min(best, dt)
    ctx.iterations_per_us = n * 1000.0 / best


# ---------------------------------------------------------------------------------------------- workloads


def w_cpu_spin(ctx, p):
    n = 0
    while n < p["steps"]:
        if n % p["check_every"] == 0 and ctx.should_stop():
            ctx.notice_stop()
            return
        ctx.phase("working")
        ctx.burn_step(p["step_us"])
        n += 1
        ctx.step(n)


def w_cpu_ignore(ctx, p):
    end = now() + p["run_ms"] * 1_000_000
    n = 0
    ctx.phase("working")
    while now() < end:
        ctx.burn_step(p["step_us"])
        n += 1
        ctx.step(n)


def w_sleep_steps(ctx, p):
    for n in range(p["steps"]):
        if ctx.should_stop():
            ctx.notice_stop()
            return
        ctx.phase("sleeping")
        time.sleep(p["step_ms"] / 1000.0)
        ctx.step(n + 1)


def w_blocking_wait(ctx, p):
    wait, wake = p["wait"], p["wake"]
    timeout = p["timeout_ms"] / 1000.0
    slice_s = p["slice_ms"] / 1000.0 if wake == "poll" else timeout
    end = time.monotonic() + timeout
    thing = threading.Event()  # the thing that never comes
    q = queue.Queue()
    a = b = None
    if wait == "recv":
        import socket  # imported where used: every import is start-up time of every host

        a, b = socket.socketpair()
        ctx.acquired("fd", a.fileno(), "socket (recv end)")
        ctx.acquired("fd", b.fileno(), "socket (send end)")
    if wake == "notify":
        if wait == "event":
            ctx.on_stop(thing.set)
        elif wait == "queue":
            ctx.on_stop(lambda: q.put(None))
        elif wait == "recv":
            ctx.on_stop(lambda: b.send(b"x"))
        else:
            ctx.note("a time.sleep cannot be woken: wake=notify waits it out")
    try:
        ctx.note("waiting in " + {"sleep": "time.sleep", "event": "Event.wait", "queue": "queue.get",
                                  "recv": "socket.recv"}[wait])
        while True:
            left = end - time.monotonic()
            if left <= 0:
                ctx.note("gave up waiting after timeout_ms")
                return
            s = min(slice_s, left)
            ctx.phase("sleeping" if wait == "sleep" else "blocked")
            if wait == "sleep":
                time.sleep(s)
            elif wait == "event":
                thing.wait(s)
            elif wait == "queue":
                try:
                    q.get(timeout=s)
                except queue.Empty:
                    pass
            else:
                a.settimeout(s)
                try:
                    a.recv(1)
                except TimeoutError:
                    pass
            ctx.step(ctx.steps + 1)
            if ctx.should_stop():
                ctx.notice_stop()
                return
    finally:
        if a is not None:
            ctx.released("fd", b.fileno(), "socket (send end)")
            ctx.released("fd", a.fileno(), "socket (recv end)")
            a.close()
            b.close()


LAB_LOCK = threading.Lock()  # the host's "lab lock": what lock-holder takes


def w_lock_holder(ctx, p):
    hold, gap = p["hold_ms"] / 1000.0, p["gap_ms"] / 1000.0
    for n in range(p["steps"]):
        if ctx.should_stop():
            ctx.notice_stop()
            return
        ctx.phase("waiting-lock")
        if p["raii"]:
            with LAB_LOCK:  # released by the with block whatever unwinds through it
                ctx.phase("inside-lock")
                ctx.acquired("lock", 1, "lab lock")
                time.sleep(hold)
            ctx.released("lock", 1, "lab lock")
        else:
            LAB_LOCK.acquire()  # released only if the code reaches release()
            ctx.phase("inside-lock")
            ctx.acquired("lock", 1, "lab lock")
            time.sleep(hold)
            LAB_LOCK.release()
            ctx.released("lock", 1, "lab lock")
        ctx.phase("sleeping")
        time.sleep(gap)
        ctx.step(n + 1)


def _record(index, payload):
    body = bytes([ord("a") + index % 26]) * payload
    return b"TLRH" + struct.pack("=II", index, payload) + body + b"TLRT" + struct.pack("=I", index)


def w_file_writer(ctx, p):
    serial = int(now() % 1_000_000_000)
    final = os.path.join(ctx.lab_dir, "file-writer-w%d-py%d.dat" % (ctx.worker_id, serial))
    part = final + ".part"
    stopped = False
    if p["raii"]:
        f = open(part, "wb", buffering=0)
        ctx.acquired("file", 0, part)
        ctx.acquired("fd", f.fileno(), part)
        with f:  # closed by the with block whatever unwinds through it
            try:
                for i in range(p["records"]):
                    if ctx.should_stop():
                        stopped = True
                        break
                    ctx.phase("working")
                    rec = _record(i, p["record_bytes"])
                    half = len(rec) // 2
                    f.write(rec[:half])  # two writes: an exception between them leaves a half record
                    f.write(rec[half:])
                    ctx.step(i + 1)
                    ctx.phase("sleeping")
                    time.sleep(p["record_ms"] / 1000.0)
            except BaseException:
                # the raii variant discards what it could not finish (its finally-style clean-up)
                f.close()
                os.unlink(part)
                ctx.released("fd", -1, part)
                ctx.released("file", 0, part)
                raise
            if p["fsync"]:
                os.fsync(f.fileno())
    else:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        ctx.acquired("file", 0, part)
        ctx.acquired("fd", fd, part)
        for i in range(p["records"]):
            if ctx.should_stop():
                stopped = True
                break
            ctx.phase("working")
            rec = _record(i, p["record_bytes"])
            half = len(rec) // 2
            os.write(fd, rec[:half])
            os.write(fd, rec[half:])
            ctx.step(i + 1)
            ctx.phase("sleeping")
            time.sleep(p["record_ms"] / 1000.0)
        if p["fsync"]:
            os.fsync(fd)
        os.close(fd)  # never reached when an exception unwinds: the fd and the .part stay
    if stopped:
        ctx.notice_stop()
        ctx.cleanup_begin()
    ctx.released("fd", -1, part)
    os.rename(part, final)
    ctx.note("committed " + final, ctx.steps)
    ctx.released("file", 0, part)
    if stopped:
        ctx.cleanup_end()


def _child_thread(stop, step_ms, steps):
    for _ in range(steps):
        if stop.is_set():
            return
        time.sleep(step_ms / 1000.0)


def _grandchild(lifetime_s, setsid=False):
    if setsid:
        os.setsid()  # a session (and group) of its own: a kill of the host's group misses it
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    null = os.open(os.devnull, os.O_RDWR)  # do not hold the app's pipes open
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    end = time.monotonic() + lifetime_s
    while time.monotonic() < end:
        time.sleep(0.1)


def w_spawner(ctx, p, process_mode=False):
    kids = []
    for i in range(p["children"]):
        if process_mode:
            pid = os.fork()
            if pid == 0:
                try:
                    _grandchild(CHILD_LIFETIME_S, p.get("setsid", False))
                finally:
                    os._exit(0)
            emit({"type": "resource", "action": "acquired", "kind": "process", "id": pid,
                  "what": "grandchild process"})
            ctx.acquired("process", pid, "grandchild %d (%s)" % (
                pid, "setsid: in a session of its own" if p.get("setsid") else "in the host's group"))
            kids.append(pid)
        else:
            stop = threading.Event()
            t = threading.Thread(target=_child_thread, args=(stop, 10, 100_000_000), daemon=p["daemon"])
            t.start()
            ctx.acquired("thread", t.native_id, "child thread %d (sleep-steps)" % (i + 1))
            kids.append((t, stop))
    n = 0
    try:
        while n < p["steps"]:
            if ctx.should_stop():
                ctx.notice_stop()
                break
            ctx.phase("sleeping")
            time.sleep(p["step_ms"] / 1000.0)
            n += 1
            ctx.step(n)
    finally:
        if p["propagate"]:
            ctx.cleanup_begin()
            deadline = time.monotonic() + p["join_timeout_ms"] / 1000.0
            for k in kids:
                if process_mode:
                    os.kill(k, signal.SIGTERM)
                    os.waitpid(k, 0)
                    emit({"type": "resource", "action": "released", "kind": "process", "id": k,
                          "what": "grandchild process"})
                    ctx.released("process", k, "grandchild %d" % k)
                else:
                    k[1].set()
                    k[0].join(max(0.0, deadline - time.monotonic()))
                    if not k[0].is_alive():
                        ctx.released("thread", k[0].native_id, "child thread")
            ctx.cleanup_end()


def w_slow_cleanup(ctx, p):
    """sleep-steps whose finally takes cleanup_ms in 10 ms steps, each written to a file it then removes: an
    exception landing inside the finally (a repeated async raise) leaves the file with the steps that ran."""
    path = os.path.join(ctx.lab_dir, "slow-cleanup-w%d-py%d.tmp" % (ctx.worker_id, int(now() % 1_000_000_000)))
    f = open(path, "wb", buffering=0)
    ctx.acquired("file", 0, path)
    ctx.cleanup_total = max(1, (p["cleanup_ms"] + 9) // 10)
    try:
        for n in range(p["steps"]):
            if ctx.should_stop():
                ctx.notice_stop()
                return
            time.sleep(p["step_ms"] / 1000.0)
            ctx.step(n + 1)
    finally:
        ctx.cleanup_begin()
        for _ in range(ctx.cleanup_total):
            time.sleep(0.01)
            f.write(b"c")  # one clean-up step, on disk
            ctx.cleanup_done += 1
        f.close()
        os.unlink(path)
        ctx.released("file", 0, path)
        ctx.cleanup_end()


def w_timer_loop(ctx, p):
    """asyncio's counterpart of a Qt event-loop worker: a loop ticking every step_ms. Event.set() is read only by
    a tick with check=true; stop_loop=true makes the stop call loop.call_soon_threadsafe(loop.stop), the
    counterpart of QThread::quit()."""
    import asyncio  # imported where used: every import is start-up time of every host

    loop = asyncio.new_event_loop()
    state = {"ticks": 0, "last": False}
    step_s = p["step_ms"] / 1000.0

    def tick():
        if p["check"] and ctx.should_stop():
            ctx.notice_stop()
            ctx.note("a tick read the Event and stopped the loop", state["ticks"])
            loop.stop()
            return
        state["ticks"] += 1
        ctx.step(state["ticks"])
        if state["ticks"] >= p["steps"]:
            state["last"] = True
            ctx.note("the last tick: the loop stopped itself", state["ticks"])
            loop.stop()
            return
        loop.call_later(step_s, tick)

    if p.get("stop_loop"):
        ctx.on_stop(lambda: loop.call_soon_threadsafe(loop.stop))
    loop.call_later(step_s, tick)
    ctx.note("run_forever(): the asyncio loop waits for its timer")
    try:
        loop.run_forever()
    finally:
        loop.close()
    if not state["last"] and not ctx.observed:
        ctx.notice_stop("that run_forever() returned (loop.stop() sent by call_soon_threadsafe)")
        ctx.note("run_forever() returned before the last tick: loop.stop() ended the loop", state["ticks"])


WORKLOADS = {
    "cpu-spin": w_cpu_spin,
    "cpu-ignore": w_cpu_ignore,
    "sleep-steps": w_sleep_steps,
    "blocking-wait": w_blocking_wait,
    "lock-holder": w_lock_holder,
    "file-writer": w_file_writer,
    "spawner": w_spawner,
    "slow-cleanup": w_slow_cleanup,
    "timer-loop": w_timer_loop,
}


def run_workload(ctx, name, params, process_mode):
    if name == "spawner":
        w_spawner(ctx, params, process_mode)
    else:
        WORKLOADS[name](ctx, params)


# ------------------------------------------------------------------------------------------ thread mode


def async_raise(tid, exctype=SystemExit):
    """The tutorials' _async_raise: PyThreadState_SetAsyncExc(tid, SystemExit). Returns the threads hit."""
    res = ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid), ctypes.py_object(exctype))
    if res > 1:  # "if it returns a number greater than one, you're in trouble": revert
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid), None)
    return res


class ThreadHost:
    def __init__(self, worker_id, name, params, lab_dir):
        self.name, self.params = name, params
        self.stop_event = threading.Event()  # the StoppableThread's _stop_event
        self.ctx = Ctx(worker_id, lab_dir, self.stop_event)
        self.stop_requested = False
        self.kill_sent = False
        self.returned = False  # the workload returned normally
        self.raised = False  # SystemExit unwound the workload
        self.error = None
        self.exited_ns = None
        self.repeat_s = params.get("repeat_ms", 0) / 1000.0
        self.repeating = False
        self.in_workload = False  # the workload's code runs (a repeated raise is aimed at it, not at the host's)
        self.exit_requested = False
        self.bye_sent = False
        self.thread = None

    def body(self):
        try:
            event("started", threading.get_native_id())
            self.ctx.phase("working")
            if self.params.get("trace"):
                sys.settrace(self.globaltrace)  # the KThread: every new frame gets localtrace
            self.in_workload = True
            run_workload(self.ctx, self.name, self.params, False)
            self.returned = True
        except SystemExit:
            self.raised = True
        except BaseException as e:  # noqa: B902 - a workload error fails the worker
            self.error = "%s: %s" % (type(e).__name__, e)
        finally:
            self.finish_body()

    def finish_body(self):
        """The host's bookkeeping after the workload. A repeated raise (repeat_ms) issued just before the workload
        unwound may still land here; the host stops raising once in_workload is False, so catch that last one."""
        for _ in range(3):
            try:
                self.in_workload = False
                sys.settrace(None)
                self.ctx.phase("finished")
                self.exited_ns = now()
                event("exited", 0, "SystemExit unwound the thread" if self.raised else None, self.exited_ns)
                return
            except SystemExit:
                self.raised = True

    def globaltrace(self, frame, why, arg):
        return self.localtrace if why == "call" else None

    def localtrace(self, frame, why, arg):
        if self.ctx.trace_killed and why == "line":
            raise SystemExit()
        return self.localtrace

    def command(self, cmd):
        c = cmd.get("cmd")
        t = self.thread
        if c == "stop":
            if self.stop_event.is_set():
                return
            self.stop_requested = True
            self.ctx.note(cmd.get("why", "stop command received") + ": Event.set()")
            self.stop_event.set()
        elif c == "async-exc":
            self.stop_requested = self.kill_sent = True
            if t is not None and t.is_alive():
                res = async_raise(t.ident)
                self.ctx.note("PyThreadState_SetAsyncExc(%d, SystemExit) returned %d" % (t.ident, res), res)
                self.repeating = self.repeat_s > 0
        elif c == "settrace":
            self.stop_requested = self.kill_sent = True
            self.ctx.trace_killed = True
            self.ctx.note("KThread.kill(): the trace function raises SystemExit at the next line"
                          if self.params.get("trace") else
                          "KThread.kill() on a thread started without a trace (trace=false): nothing reads the flag")
        elif c == "exit":
            self.stop_requested = self.kill_sent = True
            self.exit_requested = True
        elif c != "ping":
            self.ctx.note("ignored command %r" % c)

    def outcome(self):
        if self.error:
            return "failed"
        if self.thread.is_alive():
            return "killed"  # interpreter exit with a daemon thread: it never runs its finally
        if self.raised or (self.kill_sent and not self.returned):
            return "killed"
        if not self.stop_requested:
            return "completed"
        return "stopped" if self.ctx.observed else "ignored"

    def bye(self):
        if self.bye_sent:
            return
        self.bye_sent = True
        if not self.thread.is_alive():
            probe_lab_lock(self.ctx, self.name)
            if self.ctx.cleanup_total:
                c = self.ctx
                self.ctx.note("the finally ran %d of %d clean-up steps%s" % (
                    c.cleanup_done, c.cleanup_total,
                    "" if c.cleanup_done == c.cleanup_total else ": an exception interrupted the clean-up"),
                    c.cleanup_done)
        else:
            self.ctx.note("interpreter exit: daemon thread %d still running; it is abandoned without running "
                          "its finally" % self.thread.native_id)
        emit({"type": "progress", "steps": self.ctx.steps})
        emit({"type": "phase", "phase": self.ctx.phase_word})
        emit({"type": "bye", "outcome": self.outcome()})

    def run(self):
        calibrate(self.ctx)
        self.thread = threading.Thread(target=self.body, name="workload", daemon=self.params.get("daemon", False))
        self.thread.start()
        start_reader(self.command)
        last = -1
        last_phase = "none"
        last_raise = time.monotonic()
        while self.thread.is_alive() and not self.exit_requested:
            self.thread.join(min(FLUSH_S, self.repeat_s) if self.repeating else FLUSH_S)
            steps = self.ctx.steps
            if steps != last:
                last = steps
                emit({"type": "progress", "steps": steps})
            if self.ctx.phase_word != last_phase:
                last_phase = self.ctx.phase_word
                emit({"type": "phase", "phase": last_phase})
            if self.repeating and self.in_workload and time.monotonic() - last_raise >= self.repeat_s:
                last_raise = time.monotonic()
                # seed 000: while t.is_alive(): t.raise_exc(SystemExit), for as long as the workload's code runs
                async_raise(self.thread.ident)
        if self.exit_requested:
            # Let the interpreter end as a program does: non-daemon threads are joined first, daemon
            # threads are abandoned. The bye goes out from atexit, after that join.
            self.ctx.note("interpreter exit: the main thread returns (daemon=%s)" % self.params.get("daemon"))
            atexit.register(self.bye)
            return None
        self.bye()
        return 0


def probe_lab_lock(ctx, name):
    """The next user of the lab lock: a raw acquire() unwound by an exception leaves it held for ever."""
    if name != "lock-holder":
        return
    # Nobody else takes the lock once the thread is gone: a short wait proves it as well as a long one, and
    # the wait delays the host's end (and so the measured end of the worker).
    if LAB_LOCK.acquire(timeout=0.05):
        LAB_LOCK.release()
        ctx.note("lab lock free after the thread ended: acquire(timeout=0.05) succeeded")
    else:
        ctx.note("host-proven leak: lock: lab lock still held after the thread ended: acquire(timeout=0.05) failed")


def start_reader(handle):
    """Reads commands from stdin in a daemon thread; closing stdin is a graceful stop."""

    def lines():
        # os.read on the raw fd, not sys.stdin: a daemon thread blocked inside a buffered reader makes
        # interpreter exit abort ("could not acquire lock for <stdin> at interpreter shutdown").
        pending = b""
        while True:
            try:
                chunk = os.read(0, 4096)
            except InterruptedError:
                continue
            except OSError:
                chunk = b""
            if not chunk:
                return
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                yield line

    def read():
        for line in lines():
            try:
                cmd = json.loads(line)
                if not isinstance(cmd, dict):
                    raise ValueError("not an object")
            except ValueError as e:
                event("note", None, "ignored command: %s" % e)
                continue
            handle(cmd)
        handle({"cmd": "stop", "why": "stdin closed: graceful stop"})

    threading.Thread(target=read, name="stdin-reader", daemon=True).start()


# ----------------------------------------------------------------------------------------- process mode


def child_main(worker_id, name, params, lab_dir, stop_event, steps, observed, phase):
    """The multiprocessing child: runs the workload in its main thread and reports straight to stdout."""
    ctx = Ctx(worker_id, lab_dir, stop_event, (steps, observed, phase))
    calibrate(ctx)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    if params.get("sigterm_handler"):

        def on_sigterm(signum, frame):
            ctx.notice_stop("SIGTERM (a handler raising SystemExit)")
            raise SystemExit(0)

        signal.signal(signal.SIGTERM, on_sigterm)
    else:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # terminate() kills: no finally runs
    event("started", os.getpid(), "multiprocessing child pid %d" % os.getpid())
    ctx.phase("working")
    try:
        run_workload(ctx, name, params, True)
    finally:
        ctx.phase("finished")
        event("exited", 0, "the child's workload returned or unwound")


class ProcessHost:
    def __init__(self, worker_id, name, params, lab_dir):
        import multiprocessing  # only this mode needs it: imported here to keep thread hosts quick to start

        self.worker_id, self.name, self.params, self.lab_dir = worker_id, name, params, lab_dir
        mp = multiprocessing.get_context("fork")
        self.stop_event = mp.Event()
        self.steps = mp.Value("q", 0, lock=False)
        self.observed = mp.Value("b", 0, lock=False)
        self.phase = mp.Value("b", 0, lock=False)
        self.proc = mp.Process(target=child_main, name="threadlab-child",
                               args=(worker_id, name, params, lab_dir, self.stop_event, self.steps, self.observed,
                                     self.phase),
                               daemon=params.get("daemon", False))
        self.stop_requested = False
        self.signal_sent = False

    def command(self, cmd):
        c = cmd.get("cmd")
        p = self.proc
        if c == "stop":
            if self.stop_event.is_set():
                return
            self.stop_requested = True
            event("note", None, cmd.get("why", "stop command received") + ": multiprocessing.Event.set()")
            self.stop_event.set()
        elif c in ("terminate", "kill"):
            self.stop_requested = self.signal_sent = True
            event("note", p.pid, "Process.%s(): %s to pid %d" % (c, "SIGTERM" if c == "terminate" else "SIGKILL",
                                                                  p.pid))
            getattr(p, c)()
        elif c != "ping":
            event("note", None, "ignored command %r" % c)

    def run(self):
        self.proc.start()
        emit({"type": "resource", "action": "acquired", "kind": "process", "id": self.proc.pid,
              "what": "multiprocessing child"})
        start_reader(self.command)
        last = -1
        last_phase = 0
        while self.proc.is_alive():
            self.proc.join(FLUSH_S)
            if self.steps.value != last:
                last = self.steps.value
                emit({"type": "progress", "steps": last})
            if self.phase.value != last_phase:
                last_phase = self.phase.value
                emit({"type": "phase", "phase": PHASES[last_phase]})
        code = self.proc.exitcode
        emit({"type": "resource", "action": "released", "kind": "process", "id": self.proc.pid,
              "what": "multiprocessing child"})
        if code is not None and code < 0:
            sig = signal.Signals(-code).name
            event("note", code, "the child died of %s (exitcode %d): no finally ran" % (sig, code))
            ours = self.signal_sent and -code in (signal.SIGTERM, signal.SIGKILL)
            outcome = "killed" if ours else "crashed"
        elif code != 0:
            event("note", code, "the child exited with code %s" % code)
            outcome = "failed"
        elif not self.stop_requested:
            outcome = "completed"
        else:
            outcome = "stopped" if self.observed.value else "ignored"
        emit({"type": "phase", "phase": "finished"})
        emit({"type": "bye", "outcome": outcome})
        return 0


# ------------------------------------------------------------------------------------------------ main


def main(argv):
    args = {}
    i = 1
    while i + 1 < len(argv):
        args[argv[i]] = argv[i + 1]
        i += 2
    emit({"type": "hello", "protocol": PROTOCOL, "pid": os.getpid(), "pgid": os.getpgrp(),
          "clock": "CLOCK_MONOTONIC"})
    try:
        worker_id = int(args.get("--worker-id", "0"))
        name = args["--workload"]
        params = json.loads(args.get("--params", "{}"))
        mode = args.get("--mode", "thread")
        lab_dir = args.get("--lab-dir") or os.environ.get("TMPDIR", "/tmp")
        if name not in WORKLOADS or mode not in ("thread", "process") or not isinstance(params, dict):
            raise ValueError("workload %r mode %r" % (name, mode))
    except (KeyError, ValueError) as e:
        event("note", None, "bad arguments: %s" % e)
        emit({"type": "bye", "outcome": "failed"})
        sys.stderr.write("threadlab-pyhost: bad arguments: %s\n" % e)
        return 3
    # SIGTERM to the host is a graceful stop, as in threadlab-worker.
    host = ThreadHost(worker_id, name, params, lab_dir) if mode == "thread" else ProcessHost(
        worker_id, name, params, lab_dir)
    signal.signal(signal.SIGTERM, lambda s, f: host.command({"cmd": "stop", "why": "SIGTERM received"}))
    code = host.run()
    if code is None:
        return None  # interpreter exit: let Python end normally (see ThreadHost.run)
    # Leave at once: interpreter teardown would add tens of ms to the measured end of the worker.
    sys.stdout.flush()
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
