/// <reference lib="dom" />
/**
 * The browser chat served at GET /: a small page on the SDK (no framework). It signs in, follows
 * every room the user is in (unread counts on the side), and shows the open room with history
 * paging, typing, presence, edit/delete of one's own messages and the connection state.
 */
import { ChatClient, ChatError, type FeedItem, type StateEvent } from '../src/chat-client.js';
import { ConversationView } from './conversation-view.js';
import { byId } from './dom.js';
import { RoomListView } from './room-list-view.js';
import { RoomModel, type ShownMessage } from './room-model.js';

const TYPING_SEND_EVERY_MS = 2_000;
const READ_REPORT_DELAY_MS = 300;

let chat: ChatClient | undefined;
let me = { id: '', username: '' };
const rooms = new Map<string, RoomModel>();
let activeId: string | undefined;
const online = new Map<string, Set<string>>();
const typing = new Map<string, Map<string, number>>();
let lastTypingSent = 0;
let readTimer: ReturnType<typeof setTimeout> | undefined;
let typingTimer: ReturnType<typeof setTimeout> | undefined;

const status = byId('status');
const chatError = byId('chat-error');
const roomList = new RoomListView((roomId) => void openRoom(roomId));
const conversation = new ConversationView(() => me.id, {
  edit: (message) => void editMessage(message),
  remove: (message) => void removeMessage(message),
});

byId<HTMLFormElement>('auth-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.target as HTMLFormElement;
  const mode = ((event as SubmitEvent).submitter as HTMLButtonElement | null)?.value ?? 'login';
  const data = new FormData(form);
  void signIn(mode, String(data.get('username')), String(data.get('password')));
});

byId<HTMLFormElement>('composer').addEventListener('submit', (event) => {
  event.preventDefault();
  const draft = byId<HTMLInputElement>('draft');
  const body = draft.value.trim();
  if (chat === undefined || activeId === undefined || body === '') return;
  draft.value = '';
  chat.typing(activeId, false);
  // The outbox keeps it until the server has it, across reconnects.
  chat.send(activeId, body).then(() => showState(), showError);
  showState();
});

byId<HTMLInputElement>('draft').addEventListener('input', () => {
  if (chat === undefined || activeId === undefined || Date.now() - lastTypingSent < TYPING_SEND_EVERY_MS) return;
  lastTypingSent = Date.now();
  chat.typing(activeId);
});

byId<HTMLFormElement>('new-room').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.target as HTMLFormElement;
  const name = String(new FormData(form).get('name')).trim();
  if (chat === undefined || name === '') return;
  chat.api.createRoom(name).then(async (room) => {
    form.reset();
    await followRoom(room.id, name, 0);
    await openRoom(room.id);
  }, showError);
});

byId<HTMLFormElement>('add-member').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.target as HTMLFormElement;
  const username = String(new FormData(form).get('username')).trim();
  if (chat === undefined || activeId === undefined) return;
  const roomId = activeId;
  chat.api.addMember(roomId, username).then(() => {
    form.reset();
    void showPresence(roomId); // a new member who is already online brings no presence event
  }, showError);
});

byId('older').addEventListener('click', () => {
  const room = activeId === undefined ? undefined : rooms.get(activeId);
  if (chat === undefined || room?.nextBefore == null) return;
  chat.history(room.id, room.nextBefore).then((page) => {
    page.items.forEach((item) => room.apply(item));
    room.nextBefore = page.nextBefore;
    if (room.id === activeId) conversation.render(room);
  }, showError);
});

byId('logout').addEventListener('click', () => void signOut());
// Someone may have added us to a room meanwhile: look again when the tab comes back.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') void refreshRooms();
});

async function signIn(mode: string, username: string, password: string): Promise<void> {
  const options = { url: location.origin, username, password };
  byId('auth-error').textContent = '';
  try {
    chat = mode === 'register' ? await ChatClient.register(options) : await ChatClient.login(options);
    me = await chat.api.me();
  } catch (error) {
    byId('auth-error').textContent = describe(error);
    return;
  }
  chat.on('state', showState);
  chat.on('message', (message) => received({ type: 'message', seq: message.seq, event: message }));
  chat.on('edit', (edit) => received({ type: 'edit', seq: edit.seq, event: edit }));
  chat.on('delete', (removal) => received({ type: 'delete', seq: removal.seq, event: removal }));
  chat.on('typing', (event) => {
    const names = typing.get(event.roomId) ?? new Map<string, number>();
    typing.set(event.roomId, names);
    if (event.typing && event.userId !== me.id) names.set(event.username, Date.now() + event.expiresInMs);
    else names.delete(event.username);
    showTyping();
  });
  chat.on('presence', (event) => {
    const names = online.get(event.roomId) ?? new Set<string>();
    online.set(event.roomId, names);
    if (event.status === 'online') names.add(event.username);
    else names.delete(event.username);
    if (event.roomId === activeId) conversation.showPresence([...names]);
  });
  chat.on('gap', (gap) => showError(gap.error));
  chat.on('error', showError);
  byId('auth').hidden = true;
  byId('chat').hidden = false;
  byId('logout').hidden = false;
  const whoami = byId('whoami');
  whoami.hidden = false;
  whoami.textContent = `Signed in as ${me.username}`;
  showState();
  await refreshRooms();
}

async function refreshRooms(): Promise<void> {
  if (chat === undefined) return;
  try {
    for (const room of await chat.api.rooms()) {
      if (!rooms.has(room.id)) await followRoom(room.id, room.name ?? 'direct', room.unreadCount ?? 0);
    }
  } catch (error) {
    showError(error);
  }
  if (activeId === undefined && rooms.size > 0) await openRoom([...rooms.keys()][0]!);
  roomList.render([...rooms.values()], activeId);
}

async function followRoom(roomId: string, name: string, unread: number): Promise<void> {
  if (chat === undefined || rooms.has(roomId)) return;
  const room = new RoomModel(roomId, name);
  room.unread = unread;
  rooms.set(roomId, room);
  const joined = await chat.join(roomId);
  joined.items.forEach((item) => room.apply(item));
  room.nextBefore = joined.nextBefore;
  roomList.render([...rooms.values()], activeId);
}

async function openRoom(roomId: string): Promise<void> {
  const room = rooms.get(roomId);
  if (chat === undefined || room === undefined) return;
  activeId = roomId;
  byId('composer').hidden = false;
  byId('add-member').hidden = false;
  conversation.render(room);
  showTyping();
  reportRead(room);
  roomList.render([...rooms.values()], activeId);
  await showPresence(roomId);
}

async function showPresence(roomId: string): Promise<void> {
  if (chat === undefined) return;
  try {
    const presence = await chat.api.presence(roomId);
    online.set(roomId, new Set(presence.online.map((user) => user.username)));
    if (activeId === roomId) conversation.showPresence([...online.get(roomId)!]);
  } catch (error) {
    showError(error);
  }
}

function received(item: FeedItem): void {
  const room = rooms.get(item.event.roomId);
  if (room === undefined) return;
  const isNew = room.apply(item);
  const visible = room.id === activeId && document.visibilityState === 'visible';
  if (isNew && item.type === 'message' && item.event.senderId !== me.id && !visible) room.unread++;
  if (room.id === activeId) {
    conversation.render(room);
    reportRead(room);
  }
  roomList.render([...rooms.values()], activeId);
}

/** Tells the server what the open room has been read up to, once things settle. */
function reportRead(room: RoomModel): void {
  room.unread = 0;
  clearTimeout(readTimer);
  readTimer = setTimeout(() => {
    if (chat?.state === 'online' && room.lastSeq > 0) chat.markRead(room.id, room.lastSeq).catch(() => {});
  }, READ_REPORT_DELAY_MS);
}

function showTyping(): void {
  clearTimeout(typingTimer);
  const names = activeId === undefined ? undefined : typing.get(activeId);
  const now = Date.now();
  for (const [name, until] of names ?? []) if (until <= now) names!.delete(name);
  conversation.showTyping([...(names?.keys() ?? [])]);
  if (names !== undefined && names.size > 0) typingTimer = setTimeout(showTyping, 1_000);
}

async function editMessage(message: ShownMessage): Promise<void> {
  const body = prompt('Edit message', message.body)?.trim();
  if (chat === undefined || activeId === undefined || !body || body === message.body) return;
  await chat.edit(activeId, message.seq, body).catch(showError);
}

async function removeMessage(message: ShownMessage): Promise<void> {
  if (chat === undefined || activeId === undefined || !confirm('Delete this message?')) return;
  await chat.delete(activeId, message.seq).catch(showError);
}

function showState(event?: StateEvent): void {
  const state = event?.state ?? chat?.state ?? 'closed';
  const pending = chat?.pendingCount ?? 0;
  const labels = {
    connecting: 'Connecting…',
    online: 'Online',
    reconnecting: `Reconnecting…${event?.retryInMs === undefined ? '' : ` (next try in ${Math.ceil(event.retryInMs / 1000)} s)`}`,
    closed: 'Disconnected',
  };
  status.dataset['state'] = state;
  status.textContent = pending > 0 ? `${labels[state]} · ${pending} waiting to send` : labels[state];
}

function showError(error: unknown): void {
  chatError.textContent = describe(error);
  setTimeout(() => {
    if (chatError.textContent === describe(error)) chatError.textContent = '';
  }, 8_000);
}

function describe(error: unknown): string {
  return error instanceof ChatError ? `${error.message} (${error.code})` : String(error);
}

async function signOut(): Promise<void> {
  await chat?.close({ logout: true }).catch(() => {});
  location.reload();
}
