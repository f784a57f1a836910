import { usePage, usePageState } from '../../core/page-context.tsx';

/** Which room this is and how many are in it (ourselves included once we are welcomed). */
export function RoomInfo() {
  const { room } = usePage();
  const count = usePageState((s) => s.users.length + (s.self ? 1 : 0));
  return (
    <div className="room-info">
      <span className="room-name" data-testid="room" title="Room (change it with ?room=…)">
        # {room}
      </span>
      <span className="user-count" data-testid="user-count" data-count={count}>
        {count === 1 ? '1 person' : `${count} people`}
      </span>
    </div>
  );
}
