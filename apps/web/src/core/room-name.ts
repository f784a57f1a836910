/**
 * Names for new rooms, like "swift-otter-42": easy to read out and type, and only letters,
 * digits and dashes, as room names must be. 16 × 16 × 90 ≈ 23,000 names is plenty to keep
 * strangers apart on a demo server; a room is not a secret (anyone with the link can join).
 */
const words = (text: string) => text.trim().split(/\s+/);
const ADJECTIVES = words(`
  amber brave calm clever eager fancy gentle happy
  jolly lucky merry nimble quiet rapid swift witty
`);
const ANIMALS = words(`
  badger crane dolphin falcon gecko heron koala lemur
  lynx marten otter panda puffin raven tiger walrus
`);

const pick = <T>(list: readonly T[], random: () => number): T =>
  list[Math.floor(random() * list.length)] ?? (list[0] as T);

export function randomRoomName(random: () => number = Math.random): string {
  const number = 10 + Math.floor(random() * 90);
  return `${pick(ADJECTIVES, random)}-${pick(ANIMALS, random)}-${number}`;
}
