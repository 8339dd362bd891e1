/**
 * Who may see a page. The server decides access to data (policy.ts below every route); these
 * guards only send the user where they can act: login, second-factor enrolment, the charter.
 */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { Role } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { forcedDestination } from './destination.ts';
import { hasRole, useSession } from './session.ts';

/** Applies `forcedDestination` around every page. */
export function SessionGate({ children }: { children: ReactNode }) {
  const { data: session } = useSession();
  const { pathname } = useLocation();
  const destination = forcedDestination(session, pathname);
  return destination ? <Navigate to={destination} replace /> : children;
}

/** A page for signed-in users, optionally with one of `roles`. */
export function RequireUser({ roles, children }: { roles?: readonly Role[]; children: ReactNode }) {
  const { data: session, isPending } = useSession();
  const { pathname } = useLocation();
  const { t } = useI18n();
  if (isPending) return <p>{t('app.loading')}</p>;
  if (!session?.authenticated) return <Navigate to={`/login?next=${encodeURIComponent(pathname)}`} replace />;
  if (roles && !hasRole(session, roles)) {
    return <Alert severity="error" title={t('access.deniedTitle')} description={t('access.denied')} />;
  }
  return children;
}
