// Names as openvidu-browser carries them: a connection's data is the client's metadata (here
// {"clientData": name}), followed by "%/%" and the server's data when the token has any.

/** The display name and kind of a connection from its data; tolerant of plain strings from other apps. */
export function describeConnection(data) {
  const client = String(data ?? '').split('%/%')[0];
  try {
    const value = JSON.parse(client);
    if (value && typeof value === 'object') {
      return { name: String(value.clientData ?? ''), screen: value.screen === true, owner: value.owner ?? null };
    }
    if (typeof value === 'string') {
      return { name: value, screen: false, owner: null };
    }
  } catch {
    // not JSON: the data is the name itself
  }
  return { name: client, screen: false, owner: null };
}

/** Up to two initials: "Ada Lovelace" → "AL", "bob" → "B". */
export function initials(name) {
  const words = String(name ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const letters = words.length === 1 ? [...words[0]].slice(0, 1) : [[...words[0]][0], [...words[words.length - 1]][0]];
  return letters.join('').toUpperCase();
}

const palette = ['#5c6bc0', '#26a69a', '#ab47bc', '#ef6c00', '#2e7d32', '#c2185b', '#0277bd', '#6d4c41'];

/** A stable colour per name, so someone's avatar looks the same on every screen. */
export function colorFor(name) {
  let hash = 0;
  for (const ch of String(name ?? '')) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return palette[hash % palette.length];
}
