import { UserError } from '../errors.ts';
import type { CliSubcommand } from './subcommand.ts';

export const briefSubcommand: CliSubcommand = {
  name: 'brief',
  usage: 'brief [--topic T] [--count N] [--json]',
  async run(herald, args) {
    const count = args.integerFlag('count') ?? herald.config.brief.defaultCount;
    if (count < 1 || count > 50) throw new UserError('--count must be between 1 and 50');
    const topic = args.flag('topic');
    const items = await herald.services.brief.top({
      audience: 'operator',
      count,
      includeBacklog: true,
      ...(topic ? { topic } : {}),
    });
    const stories = items.map((item) => ({
      id: item.story.id,
      title: item.story.title,
      summary: item.summary.sentences.join(' '),
      url: item.story.url ?? null,
      publishedAt: item.story.publishedAt,
      sources: item.story.sources.map((s) => ({ name: s.name, url: s.url ?? null })),
      topics: item.story.topics,
      entities: item.story.entities,
      score: item.score,
      scoreParts: item.parts,
    }));
    const text =
      stories.length === 0
        ? 'No stories.'
        : stories
            .map(
              (s, i) =>
                `${i + 1}. ${s.title}  [${s.id}]\n   ${s.summary}\n   ${s.sources.map((x) => x.name).join(', ')} · ${s.publishedAt} · score ${s.score}`,
            )
            .join('\n\n');
    return { json: { stories }, text };
  },
};

export const storySubcommand: CliSubcommand = {
  name: 'story',
  usage: 'story <id> [--json]',
  async run(herald, args) {
    const id = args.positionals[0];
    if (!id) throw new UserError('story needs a story id (see npm start -- brief)');
    const detail = await herald.services.brief.detail(id, 'operator');
    if (!detail) throw new UserError(`no story ${id}`);
    const { story, summary, articles } = detail;
    const json = {
      ...story,
      summary: {
        sentences: summary.sentences,
        bullets: summary.bullets ?? [],
        whyItMatters: summary.whyItMatters ?? null,
        keyFacts: summary.keyFacts,
        summarizer: summary.summarizer,
      },
      articles: articles.map((a) => ({
        id: a.id,
        title: a.title,
        url: a.url ?? null,
        source: a.source,
        label: a.label ?? null,
        dateline: a.dateline ?? null,
        publishedAt: a.publishedAt ?? null,
        text: a.paragraphs.join('\n\n'),
      })),
    };
    const text = [
      story.title,
      story.url ?? '',
      '',
      summary.sentences.join(' '),
      '',
      `Sources: ${story.sources.map((s) => s.name).join(', ')}`,
      ...articles.map(
        (a) => `\n--- ${a.source.name}${a.dateline ? ` (${a.dateline})` : ''}\n${a.paragraphs.join('\n\n')}`,
      ),
    ].join('\n');
    return { json, text };
  },
};

export const askSubcommand: CliSubcommand = {
  name: 'ask',
  usage: 'ask "<question>" [--story ID] [--json]',
  async run(herald, args) {
    const question = args.positionals.join(' ');
    if (!question) throw new UserError('ask needs a question in quotes');
    const storyId = args.flag('story');
    const answer = await herald.services.ask.ask({
      question,
      userId: 'cli',
      guildId: undefined,
      audience: 'operator',
      ...(storyId ? { storyId } : {}),
    });
    const json = {
      answer: answer.answer,
      found: answer.found,
      citations: answer.citations.map((c) => ({
        storyId: c.storyId,
        title: c.title,
        url: c.url ?? null,
        quote: c.quote,
      })),
    };
    const text = [
      answer.answer,
      ...answer.citations.map(
        (c, i) => `[${i + 1}] ${c.title}${c.url ? ` <${c.url}>` : ''}\n    “${c.quote}”`,
      ),
    ].join('\n');
    return { json, text };
  },
};
