// What the join screen remembers between visits (localStorage; ignored where storage is unavailable).
const prefix = 'parley.';

export function load(key, fallback = '') {
  try {
    return localStorage.getItem(prefix + key) ?? fallback;
  } catch {
    return fallback;
  }
}

export function save(key, value) {
  try {
    localStorage.setItem(prefix + key, value);
  } catch {
    // private mode or storage full: nothing to remember then
  }
}
