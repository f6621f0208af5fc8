/**
 * Run a list of CPU-bound jobs in a worker thread, each under a time limit.
 * A job that runs away (catastrophic backtracking, a quadratic loop) cannot
 * be interrupted from inside its own thread, so the worker is terminated and
 * a fresh one carries on with the next job.
 *
 * Protocol with the worker script (plain .mjs, so no build step is needed to
 * load it; it may import dist/): `workerData = { ...data, start }`; before job
 * i it posts `{ begin: i }`, after it `{ end: i, result }`, and `{ done: true }`
 * at the end.
 */
import { Worker } from 'node:worker_threads';

export type JobOutcome<R> = { index: number; result: R } | { index: number; timedOut: true; limitMs: number };

export async function runJobs<R>(script: URL, data: Record<string, unknown>, count: number, limitMs: number): Promise<JobOutcome<R>[]> {
  const outcomes: JobOutcome<R>[] = [];
  let start = 0;
  while (start < count) {
    const next = await new Promise<number>((resolve, reject) => {
      const worker = new Worker(script, { workerData: { ...data, start } });
      let current = start;
      let timer: NodeJS.Timeout | undefined;
      let finished = false;
      const finish = (resumeAt: number): void => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        resolve(resumeAt);
      };
      worker.on('message', (m: { begin?: number; end?: number; result?: R; done?: boolean }) => {
        if (m.begin !== undefined) {
          current = m.begin;
          clearTimeout(timer);
          timer = setTimeout(() => {
            outcomes.push({ index: current, timedOut: true, limitMs });
            void worker.terminate();
            finish(current + 1);
          }, limitMs);
        } else if (m.end !== undefined) {
          clearTimeout(timer);
          outcomes.push({ index: m.end, result: m.result as R });
        } else if (m.done) {
          void worker.terminate();
          finish(count);
        }
      });
      worker.on('error', (err) => {
        clearTimeout(timer);
        if (!finished) reject(err);
      });
      worker.on('exit', () => {
        if (!finished) reject(new Error(`worker exited before job ${current} finished`));
      });
    });
    start = next;
  }
  return outcomes.sort((a, b) => a.index - b.index);
}
