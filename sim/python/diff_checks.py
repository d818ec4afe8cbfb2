"""CPython's side of deliberate differences of docs/semantics.md that the
scenario format cannot express.

DIFF-1, DIFF-8, DIFF-9 and DIFF-10 describe what asyncio does where
aioqueue differs; this script checks each statement on the interpreter that
runs it, prints one line per statement, and exits 1 if CPython behaves
otherwise. Standard library only. `cargo test` runs it
(sim/tests/cpython_oracle.rs).
"""

import asyncio
import sys

failures = []


def check(rule, statement, holds):
    print(f"{'ok' if holds else 'WRONG'}  {rule}: {statement}")
    if not holds:
        failures.append(rule)


def diff_1():
    unbounded = asyncio.Queue(-1)
    for i in range(1000):
        unbounded.put_nowait(i)
    check("DIFF-1", "maxsize=-1 is unbounded", not unbounded.full())
    half = asyncio.Queue(1.5)
    half.put_nowait(1)
    full_at_one = half.full()
    half.put_nowait(2)
    try:
        half.put_nowait(3)
        refused_third = False
    except asyncio.QueueFull:
        refused_third = True
    check(
        "DIFF-1",
        "maxsize=1.5 takes a second item and is full at 2",
        not full_at_one and half.full() and refused_third and half.qsize() == 2,
    )


class Boom(Exception):
    pass


class Item:
    armed = False

    def __init__(self, key):
        self.key = key

    def __lt__(self, other):
        if Item.armed:
            raise Boom()
        return self.key < other.key


def raises_while_armed(action):
    """Runs `action` with every `__lt__` raising; whether it raised."""
    Item.armed = True
    try:
        action()
        return False
    except Boom:
        return True
    finally:
        Item.armed = False


async def diff_9():
    queue = asyncio.PriorityQueue()
    first = asyncio.ensure_future(queue.get())
    second = asyncio.ensure_future(queue.get())
    await asyncio.sleep(0)  # both getters wait
    queue.put_nowait(Item(1))  # wakes the first
    raised = raises_while_armed(lambda: queue.put_nowait(Item(0)))  # asks 0 < 1
    check(
        "DIFF-9",
        "a __lt__ raising in heappush leaves the item in the queue, uncounted",
        raised and queue.qsize() == 2 and queue._unfinished_tasks == 1,
    )
    await asyncio.sleep(0)  # the first getter takes an item
    check(
        "DIFF-9",
        "... and announced to no getter: one item left, the second getter waits",
        first.done() and not second.done() and queue.qsize() == 1,
    )
    second.cancel()

    lossy = asyncio.PriorityQueue()
    for key in (1, 2, 3):
        lossy.put_nowait(Item(key))
    raised = raises_while_armed(lossy.get_nowait)  # heappop sifts 3 down: compares
    check(
        "DIFF-9",
        "a __lt__ raising in heappop loses an item (3 put, none got, 2 left)",
        raised and lossy.qsize() == 2,
    )


def diff_8():
    queue = asyncio.Queue()
    queue.put_nowait("secret")
    check("DIFF-8", "repr() of a queue shows its items", "'secret'" in repr(queue))


async def diff_10():
    queue = asyncio.Queue()
    join = queue.join()
    await join
    try:
        await join
        raised = False
    except RuntimeError:
        raised = True
    check("DIFF-10", "awaiting a finished join() again raises RuntimeError", raised)


async def both_async():
    await diff_9()
    await diff_10()


diff_1()
diff_8()
asyncio.run(both_async())
print(f"python {sys.version.split()[0]}: {'all hold' if not failures else 'FAILED'}")
sys.exit(1 if failures else 0)
