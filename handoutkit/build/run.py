"""Step 3 of a build, run: each output's jobs, in worker processes (bounded memory) or here."""

from __future__ import annotations

from collections.abc import Callable

from ..errors import HandoutkitError
from ..outputs import Job


def _pool(jobs: int):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from ..workers import start_worker

    return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"), initializer=start_worker)


def run(jobs: list[Job], task: Callable[[Job], tuple[Callable, tuple]], workers: int,
        done: Callable[[Job, object], None], progress: Callable[[str], None], here: bool = False) -> None:
    """Run jobs in worker processes, results taken in order of submission. Even
    with one worker the renderers run outside this process, so that the memory
    they hold is given back before the next kind of work starts, and is bounded
    (limits.py). Only the one PDF of a build that renders nothing else (the
    counter case) is drawn here: its size is bounded by the input limits."""
    if not jobs:
        return
    if here:  # the build's only output (the counter case), or a light one: no worker to start
        for job in jobs:
            progress(job.name)
            call, args = task(job)
            done(job, call(*args))
        return
    from concurrent.futures.process import BrokenProcessPool

    with _pool(min(workers, len(jobs))) as pool:
        job = jobs[0]
        try:
            futures = []
            for job in jobs:  # a worker killed now breaks the pool here already
                call, args = task(job)
                futures.append((job, pool.submit(call, *args)))
            for job, future in futures:
                progress(job.name)
                done(job, future.result())
        except BrokenProcessPool:
            raise HandoutkitError(f"a worker process died (out of memory, or killed) while making {job.name}; "
                                  "the files already there are kept") from None
        except MemoryError:  # met outside the renderer (handing the job over): the build stops, files kept
            from ..limits import out_of_memory, worker_memory

            pool.shutdown(wait=False, cancel_futures=True)
            raise HandoutkitError(f"{job.name}: {out_of_memory(worker_memory())}; the files already there are kept") from None
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)  # a write failed or ^C: start nothing more
            raise
