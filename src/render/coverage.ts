/**
 * A coverage threshold (`min_sources`): a channel feed or a digest takes a story only once this
 * many different outlets carry it (outletCount, src/news/types.ts, counts them for both), and the
 * post says so in the words below.
 */
import { UserError } from '../errors.ts';

/** The highest coverage threshold a feed or digest may ask for. */
export const MAX_MIN_SOURCES = 20;

/** A threshold as typed; UserError outside 1..MAX_MIN_SOURCES (1 means no threshold). */
export function checkedMinSources(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_MIN_SOURCES)
    throw new UserError(`min_sources takes a whole number from 1 to ${MAX_MIN_SOURCES}.`);
  return value;
}

/** "Confirmed by 3 outlets": what a post under a threshold says about the story's coverage. */
export function confirmedByText(outlets: number): string {
  return `Confirmed by ${outlets} ${outlets === 1 ? 'outlet' : 'outlets'}`;
}
