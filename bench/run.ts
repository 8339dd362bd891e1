export async function runBenchmarks(names: string[]): Promise<void> {
  throw new Error(`benchmarks not written yet: ${names.join(',')}`);
}
