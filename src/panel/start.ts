import type { Herald } from '../app/herald.ts';
import type { PanelBotView } from './bot-view.ts';
import { startPanel, type PanelServer } from './panel-server.ts';

/**
 * Starts the panel as configured (PANEL, PANEL_HOST, PANEL_PORT, PANEL_PUBLIC_URL) and prints the
 * operator's one-time sign-in link. A panel that cannot listen (port taken) is logged and left
 * out: the bot itself keeps running.
 */
export async function startConfiguredPanel(
  herald: Herald,
  bot: PanelBotView,
  print: (line: string) => void,
): Promise<PanelServer | undefined> {
  const { env } = herald.config;
  if (env.PANEL === 'off') return undefined;
  try {
    const panel = await startPanel({
      herald,
      bot,
      log: herald.log,
      host: env.PANEL_HOST,
      port: env.PANEL_PORT,
      ...(env.PANEL_PUBLIC_URL ? { publicUrl: env.PANEL_PUBLIC_URL } : {}),
    });
    herald.log.info({ url: panel.url }, 'web panel listening');
    const link = panel.signInLink();
    if (link) print(`Herald panel: ${panel.url} (one-time sign-in link: ${link})`);
    return panel;
  } catch (error) {
    herald.log.error({ err: error, host: env.PANEL_HOST, port: env.PANEL_PORT }, 'web panel could not start');
    return undefined;
  }
}
