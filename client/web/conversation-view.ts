import { byId, el } from './dom.js';
import type { RoomModel, ShownMessage } from './room-model.js';

export interface ConversationActions {
  edit(message: ShownMessage): void;
  remove(message: ShownMessage): void;
}

/** The open room: its messages (with edit/delete on one's own), who is online, who is typing. */
export class ConversationView {
  private readonly list = byId<HTMLOListElement>('messages');
  private readonly title = byId('room-title');
  private readonly presence = byId('presence');
  private readonly typingLine = byId('typing');
  private readonly older = byId<HTMLButtonElement>('older');

  constructor(
    private readonly myUserId: () => string,
    private readonly actions: ConversationActions,
  ) {}

  render(room: RoomModel): void {
    this.title.textContent = room.name;
    this.older.hidden = room.nextBefore === null;
    const atBottom = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 40;
    this.list.replaceChildren(...room.ordered().map((message) => this.item(message)));
    if (atBottom) this.list.scrollTop = this.list.scrollHeight;
  }

  showPresence(online: readonly string[]): void {
    this.presence.textContent = online.length === 0 ? '' : `Online: ${online.join(', ')}`;
  }

  showTyping(names: readonly string[]): void {
    this.typingLine.textContent =
      names.length === 0 ? '' : `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} typing…`;
  }

  private item(message: ShownMessage): HTMLElement {
    const time = new Date(message.sentAt);
    const mine = message.senderId === this.myUserId();
    const children: Array<Node | string> = [
      el('span', { class: 'meta' }, el('time', { datetime: message.sentAt }, time.toLocaleTimeString())),
      el('span', { class: 'sender' }, message.sender),
      el('span', { class: 'body' }, message.deleted ? 'message deleted' : message.body),
    ];
    if (message.edited && !message.deleted) children.push(el('span', { class: 'edited' }, '(edited)'));
    if (mine && !message.deleted) {
      const edit = el('button', { type: 'button', class: 'link', 'aria-label': `Edit message ${message.seq}` }, 'Edit');
      const remove = el(
        'button',
        { type: 'button', class: 'link', 'aria-label': `Delete message ${message.seq}` },
        'Delete',
      );
      edit.addEventListener('click', () => this.actions.edit(message));
      remove.addEventListener('click', () => this.actions.remove(message));
      children.push(edit, remove);
    }
    return el('li', { 'data-seq': String(message.seq), class: message.deleted ? 'deleted' : undefined }, ...children);
  }
}
