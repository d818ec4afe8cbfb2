"""One deliberate break per rule group of docs/semantics.md, and the tests
that fail with it (docs/verification.md, "A citation is earned").

Clones this repository's HEAD into a scratch folder, applies each break to
its `src/` in turn, runs the simulator's fast tests and the crate's rule
tests with --no-fail-fast, and prints one line per break: the group, the
break, how many tests failed, and their names. A break that fails no test
is a rule no test holds. Standard library only; needs git and cargo.

    python3 sim/scripts/rule_breaks.py [GROUP ...]    # e.g. PUT POLL
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRATCH = tempfile.mkdtemp(prefix="aioqueue-breaks-")
subprocess.run(["git", "clone", "-q", ROOT, SCRATCH], check=True)
B = SCRATCH
breaks = [
 ("PUT", "PUT-2: a full, shut-down queue makes put wait", "src/state.rs",
  "        // [PUT-2] [SHUT-4] [SHUT-8] full and shut down: fail, handing the item\n        // back; nothing registers after shutdown [STATE-11].\n        if self.shutdown {",
  "        // [PUT-2] [SHUT-4] [SHUT-8] full and shut down: fail, handing the item\n        // back; nothing registers after shutdown [STATE-11].\n        if false && self.shutdown {"),
 ("GET", "GET-2: an empty, shut-down queue makes get wait", "src/state.rs",
  "        // registers after shutdown [STATE-11].\n        if self.shutdown {\n            return Poll::Ready(Err(GetError));",
  "        // registers after shutdown [STATE-11].\n        if false && self.shutdown {\n            return Poll::Ready(Err(GetError));"),
 ("CANCEL", "CANCEL-3: a dropped notified waiter passes its wakeup on even when nothing is left", "src/state.rs",
  "if list.remove(waiter) && could_proceed {", "if list.remove(waiter) && (could_proceed || side != Side::Joiners) {"),
 ("SHUT", "SHUT-3: shutdown wakes putters before getters", "src/state.rs",
  "        self.waiting_getters.notify_all(|w| after.wake(w));\n        self.waiting_putters.notify_all(|w| after.wake(w));\n        drained",
  "        self.waiting_putters.notify_all(|w| after.wake(w));\n        self.waiting_getters.notify_all(|w| after.wake(w));\n        drained"),
 ("JOIN", "JOIN-1: join registers even with nothing unfinished", "src/state.rs",
  "        if self.unfinished_tasks == 0 {\n            return Poll::Ready(());",
  "        if false && self.unfinished_tasks == 0 {\n            return Poll::Ready(());"),
 ("DONE", "DONE-1: task_done with nothing unfinished succeeds", "src/state.rs",
  "        if self.unfinished_tasks == 0 {\n            return Err(TaskDoneError);\n        }",
  "        if self.unfinished_tasks == 0 {\n            return Ok(());\n        }"),
 ("WAKE", "WAKE-3: a put wakes two getters", "src/state.rs",
  "            self.unfinished_tasks += 1;\n            wake_next(&mut self.waiting_getters, after);",
  "            self.unfinished_tasks += 1;\n            wake_next(&mut self.waiting_getters, after);\n            wake_next(&mut self.waiting_getters, after);"),
 ("POLL", "POLL-6 / JOIN-6: a Join polled after Ready runs its rule again", "src/future.rs",
  "        assert!(!this.done, \"`Join` polled after completion\");", "        let _ = this.done;"),
 ("PANIC", "PANIC-7: a panicking waker stops the other wakes", "src/after_unlock.rs",
  "        if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| waker.wake())) {\n            panic.get_or_insert(payload);\n        }",
  "        waker.wake();"),
 ("ORDER", "ORDER-2: a LifoQueue's get takes the front", "src/order.rs",
  "        // [ORDER-2] a get takes the back.\n        self.0.pop()",
  "        // [ORDER-2] a get takes the back.\n        (!self.0.is_empty()).then(|| self.0.remove(0))"),
]
only = sys.argv[1:]
env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(SCRATCH, 'target'))
sim_tests = ['--lib'] + [f'--test={t}' for t in 'cli cpython_oracle engine orderings reference regressions wrong_subjects'.split()]
crate_tests = [f'--test={t}' for t in 'wake_steps future_lifecycle accessors hostile_items cpython_test_queues async_send_sync'.split()]
for group, what, path, old, new in breaks:
    if only and group not in only:
        continue
    p = os.path.join(B, path)
    src = open(p).read()
    assert src.count(old) == 1, (group, src.count(old))
    open(p, 'w').write(src.replace(old, new))
    failed = []
    for pkg, tests in (('aioqueue-sim', sim_tests), ('aioqueue', crate_tests)):
        try:
            out = subprocess.run(['cargo', 'test', '-p', pkg, '--no-fail-fast'] + tests + ['--', '--test-threads=2'],
                                 cwd=B, env=env, capture_output=True, text=True, timeout=600)
            text = out.stdout + out.stderr
        except subprocess.TimeoutExpired as e:
            text = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or '')
            failed.append(f'{pkg}: a test hangs (10 min)')
        if 'error[' in text:
            failed.append(pkg + ': does not build: ' + text[text.index('error['):][:300])
        for line in text.splitlines():
            # `#[should_panic]` tests print `test NAME - should panic ... FAILED`.
            m = re.match(r'test (\S+)(?: - should panic)? \.\.\. FAILED', line)
            if m:
                failed.append(m.group(1))
    open(p, 'w').write(src)
    print(f'{group}\t{what}\t{len(failed)} failed\t' + '; '.join(failed), flush=True)
shutil.rmtree(SCRATCH, ignore_errors=True)
