/**
 * The typed HTTP client the end-to-end tests call the API through. It lives in shared/contract/client.ts, where
 * the ops CLI uses it too; this module keeps the tests' imports where they were.
 */
export { type ApiClient, apiClient } from '../../shared/contract/client';
