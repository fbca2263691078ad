// The operator's sign-in, shared by the console and the softphone: the admin token lives in
// sessionStorage, so it is kept for this tab only and gone when the tab closes.

const KEY = 'wavoice.admin-token';

export function token() {
  return sessionStorage.getItem(KEY);
}

export function forget() {
  sessionStorage.removeItem(KEY);
}

/** Thrown for an API answer that is not 2xx; `message` is the server's own explanation when it gave one. */
export class ApiError extends Error {
  constructor(status, error, message) {
    super(message);
    this.status = status;
    this.error = error;
  }
}

/** What a refused token means, in words an operator can act on. */
export function explain(status) {
  if (status === 401) {
    return 'Wrong admin token: the server refused it. Check the value of wavoice.admin.token (env WAVOICE_ADMIN_TOKEN).';
  }
  if (status === 403) {
    return 'The admin functions are switched off on this server: set wavoice.admin.token (env WAVOICE_ADMIN_TOKEN) and restart it.';
  }
  return null;
}

/** Calls the admin API with the tab's token; JSON in, JSON out; throws ApiError with the server's message. */
export async function api(path, {method = 'GET', body, headers = {}, secret = token()} = {}) {
  const init = {method, headers: {...headers, Authorization: `Bearer ${secret || ''}`}};
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'unreachable', `wavoice cannot be reached (${e.message}).`);
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    const message = explain(response.status) || (json && json.message) || `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, (json && json.error) || 'http_' + response.status, message);
  }
  return json;
}

/**
 * Wires the sign-in form: checks the token against the API before keeping it, shows why it was refused,
 * and calls `onSignedIn` once signed in (at once when the tab already has a token).
 */
export function signIn({form, input, message, signedOut, signedIn, signOut, onSignedIn}) {
  const show = (isIn) => {
    signedOut.hidden = isIn;
    signedIn.hidden = !isIn;
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const candidate = input.value.trim();
    message.textContent = 'Checking the token…';
    try {
      await api('api/calls', {secret: candidate});
      sessionStorage.setItem(KEY, candidate);
      input.value = '';
      message.textContent = '';
      show(true);
      onSignedIn();
    } catch (e) {
      message.textContent = e.message;
      input.focus();
    }
  });
  signOut.addEventListener('click', () => {
    forget();
    location.reload();
  });
  if (token()) {
    show(true);
    onSignedIn();
  } else {
    show(false);
  }
}

/** Signed out because the server stopped taking the token (it was changed, or the tab's is wrong). */
export function refused(message, status) {
  forget();
  message.textContent = explain(status) || 'Please sign in again.';
}
