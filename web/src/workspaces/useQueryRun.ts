/**
 * Running a query: submit, then poll `GET queries/:qid` while it runs (the server answers the
 * submission after ~1.5 s at most, with the result or a running status and its progress), cancel.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { workspaceApi, type QueryView } from './types.ts';

const POLL_MS = 700;

export function useQueryRun(projectId: string) {
  const paths = workspaceApi(projectId);
  const queryClient = useQueryClient();
  const [qid, setQid] = useState<string | null>(null);
  const key = ['workspace', projectId, 'query', qid] as const;

  const current = useQuery({
    queryKey: key,
    queryFn: () => api.get<QueryView>(paths.query(qid!)),
    enabled: qid !== null,
    // The submission's answer is fresh: poll only while the engine still works.
    staleTime: Infinity,
    refetchInterval: (q) => (q.state.data?.status === 'running' ? POLL_MS : false),
  });

  const status = current.data?.status;
  const settled = status !== undefined && status !== 'running';
  // The history shows durations and row counts, and a statement may have made a scratch table
  // (the dictionary lists them): refresh both when a query ends.
  useEffect(() => {
    if (!settled) return;
    void queryClient.invalidateQueries({ queryKey: ['workspace', projectId, 'history'] });
    void queryClient.invalidateQueries({ queryKey: ['workspace', projectId, 'dictionary'] });
  }, [settled, qid, projectId, queryClient]);
  const submit = useMutation({
    mutationFn: (sql: string) => api.post<QueryView>(paths.queries, { sql }),
    onSuccess: (view) => {
      queryClient.setQueryData(['workspace', projectId, 'query', view.id], view);
      setQid(view.id);
      void queryClient.invalidateQueries({ queryKey: ['workspace', projectId, 'history'] });
    },
  });
  const cancel = useMutation({
    mutationFn: (id: string) => api.post<QueryView>(paths.cancel(id)),
    onSuccess: (view) => queryClient.setQueryData(['workspace', projectId, 'query', view.id], view),
  });

  return {
    view: current.data ?? null,
    running: submit.isPending || status === 'running',
    settled,
    error: submit.error ?? current.error ?? cancel.error,
    run: (sql: string) => {
      cancel.reset();
      setQid(null);
      submit.mutate(sql);
    },
    cancel: () => {
      if (qid) cancel.mutate(qid);
    },
    cancelling: cancel.isPending,
  };
}
