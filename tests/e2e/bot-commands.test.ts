// Herald end to end: the real discord.js Client, logged into the local fake Discord, answering
// slash commands through the one dispatcher. Assertions are on what reached "Discord".
import { afterEach, describe, expect, it } from 'vitest';
import { allCommands } from '../../commands/index.ts';
import { deployCommands } from '../../src/discord/deploy.ts';
import { INTERNAL_ERROR_TEXT } from '../../src/discord/dispatcher.ts';
import { startFakeDiscord, type FakeDiscord, type RecordedRequest } from '../support/fake-discord.ts';
import { startBot, type BotHarness } from '../support/herald-harness.ts';
import { waitFor } from '../support/wait.ts';

let harness: BotHarness | undefined;
let bare: FakeDiscord | undefined;
afterEach(async () => {
  await harness?.close();
  await bare?.close();
  harness = undefined;
  bare = undefined;
});

type Body = {
  type?: number;
  data?: Record<string, unknown>;
  content?: string;
  embeds?: Record<string, unknown>[];
  flags?: number;
  allowed_mentions?: unknown;
};

/** Every message body Herald sent for one interaction: the callback and any webhook edits or follow-ups. */
async function responsesTo(
  fake: FakeDiscord,
  interaction: { id: string; token: string },
  settle: (bodies: Body[]) => boolean,
): Promise<Body[]> {
  let bodies: Body[] = [];
  await waitFor(
    () => {
      bodies = fake.requests
        .filter(
          (r: RecordedRequest) =>
            r.path.startsWith(`/interactions/${interaction.id}/`) ||
            r.path.includes(`/webhooks/${fake.applicationId}/${interaction.token}`),
        )
        .filter((r) => r.method !== 'GET' && r.method !== 'DELETE')
        .map((r) => r.body as Body);
      return settle(bodies);
    },
    { what: 'interaction responses' },
  );
  return bodies;
}

function messageOf(body: Body): Body {
  return (body.type !== undefined ? body.data : body) as Body;
}

describe('Herald on Discord (real client, fake Discord)', () => {
  it('answers /help with every command, generated from the definitions, privately and without mentions', async () => {
    harness = await startBot({ sampleNews: false });
    const sent = await harness.fake.dispatchInteraction({ kind: 'command', name: 'help' });
    const [callback] = await responsesTo(harness.fake, sent, (b) => b.length >= 1);
    expect(callback?.type).toBe(4);
    const message = messageOf(callback as Body);
    expect(message.flags).toBe(64);
    expect(message.allowed_mentions).toEqual({ parse: [] });
    const description = String(message.embeds?.[0]?.description);
    for (const command of allCommands) expect(description).toContain(`/${command.data.name}`);
  });

  it('answers /status after deferring, with the store kind and story count', async () => {
    harness = await startBot();
    const sent = await harness.fake.dispatchInteraction({ kind: 'command', name: 'status' });
    const bodies = await responsesTo(harness.fake, sent, (b) => b.length >= 2);
    expect(bodies[0]?.type).toBe(5);
    const fields = (bodies[1]?.embeds?.[0]?.fields ?? []) as { name: string; value: string }[];
    expect(fields.find((f) => f.name === 'Store')?.value).toBe('memory');
    expect(Number(fields.find((f) => f.name === 'Cached stories')?.value)).toBeGreaterThan(3);
    expect(fields.find((f) => f.name === 'Summaries')?.value).toContain('extractive');
  });

  it('answers /brief with one embed per story, linked, summarized and within limits', async () => {
    harness = await startBot();
    const sent = await harness.fake.dispatchInteraction({
      kind: 'command',
      name: 'brief',
      options: [{ name: 'count', type: 4, value: 3 }],
    });
    const bodies = await responsesTo(harness.fake, sent, (b) => b.length >= 2);
    const edit = bodies[1] as Body;
    expect(edit.embeds).toHaveLength(3);
    for (const embed of edit.embeds ?? []) {
      expect(String(embed.title).length).toBeGreaterThan(0);
      expect(String(embed.description).length).toBeGreaterThan(40);
      expect(String(embed.description).length).toBeLessThanOrEqual(4096);
    }
    expect(edit.allowed_mentions).toEqual({ parse: [] });
    // Topics read as /topics shows them ("World"), never as section keys ("world").
    const taxonomy = harness.herald.services.taxonomy;
    const sectionNames = new Set(taxonomy.keys().map((key) => taxonomy.find(key)?.name));
    const topics = (edit.embeds ?? []).flatMap((embed) =>
      (embed.fields as { name: string; value: string }[]).filter((f) => f.name === 'Topics'),
    );
    expect(topics.length).toBeGreaterThan(0);
    for (const field of topics)
      for (const name of field.value.split(', ')) expect(sectionNames).toContain(name);
  });

  it('shows the syndicated sample story once with both outlets in /story, with an ask button', async () => {
    harness = await startBot();
    const stories = await harness.herald.services.brief.ranked({
      audience: 'operator',
      count: 50,
      includeBacklog: true,
    });
    const merged = stories.find((s) => s.story.sources.length >= 2);
    expect(merged, 'the two syndicated copies merge into one story').toBeDefined();
    const sent = await harness.fake.dispatchInteraction({
      kind: 'command',
      name: 'story',
      options: [{ name: 'story', type: 3, value: merged!.story.id }],
    });
    const bodies = await responsesTo(harness.fake, sent, (b) => b.length >= 2);
    const edit = bodies[1] as Body & { components?: { components: { custom_id: string }[] }[] };
    const sourcesField = (edit.embeds?.[0]?.fields as { name: string; value: string }[]).find((f) =>
      f.name.startsWith('Sources'),
    );
    for (const source of merged!.story.sources) expect(sourcesField?.value).toContain(source.name);
    const taxonomy = harness.herald.services.taxonomy;
    const topicsField = (edit.embeds?.[0]?.fields as { name: string; value: string }[]).find(
      (f) => f.name === 'Topics',
    );
    expect(topicsField?.value).toBe(merged!.story.topics.map((key) => taxonomy.find(key)?.name).join(', '));
    expect(edit.components?.[0]?.components[0]?.custom_id).toBe(`story:form-ask:${merged!.story.id}`);
  });

  it('opens a question form from the /story button and answers within that story only', async () => {
    harness = await startBot();
    const ranked = await harness.herald.services.brief.ranked({
      audience: 'operator',
      count: 50,
      includeBacklog: true,
    });
    const deal = ranked.find((r) => r.story.title.includes('Brightwater'))!.story;
    const button = await harness.fake.dispatchInteraction({
      kind: 'button',
      customId: `story:form-ask:${deal.id}`,
    });
    const [form] = await responsesTo(harness.fake, button, (b) => b.length >= 1);
    expect(form?.type).toBe(9);
    expect(JSON.stringify(form?.data)).toContain(`story:ask:${deal.id}`);

    const inStory = await harness.fake.dispatchInteraction({
      kind: 'modal',
      customId: `story:ask:${deal.id}`,
      fields: { question: 'How much is Brightwater paying for Ostlund Dairy?' },
    });
    const answered = await responsesTo(harness.fake, inStory, (b) =>
      b.some((x) => JSON.stringify(x).includes('Sources')),
    );
    expect(JSON.stringify(answered)).toContain('2.1 billion');

    // A question about another story gets the plain not-found line, not an answer from elsewhere.
    const elsewhere = await harness.fake.dispatchInteraction({
      kind: 'modal',
      customId: `story:ask:${deal.id}`,
      fields: { question: 'How many dockworkers joined the strike at Caldera port?' },
    });
    const declined = await responsesTo(harness.fake, elsewhere, (b) =>
      b.some((x) => JSON.stringify(x).includes("couldn't find")),
    );
    expect(JSON.stringify(declined)).not.toContain('3,200');
  });

  it('tells the user plainly when a story does not exist, privately, without internals', async () => {
    harness = await startBot();
    const sent = await harness.fake.dispatchInteraction({
      kind: 'command',
      name: 'story',
      options: [{ name: 'story', type: 3, value: 's-nope' }],
    });
    const bodies = await responsesTo(harness.fake, sent, (b) => b.some((x) => messageOf(x).flags === 64));
    const error = bodies.map(messageOf).find((m) => m.flags === 64);
    expect(error?.content).toContain('I do not have that story');
  });

  it('answers an internal failure with a short generic line, never the exception text', async () => {
    harness = await startBot();
    harness.herald.services.status.snapshot = async () => {
      throw new Error('SQLITE_CORRUPT: database disk image is malformed at /secret/path');
    };
    const sent = await harness.fake.dispatchInteraction({ kind: 'command', name: 'status' });
    const bodies = await responsesTo(harness.fake, sent, (b) =>
      b.some((x) => messageOf(x).content !== undefined),
    );
    const texts = bodies.map((b) => JSON.stringify(b)).join('\n');
    expect(texts).toContain(INTERNAL_ERROR_TEXT);
    expect(texts).not.toContain('SQLITE_CORRUPT');
  });

  it('refuses /sources add from a member without Manage Server, even if Discord let the command through', async () => {
    harness = await startBot({ sampleNews: false });
    const sent = await harness.fake.dispatchInteraction({
      kind: 'command',
      name: 'sources',
      memberPermissions: 0n,
      options: [
        { name: 'add', type: 1, options: [{ name: 'url', type: 3, value: 'https://example.com/feed.xml' }] },
      ],
    });
    const bodies = await responsesTo(harness.fake, sent, (b) => b.length >= 2);
    expect(JSON.stringify(bodies)).toContain('Manage Server');
    expect(await harness.herald.services.sources.forGuild(harness.fake.guildId)).toHaveLength(1); // only the shared sample source
  });

  it('offers topic choices while typing /brief topic', async () => {
    harness = await startBot();
    const sent = await harness.fake.dispatchInteraction({
      kind: 'autocomplete',
      name: 'brief',
      options: [{ name: 'topic', type: 3, value: 'bus', focused: true }],
    });
    const [callback] = await responsesTo(harness.fake, sent, (b) => b.length >= 1);
    expect(callback?.type).toBe(8);
    const choices = (callback?.data as { choices: { name: string; value: string }[] }).choices;
    expect(choices.map((c) => c.value)).toContain('business');
  });

  it('resumes after a dropped gateway connection and keeps answering', async () => {
    harness = await startBot({ sampleNews: false });
    harness.fake.dropConnections(4000);
    await waitFor(() => harness!.fake.resumeCount >= 1, { what: 'resume' });
    const sent = await harness.fake.dispatchInteraction({ kind: 'command', name: 'help' });
    const bodies = await responsesTo(harness.fake, sent, (b) => b.length >= 1);
    expect(bodies[0]?.type).toBe(4);
    expect(harness.fake.identifyCount).toBe(1);
  });
});

describe('npm run deploy-commands', () => {
  it('PUTs exactly the command definitions, globally or to one guild', async () => {
    bare = await startFakeDiscord();
    const guildResult = await deployCommands({
      token: bare.token,
      applicationId: bare.applicationId,
      guildId: bare.guildId,
      apiUrl: bare.restUrl,
      commands: allCommands,
    });
    expect(guildResult).toEqual({ scope: `guild ${bare.guildId}`, count: allCommands.length });
    const put = bare.requests.find(
      (r) =>
        r.method === 'PUT' &&
        r.path === `/applications/${bare!.applicationId}/guilds/${bare!.guildId}/commands`,
    );
    expect(put?.body).toEqual(allCommands.map((c) => c.data));
    await deployCommands({
      token: bare.token,
      applicationId: bare.applicationId,
      apiUrl: bare.restUrl,
      commands: allCommands,
    });
    expect(
      bare.requests.some(
        (r) => r.method === 'PUT' && r.path === `/applications/${bare!.applicationId}/commands`,
      ),
    ).toBe(true);
  });
});
