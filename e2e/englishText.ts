// Finds English words on a page shown in another language: the visible text, placeholders,
// tooltips and select options, minus what is not language at all and what is quoted “ ” as
// another program's own words. Symbols, ids, numbers,
// units and names stay as they are in every language, and so does anything inside
// `translate="no"` (the HTML way to mark user data such as strategy ids).
import type { Page } from '@playwright/test';

/** Words that are names, not English: products, exchanges, formats, technical terms kept in Latin script in Chinese UIs. */
const NAMES = [
  'Quantdesk',
  'FerretDB',
  'MongoDB',
  'mongod',
  'SQLite',
  'Freqtrade',
  'Feather',
  'Parquet',
  'pymongo',
  'ccxt',
  'Electron',
  'Chromium',
  'Slack',
  'Telegram',
  'Webhook',
  'demo',
  'binance',
  'okx',
  'bybit',
  'kraken',
  'coinbase',
  'Binance',
  'Sharpe',
  'Sortino',
  'Calmar',
  'Feather',
  'feather',
  'parquet',
  'jsongz',
  'ms',
];

export interface EnglishHit {
  text: string;
  where: string;
}

/** Every visible run of text on the page that holds an English word, with the nearest test id as its place. */
export async function englishOnPage(page: Page): Promise<EnglishHit[]> {
  return page.evaluate((names) => {
    const allowed = new Set(names);
    const hits: { text: string; where: string }[] = [];
    const isEnglishWord = (token: string) => /^[A-Za-z]{2,}$/.test(token) && /[a-z]/.test(token) && !allowed.has(token);
    const english = (text: string) =>
      text
        // outside text (an exchange's own error) is quoted “like this” and shown as it came
        .replace(/“[^”]*”/g, ' ')
        // ids, pairs, paths, versions and numbers are one token each, and never words
        .split(/[\s,;()[\]{}"'“”‘’<>|·…!?，。；：（）、]+/)
        .map((t) => t.replace(/[.:]+$/, ''))
        .filter((t) => t && !/[\d/_@:.=+#%$&-]/.test(t))
        .some(isEnglishWord);
    const place = (el: Element | null) => {
      const owner = el?.closest('[data-testid]');
      return owner?.getAttribute('data-testid') ?? el?.tagName.toLowerCase() ?? '?';
    };
    const shown = (el: Element) =>
      !el.closest('[translate="no"]') && (el.checkVisibility?.() ?? (el as HTMLElement).offsetParent !== null);
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || ['SCRIPT', 'STYLE', 'OPTION'].includes(parent.tagName) || !shown(parent)) continue;
      const text = node.textContent?.trim() ?? '';
      if (text && english(text)) hits.push({ text, where: place(parent) });
    }
    for (const el of document.querySelectorAll('[placeholder], [title], [aria-label], select')) {
      if (!shown(el)) continue;
      const texts = [el.getAttribute('placeholder'), el.getAttribute('title'), el.getAttribute('aria-label')];
      if (el instanceof HTMLSelectElement)
        for (const o of el.options) if (!o.closest('[translate="no"]')) texts.push(o.textContent);
      for (const text of texts) if (text && english(text)) hits.push({ text: text.trim(), where: place(el) });
    }
    return hits;
  }, NAMES);
}
