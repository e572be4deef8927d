// One i18n library for every string of the desk: i18next with react-i18next.
import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { formatDateTime, formatDuration, type TimeDisplay } from '../../../core/format/format';
import type { Language } from '../../../core/settings/settingsSchema';
import { en } from './en';
import { zhCN } from './zh-CN';

export const resources = { en: { translation: en }, 'zh-CN': { translation: zhCN } } as const;

/** The language before settings arrive: the browser's, if it is Chinese, else English. */
export function initialLanguage(): Language {
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export const i18n: I18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources,
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** How `{{x, time}}` in the back end's sentences is shown: the user's locale, in local time or UTC as the settings say. */
let timeDisplay: TimeDisplay = 'local';
i18n.services.formatter?.add('time', (value: string | number, lng) =>
  formatDateTime(lng ?? 'en', new Date(value), timeDisplay),
);
/** `{{x, duration}}`: a span in milliseconds, in words of the user's language. */
i18n.services.formatter?.add('duration', (value: number, lng) => formatDuration(lng ?? 'en', value));

export function setLanguage(language: Language, display: TimeDisplay): void {
  timeDisplay = display;
  if (i18n.language !== language) void i18n.changeLanguage(language);
  document.documentElement.lang = language;
}
