/** The caller's session (`GET /api/session`), shared by every page through TanStack Query. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, setCsrfToken, type Role, type Session } from '../api.ts';

export const sessionKey = ['session'] as const;

export function useSession() {
  return useQuery({ queryKey: sessionKey, queryFn: () => api.get<Session>('/api/session'), staleTime: 30_000 });
}

export function hasRole(session: Session | undefined, roles: readonly Role[]): boolean {
  return !!session?.user && roles.some((r) => session.user!.roles.includes(r));
}

export function useLogout() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: () => api.post<void>('/api/auth/logout'),
    onSettled: async () => {
      setCsrfToken(null);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
      await queryClient.invalidateQueries({ queryKey: sessionKey });
      await navigate('/');
    },
  });
}
