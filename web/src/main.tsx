/** Entry point: DSFR styles and behaviour, then the app. No inline script anywhere (CSP). */
import '@codegouvfr/react-dsfr/main.css';
import './app.css';
import { startReactDsfr } from '@codegouvfr/react-dsfr/spa';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Link } from 'react-router';
import { App } from './App.tsx';
import { useLang } from './i18n.ts';

// DSFR's own JS (menus, modals) is loaded by this call as a bundled module chunk, same origin.
startReactDsfr({ defaultColorScheme: 'system', Link, useLang });

declare module '@codegouvfr/react-dsfr/spa' {
  interface RegisterLink {
    Link: typeof Link;
  }
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
