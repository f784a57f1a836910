import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './nodes.ts';
import { freePort, type Proc, start, waitForPort } from './processes.ts';

/** Debian puts both in /usr/sbin, which is not on every user's PATH. */
const program = (name: string) => (existsSync(`/usr/sbin/${name}`) ? `/usr/sbin/${name}` : name);

export interface ProxyProc {
  proc: Proc;
  url: string;
}

/**
 * The repository's own deploy/<file>, with its @PORT@, @NODE1@, @NODE2@ and @RUN_DIR@ filled in:
 * the only change the tests make to the configurations the deployment guide shows.
 */
export function renderDeployConfig(file: string, values: Record<string, string>): string {
  let text = readFileSync(join(repoRoot, 'deploy', file), 'utf8');
  for (const [key, value] of Object.entries(values)) text = text.replaceAll(`@${key}@`, value);
  const left = /@[A-Z0-9_]+@/.exec(text);
  if (left) throw new Error(`deploy/${file}: no value for ${left[0]}`);
  return text;
}

/** Removes the run directory once the program has stopped. */
function cleaningUp(proc: Proc, dir: string): Proc {
  return {
    ...proc,
    stop: async (signal) => {
      const code = await proc.stop(signal);
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

function runDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `cursorline-${label}-`));
  // nginx's workers run as nobody when started by root: they must reach their temp paths.
  chmodSync(dir, 0o755);
  return dir;
}

async function startNginx(label: string, config: (port: number, dir: string) => string) {
  const port = await freePort();
  const dir = runDir(label);
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, config(port, dir));
  const proc = start(`nginx ${label}`, program('nginx'), [
    '-c',
    file,
    '-p',
    dir,
    '-e',
    join(dir, 'error.log'),
    '-g',
    'daemon off;',
  ]);
  try {
    await waitForPort(port, proc);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { proc: cleaningUp(proc, dir), url: `http://127.0.0.1:${port}` };
}

/** nginx started from deploy/nginx.conf in front of two nodes. */
export function startDeployNginx(nodes: readonly string[]): Promise<ProxyProc> {
  return startNginx('nginx', (port, dir) =>
    renderDeployConfig('nginx.conf', {
      PORT: `127.0.0.1:${port}`,
      NODE1: nodes[0] ?? '',
      NODE2: nodes[1] ?? '',
      RUN_DIR: dir,
    }),
  );
}

/** HAProxy started from deploy/haproxy.cfg in front of two nodes. */
export async function startDeployHaproxy(nodes: readonly string[]): Promise<ProxyProc> {
  const port = await freePort();
  const dir = runDir('haproxy');
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(
    file,
    renderDeployConfig('haproxy.cfg', {
      PORT: String(port),
      NODE1: nodes[0] ?? '',
      NODE2: nodes[1] ?? '',
    }),
  );
  // -db: stay in the foreground, so the PID we hold is HAProxy's own.
  const proc = start('haproxy', program('haproxy'), ['-db', '-f', file]);
  try {
    await waitForPort(port, proc);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { proc: cleaningUp(proc, dir), url: `http://127.0.0.1:${port}` };
}

export type Hostility = 'refuse-403' | 'no-forward';

/**
 * A network the user does not control, in front of a deployment: a proxy that answers every
 * WebSocket upgrade with 403, or one that passes requests on without their Upgrade (as an
 * HTTP/1.0-minded proxy does); with or without response buffering.
 */
export function startHostileProxy(
  upstream: string,
  hostility: Hostility,
  buffering: boolean,
): Promise<ProxyProc> {
  const label = `${hostility}-${buffering ? 'buffered' : 'unbuffered'}`;
  return startNginx(
    label,
    (port, dir) => `
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    location / {
      ${hostility === 'refuse-403' ? 'if ($http_upgrade) { return 403; }' : ''}
      proxy_pass ${upstream};
      proxy_http_version 1.1;
      proxy_set_header Host $http_host;
      proxy_buffering ${buffering ? 'on' : 'off'};
      proxy_read_timeout 75s;
    }
  }
}
`,
  );
}
