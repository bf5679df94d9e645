/**
 * Channel feeds in the terminal mode: the terminal is the one channel, so a feed there prints
 * each new story as it arrives (and its updates), through the delivery layer's terminal sink.
 */
import type { Writable } from 'node:stream';
import type { DeliveryTransport } from '../delivery/sink.ts';
import { createTerminalAccess, createTerminalSink } from './terminal-sink.ts';

export function terminalFeedTransport(output: Writable): DeliveryTransport {
  return { sink: createTerminalSink(output), access: createTerminalAccess() };
}
