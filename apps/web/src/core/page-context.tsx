import { createContext, type ReactNode, useContext } from 'react';
import { useStore } from 'zustand';
import type { Page, Slot } from './feature.ts';
import type { PageState } from './store.ts';

const PageContext = createContext<Page | null>(null);

/** Hands the page (made by startPage) to everything React renders under it. */
export function PageProvider({ page, children }: { page: Page; children: ReactNode }) {
  return <PageContext value={page}>{children}</PageContext>;
}

/** The page this component is rendered in. */
export function usePage(): Page {
  const page = useContext(PageContext);
  if (!page) throw new Error('usePage: no <PageProvider> above this component');
  return page;
}

/** A part of the page's state; the component re-renders only when that part changes. */
export function usePageState<T>(select: (state: PageState) => T): T {
  return useStore(usePage().store, select);
}

/** The page's actions (store.ts), the only way to change its state. */
export function useActions() {
  return usePage().store.actions;
}

/** Renders what the features put in one slot of the page, in the order of the feature list. */
export function FeatureSlot({ name }: { name: Slot }) {
  const page = usePage();
  return (
    <>
      {page.ui(name).map(({ key, Component }) => (
        <Component key={key} />
      ))}
    </>
  );
}
