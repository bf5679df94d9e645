// Attachment options as Discord sends them: the option carries the attachment's id, and
// data.resolved.attachments describes the file and where its CDN serves it. Tests serve the
// file itself from a local fixture server standing in for the CDN.
import { randomInt } from 'node:crypto';
import type { CommandOptionInput } from './interaction-payload.ts';
import type { Json } from './fixtures.ts';

export interface AttachmentInput {
  /** The option's name in the command definition. */
  option: string;
  filename: string;
  /** Where the "CDN" serves the file. */
  url: string;
  /** Bytes, as Discord reports them. */
  size: number;
  contentType?: string;
}

/** The option and the `resolved` block for one attached file (pass both to a command interaction). */
export function attachmentOption(input: AttachmentInput): { option: CommandOptionInput; resolved: Json } {
  const id = `${randomInt(1, 2 ** 47)}${randomInt(100_000, 999_999)}`;
  return {
    option: { name: input.option, type: 11, value: id },
    resolved: {
      attachments: {
        [id]: {
          id,
          filename: input.filename,
          size: input.size,
          url: input.url,
          proxy_url: input.url,
          ...(input.contentType ? { content_type: input.contentType } : {}),
          ephemeral: true,
        },
      },
    },
  };
}
