// The one guild the fake Discord knows: ids, users, roles, members and channels, shaped as the
// API sends them so discord.js builds real structures (guild.members.me, permissionsFor) from them.

const DISCORD_EPOCH = 1_420_070_400_000n;

/** Makes increasing snowflakes whose timestamp part follows `now`, as Discord's do. */
export function createSnowflakes(now: () => number): () => string {
  let increment = 0n;
  return () => {
    increment = (increment + 1n) & 0xfffn;
    return (((BigInt(Math.floor(now())) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
  };
}

/** Permission bits the fake uses (a subset of Discord's). */
export const PERMISSIONS = Object.freeze({
  CreateInstantInvite: 1n << 0n,
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  ManageGuild: 1n << 5n,
  AddReactions: 1n << 6n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  MentionEveryone: 1n << 17n,
  UseExternalEmojis: 1n << 18n,
  UseApplicationCommands: 1n << 31n,
  CreatePublicThreads: 1n << 35n,
  SendMessagesInThreads: 1n << 38n,
});

/** What the bot's role grants unless a test says otherwise: enough to post digests. */
export const DEFAULT_BOT_PERMISSIONS =
  PERMISSIONS.ViewChannel |
  PERMISSIONS.SendMessages |
  PERMISSIONS.EmbedLinks |
  PERMISSIONS.AttachFiles |
  PERMISSIONS.ReadMessageHistory |
  PERMISSIONS.AddReactions |
  PERMISSIONS.UseExternalEmojis |
  PERMISSIONS.SendMessagesInThreads;

/** What the member who runs commands has unless a test says otherwise: a server manager. */
export const DEFAULT_MEMBER_PERMISSIONS =
  PERMISSIONS.ViewChannel |
  PERMISSIONS.SendMessages |
  PERMISSIONS.EmbedLinks |
  PERMISSIONS.ReadMessageHistory |
  PERMISSIONS.UseApplicationCommands |
  PERMISSIONS.ManageGuild |
  PERMISSIONS.ManageChannels;

export type Json = Record<string, unknown>;

/** The ids and settings of the fake's world; permissions can change while it runs. */
export interface World {
  applicationId: string;
  botUserId: string;
  userId: string;
  guildId: string;
  channelId: string;
  botRoleId: string;
  botPermissions: bigint;
  everyonePermissions: bigint;
  joinedAt: string;
  /** Roles a test added (addRole), after @everyone and the bot's role. */
  extraRoles: { id: string; name: string; mentionable: boolean }[];
}

export function createWorld(snowflake: () => string, botPermissions: bigint, now: () => number): World {
  return {
    applicationId: snowflake(),
    botUserId: snowflake(),
    userId: snowflake(),
    guildId: snowflake(),
    channelId: snowflake(),
    botRoleId: snowflake(),
    botPermissions,
    // Zero so the bot's role alone decides what it may do in a test.
    everyonePermissions: 0n,
    joinedAt: new Date(now()).toISOString(),
    extraRoles: [],
  };
}

export function botUser(world: World): Json {
  return {
    id: world.botUserId,
    username: 'Herald',
    discriminator: '0000',
    global_name: null,
    avatar: null,
    bot: true,
    flags: 0,
    verified: true,
    mfa_enabled: false,
  };
}

export function humanUser(id: string): Json {
  return { id, username: `reader-${id.slice(-4)}`, discriminator: '0', global_name: 'Reader', avatar: null };
}

export function roles(world: World): Json[] {
  const role = (
    id: string,
    name: string,
    position: number,
    permissions: bigint,
    managed: boolean,
    mentionable = false,
  ): Json => ({
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: permissions.toString(),
    managed,
    mentionable,
    flags: 0,
  });
  return [
    role(world.guildId, '@everyone', 0, world.everyonePermissions, false),
    role(world.botRoleId, 'Herald', 1, world.botPermissions, true),
    ...world.extraRoles.map((extra, index) =>
      role(extra.id, extra.name, 2 + index, 0n, false, extra.mentionable),
    ),
  ];
}

export function member(user: Json, roleIds: string[], joinedAt: string): Json {
  return {
    user,
    nick: null,
    avatar: null,
    banner: null,
    roles: roleIds,
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
  };
}

export function textChannel(world: World): Json {
  return {
    id: world.channelId,
    type: 0,
    guild_id: world.guildId,
    name: 'news',
    position: 0,
    permission_overwrites: [],
    topic: null,
    nsfw: false,
    last_message_id: null,
    rate_limit_per_user: 0,
    parent_id: null,
    flags: 0,
  };
}

export function dmChannel(id: string, recipient: Json): Json {
  return { id, type: 1, last_message_id: null, recipients: [recipient], flags: 0 };
}

/** The guild without the gateway-only lists (what GET /guilds/:id answers). */
export function guild(world: World): Json {
  return {
    id: world.guildId,
    name: 'Herald Test Guild',
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: world.userId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: roles(world),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: world.channelId,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: 'en-US',
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    max_members: 500000,
    max_video_channel_users: 25,
  };
}

/** GUILD_CREATE: the guild with its channels and the two members the tests use. */
export function guildCreate(world: World): Json {
  return {
    ...guild(world),
    joined_at: world.joinedAt,
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [
      member(botUser(world), [world.botRoleId], world.joinedAt),
      member(humanUser(world.userId), [], world.joinedAt),
    ],
    channels: [textChannel(world)],
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export function application(world: World): Json {
  return {
    id: world.applicationId,
    name: 'Herald',
    icon: null,
    description: '',
    summary: '',
    bot_public: true,
    bot_require_code_grant: false,
    verify_key: '0'.repeat(64),
    flags: 0,
    team: null,
    owner: humanUser(world.userId),
  };
}
