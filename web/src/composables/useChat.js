// The chat as OpenVidu's apps carry it: signals of type 'chat' whose data is JSON {content, from}. The panel's
// open state lives here so messages that arrive while it is closed are counted as unread.
import { reactive, watch } from 'vue';

const maxMessages = 500;

/** Content and sender name from a signal's data; other apps' {message, nickname} and plain text are read too. */
export function parseChatData(data, fallbackName) {
  try {
    const value = JSON.parse(data);
    if (value && typeof value === 'object') {
      return { content: String(value.content ?? value.message ?? ''), from: String(value.from ?? value.nickname ?? fallbackName) };
    }
  } catch {
    // plain text
  }
  return { content: String(data ?? ''), from: fallbackName };
}

export function useChat() {
  const chat = reactive({ messages: [], open: false, unread: 0 });
  let nextId = 1;

  watch(() => chat.open, open => {
    if (open) chat.unread = 0;
  });

  function receive({ data, mine, senderName }) {
    const { content, from } = parseChatData(data, senderName || 'Someone');
    if (!content.trim()) return;
    chat.messages.push({ id: nextId++, content, from: from || 'Someone', mine, time: Date.now() });
    if (chat.messages.length > maxMessages) chat.messages.splice(0, chat.messages.length - maxMessages);
    if (!chat.open && !mine) chat.unread++;
  }

  function reset() {
    chat.messages.splice(0);
    chat.unread = 0;
    chat.open = false;
  }

  return { chat, receive, reset };
}
