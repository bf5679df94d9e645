// Discord's message limits, checked the way Discord checks them, so a test fails with the same
// 400 (50035 Invalid Form Body) a real server would answer instead of passing silently.
import { isRecord } from './http.ts';

type ErrorTree = Record<string, unknown>;

/** A 400 answer: Discord's code and message plus the nested per-field errors. */
export interface LimitViolation {
  code: number;
  message: string;
  errors?: ErrorTree;
}

class Collector {
  readonly tree: ErrorTree = {};
  count = 0;

  add(path: (string | number)[], code: string, message: string): void {
    let node = this.tree;
    for (const key of path) {
      const next = node[String(key)];
      node = isRecord(next) ? next : (node[String(key)] = {});
    }
    const list = Array.isArray(node._errors) ? (node._errors as unknown[]) : (node._errors = []);
    list.push({ code, message });
    this.count += 1;
  }

  maxLength(path: (string | number)[], value: unknown, max: number): number {
    if (typeof value !== 'string') return 0;
    if (value.length > max) this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
    return value.length;
  }
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function checkEmbeds(embeds: unknown, errors: Collector): void {
  if (embeds === undefined || embeds === null) return;
  if (!Array.isArray(embeds)) {
    errors.add(['embeds'], 'BASE_TYPE_ARRAY', 'Must be an array.');
    return;
  }
  if (embeds.length > 10) errors.add(['embeds'], 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  let total = 0;
  embeds.forEach((embed: unknown, i) => {
    if (!isRecord(embed)) return;
    total += errors.maxLength(['embeds', i, 'title'], embed.title, 256);
    total += errors.maxLength(['embeds', i, 'description'], embed.description, 4096);
    if (isRecord(embed.footer))
      total += errors.maxLength(['embeds', i, 'footer', 'text'], embed.footer.text, 2048);
    if (isRecord(embed.author))
      total += errors.maxLength(['embeds', i, 'author', 'name'], embed.author.name, 256);
    const fields = embed.fields;
    if (!Array.isArray(fields)) return;
    if (fields.length > 25)
      errors.add(['embeds', i, 'fields'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    fields.forEach((field: unknown, j) => {
      if (!isRecord(field)) return;
      for (const key of ['name', 'value'] as const) {
        if (str(field[key]) === undefined || str(field[key]) === '') {
          errors.add(['embeds', i, 'fields', j, key], 'BASE_TYPE_REQUIRED', 'This field is required');
        }
      }
      total += errors.maxLength(['embeds', i, 'fields', j, 'name'], field.name, 256);
      total += errors.maxLength(['embeds', i, 'fields', j, 'value'], field.value, 1024);
    });
  });
  if (total > 6000)
    errors.add(['embeds'], 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
}

function checkAllowedMentions(value: unknown, errors: Collector): void {
  if (value === undefined || value === null) return;
  if (!isRecord(value))
    return errors.add(['allowed_mentions'], 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used.');
  const parse = value.parse;
  if (parse !== undefined && !Array.isArray(parse))
    errors.add(['allowed_mentions', 'parse'], 'BASE_TYPE_ARRAY', 'Must be an array.');
}

/**
 * Checks a message body (create, edit, interaction reply or follow-up). `create` also rejects an
 * empty message, which Discord answers with 50006 rather than 50035.
 */
export function checkMessage(
  body: unknown,
  options: { create: boolean; files?: number },
): LimitViolation | null {
  if (!isRecord(body)) {
    if (options.create && (options.files ?? 0) === 0)
      return { code: 50006, message: 'Cannot send an empty message' };
    return null;
  }
  const errors = new Collector();
  errors.maxLength(['content'], body.content, 2000);
  checkEmbeds(body.embeds, errors);
  checkAllowedMentions(body.allowed_mentions, errors);
  if (Array.isArray(body.components) && body.components.length > 5 && !hasComponentsV2(body)) {
    errors.add(['components'], 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
  }
  if (errors.count > 0) return { code: 50035, message: 'Invalid Form Body', errors: errors.tree };
  if (options.create && isEmpty(body) && (options.files ?? 0) === 0) {
    return { code: 50006, message: 'Cannot send an empty message' };
  }
  return null;
}

function hasComponentsV2(body: Record<string, unknown>): boolean {
  return typeof body.flags === 'number' && (body.flags & (1 << 15)) !== 0;
}

function isEmpty(body: Record<string, unknown>): boolean {
  const content = str(body.content) ?? '';
  const has = (key: string): boolean => Array.isArray(body[key]) && (body[key] as unknown[]).length > 0;
  return (
    content.trim() === '' &&
    !has('embeds') &&
    !has('components') &&
    !has('sticker_ids') &&
    body.poll === undefined
  );
}

/** Checks an autocomplete answer: at most 25 choices, names 1-100, string values up to 100. */
export function checkChoices(data: unknown): LimitViolation | null {
  const errors = new Collector();
  const choices = isRecord(data) ? data.choices : undefined;
  if (!Array.isArray(choices)) {
    errors.add(['data', 'choices'], 'BASE_TYPE_REQUIRED', 'This field is required');
  } else {
    if (choices.length > 25)
      errors.add(['data', 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    choices.forEach((choice: unknown, i) => {
      if (!isRecord(choice)) return;
      const name = str(choice.name) ?? '';
      if (name.length < 1 || name.length > 100) {
        errors.add(
          ['data', 'choices', i, 'name'],
          'BASE_TYPE_BAD_LENGTH',
          'Must be between 1 and 100 in length.',
        );
      }
      errors.maxLength(['data', 'choices', i, 'value'], choice.value, 100);
    });
  }
  return errors.count > 0 ? { code: 50035, message: 'Invalid Form Body', errors: errors.tree } : null;
}

/** Checks a command definition: names, description, and the 25-option and 25-choice limits. */
export function checkCommand(command: unknown, index: number): LimitViolation | null {
  const errors = new Collector();
  if (!isRecord(command)) {
    errors.add([index], 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used.');
  } else {
    const chatInput = command.type === undefined || command.type === 1;
    const name = str(command.name) ?? '';
    if (!/^[-_'\p{L}\p{N}]{1,32}$/u.test(name) || (chatInput && name !== name.toLowerCase())) {
      errors.add([index, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    }
    const description = str(command.description) ?? '';
    if (chatInput && (description.length < 1 || description.length > 100)) {
      errors.add([index, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    }
    checkOptions(command.options, [index, 'options'], errors);
  }
  return errors.count > 0 ? { code: 50035, message: 'Invalid Form Body', errors: errors.tree } : null;
}

function checkOptions(options: unknown, path: (string | number)[], errors: Collector): void {
  if (!Array.isArray(options)) return;
  if (options.length > 25) errors.add(path, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  options.forEach((option: unknown, i) => {
    if (!isRecord(option)) return;
    const name = str(option.name) ?? '';
    if (!/^[-_'\p{Ll}\p{Lo}\p{N}]{1,32}$/u.test(name))
      errors.add([...path, i, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    const description = str(option.description) ?? '';
    if (description.length < 1 || description.length > 100) {
      errors.add([...path, i, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    }
    if (Array.isArray(option.choices) && option.choices.length > 25) {
      errors.add([...path, i, 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    }
    checkOptions(option.options, [...path, i, 'options'], errors);
  });
}
