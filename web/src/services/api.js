// Tokens from the application endpoint Parley serves on the same origin (the routes of OpenVidu's basic tutorial
// application servers). The browser never sees the OpenVidu secret.

async function post(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try {
      message = JSON.parse(text).message ?? text;
    } catch {
      // a plain-text error body
    }
    throw new Error(message || `${path} answered ${response.status}`);
  }
  return text;
}

/** Creates the session if it does not exist yet and answers its id. */
export function createSession(sessionName) {
  return post('/api/sessions', { customSessionId: sessionName });
}

/** A fresh single-use token for one connection to `sessionId`. */
export function createToken(sessionId) {
  return post(`/api/sessions/${encodeURIComponent(sessionId)}/connections`, {});
}
