import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';

/** A slash command's definition as deployed: plain data that every surface validates input against. */
export type CommandData = RESTPostAPIChatInputApplicationCommandsJSONBody;
