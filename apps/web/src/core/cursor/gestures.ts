import type { Point } from '@cursorline/protocol';

/**
 * Something done with the pointer on the board that is not just pointing: a pinch, an
 * Alt+click… A feature adds one with page.gestures.add(); the board and useBoardPointer ask the
 * registry, so a new gesture needs no edit of either.
 */
export interface BoardGesture {
  /** Listeners of its own on the board (several fingers, the wheel, keys); returns their removal. */
  attach?(board: HTMLElement): () => void;
  /** While true, the pointer is the gesture's (a pinch in progress): it moves no cursor. */
  busy?(): boolean;
  /**
   * A press on the board at `at` (board units). Return true to take it: our cursor then does
   * not show as pressed (the position still goes out, so the others see where it happened).
   */
  press?(at: Point, e: PointerEvent): boolean;
}

/** The board's gestures, in the order they were added (the first to take a press has it). */
export class BoardGestures {
  private readonly list: BoardGesture[] = [];
  private board: HTMLElement | null = null;
  private readonly detach = new Map<BoardGesture, () => void>();

  add(gesture: BoardGesture): () => void {
    this.list.push(gesture);
    if (this.board && gesture.attach) this.detach.set(gesture, gesture.attach(this.board));
    return () => {
      this.detach.get(gesture)?.();
      this.detach.delete(gesture);
      const i = this.list.indexOf(gesture);
      if (i >= 0) this.list.splice(i, 1);
    };
  }

  /**
   * Called by the board before the pointer's own listeners are added, so a gesture hears a
   * pointer event first (a second finger is known to be a pinch before it could point).
   */
  attach(board: HTMLElement): () => void {
    this.board = board;
    for (const gesture of this.list) {
      if (gesture.attach) this.detach.set(gesture, gesture.attach(board));
    }
    return () => {
      for (const undo of [...this.detach.values()].reverse()) undo();
      this.detach.clear();
      if (this.board === board) this.board = null;
    };
  }

  busy(): boolean {
    return this.list.some((g) => g.busy?.() === true);
  }

  /** True when a gesture took the press. */
  press(at: Point, e: PointerEvent): boolean {
    return this.list.some((g) => g.press?.(at, e) === true);
  }
}
