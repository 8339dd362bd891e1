/** The producers' data loading pages (chargement des données): producers and administrators. */
import { Route } from 'react-router';
import { RequireUser } from '../shell/access.tsx';
import { HistoryPage } from './HistoryPage.tsx';
import { LoadPage } from './LoadPage.tsx';
import { UploadPage } from './UploadPage.tsx';

/** Who may load data (the server decides per table: src/ingest/policy.ts). */
export const loaders = ['data_producer', 'administrator'] as const;

export const ingestRoutes = (
  <>
    <Route path="/chargements" element={<RequireUser roles={loaders}><UploadPage /></RequireUser>} />
    <Route path="/chargements/historique" element={<RequireUser roles={loaders}><HistoryPage /></RequireUser>} />
    <Route path="/chargements/:id" element={<RequireUser roles={loaders}><LoadPage /></RequireUser>} />
  </>
);
