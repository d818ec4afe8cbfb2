#!/usr/bin/env python3
"""Run aioqueue scenarios on real CPython asyncio and print a canonical trace.

The Rust simulator (`sim`) pipes scenarios into this script, one per line:

    KIND [maxsize=N] | task0 ops | task1 ops | ...

e.g. `priority maxsize=1 | put 1a, put 1b, get | get, task_done | cancel 0, join`,
and compares the trace printed here line by line with the one it renders
for its own model. The trace format is therefore a contract: change it only
together with the Rust side.

Output: a header line `python <version> queues <source>`, then for each
scenario

    scenario <input line, stripped>
    <events: `cmp A B`, `wake tN`, `tN #I OP -> RESULT` + `state ...`>
    end items=[...] unfinished=U shutdown=0|1 waiting=[tN, ...]

Python 3.13 uses the stdlib queues; 3.11/3.12 use the PyPI backport
`backports-asyncio-queues` (module `backports.asyncio.queues`), whose Queue
is the stdlib Queue plus a mixin re-implementing put/get/shutdown.

Exit codes: 0 ok, 2 a scenario line does not parse, 3 no queue
implementation with shutdown, 1 internal error (asyncio did something this
script does not account for).

Options: `--flush` flushes stdout after every scenario (for a caller that
writes one scenario and waits for its trace); by default stdout is flushed
only at the end, which is faster for batches.
"""

import asyncio
import re
import sys

# ---------------------------------------------------------------------------
# Which queue implementation


def load_queues():
    """Return (module with the queue classes, description for the header)."""
    if hasattr(asyncio, "QueueShutDown") and hasattr(asyncio.Queue, "shutdown"):
        return asyncio, "stdlib"
    try:
        from backports.asyncio import queues as backport
    except ImportError as exc:
        fail(3, f"this Python ({sys.version.split()[0]}) has no asyncio.Queue.shutdown "
                f"and the backport `backports-asyncio-queues` cannot be imported: {exc}")
    try:
        from importlib.metadata import version
        ver = version("backports-asyncio-queues")
    except Exception:  # metadata missing (e.g. vendored copy): still usable
        ver = "unknown"
    return backport, f"backports-asyncio-queues {ver}"


def fail(code, message):
    """Print `error: ...` to stderr after what was already traced, and exit."""
    sys.stdout.flush()
    sys.stderr.write(f"error: {message}\n")
    sys.stderr.flush()
    sys.exit(code)


# ---------------------------------------------------------------------------
# Items

# The scenario run currently traced (a Run), or None. Item.__lt__ and the
# loop's call_soon read it; module-level because items are compared deep
# inside heapq where no context can be passed.
CURRENT = None


class Item:
    """A queue item: a key that orders it and a tag that only names it.

    Only `__lt__` is defined (it is all heapq uses), and it compares keys
    only, so items with equal keys come out in whatever order the heap
    happens to leave them: that order is what the trace must pin down.
    """

    __slots__ = ("key", "text")

    def __init__(self, key, tag):
        self.key = key
        self.text = f"{key}{tag}"

    def __lt__(self, other):
        run = CURRENT
        if run is not None and run.tracing:
            run.out.append(f"cmp {self.text} {other.text}")
        return self.key < other.key

    def __repr__(self):
        return self.text


# ---------------------------------------------------------------------------
# Parsing

KINDS = ("fifo", "lifo", "priority")

# Op codes. Ops are tuples (code, argument, canonical text).
(PUT, TRY_PUT, GET, TRY_GET, TASK_DONE, JOIN, SHUTDOWN, SHUTDOWN_IMMEDIATE, YIELD, CANCEL,
 GET_MANY, TRY_GET_MANY) = range(12)
COUNT_OPS = {"get_many": GET_MANY, "try_get_many": TRY_GET_MANY}
NO_ARG_OPS = {
    "get": GET,
    "try_get": TRY_GET,
    "task_done": TASK_DONE,
    "join": JOIN,
    "shutdown": SHUTDOWN,
    "shutdown_immediate": SHUTDOWN_IMMEDIATE,
    "yield": YIELD,
}
ITEM_RE = re.compile(r"([0-9]+)([a-z]?)")
NUMBER_RE = re.compile(r"[0-9]+")


class ParseError(Exception):
    pass


def parse_op(text, task, ntasks):
    words = text.split()
    if not words:
        raise ParseError(f"empty operation in task {task}")
    name, rest = words[0], words[1:]
    if name in NO_ARG_OPS:
        if rest:
            raise ParseError(f"`{name}` takes no argument, found `{rest[0]}`")
        return (NO_ARG_OPS[name], None, name)
    if name in COUNT_OPS:
        if len(rest) != 1 or not NUMBER_RE.fullmatch(rest[0]):
            raise ParseError(f"`{name}` needs a count, as in `{name} 2`, in `{text.strip()}`")
        return (COUNT_OPS[name], int(rest[0]), f"{name} {int(rest[0])}")
    if name in ("put", "try_put", "cancel"):
        if not rest:
            example = "cancel 1" if name == "cancel" else f"{name} 1a"
            raise ParseError(f"`{name}` needs an argument, as in `{example}`")
        if len(rest) > 1:
            raise ParseError(f"unexpected `{rest[1]}` in `{text.strip()}`")
        arg = rest[0]
        if name == "cancel":
            if not NUMBER_RE.fullmatch(arg):
                raise ParseError(f"`{arg}` is not a task number in `{text.strip()}`")
            target = int(arg)
            if target >= ntasks:
                raise ParseError(f"`cancel {arg}`: there is no task {target} "
                                 f"(tasks are 0..{ntasks - 1})")
            if target == task:
                raise ParseError(f"`cancel {arg}` in task {task}: a task cannot cancel itself")
            return (CANCEL, target, f"cancel {target}")
        m = ITEM_RE.fullmatch(arg)
        if not m:
            raise ParseError(f"`{arg}` is not an item (a number, optionally one "
                             f"lowercase letter, as in `1a`) in `{text.strip()}`")
        key, tag = int(m.group(1)), m.group(2)
        code = PUT if name == "put" else TRY_PUT
        return (code, (key, tag), f"{name} {key}{tag}")
    raise ParseError(f"unknown operation `{name}`")


def parse_scenario(line):
    """Parse `KIND [maxsize=N] | ops | ops ...` into (kind, maxsize, programs)."""
    parts = line.split("|")
    header = parts[0].split()
    if not header or header[0] not in KINDS:
        found = header[0] if header else ""
        raise ParseError(f"a scenario starts with `fifo`, `lifo` or `priority`, not `{found}`")
    kind = header[0]
    maxsize = 0  # as on the Rust side: no maxsize means unbounded
    if len(header) > 1:
        m = re.fullmatch(r"maxsize=([0-9]+)", header[1])
        if not m:
            raise ParseError(f"expected `maxsize=N`, found `{header[1]}`")
        maxsize = int(m.group(1))
    if len(header) > 2:
        raise ParseError(f"unexpected `{header[2]}` after the maxsize")
    ntasks = len(parts) - 1
    programs = []
    for t, text in enumerate(parts[1:]):
        if not text.strip():
            programs.append([])  # a task with no operations, as in Rust
            continue
        programs.append([parse_op(op, t, ntasks) for op in text.split(",")])
    return kind, maxsize, programs


# ---------------------------------------------------------------------------
# The traced run of one scenario


def queue_classes(qmod):
    """Queue subclasses whose `_get` can record what it returns.

    shutdown(immediate=True) empties the queue through `_get()` and drops the
    items; the trace wants to see them, in the order they were taken.
    """

    def recording(base):
        class Recording(base):
            _drained = None  # a list while shutdown_immediate runs

            def _get(self):
                item = super()._get()
                if self._drained is not None:
                    self._drained.append(item)
                return item

        Recording.__name__ = base.__name__
        return Recording

    return {
        "fifo": recording(qmod.Queue),
        "lifo": recording(qmod.LifoQueue),
        "priority": recording(qmod.PriorityQueue),
    }


def not_done(futures):
    """How many futures are still pending (woken or cancelled ones linger
    in the deques until their task runs)."""
    return sum(1 for f in futures if not f.done()) if futures else 0


class Run:
    """State of one scenario while it runs: the queue, tasks, trace lines."""

    def __init__(self, queue, programs):
        self.q = queue
        self.programs = programs
        self.tasks = []          # asyncio tasks, in scenario order
        self.index_by_id = {}    # id(task) -> task number (ids: tasks stay alive)
        self.creating = None     # task number whose Task() is being constructed
        self.started = [False] * len(programs)
        self.cur = [0] * len(programs)  # index of each task's current op
        self.announced = set()   # tasks whose `cancelled` line is already printed
        self.tracing = False
        self.suppress_wake = False  # inside a `cancel` op's Task.cancel()
        self.finishing = False
        self.out = []

    def state_line(self):
        q = self.q
        getters = not_done(q._getters)
        putters = not_done(q._putters)
        joiners = not_done(q._finished._waiters)
        return (f"state len={q.qsize()} empty={int(q.empty())} full={int(q.full())} "
                f"unfinished={q._unfinished_tasks} shutdown={int(q._is_shutdown)} "
                f"getters={getters} putters={putters} joiners={joiners}")

    def record(self, t, i, result):
        self.out.append(f"t{t} #{i} {self.programs[t][i][2]} -> {result}")
        self.out.append(self.state_line())

    def wrap(self, t, task, callback):
        """Wrap a step of task t: after it, an unfinished task is pending."""

        def step(*args):
            callback(*args)
            if self.tracing and not task.done():
                self.record(t, self.cur[t], "pending")

        return step


class TracingLoop(asyncio.SelectorEventLoop):
    """Event loop that sees every scheduling of a scenario task.

    Both the C Task's step (TaskStepMethWrapper) and its future wakeup
    (task_wakeup) are scheduled through loop.call_soon and expose the task as
    `__self__` (checked on 3.11, 3.12, 3.13), so call_soon is where a task is
    woken: a future's set_result, a cancelled future, or the task
    rescheduling itself after `sleep(0)`.
    """

    def call_soon(self, callback, *args, context=None):
        run = CURRENT
        if run is not None:
            owner = getattr(callback, "__self__", None)
            t = run.index_by_id.get(id(owner))
            if t is None and run.creating is not None and isinstance(owner, asyncio.Task):
                # The first step, scheduled inside Task.__init__ before
                # create_task has even returned the task to us.
                t = run.creating
                run.index_by_id[id(owner)] = t
                run.tasks.append(owner)
            if t is not None:
                if run.tracing and not run.suppress_wake:
                    run.out.append(f"wake t{t}")
                callback = run.wrap(t, owner, callback)
        return super().call_soon(callback, *args, context=context)


async def body(run, t, qmod):
    """Task t: its ops in order, each awaited directly (no extra awaits)."""
    q = run.q
    QueueShutDown, QueueFull, QueueEmpty = qmod.QueueShutDown, qmod.QueueFull, qmod.QueueEmpty
    run.started[t] = True
    for i, (code, arg, _text) in enumerate(run.programs[t]):
        run.cur[t] = i
        cancel_target = None  # set by `cancel` when it must announce a cancellation
        try:
            if code == PUT:
                try:
                    await q.put(Item(*arg))
                    result = "ok"
                except QueueShutDown:
                    result = "PutShutDown"
            elif code == TRY_PUT:
                try:
                    q.put_nowait(Item(*arg))
                    result = "ok"
                except QueueFull:
                    result = "Full"
                except QueueShutDown:
                    result = "PutShutDown"
            elif code == GET:
                try:
                    result = f"item {(await q.get()).text}"
                except QueueShutDown:
                    result = "GetShutDown"
            elif code == TRY_GET:
                try:
                    result = f"item {q.get_nowait().text}"
                except QueueEmpty:
                    result = "Empty"
                except QueueShutDown:
                    result = "GetShutDown"
            elif code in (GET_MANY, TRY_GET_MANY):
                # aioqueue's batch gets, as asyncio code with no await
                # between the gets (docs/semantics.md, MANY-1..3).
                batch = []
                try:
                    if code == GET_MANY and arg > 0:
                        batch.append((await q.get()).text)
                    while len(batch) < arg:
                        batch.append(q.get_nowait().text)
                except (QueueEmpty, QueueShutDown):
                    pass
                if code == GET_MANY and arg > 0 and not batch:
                    result = "GetShutDown"
                else:
                    result = f"batch [{', '.join(batch)}]"
            elif code == TASK_DONE:
                try:
                    q.task_done()
                    result = "ok"
                except ValueError:
                    result = "TaskDoneError"
            elif code == JOIN:
                await q.join()
                result = "ok"
            elif code == SHUTDOWN:
                q.shutdown()
                result = "ok"
            elif code == SHUTDOWN_IMMEDIATE:
                drained = q._drained = []
                try:
                    q.shutdown(immediate=True)
                finally:
                    q._drained = None
                result = "drained [" + ", ".join(item.text for item in drained) + "]"
            elif code == YIELD:
                await asyncio.sleep(0)
                result = "ok"
            elif code == CANCEL:
                target = run.tasks[arg]
                # A task that has not run its first step would be cancelled
                # as a whole coroutine (no Rust counterpart); a done task
                # ignores cancel(): both do nothing.
                if run.started[arg] and not target.done():
                    waiter = target._fut_waiter
                    # Blocked on a pending future: cancel() cancels that
                    # future, so the CancelledError is certain. Otherwise
                    # the task is in the ready queue (woken, or in sleep(0))
                    # and cancel() only sets _must_cancel for its next step.
                    if waiter is not None and not waiter.done():
                        cancel_target = arg
                    run.suppress_wake = True
                    try:
                        target.cancel()
                    finally:
                        run.suppress_wake = False
                result = "ok"
            else:  # pragma: no cover - parse_op makes only the codes above
                raise AssertionError(f"unknown op code {code}")
        except asyncio.CancelledError:
            if run.finishing:
                raise  # the final clean-up: let the task end, record nothing
            if t in run.announced:
                run.announced.discard(t)  # its canceller printed it already
            else:
                run.record(t, i, "cancelled")
            asyncio.current_task().uncancel()
            continue
        run.record(t, i, result)
        if cancel_target is not None:
            run.record(cancel_target, run.cur[cancel_target], "cancelled")
            run.announced.add(cancel_target)


async def run_scenario(loop, qmod, classes, line, kind, maxsize, programs):
    """Run one scenario to quiescence and return its trace lines."""
    global CURRENT
    run = Run(classes[kind](maxsize), programs)
    run.out.append(f"scenario {line}")
    CURRENT = run
    try:
        for t in range(len(programs)):
            run.creating = t
            loop.create_task(body(run, t, qmod))
        run.creating = None
        assert len(run.tasks) == len(programs), "a task's first step was not seen"
        run.tracing = True
        # Quiescence: at one of main's own steps nothing else is ready, so
        # every task is done or blocked on a future.
        while True:
            await asyncio.sleep(0)
            if not loop._ready:
                break
        run.tracing = False

        q = run.q
        waiting = [f"t{t}" for t, task in enumerate(run.tasks) if not task.done()]
        unfinished, shutdown = q._unfinished_tasks, int(q._is_shutdown)
        items = []
        while not q.empty():
            items.append(q.get_nowait().text)
        run.out.append(f"end items=[{', '.join(items)}] unfinished={unfinished} "
                       f"shutdown={shutdown} waiting=[{', '.join(waiting)}]")

        # Clean up: cancel what is still blocked and let it end, so the next
        # scenario starts on an empty loop.
        run.finishing = True
        for task in run.tasks:
            if not task.done():
                task.cancel()
        while loop._ready or not all(task.done() for task in run.tasks):
            await asyncio.sleep(0)
        for t, task in enumerate(run.tasks):
            if not task.cancelled() and task.exception() is not None:
                raise RuntimeError(f"task t{t} of `{line}` raised") from task.exception()
    finally:
        CURRENT = None
    return run.out


async def main_all(loop, qmod, lines, flush_each):
    classes = queue_classes(qmod)
    write = sys.stdout.write
    for raw in lines:
        line = raw.split("#", 1)[0].strip()  # `#` starts a comment, as in Rust files
        if not line:
            continue
        try:
            kind, maxsize, programs = parse_scenario(line)
        except ParseError as exc:
            fail(2, f"{exc} (in `{line}`)")
        out = await run_scenario(loop, qmod, classes, line, kind, maxsize, programs)
        out.append("")
        write("\n".join(out))
        if flush_each:
            sys.stdout.flush()


def main():
    args = sys.argv[1:]
    flush_each = "--flush" in args
    unknown = [a for a in args if a != "--flush"]
    if unknown:
        fail(2, f"unknown argument `{unknown[0]}` (usage: asyncio_runner.py [--flush] < scenarios)")
    qmod, source = load_queues()
    sys.stdout.write(f"python {sys.version.split()[0]} queues {source}\n")

    loop = TracingLoop()
    errors = []

    def on_error(_loop, context):
        # Anything asyncio would only log (e.g. a callback raising) is a bug
        # in this script or an unexpected behaviour: make it fatal.
        errors.append(context.get("message", "") + " " + repr(context.get("exception")))

    loop.set_exception_handler(on_error)
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(main_all(loop, qmod, sys.stdin, flush_each))
    except Exception as exc:
        fail(1, f"internal: {exc!r} ({exc.__cause__!r})")
    finally:
        if errors:
            fail(1, "internal: asyncio reported: " + "; ".join(errors))
        loop.close()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
