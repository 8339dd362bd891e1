/** What the caller may do on a project page; the server decides again on every call (policy.ts). */
import { hasRole, useSession } from '../shell/session.ts';
import { terminalStatuses, type Project } from './types.ts';

export function useProjectAccess(project: Project | undefined) {
  const { data: session } = useSession();
  const isLead = !!project && !!session?.user && session.user.id === project.leadId && hasRole(session, ['project_lead']);
  const canEdit = isLead || hasRole(session, ['administrator']);
  return {
    /** The lead or an administrator: team, documents, results, review. */
    canEdit,
    /** Team and documents change until the project ends. */
    canChangeTeam: canEdit && !!project && !terminalStatuses.includes(project.status),
  };
}
