// Reaches an exchange and reads its clock: the round trip, and the skew (its clock minus ours
// at the middle of the round trip). Signed requests fail when the skew exceeds the exchange's
// receive window, so the desk watches it.
export async function probeClock(
  client: { fetchTime(): Promise<number | undefined> },
  label: string,
): Promise<{ latencyMs: number; skewMs: number }> {
  const t0 = Date.now();
  const server = await client.fetchTime();
  const t1 = Date.now();
  if (typeof server !== 'number') throw new Error(`${label} did not say its time`);
  return { latencyMs: t1 - t0, skewMs: Math.round(server - (t0 + t1) / 2) };
}
