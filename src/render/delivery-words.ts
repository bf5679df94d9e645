/**
 * The one table of delivery-failure wording. Services hand over values (a ChannelProblem, a
 * GuildNotice); each surface words them here with its own way of naming a channel and an error
 * code: Discord mentions the channel (`<#id>`) and says "Discord error 50013"; the terminal
 * names its channel `#terminal`.
 */
import { TERMINAL_CHANNEL_ID } from '../delivery/destination.ts';
import type { GuildNotice } from '../delivery/notices.ts';
import type { ChannelProblem } from '../delivery/problem.ts';
import type { DeliverySurface } from '../delivery/sink.ts';

export interface SurfaceWords {
  /** A channel as this surface names it to a reader. */
  channel(channelId: string): string;
  /** A platform error code as this surface names it. */
  errorCode(code: number): string;
}

const DISCORD_WORDS: SurfaceWords = {
  channel: (channelId) => `<#${channelId}>`,
  errorCode: (code) => `Discord error ${code}`,
};

const TERMINAL_WORDS: SurfaceWords = {
  // The terminal is one channel; any other id is a Discord channel seen from the command line.
  channel: (channelId) => (channelId === TERMINAL_CHANNEL_ID ? '#terminal' : `#${channelId}`),
  errorCode: (code) => `error ${code}`,
};

export function surfaceWords(surface: DeliverySurface): SurfaceWords {
  return surface === 'discord' ? DISCORD_WORDS : TERMINAL_WORDS;
}

/** Why posting stopped, as the admin reads it in /digest show, /feed list and the notice. */
export function describeProblem(problem: ChannelProblem, words: SurfaceWords): string {
  const code = (fallback: number): string => words.errorCode(problem.code ?? fallback);
  switch (problem.kind) {
    case 'channel-gone':
      return `the channel no longer exists (${code(10003)})`;
    case 'access-lost':
      return `I lost access to the channel (${code(50001)})`;
    case 'missing-permission':
      return `I am missing a permission in the channel (${code(50013)})`;
    case 'refused':
      return problem.code === undefined
        ? `my post there was refused (${problem.failure})`
        : `my post there was refused (${problem.failure}, ${words.errorCode(problem.code)})`;
  }
}

/** The message a guild notice posts. */
export function noticeText(notice: GuildNotice, words: SurfaceWords): string {
  const where = words.channel(notice.channelId);
  const why = describeProblem(notice.problem, words);
  switch (notice.kind) {
    case 'digest-paused':
      return (
        `The ${notice.time} (${notice.timezone}) digest for ${where} is paused: ${why}. ` +
        'Fix the channel or its permissions, then run /digest setup again.'
      );
    case 'feed-paused':
      return (
        `The channel feed ${notice.feed} in ${where} is paused: ${why}. ` +
        'Fix the channel or my permissions there, then run /feed resume (or /feed add again) to re-arm it.'
      );
  }
}

/** Why something stopped: the problem when a fault stopped it, else the words stored with it. */
export function whyStopped(
  stopped: { problem?: ChannelProblem | undefined; reason?: string | undefined },
  words: SurfaceWords,
  fallback: string,
): string {
  if (stopped.problem !== undefined) return describeProblem(stopped.problem, words);
  return stopped.reason ?? fallback;
}
