import { BOARD_HEIGHT, BOARD_WIDTH, type Point } from '@cursorline/protocol';
import { type CSSProperties, useEffect, useRef, useState } from 'react';
import { BoardContent } from './BoardContent.tsx';
import { fitScale } from './board-coords.ts';
import { CursorLayer } from './CursorLayer.tsx';
import { client } from './connection.ts';
import { useBoardPointer } from './useBoardPointer.ts';

const sendMove = (at: Point | null) => client.move(at);

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

  useBoardPointer(boardRef, sendMove);

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
      </div>
    </div>
  );
}
