/**
 * `pnpm bots -- --room demo --count 20`: real users that wander around a room, so a demo or a
 * manual test has company. Each bot is a PresenceClient, exactly what the web page uses, so bots
 * get names and colors and show up in every browser in the room.
 */
import { parseArgs } from 'node:util';
import { PresenceClient, type TransportChoice, type WebSocketClass } from '@cursorline/client';
import { isTransportName, TRANSPORT_NAMES } from '@cursorline/protocol';
import { WebSocket } from 'ws';
import { intOption, numberOption, scriptArgs } from './cli-args.ts';
import { Wanderer } from './paths.ts';
import { seededRandom } from './rng.ts';

const HELP = `Usage: pnpm bots -- [options]
  --url <http url>        server (default http://127.0.0.1:8787)
  --room <name>           room to join (default lobby)
  --count <n>             number of bots, 1-1000 (default 5)
  --rate <moves/s>        cursor moves per second per bot, 1-60 (default 30)
  --transport auto|${TRANSPORT_NAMES.join('|')}   (default auto: ws, else SockJS)
  --duration <s>          stop after this many seconds (default: until Ctrl-C, at most 1 hour)
  --names <prefix>        bot names are "<prefix> 1", "<prefix> 2", … (default Bot)
  --seed <n>              repeat the same paths`;

/** Even "until Ctrl-C" stops by itself eventually: a forgotten terminal must not load a server forever. */
const MAX_DURATION_S = 3600;
const STATUS_EVERY_MS = 5000;

interface BotOptions {
  url: string;
  room: string;
  count: number;
  rate: number;
  transport: TransportChoice;
  durationS: number | undefined;
  names: string;
  seed: number;
}

function readOptions(): BotOptions {
  const { values } = parseArgs({
    args: scriptArgs(),
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8787' },
      room: { type: 'string', default: 'lobby' },
      count: { type: 'string' },
      rate: { type: 'string' },
      transport: { type: 'string', default: 'auto' },
      duration: { type: 'string' },
      names: { type: 'string', default: 'Bot' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const transport = values.transport;
  if (transport !== 'auto' && !isTransportName(transport)) {
    throw new Error(
      `--transport must be auto or one of ${TRANSPORT_NAMES.join(', ')} (got "${transport}")`,
    );
  }
  return {
    url: values.url,
    room: values.room,
    count: intOption('count', values.count, 5, 1, 1000),
    rate: numberOption('rate', values.rate, 30, 1, 60),
    transport,
    durationS:
      values.duration === undefined
        ? undefined
        : numberOption('duration', values.duration, 0, 1, MAX_DURATION_S),
    names: values.names,
    seed: intOption('seed', values.seed, Date.now() % 2 ** 31, 0, 2 ** 31 - 1),
  };
}

interface Bot {
  client: PresenceClient;
  path: Wanderer;
  lastSent: { x: number; y: number } | null;
}

function main(): void {
  let options: BotOptions;
  try {
    options = readOptions();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    console.error(HELP);
    process.exit(2);
  }
  const random = seededRandom(options.seed);
  const intervalMs = 1000 / options.rate;
  const bots: Bot[] = [];
  for (let i = 0; i < options.count; i++) {
    const client = new PresenceClient({
      url: options.url,
      room: options.room,
      name: `${options.names} ${i + 1}`.slice(0, 32),
      transport: options.transport,
      // `ws` implements the browser WebSocket API the client expects; the types differ only in
      // details the client never touches.
      WebSocket: WebSocket as unknown as WebSocketClass,
      // The client's own throttle would cap us at 25 moves/s; let the chosen rate through.
      sendIntervalMs: intervalMs,
    });
    bots.push({ client, path: new Wanderer(random), lastSent: null });
  }

  // One timer drives every bot: cheaper than one each, and they all advance by the same clock.
  let last = performance.now();
  const mover = setInterval(() => {
    const now = performance.now();
    const dt = now - last;
    last = now;
    for (const bot of bots) {
      const at = bot.path.step(dt);
      // A resting hand sends nothing: only real changes go out, as from a browser.
      if (bot.lastSent && bot.lastSent.x === at.x && bot.lastSent.y === at.y) continue;
      if (bot.client.status !== 'open') continue;
      bot.client.move(at);
      bot.lastSent = at;
    }
  }, intervalMs);

  const status = setInterval(() => {
    const open = bots.filter((b) => b.client.status === 'open').length;
    const inRoom = Math.max(
      0,
      ...bots.map((b) => (b.client.status === 'open' ? b.client.users.size + 1 : 0)),
    );
    const time = new Date().toTimeString().slice(0, 8);
    console.log(
      `${time} bots: ${open}/${bots.length} connected over ${options.transport} to ${options.url} room "${options.room}"; ${inRoom} users in the room`,
    );
  }, STATUS_EVERY_MS);

  let stopping = false;
  function stop(why: string): void {
    if (stopping) return;
    stopping = true;
    console.log(`stopping (${why}): closing ${bots.length} bots`);
    clearInterval(mover);
    clearInterval(status);
    clearTimeout(deadline);
    for (const bot of bots) bot.client.close();
    // Sockets close asynchronously; the process ends when they have. Never hang on a stuck one.
    setTimeout(() => process.exit(0), 2000).unref();
  }

  const durationS = options.durationS ?? MAX_DURATION_S;
  const deadline = setTimeout(() => stop(`${durationS} s elapsed`), durationS * 1000);
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  console.log(
    `starting ${options.count} bots (${options.rate} moves/s each) in room "${options.room}" at ${options.url} over ${options.transport}; ` +
      (options.durationS
        ? `stopping after ${options.durationS} s`
        : `Ctrl-C to stop (stops by itself after ${MAX_DURATION_S} s)`),
  );
}

main();
