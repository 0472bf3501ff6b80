/**
 * Starts the packaged Windrose jar for the end-to-end run and stops it afterwards.
 *
 * The jar runs with JDK 25 on a free loopback port with a fresh temporary data directory (so the
 * database is empty and the first-run page is the first thing anyone sees), and its output goes to
 * test-results/windrose-server.log so a failed run can be diagnosed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const E2E_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_JAR = resolve(E2E_DIR, '..', 'target', 'windrose.jar');
const DEFAULT_JDK = '/usr/lib/jvm/temurin-25-jdk-amd64';
const REQUIRED_JAVA_MAJOR = 25;
/**
 * Cold start on 2 cores is ~20 s; this bound only stops a hung start from hanging the run. On a shared,
 * overloaded machine starts of over three minutes were seen: WINDROSE_E2E_READY_TIMEOUT_S raises it.
 */
const READINESS_TIMEOUT_MS = Number(process.env.WINDROSE_E2E_READY_TIMEOUT_S ?? 180) * 1000;
const STOP_GRACE_MS = 20_000;

export const SERVER_LOG = join(E2E_DIR, 'test-results', 'windrose-server.log');

export interface RunningServer {
  baseURL: string;
  dataDir: string;
  stop(): Promise<void>;
}

export function findJar(): string {
  const jar = process.env.WINDROSE_JAR ? resolve(process.env.WINDROSE_JAR) : DEFAULT_JAR;
  if (!existsSync(jar)) {
    throw new Error(
      `Windrose jar not found at ${jar}. Build it first (from the repository root: ` +
        `mvn -B package -DskipTests) or point WINDROSE_JAR at it.`,
    );
  }
  return jar;
}

/** JAVA_HOME when it is a JDK 25 or newer, else the machine's Temurin 25. */
export function findJava(): string {
  const candidates = [process.env.JAVA_HOME, DEFAULT_JDK].filter((home): home is string => !!home);
  const seen: string[] = [];
  for (const home of candidates) {
    const java = join(home, 'bin', 'java');
    if (!existsSync(java)) continue;
    const major = javaMajorVersion(java);
    seen.push(`${java} (Java ${major ?? 'unknown'})`);
    if (major !== undefined && major >= REQUIRED_JAVA_MAJOR) return java;
  }
  throw new Error(
    `No Java ${REQUIRED_JAVA_MAJOR}+ found (looked at: ${seen.join(', ') || candidates.join(', ')}). ` +
      `Set JAVA_HOME to a JDK ${REQUIRED_JAVA_MAJOR}, e.g. ${DEFAULT_JDK}.`,
  );
}

function javaMajorVersion(java: string): number | undefined {
  // `java -version` prints e.g. `openjdk version "25.0.1" 2025-10-21` on stderr.
  const out = spawnSync(java, ['-version'], { encoding: 'utf8' });
  const match = /version "(\d+)/.exec(`${out.stderr}${out.stdout}`);
  return match ? Number(match[1]) : undefined;
}

/** A port the kernel just handed out, so it is free now (a race with other programs is unlikely). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('could not obtain a free port'));
      });
    });
  });
}

export async function startServer(): Promise<RunningServer> {
  const jar = findJar();
  const java = findJava();
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'windrose-e2e-'));
  const baseURL = `http://127.0.0.1:${port}`;

  mkdirSync(dirname(SERVER_LOG), { recursive: true });
  const log = createWriteStream(SERVER_LOG);
  const child = spawn(java, ['--enable-native-access=ALL-UNNAMED', '-jar', jar, ...serverArguments(port, dataDir)], {
    cwd: dataDir,
    env: serverEnvironment(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  // Never leave the JVM behind, even when the runner itself is interrupted.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    await stopProcess(child);
    log.end();
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForReadiness(baseURL, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseURL, dataDir, stop };
}

function serverArguments(port: number, dataDir: string): string[] {
  return [
    `--server.port=${port}`,
    '--server.address=127.0.0.1',
    `--windrose.data-dir=${dataDir}`,
    // The embedded NVMe/TCP target is not under test here: a free port keeps it from colliding
    // with a console already running on this machine (4420).
    '--windrose.dataplane.target.listen-port=0',
    // Specs make their directory pools in fresh temporary directories (the aggregation spec).
    `--windrose.storage.allowed-roots=${tmpdir()}`,
    ...extraArguments(),
  ];
}

/**
 * Extra Spring arguments for the server under test (for example to move the dataplane's ports
 * away from a console already running on this machine), separated by spaces.
 */
function extraArguments(): string[] {
  return (process.env.WINDROSE_E2E_APP_ARGS ?? '').split(' ').filter((arg) => arg.length > 0);
}

/** The server must start with an empty database: no initial admin from the caller's environment. */
function serverEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith('WINDROSE_INITIAL_ADMIN') || name.startsWith('SPRING_DATASOURCE')) delete env[name];
  }
  return env;
}

async function waitForReadiness(baseURL: string, child: ChildProcess): Promise<void> {
  const url = `${baseURL}/actuator/health/readiness`;
  const deadline = Date.now() + READINESS_TIMEOUT_MS;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Windrose exited during start-up (code ${child.exitCode ?? child.signalCode}); see ${SERVER_LOG}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      lastProblem = (error as Error).message;
    }
    await sleep(500);
  }
  throw new Error(`Windrose was not ready within ${READINESS_TIMEOUT_MS / 1000} s (${url}: ${lastProblem}); see ${SERVER_LOG}`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const graceful = await Promise.race([exited.then(() => true), sleep(STOP_GRACE_MS).then(() => false)]);
  if (!graceful) {
    child.kill('SIGKILL');
    await exited;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
