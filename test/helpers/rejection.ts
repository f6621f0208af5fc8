/** The RegistryError a registry call rejects with (the test fails when it resolves or throws anything else). */
import { expect } from 'vitest';
import { RegistryError } from '../../src/registry/index.js';

export async function rejection(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RegistryError);
  return error as RegistryError;
}
