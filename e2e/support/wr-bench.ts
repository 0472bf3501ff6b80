/**
 * The project's own NVMe/TCP initiator (`wr-bench`, built by CMake from dataplane-native/), used by
 * the fabric test to connect to the console's embedded target as a real host would.
 *
 * Where it is looked for, first hit wins: $WR_BENCH; $WR_BUILD_DIR/initiator (test.sh exports the
 * build directory of its c-unit step); dataplane-native/build and build-test. When none exists it is
 * built into dataplane-native/build (only the wr-bench target, about half a minute), the same way
 * bench/run.sh expects it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NATIVE = join(ROOT, 'dataplane-native');
const DEFAULT_BUILD = join(NATIVE, 'build');
const BUILD_TIMEOUT_MS = 180_000;

export function findOrBuildWrBench(): string {
  const candidates = [
    process.env.WR_BENCH,
    process.env.WR_BUILD_DIR && join(process.env.WR_BUILD_DIR, 'initiator', 'wr-bench'),
    join(DEFAULT_BUILD, 'initiator', 'wr-bench'),
    join(NATIVE, 'build-test', 'initiator', 'wr-bench'),
  ].filter((path): path is string => !!path);
  const found = candidates.find((path) => existsSync(path));
  if (found) return found;
  for (const args of [['-S', NATIVE, '-B', DEFAULT_BUILD, '-DCMAKE_BUILD_TYPE=RelWithDebInfo'],
    ['--build', DEFAULT_BUILD, '--target', 'wr-bench', '-j2']]) {
    const run = spawnSync('cmake', args, { encoding: 'utf8', timeout: BUILD_TIMEOUT_MS });
    if (run.status !== 0) {
      throw new Error(`could not build wr-bench (cmake ${args.join(' ')}): ${run.error?.message ?? ''}${run.stderr}`);
    }
  }
  return join(DEFAULT_BUILD, 'initiator', 'wr-bench');
}

export interface BenchRun {
  /** Resolves when wr-bench has exited, with its exit code and everything it printed. */
  finished: Promise<{ code: number | null; output: string }>;
  process: ChildProcess;
}

export interface BenchOptions {
  address: string;
  port: number;
  subsystemNqn: string;
  hostNqn: string;
  seconds: number;
  queues?: number;
}

/**
 * A short, bounded random-read load: queue depth 4, 4 KiB, sleeping in epoll between completions so
 * it leaves the shared CPUs to the console and the browser. Killed if it outlives its duration by far.
 */
export function runWrBench(bench: string, options: BenchOptions): BenchRun {
  const args = ['--addr', options.address, '--port', String(options.port), '--nqn', options.subsystemNqn,
    '--hostnqn', options.hostNqn, '--workload', 'randread', '--io-size', '4k', '--qd', '4',
    '--queues', String(options.queues ?? 1), '--duration', String(options.seconds), '--poll', 'epoll'];
  const child = spawn(bench, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const watchdog = setTimeout(() => child.kill('SIGKILL'), (options.seconds + 60) * 1000);
  const finished = new Promise<{ code: number | null; output: string }>((done) => {
    child.on('close', (code) => {
      clearTimeout(watchdog);
      done({ code, output });
    });
  });
  return { finished, process: child };
}
