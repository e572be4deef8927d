// A page's data from a request: what came back, or why it did not. A failed load is an error
// in place of the data, never an empty list (the page must not say "nothing yet" when it does
// not know); the last good data stays beside the error.
import { useCallback, useState } from 'react';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  /** Give to request() as its onValue and onError. */
  ok(data: T): void;
  fail(message: string): void;
  /** Change the data in place (an event that carries it). */
  update(f: (data: T | null) => T | null): void;
}

export function useLoaded<T>(): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  const ok = useCallback((data: T) => setState({ data, error: null }), []);
  const fail = useCallback((error: string) => setState((s) => ({ data: s.data, error })), []);
  const update = useCallback((f: (data: T | null) => T | null) => setState((s) => ({ ...s, data: f(s.data) })), []);
  return { ...state, ok, fail, update };
}
