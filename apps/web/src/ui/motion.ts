const REDUCED_MOTION = matchMedia('(prefers-reduced-motion: reduce)');

/** The user asked their system for less motion: no glides, bursts or smooth scrolling. */
export function prefersReducedMotion(): boolean {
  return REDUCED_MOTION.matches;
}
