import { useEffect, useRef } from 'react';
import { FeatureSlot, usePage } from '../page-context.tsx';
import { BoardContent } from './BoardContent.tsx';
import { CursorLayer } from './CursorLayer.tsx';
import { useBoardPointer } from './useBoardPointer.ts';
import { reportView } from './view-report.ts';

/**
 * The shared page. It is laid out once at a fixed logical size (BOARD_WIDTH × BOARD_HEIGHT)
 * and shown at a zoom of its own (camera.ts), so a board position points at the same word for
 * everyone, whatever their window size or zoom. The frame takes the scaled height in the
 * page's layout and clips sideways; the camera writes both sizes.
 */
export function Board() {
  const page = usePage();
  const frameRef = useRef<HTMLDivElement>(null);
  const boardRef = useRef<HTMLDivElement>(null);

  // The camera and the gestures first: their listeners must run before the pointer's, so a
  // second finger is known to be a pinch before it could count as pointing.
  useEffect(() => {
    const frame = frameRef.current;
    const board = boardRef.current;
    if (!frame || !board) return;
    const stops = [
      page.camera.attach(frame, board),
      page.gestures.attach(board),
      page.boardView.attach(board, frame),
      reportView(page.client, page.boardView),
    ];
    return () => {
      for (const stop of stops.reverse()) stop();
    };
  }, [page]);

  useBoardPointer(boardRef, page.pointer.move, page.pointer.set, page.gestures);

  return (
    <div ref={frameRef} className="board-frame" data-testid="board-frame">
      <div ref={boardRef} className="board" data-testid="board">
        <BoardContent />
        <CursorLayer />
        <FeatureSlot name="board" />
      </div>
      <FeatureSlot name="frame" />
    </div>
  );
}
