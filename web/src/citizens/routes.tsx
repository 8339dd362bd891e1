/** Pages for the public, no sign-in (PR-05): the hub, the data controllers, the sources, the rights. */
import { Route } from 'react-router';
import { citizenPaths } from './CitizensFrame.tsx';
import { ControllersPage } from './ControllersPage.tsx';
import { HubPage } from './HubPage.tsx';
import { RightsPage } from './RightsPage.tsx';
import { SourcesPage } from './SourcesPage.tsx';

export const citizenRoutes = (
  <>
    <Route path={citizenPaths.hub} element={<HubPage />} />
    <Route path={citizenPaths.controllers} element={<ControllersPage />} />
    <Route path={citizenPaths.sources} element={<SourcesPage />} />
    <Route path={citizenPaths.rights} element={<RightsPage />} />
  </>
);
