/**
 * Notices an idle session without the user clicking: once no API call has left for the
 * server's idle timeout, ask /api/session, which then reports the expiry and the session gate
 * sends the user to the login page with the reason. It never polls before that moment, since
 * any call would itself keep the session alive (AUTH-15).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { lastApiCallAt } from '../api.ts';
import { sessionKey, useSession } from './session.ts';

export function IdleWatcher() {
  const { data: session, dataUpdatedAt } = useSession();
  const queryClient = useQueryClient();
  const timeoutMs = session?.authenticated ? session.idleTimeoutSeconds * 1000 : null;
  useEffect(() => {
    if (!timeoutMs) return;
    let timer: number | undefined;
    const check = () => {
      const idle = Date.now() - lastApiCallAt();
      // A second of margin so the server's clock has passed the limit too.
      if (idle > timeoutMs + 1000) void queryClient.invalidateQueries({ queryKey: sessionKey });
      else timer = window.setTimeout(check, timeoutMs + 1500 - idle);
    };
    check();
    return () => window.clearTimeout(timer);
  }, [timeoutMs, dataUpdatedAt, queryClient]);
  return null;
}
