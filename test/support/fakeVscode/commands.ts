import { Disposable } from './events';

/** Registered commands, and every executeCommand call with its arguments. */
export class CommandRecord {
  readonly registered = new Map<string, (...args: unknown[]) => unknown>();
  executed: Array<{ id: string; args: unknown[] }> = [];
}

export const commandRecord = new CommandRecord();

export const commands = {
  registerCommand(id: string, handler: (...args: unknown[]) => unknown): Disposable {
    // VS Code refuses a second registration of the same id; so does the fake.
    if (commandRecord.registered.has(id)) throw new Error(`command '${id}' already exists`);
    commandRecord.registered.set(id, handler);
    return new Disposable(() => commandRecord.registered.delete(id));
  },
  async executeCommand(id: string, ...args: unknown[]): Promise<unknown> {
    commandRecord.executed.push({ id, args });
    return commandRecord.registered.get(id)?.(...args);
  },
  async getCommands(): Promise<string[]> {
    return [...commandRecord.registered.keys()];
  },
};
