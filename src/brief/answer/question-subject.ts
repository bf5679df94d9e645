/**
 * Who or what a question is about: the names it mentions ("Who did Serena Williams beat?" is
 * about Serena Williams). A sentence that answers it has to be about that subject too, not
 * about another match reported in the same story; names resolve through the article's own
 * fuller forms, so "Williams" in one place and "Serena Williams" in another are one person.
 */
import { STOP_TERMS, words } from '../retrieval/text-terms.ts';

/** The names a question mentions, each as its lower-case words. */
export interface QuestionSubject {
  names: ReadonlyArray<readonly string[]>;
  /**
   * The question asks what a named subject did to someone or something ("Who did Serena
   * Williams beat?", "What did Acme buy?"): the answer sentence must have that subject acting,
   * so it is required in the sentence itself, not only in the story.
   */
  namedAgent: boolean;
}

/** "Who/what/which team did|does|has|will <Name> ...": the name is the one acting. */
const AGENT_QUESTION =
  /^\s*(?:who|whom|what|which(?:\s+\p{Ll}+)?)\s+(?:did|does|do|has|have|had|will|would|could|can)\s+(?:the\s+)?\p{Lu}/u;

const TOKEN = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;

/** Runs of capitalized words, each run lower-cased into its words; the first word counts unless a function word. */
export function capitalizedRuns(text: string): string[][] {
  const runs: string[][] = [];
  let current: string[] = [];
  let first = true;
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    const token = match[0];
    const start = match.index;
    // Punctuation between two capitalized words ends the run ("Paris, France" is two names).
    const joined = /^\s*$/.test(text.slice(last, start));
    last = start + token.length;
    const capitalized = /^\p{Lu}/u.test(token) && !(first && STOP_TERMS.has(token.toLowerCase()));
    first = false;
    if (capitalized && (joined || current.length === 0)) {
      current.push(...words(token).filter((w) => !STOP_TERMS.has(w)));
      continue;
    }
    if (current.length > 0) runs.push(current);
    current = capitalized ? words(token).filter((w) => !STOP_TERMS.has(w)) : [];
  }
  if (current.length > 0) runs.push(current);
  return runs.filter((run) => run.length > 0);
}

export function questionSubject(question: string): QuestionSubject {
  const names = capitalizedRuns(question);
  // The wh-word opens the question in capitals; the name after the auxiliary must.
  const opened = question.replace(/^\s*\p{L}+/u, (first) => first.toLowerCase());
  return { names, namedAgent: names.length > 0 && AGENT_QUESTION.test(opened) };
}

/**
 * Every word that stands for one of the subject's names in this article: the name's own
 * words, and the words of any fuller name in the article that contains it ("Serena" asked,
 * "Serena Williams" written: "Williams" counts as her too; "Venus Williams" does not).
 */
export function subjectAliases(
  subject: QuestionSubject,
  articleText: string,
): ReadonlyArray<ReadonlySet<string>> {
  if (subject.names.length === 0) return [];
  const runs = capitalizedRuns(articleText);
  return subject.names.map((name) => {
    const aliases = new Set(name);
    for (const run of runs) if (name.every((w) => run.includes(w))) for (const w of run) aliases.add(w);
    return aliases;
  });
}

/** Share of the subject's names a text mentions (1 when the question names no one). */
export function subjectShare(
  aliases: ReadonlyArray<ReadonlySet<string>>,
  textWords: ReadonlySet<string>,
): number {
  if (aliases.length === 0) return 1;
  let hit = 0;
  for (const name of aliases) if ([...name].some((w) => textWords.has(w))) hit++;
  return hit / aliases.length;
}
