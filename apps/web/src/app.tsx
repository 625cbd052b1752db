import { useEffect, useState } from 'preact/hooks';
import { currentToken, onSessionChange, signOut } from './auth/session';
import { SignInPage } from './auth/sign-in.page';
import { PageTitle } from './components/page-title';
import { ChannelPage } from './pages/channel.page';
import { ChannelsPage } from './pages/channels.page';
import { IncidentPage } from './pages/incident.page';
import { IncidentsPage } from './pages/incidents.page';
import { MonitorFormPage } from './pages/monitor-form.page';
import { MonitorPage } from './pages/monitor.page';
import { MonitorsPage } from './pages/monitors.page';
import { PoliciesPage } from './pages/policies.page';
import { RegionsPage } from './pages/regions.page';
import { WebhookPage } from './pages/webhook.page';
import { WebhooksPage } from './pages/webhooks.page';
import { links, type Route } from './routing/routes';
import { useRoute } from './routing/use-route';

const NAV = [
  { href: links.monitors(), label: 'Monitors', pages: ['monitors', 'monitor', 'monitor-new', 'monitor-edit'] },
  { href: links.incidents(), label: 'Incidents', pages: ['incidents', 'incident'] },
  { href: links.regions(), label: 'Regions and agents', pages: ['regions'] },
  { href: links.channels(), label: 'Channels', pages: ['channels', 'channel'] },
  { href: links.policies(), label: 'Policies', pages: ['policies'] },
  { href: links.webhooks(), label: 'Webhooks', pages: ['webhooks', 'webhook'] },
] as const satisfies readonly { href: string; label: string; pages: readonly Route['page'][] }[];

/** The signed-in state of the tab, following sign-in and sign-out (a 401 signs out, saying so). */
function useSignedIn(): { signedIn: boolean; reason: string | null } {
  const [state, setState] = useState(() => ({ signedIn: currentToken() !== null, reason: null as string | null }));
  useEffect(() => onSessionChange((reason) => setState({ signedIn: currentToken() !== null, reason })), []);
  return state;
}

/** The dashboard: sign-in, then the page the fragment names, under a header with the main navigation. */
export function App() {
  const route = useRoute();
  const { signedIn, reason } = useSignedIn();
  if (!signedIn) return <SignInPage reason={reason} />;
  return (
    <>
      <a
        class="skip-link"
        href={location.hash || '#/monitors'}
        onClick={(event) => {
          event.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="app-header">
        <a class="brand" href={links.monitors()}>
          <span aria-hidden="true">◎ </span>Crosscheck
        </a>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.href}>
                <a href={item.href} aria-current={(item.pages as readonly string[]).includes(route.page) ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" class="sign-out" onClick={() => signOut()}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Page key={pageKey(route)} route={route} />
      </main>
    </>
  );
}

/** Pages are kept while only their filters change (typing in the grid's search), rebuilt when the page or its subject does. */
function pageKey(route: Route): string {
  return 'id' in route ? `${route.page}:${route.id}` : route.page === 'incidents' ? `incidents:${route.state}` : route.page;
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'monitors':
      return <MonitorsPage filters={route.filters} />;
    case 'monitor':
      return <MonitorPage id={route.id} />;
    case 'monitor-new':
      return <MonitorFormPage />;
    case 'monitor-edit':
      return <MonitorFormPage id={route.id} />;
    case 'incidents':
      return <IncidentsPage state={route.state} />;
    case 'incident':
      return <IncidentPage id={route.id} />;
    case 'regions':
      return <RegionsPage />;
    case 'webhooks':
      return <WebhooksPage />;
    case 'webhook':
      return <WebhookPage id={route.id} />;
    case 'channels':
      return <ChannelsPage />;
    case 'channel':
      return <ChannelPage id={route.id} />;
    case 'policies':
      return <PoliciesPage />;
    case 'not-found':
      return (
        <>
          <PageTitle title="No such page" />
          <p>
            Nothing lives at <code>{route.path}</code>. <a href={links.monitors()}>Go to the monitors</a>.
          </p>
        </>
      );
  }
}
