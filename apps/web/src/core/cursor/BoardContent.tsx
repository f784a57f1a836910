import type { CSSProperties, ReactNode } from 'react';

/**
 * Static demo content for the shared board. Everything is placed in board units (the board is
 * 1600 × 1000), so it sits at the same board coordinates for every user and cursors pointing
 * at it line up on every screen.
 */

const at = (left: number, top: number, width: number): CSSProperties => ({ left, top, width });

const STEPS = [
  {
    title: 'Hello',
    text: 'The page opens a WebSocket (or a SockJS fallback) and says hello with a room and a name.',
  },
  {
    title: 'Welcome',
    text: 'The server answers with your id and color, and a snapshot of everyone already here.',
  },
  {
    title: 'Ticks',
    text: 'Moves are latest-wins. Every 40 ms the server sends each room one batch of what changed.',
  },
];

const NOTES: { color: string; text: ReactNode }[] = [
  { color: 'yellow', text: 'Open this page in a second window and move your pointer.' },
  {
    color: 'pink',
    text: (
      <>
        Add <code>?transport=sockjs</code> to the address to go through SockJS.
      </>
    ),
  },
  {
    color: 'blue',
    text: (
      <>
        Try <code>?sockjs=xhr-polling</code>: the oldest fallback still keeps up.
      </>
    ),
  },
  { color: 'green', text: 'Rename yourself in the top bar. Everyone sees it at once.' },
];

// The notes sit in two rows of two, under the heading.
const noteAt = (i: number) => at(80 + (i % 2) * 420, 455 + Math.floor(i / 2) * 160, 400);

const STATS = [
  { value: '25 / s', label: 'cursor updates per user, at most' },
  { value: '8 bytes', label: 'per cursor in a binary batch' },
  { value: '1 port', label: 'for the page, WebSocket and SockJS' },
];

export function BoardContent() {
  return (
    <div className="board-content">
      <section className="hero" data-content="hero" style={at(80, 80, 820)}>
        <p className="eyebrow">A shared board · 1600 × 1000 units</p>
        <h2>Point at anything.</h2>
        <p>
          Every other cursor here belongs to someone on this page right now. Positions travel in
          board units, not pixels, so a pointer on a word lands on the same word for everyone,
          however big their window is.
        </p>
      </section>

      <section className="card steps" data-content="steps" style={at(1000, 80, 520)}>
        <h3>How it works</h3>
        <ol>
          {STEPS.map((step) => (
            <li key={step.title}>
              <strong>{step.title}</strong>
              <span>{step.text}</span>
            </li>
          ))}
        </ol>
      </section>

      {NOTES.map((note, i) => (
        <p
          key={note.color}
          className={`note note-${note.color}`}
          data-content={`note-${i}`}
          style={noteAt(i)}
        >
          {note.text}
        </p>
      ))}

      {STATS.map((stat, i) => (
        <div
          key={stat.value}
          className="card stat"
          data-content={`stat-${i}`}
          style={at(80 + i * 490, 780, 460)}
        >
          <strong>{stat.value}</strong>
          <span>{stat.label}</span>
        </div>
      ))}
    </div>
  );
}
