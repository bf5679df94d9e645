// /status as fields, shared by the command and `npm start -- status`.
import type { EmbedField } from '../delivery/message.ts';
import type { StatusSnapshot } from '../status/status-service.ts';

function formatUptime(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  return `${minutes}m ${Math.floor(seconds % 60)}s`;
}

export function statusFields(status: StatusSnapshot): Required<EmbedField>[] {
  const model =
    status.model.mode === 'model'
      ? `${status.model.model ?? 'model'}: ${status.model.calls} calls, ${status.model.failures} failed, ${status.model.promptTokens + status.model.completionTokens} tokens`
      : 'extractive (no model configured)';
  const fields = [
    { name: 'Uptime', value: formatUptime(status.uptimeSeconds), inline: true },
    {
      name: 'Store',
      value: status.store.problem ? `${status.store.kind}: ${status.store.problem}` : status.store.kind,
      inline: true,
    },
    { name: 'Summaries', value: model, inline: false },
    { name: 'Sources', value: String(status.sources), inline: true },
    { name: 'Cached stories', value: String(status.stories), inline: true },
  ];
  if (status.lastIngest) {
    const last = status.lastIngest;
    fields.push({
      name: 'Last ingest',
      value: `<t:${Math.floor(Date.parse(last.at) / 1000)}:R>: ${last.added} added, ${last.merged} merged, ${last.skipped} skipped, ${last.failed} failed`,
      inline: false,
    });
  }
  return fields;
}
