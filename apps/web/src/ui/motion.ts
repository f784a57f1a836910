let reducedMotion: MediaQueryList | undefined;

/** The user asked their system for less motion: no glides, bursts or smooth scrolling. */
export function prefersReducedMotion(): boolean {
  // Asked on first use, not on import: importing a module has no side effects on this page.
  reducedMotion ??= matchMedia('(prefers-reduced-motion: reduce)');
  return reducedMotion.matches;
}
