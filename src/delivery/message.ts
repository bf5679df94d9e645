/**
 * The neutral outgoing message: what every producer (digests, channel feeds, DMs, notices,
 * command replies) hands to the delivery layer. It names no transport; the Discord adapter and
 * the terminal adapter render it after the fitter has cut it to Discord's limits. The shapes
 * are a subset of Discord's embed JSON, so the Discord adapter passes them through as they are.
 */

export interface EmbedField {
  name: string;
  value: string;
  inline?: boolean;
}

/** A card about one thing (a story, an answer): Discord shows it as an embed. */
export interface MessageEmbed {
  title?: string;
  url?: string;
  description?: string;
  color?: number;
  fields?: EmbedField[];
  footer?: { text: string };
  author?: { name: string };
  thumbnail?: { url: string };
  image?: { url: string };
  /** ISO-8601. */
  timestamp?: string;
}

/** A button; its customId is routed back to the command that made it. */
export interface MessageButton {
  customId: string;
  label: string;
  style?: 'primary' | 'secondary';
  /** What to type in the terminal mode for the same action, where there are no buttons. */
  terminalHint?: string;
}

/** A text file sent with a message (an export); Discord takes at most 10 per message. */
export interface MessageFile {
  name: string;
  data: string;
}

/**
 * One message as a producer means it. It may be longer than one Discord message allows: the
 * fitter (fit.ts) splits it into parts that each fit, in order, buttons on the last part.
 */
export interface OutboundMessage {
  content?: string;
  embeds?: MessageEmbed[];
  buttons?: MessageButton[];
  /** Attached to the first part. */
  files?: MessageFile[];
  /**
   * The roles this message may ping (a feed's role mention, written `<@&id>` in the content);
   * every other mention stays inert. The name is what the terminal prints instead.
   */
  allowedRoleMentions?: { roleId: string; name: string }[];
}

/**
 * How a message's content writes a ping of one of its allowedRoleMentions: the markup Discord
 * reads (the shapes here are Discord's), which the terminal prints as `@name`.
 */
export function roleMentionText(roleId: string): string {
  return `<@&${roleId}>`;
}

/** One part the fitter produced: within every Discord limit, ready for any adapter. */
export type FittedMessage = OutboundMessage;
