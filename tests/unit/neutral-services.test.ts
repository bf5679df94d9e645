// The services speak no surface: reasons leave them as values (a ChannelProblem, a GuildNotice)
// and only the surfaces word them. This reads every string the service folders write and every
// module they import, and fails on a channel mention, Discord's error wording, or discord.js.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const NEUTRAL_FOLDERS = ['digest', 'feeds', 'subscriptions', 'brief', 'news'];
const SURFACE_WORDING =
  /<#|<@|Discord error|DiscordAPIError|Missing Permissions|Missing Access|Unknown (Channel|Message|User|Guild)|Cannot send messages to this user/i;
const SURFACE_MODULES = /^discord\.js$|^@discordjs\/|^discord-api-types|\/discord\/|\/terminal\//;

/** Every piece of text a source writes (string and template literals) and every module it imports. */
function writtenTextOf(source: string, fileName: string): { texts: string[]; modules: string[] } {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const texts: string[] = [];
  const modules: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) modules.push(node.moduleSpecifier.text);
      return;
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) texts.push(node.text);
    else if (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node))
      texts.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { texts, modules };
}

function surfaceSpeech(source: string, fileName: string): string[] {
  const { texts, modules } = writtenTextOf(source, fileName);
  return [
    ...texts.filter((text) => SURFACE_WORDING.test(text)),
    ...modules.filter((name) => SURFACE_MODULES.test(name)),
  ];
}

describe('neutral services', () => {
  it('catches a channel mention, Discord wording and a surface import (so the check can fail)', () => {
    const source = [
      "import { Routes } from 'discord.js';",
      "import { mention } from '../discord/mentions.ts';",
      'const a = `the digest for <#${id}> is paused`;',
      "const b = 'I am missing a permission (Discord error 50013)';",
      "const c = 'Missing Permissions';",
      "const fine = 'the channel no longer exists';",
    ].join('\n');
    expect(surfaceSpeech(source, 'example.ts')).toHaveLength(5);
  });

  for (const folder of NEUTRAL_FOLDERS) {
    it(`src/${folder} returns reasons as values and words nothing for a surface`, () => {
      const dir = path.resolve(import.meta.dirname, '../../src', folder);
      const found = readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts'))
        .flatMap((file) =>
          surfaceSpeech(readFileSync(path.join(dir, file), 'utf8'), file).map((text) => `${file}: ${text}`),
        );
      expect(found).toEqual([]);
    });
  }
});
