/**
 * What an endpoint turned out not to support, learnt from its 400 answers, so later requests
 * go straight to the fallback instead of failing once per request.
 */
export interface EndpointQuirks {
  /** The server refuses `dimensions` (no Matryoshka): ask for full vectors, cut on the client. */
  dimensionsRefused?: boolean;
  /** The server refuses `encoding_format: "base64"`: ask for floats. */
  base64Refused?: boolean;
}

export class EndpointCapabilities {
  private readonly quirks = new Map<string, EndpointQuirks>();

  get(endpoint: string, model: string): EndpointQuirks {
    return this.quirks.get(key(endpoint, model)) ?? {};
  }

  remember(endpoint: string, model: string, learnt: EndpointQuirks): void {
    this.quirks.set(key(endpoint, model), { ...this.get(endpoint, model), ...learnt });
  }
}

function key(endpoint: string, model: string): string {
  return `${endpoint}\n${model}`;
}

/** Shared by every client in the process, so a new client for the same endpoint starts informed. */
export const processCapabilities = new EndpointCapabilities();
