/** The workspace's pages: a project's workspace, one of its saved programs, and the personal API tokens. */
import { Route } from 'react-router';
import { RequireUser } from '../shell/access.tsx';
import { ProgramPage } from './ProgramPage.tsx';
import { TokensPage } from './TokensPage.tsx';
import { WorkspacePage } from './WorkspacePage.tsx';

// Any signed-in person may try: the server decides who is an active member (AUTH-03..05, AUTH-12).
const people = ['project_lead', 'project_member', 'hub_instructor', 'administrator'] as const;

export const workspaceRoutes = (
  <>
    <Route path="/projets/:id/espace" element={<RequireUser roles={people}><WorkspacePage /></RequireUser>} />
    <Route path="/projets/:id/espace/programmes/:pid" element={<RequireUser roles={people}><ProgramPage /></RequireUser>} />
    <Route path="/jetons" element={<RequireUser roles={people}><TokensPage /></RequireUser>} />
  </>
);
