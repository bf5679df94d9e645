// Kept while callers move to src/delivery/fit.ts (the one fitter); removed once none imports it.
export { DISCORD_LIMITS, embedLength, fitEmbed, fitEmbeds, neutralizeMentions, splitMessage, truncateAtWord } from '../delivery/fit.ts';
export { NO_MENTIONS } from './mentions.ts';
