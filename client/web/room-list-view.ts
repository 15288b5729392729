import { byId, el } from './dom.js';
import type { RoomModel } from './room-model.js';

/** The rooms down the side, each with its unread count; choosing one opens it. */
export class RoomListView {
  private readonly list = byId<HTMLUListElement>('room-list');

  constructor(private readonly open: (roomId: string) => void) {}

  render(rooms: readonly RoomModel[], activeId: string | undefined): void {
    this.list.replaceChildren(
      ...rooms.map((room) => {
        const label = room.unread > 0 ? `${room.name}, ${room.unread} unread` : room.name;
        const button = el(
          'button',
          {
            type: 'button',
            'aria-current': String(room.id === activeId),
            'aria-label': label,
            'data-room': room.id,
            'data-name': room.name,
          },
          el('span', {}, room.name),
          ...(room.unread > 0 ? [el('span', { class: 'unread', 'aria-hidden': 'true' }, String(room.unread))] : []),
        );
        button.addEventListener('click', () => this.open(room.id));
        return el('li', {}, button);
      }),
    );
  }
}
