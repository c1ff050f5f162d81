import type { CliArguments } from '../cliArguments';
import { apiKey, type CliOutput, clientFor, settingsFrom } from '../cliContext';
import { UsageError } from '../usageError';
import { printable } from '../terminalText';

export async function modelsCommand(args: CliArguments, output: CliOutput, signal: AbortSignal): Promise<number> {
  const client = clientFor(settingsFrom(args), apiKey());
  if (!client) throw new UsageError('no API key: set the SIGHTLINE_API_KEY environment variable');
  try {
    const models = await client.listModels(signal);
    output.out(args.json ? `${JSON.stringify({ models }, null, 2)}\n` : models.map((m) => `${printable(m)}\n`).join(''));
    return 0;
  } finally {
    await client.close();
  }
}
