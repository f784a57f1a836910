import type { ClientTransport } from '@cursorline/client';

/**
 * The client half of the recipe's example (example-sse-server.ts): an event stream read with
 * fetch (Node has no EventSource; a browser version could use one), and a POST per message.
 */
export const sseClientTransport: ClientTransport = {
  name: 'sse',
  path: '/events',
  open(options, on) {
    const base = options.url.replace(/\/$/, '');
    const stream = new AbortController();
    let id: string | null = null;
    let ended = false;
    // One POST at a time, in order: a message must never overtake the one sent before it.
    let sending: Promise<unknown> = Promise.resolve();

    const end = (code: number, reason: string) => {
      if (ended) return;
      ended = true;
      stream.abort();
      on.close(code, reason);
    };

    /** One event: `event: open` carries the stream's id, `event: close` [code, reason]. */
    const dispatch = (block: string) => {
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length === 0) return; // a `: ping` comment
      const text = data.join('\n');
      if (event === 'open') {
        id = text;
        on.open();
      } else if (event === 'close') {
        const [code, reason] = JSON.parse(text) as [number, string];
        end(code, reason);
      } else {
        on.frame(text);
      }
    };

    const read = async () => {
      const res = await fetch(`${base}/events`, {
        headers: options.headers,
        signal: stream.signal,
      });
      if (!res.ok || !res.body) return end(1006, ''); // refused: what a browser would report
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return end(1006, ''); // the stream ended without a close event: a drop
        buffer += decoder.decode(value, { stream: true });
        for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
          dispatch(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
        }
      }
    };
    read().catch(() => end(1006, ''));

    return {
      describe: () => 'sse',
      binary: false,
      send: (frame) => {
        if (ended || id === null || typeof frame !== 'string') return;
        const url = `${base}/send?id=${id}`;
        const post = () => fetch(url, { method: 'POST', body: frame, headers: options.headers });
        sending = sending.then(post).then(
          (res) => res.body?.cancel(),
          () => {}, // a lost send is a lost message; the stream's end tells the rest
        );
      },
      // After what is already on its way (a `bye`, typically), so the goodbye arrives.
      close: () => void sending.then(() => end(1000, '')),
    };
  },
};
