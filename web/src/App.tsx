/**
 * Routes and providers. Each domain's pages live in their folder; add a page with one <Route>
 * here (wrap it in <RequireUser roles={…}> when it needs a sign-in) and, if it belongs in the
 * menu, one line in shell/Layout.tsx.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { BrowserRouter, Route, Routes, useNavigate } from 'react-router';
import { onSessionExpired } from './api.ts';
import { I18nProvider } from './i18n.ts';
import { AccessReviewPage } from './admin/AccessReviewPage.tsx';
import { UsersPage } from './admin/UsersPage.tsx';
import { AuditPage } from './audit/AuditPage.tsx';
import { catalogRoutes } from './catalog/routes.tsx';
import { CharterPage } from './charters/CharterPage.tsx';
import { citizenRoutes } from './citizens/routes.tsx';
import { AccountPage } from './identity/AccountPage.tsx';
import { LoginPage } from './identity/LoginPage.tsx';
import { SecondFactorPage } from './identity/SecondFactorPage.tsx';
import { TotpEnrolmentPage } from './identity/TotpEnrolmentPage.tsx';
import { ingestRoutes } from './ingest/routes.tsx';
import { RequireUser, SessionGate } from './shell/access.tsx';
import { HomePage } from './shell/HomePage.tsx';
import { IdleWatcher } from './shell/IdleWatcher.tsx';
import { Layout } from './shell/Layout.tsx';
import { NotFoundPage } from './shell/NotFoundPage.tsx';
import { projectRoutes } from './projects/routes.tsx';
import { optoutRoutes } from './optout/routes.tsx';
import { workspaceRoutes } from './workspaces/routes.tsx';
import { linkageRoutes } from './linkage/routes.tsx';
import { airlockRoutes } from './airlock/routes.tsx';

function AppRoutes() {
  return (
    <Routes>
      <Route path="/" element={<HomePage />} />
      <Route path="/login" element={<LoginPage />} />
      <Route path="/second-factor" element={<RequireUser><SecondFactorPage /></RequireUser>} />
      <Route path="/totp-enrolment" element={<RequireUser><TotpEnrolmentPage /></RequireUser>} />
      <Route path="/charter" element={<RequireUser><CharterPage /></RequireUser>} />
      <Route path="/account" element={<RequireUser><AccountPage /></RequireUser>} />
      <Route path="/audit" element={<RequireUser roles={['security_officer']}><AuditPage /></RequireUser>} />
      <Route path="/admin/users" element={<RequireUser roles={['administrator']}><UsersPage /></RequireUser>} />
      <Route path="/admin/access-review" element={<RequireUser roles={['administrator']}><AccessReviewPage /></RequireUser>} />
      {catalogRoutes}
      {projectRoutes}
      {citizenRoutes}
      {optoutRoutes}
      {ingestRoutes}
      {workspaceRoutes}
      {linkageRoutes}
      {airlockRoutes}
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}

/** Sends the user to the login page, with the reason, when any API call finds the session dead. */
function ExpiryRedirect({ queryClient }: { queryClient: QueryClient }) {
  const navigate = useNavigate();
  useEffect(() => {
    onSessionExpired(() => {
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
      queryClient.setQueryData(['session'], undefined);
      void navigate('/login?expired=idle', { replace: true });
    });
  }, [navigate, queryClient]);
  return null;
}

export function App() {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        // A 4xx will not change on retry; the hub is local, so one retry covers a blip.
        defaultOptions: { queries: { retry: (count, error) => count < 1 && !('status' in error && Number(error.status) < 500) } },
      }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider onChange={() => void queryClient.invalidateQueries()}>
        <BrowserRouter>
          <ExpiryRedirect queryClient={queryClient} />
          <IdleWatcher />
          <Layout>
            <SessionGate>
              <AppRoutes />
            </SessionGate>
          </Layout>
        </BrowserRouter>
      </I18nProvider>
    </QueryClientProvider>
  );
}
