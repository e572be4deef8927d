// What an alert looks like on each channel: generic JSON for any receiver, Slack's and
// Telegram's message shapes. Every alert carries strategy id, pair and time (the contract).

export interface AlertFacts {
  id: string;
  kind: string;
  severity: 'warning' | 'critical';
  message: string;
  strategy_id: string | null;
  pair: string | null;
  timeframe: string | null;
  at: string;
  count: number;
}

export const CHANNEL_FORMATS = ['json', 'slack', 'telegram', 'email'] as const;
export type ChannelFormat = (typeof CHANNEL_FORMATS)[number];

export function alertText(a: AlertFacts): string {
  const where = [a.strategy_id, a.pair, a.timeframe].filter(Boolean).join(' · ');
  return `[${a.severity.toUpperCase()}] ${a.kind}${where ? ` (${where})` : ''} at ${a.at}${a.count > 1 ? ` x${a.count}` : ''}: ${a.message}`;
}

/** An e-mail's subject and body. */
export function alertEmail(a: AlertFacts): { subject: string; text: string } {
  const where = [a.strategy_id, a.pair, a.timeframe].filter(Boolean).join(' · ');
  return {
    subject: `Quantdesk ${a.severity}: ${a.kind}${where ? ` (${where})` : ''}`,
    text: `${alertText(a)}\n\nalert id ${a.id}`,
  };
}

/** The request body for a webhook channel. Telegram needs the chat id beside the bot URL. */
export function alertPayload(format: Exclude<ChannelFormat, 'email'>, a: AlertFacts, telegramChatId?: string): unknown {
  switch (format) {
    case 'json':
      return { source: 'quantdesk', ...a };
    case 'slack':
      return { text: alertText(a) };
    case 'telegram':
      return { chat_id: telegramChatId ?? '', text: alertText(a), disable_web_page_preview: true };
  }
}
