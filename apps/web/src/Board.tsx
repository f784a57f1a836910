import { BOARD_HEIGHT, BOARD_WIDTH, type Point, type Pointer } from '@cursorline/protocol';
import { type CSSProperties, useEffect, useRef, useState } from 'react';
import { BoardContent } from './BoardContent.tsx';
import { fitScale } from './board-coords.ts';
import { boardView } from './board-view.ts';
import { ChatInput } from './ChatInput.tsx';
import { CursorLayer } from './CursorLayer.tsx';
import { client } from './connection.ts';
import { ownCursor } from './own-cursor.ts';
import { usePresence } from './store.ts';
import { useBoardPointer } from './useBoardPointer.ts';
import { reportView } from './view-report.ts';

const sendMove = (at: Point | null) => {
  ownCursor.move(at);
  // Hidden: others see no cursor, so they get no positions at all.
  if (!usePresence.getState().cursorHidden) client.move(at);
};
const sendPointer = (pointer: Pointer) => client.setPointer(pointer);

/**
 * The shared page. It is laid out once at a fixed logical size (BOARD_WIDTH × BOARD_HEIGHT)
 * and scaled to fit the width, so a board position points at the same word for everyone,
 * whatever their window size. The outer frame takes the scaled size in the page's layout;
 * a CSS transform alone would leave the unscaled size there.
 */
export function Board() {
  const frameRef = useRef<HTMLDivElement>(null);
  const boardRef = useRef<HTMLDivElement>(null);
  const [scale, setScale] = useState(1);

  useEffect(() => {
    const frame = frameRef.current;
    if (!frame) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setScale(fitScale(entry.contentRect.width));
    });
    observer.observe(frame);
    return () => observer.disconnect();
  }, []);

  // Where the board is on screen, for follow mode, off-screen markers and our view reports.
  useEffect(() => {
    const board = boardRef.current;
    if (!board) return;
    const detach = boardView.attach(board);
    const stopReporting = reportView(client);
    return () => {
      stopReporting();
      detach();
    };
  }, []);

  useBoardPointer(boardRef, sendMove, sendPointer);

  const boardStyle = {
    width: BOARD_WIDTH,
    height: BOARD_HEIGHT,
    transform: `scale(${scale})`,
    '--cursor-scale': 1 / scale,
  } as CSSProperties;

  return (
    <div ref={frameRef} className="board-frame" style={{ height: BOARD_HEIGHT * scale }}>
      <div ref={boardRef} className="board" data-testid="board" style={boardStyle}>
        <BoardContent />
        <CursorLayer />
        <ChatInput />
      </div>
    </div>
  );
}
