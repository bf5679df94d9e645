/**
 * The Discord adapter of the delivery port: every message Herald posts on its own leaves here
 * (handed over by the courier), over discord.js REST, one request at a time through the
 * process's pacer. Each part of a fitted message carries a nonce derived from its idempotency
 * key with enforce_nonce, so a retried post returns the first message instead of a second one.
 * Failures come out as DeliveryError.
 */
import { DiscordAPIError, HTTPError, RateLimitError, Routes, type REST } from 'discord.js';
import type { APIChannel, APIMessage } from 'discord-api-types/v10';
import { fitThreadName } from '../delivery/fit.ts';
import { classifyFailure, DeliveryError, DISCORD_ERROR_CODES } from '../delivery/failure.ts';
import { describeError } from '../errors.ts';
import { nonceFor } from '../delivery/idempotency.ts';
import type { Pacer } from '../delivery/pacer.ts';
import type { DeliveryReceipt, FittedDelivery, MessageSink } from '../delivery/sink.ts';
import { toRestBody } from './reply-payloads.ts';

/** Maps whatever discord.js REST threw to the delivery layer's one taxonomy. */
export function toDeliveryError(
  error: unknown,
  options: { surelyUndelivered?: boolean } = {},
): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const extra = options.surelyUndelivered ? { surelyUndelivered: true } : {};
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === 'number' ? error.code : Number(error.code) || undefined;
    return classifyFailure({
      status: error.status,
      ...(code === undefined ? {} : { code }),
      message: error.message,
      cause: error,
      ...extra,
    });
  }
  if (error instanceof RateLimitError) {
    return classifyFailure({
      status: 429,
      retryAfterMs: error.retryAfter,
      message: error.message,
      cause: error,
      ...extra,
    });
  }
  if (error instanceof HTTPError)
    return classifyFailure({ status: error.status, message: error.message, cause: error, ...extra });
  // No HTTP status at all: a network failure or timeout. Nonces make a retry safe.
  return classifyFailure({ message: describeError(error), cause: error, ...extra });
}

/** The slice of discord.js REST the sink uses. */
export type SinkRest = Pick<REST, 'post' | 'get'>;

// Enough for every active subscriber of a large bot; a miss only costs one extra request.
const DM_CHANNEL_CACHE_LIMIT = 50_000;
/** Discord's answer when a thread already grows from the message: the thread has the message's id. */
const THREAD_ALREADY_CREATED = 160004;

export function createDiscordSink(deps: { rest: SinkRest; pacer: Pacer }): MessageSink {
  const { rest, pacer } = deps;
  const dmChannels = new Map<string, string>();

  async function paced<T>(request: () => Promise<unknown>): Promise<T> {
    return (await pacer.run(request)) as T;
  }

  async function dmChannelOf(userId: string): Promise<string> {
    const cached = dmChannels.get(userId);
    if (cached) return cached;
    let channel: { id?: unknown };
    try {
      channel = await paced(() => rest.post(Routes.userChannels(), { body: { recipient_id: userId } }));
    } catch (error) {
      // The message itself was never posted, whatever happened to the channel request.
      throw toDeliveryError(error, { surelyUndelivered: true });
    }
    if (typeof channel.id !== 'string')
      throw new DeliveryError('retry-later', 'Discord returned no DM channel id', { mayHaveArrived: false });
    if (dmChannels.size >= DM_CHANNEL_CACHE_LIMIT) {
      const oldest = dmChannels.keys().next().value;
      if (oldest !== undefined) dmChannels.delete(oldest);
    }
    dmChannels.set(userId, channel.id);
    return channel.id;
  }

  async function postParts(channelId: string, delivery: FittedDelivery): Promise<DeliveryReceipt> {
    const messageIds: string[] = [];
    for (const [index, part] of delivery.parts.entries()) {
      const body = toRestBody(part, nonceFor(delivery.key, index));
      const sent = await paced<APIMessage>(() => rest.post(Routes.channelMessages(channelId), { body }));
      messageIds.push(sent.id);
    }
    return { messageId: messageIds[0] as string, messageIds, channelId };
  }

  /** A forum post: the first part opens the post, the rest follow inside it. */
  async function postForum(
    delivery: FittedDelivery & { destination: { kind: 'forum-post' } },
  ): Promise<DeliveryReceipt> {
    const { destination } = delivery;
    const [first, ...rest_] = delivery.parts;
    const body = {
      name: fitThreadName(destination.title),
      message: toRestBody(first ?? { content: '…' }),
      ...(destination.tagIds === undefined ? {} : { applied_tags: destination.tagIds.slice(0, 5) }),
    };
    const thread = await paced<APIChannel & { message?: { id: string } }>(() =>
      rest.post(Routes.threads(destination.forumChannelId), { body }),
    );
    // A forum post's starter message has the thread's id.
    const messageIds = [thread.message?.id ?? thread.id];
    for (const [index, part] of rest_.entries()) {
      const sent = await paced<APIMessage>(() =>
        rest.post(Routes.channelMessages(thread.id), {
          body: toRestBody(part, nonceFor(delivery.key, index + 1)),
        }),
      );
      messageIds.push(sent.id);
    }
    return { messageId: messageIds[0] as string, messageIds, channelId: thread.id };
  }

  return {
    surface: 'discord',
    async send(delivery) {
      const { destination } = delivery;
      if (destination.kind === 'user') {
        const channelId = await dmChannelOf(destination.userId);
        try {
          return await postParts(channelId, delivery);
        } catch (error) {
          const failure = toDeliveryError(error);
          // A stale cached DM channel would fail every later DM; open a fresh one next time.
          if (failure.code === DISCORD_ERROR_CODES.unknownChannel) dmChannels.delete(destination.userId);
          throw failure;
        }
      }
      try {
        if (destination.kind === 'forum-post') return await postForum({ ...delivery, destination });
        return await postParts(
          destination.kind === 'thread' ? destination.threadId : destination.channelId,
          delivery,
        );
      } catch (error) {
        throw toDeliveryError(error);
      }
    },

    async startThread(request) {
      const body = {
        name: fitThreadName(request.name),
        ...(request.autoArchiveMinutes ? { auto_archive_duration: request.autoArchiveMinutes } : {}),
      };
      try {
        const thread = await paced<APIChannel>(() =>
          rest.post(Routes.threads(request.channelId, request.messageId), { body }),
        );
        return { threadId: thread.id };
      } catch (error) {
        const failure = toDeliveryError(error);
        // A retry after the first attempt went through: the thread is there, with the message's id.
        if (failure.code === THREAD_ALREADY_CREATED) return { threadId: request.messageId };
        throw failure;
      }
    },
  };
}
