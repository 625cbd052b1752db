import type { StatusPageView } from '@crosscheck/contract';

/** A status page as stored: what its writer said, and when. */
export interface StatusPage {
  id: string;
  /** The key it was created with; none when it was created without one. */
  key?: string;
  slug: string;
  title: string;
  description: string | null;
  /** Monitor ids, in the order the page shows them (a monitor deleted since may still be listed). */
  monitorIds: string[];
  createdAt: string;
  updatedAt: string;
}

/** A page with the revision it is stored at. */
export interface StoredStatusPage {
  page: StatusPage;
  revision: number;
}

/** Where a page is public, relative to the coordinator. */
export function publicPathOf(slug: string): string {
  return `/status/${slug}`;
}

/** The page as the API shows it; `monitorIds` are the ones that still exist (`existing`). */
export function presentStatusPage({ page, revision }: StoredStatusPage, existing: ReadonlySet<string>): StatusPageView {
  return {
    id: page.id,
    key: page.key ?? page.id,
    revision,
    slug: page.slug,
    title: page.title,
    description: page.description,
    monitorIds: page.monitorIds.filter((id) => existing.has(id)),
    publicUrl: publicPathOf(page.slug),
    createdAt: page.createdAt,
    updatedAt: page.updatedAt,
  };
}

/** What a configuration file says of a page: what a dry run compares. */
export function statusPageDocument(view: Pick<StatusPageView, 'key' | 'slug' | 'title' | 'description' | 'monitorIds'>): Record<string, unknown> {
  return { key: view.key, slug: view.slug, title: view.title, description: view.description, monitorIds: view.monitorIds };
}
