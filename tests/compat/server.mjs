// Starts the real `gatehouse serve` binary for a compatibility test.
//
//   const srv = await startServer();
//   // srv.adminBase   http://127.0.0.1:PORT/client/v4
//   // srv.accountId   the account created on first start
//   // srv.adminToken  the one-time admin API token (scope edit) printed on first start
//   await srv.stop();  // SIGTERM, then waits for the process to exit; removes the data dir
//
// The binary comes from $GATEHOUSE_BIN (ctest sets it), else ../build/debug/src/gatehouse
// relative to tests/. Every server gets a fresh temporary data dir and port 0 on both
// listeners. Nothing here sleeps on the wall clock: it waits on stdout lines and on process
// exit, with one overall deadline so that a server that never becomes ready fails the test
// (with its stderr) instead of hanging it.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const testsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function gatehouseBin() {
  const fromEnv = process.env.GATEHOUSE_BIN;
  if (fromEnv) return path.resolve(testsDir, fromEnv);
  return path.resolve(testsDir, '../build/debug/src/gatehouse');
}

const READY_TIMEOUT_MS = Number(process.env.GATEHOUSE_READY_TIMEOUT_MS ?? 30_000);
const STOP_TIMEOUT_MS = 15_000;

/**
 * @param {{ extraArgs?: string[], env?: Record<string,string> }} [opts]
 * @returns {Promise<{adminBase: string, edgeBase: string|undefined, accountId: string,
 *   adminToken: string, dataDir: string, stdout: string[], stderr: () => string,
 *   stop: () => Promise<{code: number|null, signal: string|null}>}>}
 */
export async function startServer(opts = {}) {
  const bin = gatehouseBin();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'gatehouse-compat-'));
  const args = [
    'serve',
    '--data-dir', dataDir,
    '--admin-listen', '127.0.0.1:0',
    '--edge-listen', '127.0.0.1:0',
    ...(opts.extraArgs ?? []),
  ];
  const child = spawn(bin, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...(opts.env ?? {}) },
  });

  const stdoutLines = [];
  let stderrText = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderrText += chunk;
  });

  // Resolves once with {code, signal} when the process has exited (or failed to spawn).
  const exited = new Promise((resolve) => {
    child.once('error', (err) => {
      stderrText += `\n[spawn error] ${err.message}`;
      resolve({ code: null, signal: null, error: err });
    });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

  const info = { adminBase: undefined, edgeBase: undefined, accountId: undefined, adminToken: undefined };
  const rl = createInterface({ input: child.stdout, crlfDelay: Infinity });

  const ready = new Promise((resolve, reject) => {
    rl.on('line', (line) => {
      stdoutLines.push(line);
      let m;
      if ((m = /^\s+account\s+([0-9a-f]{32})\s*$/.exec(line))) info.accountId = m[1];
      else if ((m = /^\s+admin API\s+(http:\/\/\S+\/client\/v4)\s*$/.exec(line))) info.adminBase = m[1];
      else if ((m = /^\s+edge\s+(http:\/\/\S+)\s*$/.exec(line))) info.edgeBase = m[1];
      else if ((m = /^\s+(gat_[0-9A-Za-z_]+)\s*$/.exec(line))) info.adminToken = m[1];
      else if (line.trim() === 'gatehouse: ready') resolve();
    });
    exited.then(({ code, signal }) =>
      reject(new Error(`gatehouse exited before ready (code ${code}, signal ${signal})`)),
    );
  });

  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`gatehouse not ready within ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
  });

  const cleanup = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await Promise.race([ready, deadline]);
  } catch (err) {
    clearTimeout(timer);
    await cleanup();
    throw new Error(
      `${err.message}\n  binary: ${bin}\n  args: ${args.join(' ')}\n` +
        `--- stdout ---\n${stdoutLines.join('\n')}\n--- stderr ---\n${stderrText}`,
    );
  }
  clearTimeout(timer);

  const missing = ['adminBase', 'accountId', 'adminToken'].filter((k) => !info[k]);
  if (missing.length) {
    await cleanup();
    throw new Error(
      `gatehouse ready but its banner lacked ${missing.join(', ')}\n` +
        `--- stdout ---\n${stdoutLines.join('\n')}\n--- stderr ---\n${stderrText}`,
    );
  }

  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      let result;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        let t;
        const killAfter = new Promise((resolve) => {
          t = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS);
        });
        const first = await Promise.race([exited, killAfter]);
        clearTimeout(t);
        if (first === 'timeout') {
          child.kill('SIGKILL');
          result = { ...(await exited), timedOut: true };
        } else {
          result = first;
        }
      } else {
        result = await exited;
      }
      rl.close();
      await rm(dataDir, { recursive: true, force: true });
      return result;
    })();
    return stopping;
  };

  return {
    adminBase: info.adminBase,
    edgeBase: info.edgeBase,
    accountId: info.accountId,
    adminToken: info.adminToken,
    dataDir,
    stdout: stdoutLines,
    stderr: () => stderrText,
    stop,
  };
}
