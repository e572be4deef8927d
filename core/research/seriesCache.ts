// Computed series kept for reuse across a sweep's parameter sets (a 5-by-40 grid of EMA
// crossovers needs 45 moving averages, not 400), least recently used first out, within a
// byte budget so a year of 1m bars cannot fill the memory.

export class SeriesCache {
  private readonly map = new Map<string, Float64Array>();
  private bytes = 0;

  constructor(private readonly budgetBytes = 512 * 1024 * 1024) {}

  get(key: string): Float64Array | undefined {
    const v = this.map.get(key);
    if (v) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: string, value: Float64Array): void {
    const old = this.map.get(key);
    if (old) {
      this.bytes -= old.byteLength;
      this.map.delete(key);
    }
    this.map.set(key, value);
    this.bytes += value.byteLength;
    for (const [k, v] of this.map) {
      if (this.bytes <= this.budgetBytes || k === key) break;
      this.map.delete(k);
      this.bytes -= v.byteLength;
    }
  }

  get size(): number {
    return this.map.size;
  }
}
