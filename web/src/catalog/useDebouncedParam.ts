/**
 * A text box bound to one URL search parameter: the box answers each keystroke, the URL (and so
 * the query) follows after a pause, and Back/Forward puts the URL's value back in the box.
 */
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';

export function useDebouncedParam(name: string, delayMs = 250): { value: string; draft: string; setDraft: (text: string) => void } {
  const [params, setParams] = useSearchParams();
  const value = params.get(name) ?? '';
  const [draft, setDraft] = useState(value);
  const [seen, setSeen] = useState(value);
  // The URL changed under us (navigation): adopt it, during render rather than in an effect.
  if (value !== seen) {
    setSeen(value);
    setDraft(value);
  }
  useEffect(() => {
    if (draft === value) return;
    const timer = setTimeout(() => {
      setSeen(draft);
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          if (draft.trim()) next.set(name, draft);
          else next.delete(name);
          // A new query starts at its first page.
          next.delete('offset');
          return next;
        },
        { replace: true },
      );
    }, delayMs);
    return () => clearTimeout(timer);
  }, [draft, value, name, delayMs, setParams]);
  return { value, draft, setDraft };
}
