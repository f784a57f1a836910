import type { Point, Pointer } from '@cursorline/protocol';
import { useEffect, useRef } from 'react';
import { BoardContent } from './BoardContent.tsx';
import { installBoardGestures } from './board-gestures.ts';
import { boardView } from './board-view.ts';
import { ChatInput } from './ChatInput.tsx';
import { CursorLayer } from './CursorLayer.tsx';
import { camera } from './camera.ts';
import { client, cursors } from './connection.ts';
import { ownCursor } from './own-cursor.ts';
import { usePresence } from './store.ts';
import { useBoardPointer } from './useBoardPointer.ts';
import { reportView } from './view-report.ts';
import { ZoomControls } from './ZoomControls.tsx';

const sendMove = (at: Point | null) => {
  ownCursor.move(at);
  cursors.pointerAt(at); // the label under our pointer shows in full
  // Hidden: others see no cursor, so they get no positions at all.
  if (!usePresence.getState().cursorHidden) client.move(at);
};
const sendPointer = (pointer: Pointer) => client.setPointer(pointer);

/**
 * The shared page. It is laid out once at a fixed logical size (BOARD_WIDTH × BOARD_HEIGHT)
 * and shown at a zoom of its own (camera.ts), so a board position points at the same word for
 * everyone, whatever their window size or zoom. The frame takes the scaled height in the
 * page's layout and clips sideways; the camera writes both sizes.
 */
export function Board() {
  const frameRef = useRef<HTMLDivElement>(null);
  const boardRef = useRef<HTMLDivElement>(null);

  // The camera and the gestures first: their listeners must run before the pointer's, so a
  // second finger is known to be a pinch before it could count as pointing.
  useEffect(() => {
    const frame = frameRef.current;
    const board = boardRef.current;
    if (!frame || !board) return;
    const stops = [
      camera.attach(frame, board),
      installBoardGestures(board),
      boardView.attach(board, frame),
      reportView(client),
    ];
    return () => {
      for (const stop of stops.reverse()) stop();
    };
  }, []);

  useBoardPointer(boardRef, sendMove, sendPointer);

  return (
    <div ref={frameRef} className="board-frame" data-testid="board-frame">
      <div ref={boardRef} className="board" data-testid="board">
        <BoardContent />
        <CursorLayer />
        <ChatInput />
      </div>
      <ZoomControls />
    </div>
  );
}
