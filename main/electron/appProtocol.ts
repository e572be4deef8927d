// The app:// protocol's responses: a file of the renderer bundle or a 404, each with the
// desk's Content-Security-Policy, so no answer of the scheme is ever without it.
import fs from 'node:fs';
import path from 'node:path';
import { contentSecurityPolicy } from '../../core/security/csp';
import { MIME_TYPES } from '../api/mimeTypes';
import { resolveAppFile } from './security';

function headers(contentType: string): Record<string, string> {
  // Electron talks to the back end over IPC: connect-src stays 'self', no socket is allowed.
  return {
    'content-type': contentType,
    'content-security-policy': contentSecurityPolicy(),
    'x-content-type-options': 'nosniff',
  };
}

export async function appProtocolResponse(rendererDir: string, requestUrl: string): Promise<Response> {
  const notFound = () => new Response('Not found', { status: 404, headers: headers('text/plain; charset=utf-8') });
  const file = resolveAppFile(rendererDir, requestUrl);
  if (!file) return notFound();
  try {
    const body = await fs.promises.readFile(file);
    return new Response(body, { headers: headers(MIME_TYPES[path.extname(file)] ?? 'application/octet-stream') });
  } catch {
    return notFound();
  }
}
